import { taskEnvironmentDeps } from '../deps/tasks.ts';
import type { TaskServices } from '../domain/services.ts';
import { completeTask } from '../domain/tasks.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { idParameter, parseJsonBody } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { CompleteTaskRequest, TaskId } from './schemas.ts';

export const completeTaskRoute: RouteHandler<TaskServices> = async (event, { services }, { principal }) => {
  const id = idParameter(event, TaskId, 'task');
  const request = parseJsonBody(event, CompleteTaskRequest);
  return jsonResponse(200, await completeTask(services, principal, id, request.evidence));
};

export const handler = lambdaHandler('completeTask', completeTaskRoute, taskEnvironmentDeps);
