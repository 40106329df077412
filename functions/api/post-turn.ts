import { environmentDeps } from '../deps/conversations.ts';
import { postTurn } from '../domain/conversations.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { idParameter, parseJsonBody } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { ConversationId, TurnRequest } from './schemas.ts';

export const postTurnRoute: RouteHandler = async (event, { services }, { principal }) => {
  const id = idParameter(event, ConversationId, 'conversation');
  const request = parseJsonBody(event, TurnRequest);
  return jsonResponse(200, await postTurn(services, principal, id, request));
};

export const handler = lambdaHandler('postTurn', postTurnRoute, environmentDeps);
