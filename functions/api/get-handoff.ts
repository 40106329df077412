import { taskEnvironmentDeps } from '../deps/tasks.ts';
import { getHandoff } from '../domain/handoffs.ts';
import type { TaskServices } from '../domain/services.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { idParameter } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { ConversationId } from './schemas.ts';

export const getHandoffRoute: RouteHandler<TaskServices> = async (event, { services }, { principal }) => {
  const id = idParameter(event, ConversationId, 'hand-off');
  return jsonResponse(200, await getHandoff(services, principal, id));
};

export const handler = lambdaHandler('getHandoff', getHandoffRoute, taskEnvironmentDeps);
