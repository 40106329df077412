import { flowEnvironmentDeps } from '../deps/flows.ts';
import { createConversation } from '../domain/conversations.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { parseJsonBody } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { CreateConversationRequest } from './schemas.ts';

export const createConversationRoute: RouteHandler = async (event, { services }, { principal }) => {
  const request = parseJsonBody(event, CreateConversationRequest);
  return jsonResponse(201, await createConversation(services, principal, request));
};

export const handler = lambdaHandler('createConversation', createConversationRoute, flowEnvironmentDeps);
