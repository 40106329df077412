import { taskEnvironmentDeps } from '../deps/tasks.ts';
import type { TaskServices } from '../domain/services.ts';
import { cancelTask } from '../domain/tasks.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { idParameter, parseJsonBody } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { CancelTaskRequest, TaskId } from './schemas.ts';

export const cancelTaskRoute: RouteHandler<TaskServices> = async (event, { services }, { principal }) => {
  const id = idParameter(event, TaskId, 'task');
  const request = parseJsonBody(event, CancelTaskRequest);
  return jsonResponse(200, await cancelTask(services, principal, id, request.reason));
};

export const handler = lambdaHandler('cancelTask', cancelTaskRoute, taskEnvironmentDeps);
