import { taskEnvironmentDeps } from '../deps/tasks.ts';
import type { TaskServices } from '../domain/services.ts';
import { listTasks } from '../domain/tasks.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { queryParameters } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { ListTasksQuery } from './schemas.ts';

export const listTasksRoute: RouteHandler<TaskServices> = async (event, { services }, { principal }) => {
  const query = queryParameters(event, ListTasksQuery);
  return jsonResponse(200, await listTasks(services, principal, query));
};

export const handler = lambdaHandler('listTasks', listTasksRoute, taskEnvironmentDeps);
