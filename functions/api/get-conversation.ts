import { environmentDeps } from '../deps/conversations.ts';
import { getConversation } from '../domain/conversations.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { principalOf } from '../http/principal.ts';
import { idParameter } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { ConversationId } from './schemas.ts';

export const getConversationRoute: RouteHandler = async (event, { services }) => {
  const principal = principalOf(event);
  const id = idParameter(event, ConversationId, 'conversation');
  return jsonResponse(200, await getConversation(services, principal, id));
};

export const handler = lambdaHandler('getConversation', getConversationRoute, environmentDeps);
