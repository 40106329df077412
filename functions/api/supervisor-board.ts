import { taskEnvironmentDeps } from '../deps/tasks.ts';
import type { TaskServices } from '../domain/services.ts';
import { supervisorBoard } from '../domain/supervision.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { jsonResponse } from '../http/response.ts';

export const supervisorBoardRoute: RouteHandler<TaskServices> = async (
  _event,
  { services },
  { principal },
) => {
  return jsonResponse(200, await supervisorBoard(services, principal));
};

export const handler = lambdaHandler('supervisorBoard', supervisorBoardRoute, taskEnvironmentDeps);
