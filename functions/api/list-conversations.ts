import { environmentDeps } from '../deps/conversations.ts';
import { unfinishedConversations } from '../domain/conversations.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { queryParameters } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { ListConversationsQuery } from './schemas.ts';

/** Issue 17: the caller's unfinished conversations, for every channel's "resume" list. */
export const listConversationsRoute: RouteHandler = async (event, { services }, { principal }) => {
  const { status: _unfinished, ...filter } = queryParameters(event, ListConversationsQuery);
  return jsonResponse(200, { conversations: await unfinishedConversations(services, principal, filter) });
};

export const handler = lambdaHandler('listConversations', listConversationsRoute, environmentDeps);
