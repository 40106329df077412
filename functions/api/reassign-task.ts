import { taskEnvironmentDeps } from '../deps/tasks.ts';
import type { TaskServices } from '../domain/services.ts';
import { reassignTask } from '../domain/tasks.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { idParameter, parseJsonBody } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { ReassignTaskRequest, TaskId } from './schemas.ts';

/** Issue 17: a supervisor gives an open task of their unit to a worker or to the unit's queue. */
export const reassignTaskRoute: RouteHandler<TaskServices> = async (event, { services }, { principal }) => {
  const id = idParameter(event, TaskId, 'task');
  const { to } = parseJsonBody(event, ReassignTaskRequest);
  return jsonResponse(200, await reassignTask(services, principal, id, to));
};

export const handler = lambdaHandler('reassignTask', reassignTaskRoute, taskEnvironmentDeps);
