import { environmentDeps } from '../deps/conversations.ts';
import { syncTurns } from '../domain/sync.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { idParameter, parseJsonBody } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { ConversationId, SyncRequest } from './schemas.ts';

export const syncTurnsRoute: RouteHandler = async (event, { services }, { principal }) => {
  const id = idParameter(event, ConversationId, 'conversation');
  const request = parseJsonBody(event, SyncRequest);
  return jsonResponse(200, await syncTurns(services, principal, id, request));
};

export const handler = lambdaHandler('syncTurns', syncTurnsRoute, environmentDeps);
