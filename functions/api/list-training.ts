import { taskEnvironmentDeps } from '../deps/tasks.ts';
import type { TaskServices } from '../domain/services.ts';
import { listTraining } from '../domain/training.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { queryParameters } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { TrainingQuery } from './schemas.ts';

export const listTrainingRoute: RouteHandler<TaskServices> = async (event, { services }, { principal }) => {
  const query = queryParameters(event, TrainingQuery);
  return jsonResponse(200, await listTraining(services, principal, query.userId ?? principal.userId));
};

export const handler = lambdaHandler('listTraining', listTrainingRoute, taskEnvironmentDeps);
