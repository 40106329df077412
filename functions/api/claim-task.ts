import { taskEnvironmentDeps } from '../deps/tasks.ts';
import type { TaskServices } from '../domain/services.ts';
import { claimTask } from '../domain/tasks.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { idParameter } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { TaskId } from './schemas.ts';

export const claimTaskRoute: RouteHandler<TaskServices> = async (event, { services }, { principal }) => {
  const id = idParameter(event, TaskId, 'task');
  return jsonResponse(200, await claimTask(services, principal, id));
};

export const handler = lambdaHandler('claimTask', claimTaskRoute, taskEnvironmentDeps);
