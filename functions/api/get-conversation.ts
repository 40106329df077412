import { environmentDeps } from '../deps/conversations.ts';
import { getConversation } from '../domain/conversations.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { idParameter } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { ConversationId } from './schemas.ts';

export const getConversationRoute: RouteHandler = async (
  event,
  { services },
  { principal, route, requestId },
) => {
  const id = idParameter(event, ConversationId, 'conversation');
  return jsonResponse(200, await getConversation(services, principal, id, { route, requestId }));
};

export const handler = lambdaHandler('getConversation', getConversationRoute, environmentDeps);
