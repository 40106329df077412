import { taskEnvironmentDeps } from '../deps/tasks.ts';
import { listHandoffs } from '../domain/handoffs.ts';
import type { TaskServices } from '../domain/services.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { jsonResponse } from '../http/response.ts';

export const listHandoffsRoute: RouteHandler<TaskServices> = async (_event, { services }, { principal }) => {
  return jsonResponse(200, await listHandoffs(services, principal));
};

export const handler = lambdaHandler('listHandoffs', listHandoffsRoute, taskEnvironmentDeps);
