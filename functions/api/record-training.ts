import { taskEnvironmentDeps } from '../deps/tasks.ts';
import type { TaskServices } from '../domain/services.ts';
import { recordTraining } from '../domain/training.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { parseJsonBody } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { RecordTrainingRequest } from './schemas.ts';

export const recordTrainingRoute: RouteHandler<TaskServices> = async (event, { services }, { principal }) => {
  const request = parseJsonBody(event, RecordTrainingRequest);
  const recorded = await recordTraining(services, principal, {
    userId: request.userId ?? principal.userId,
    type: request.type,
    completedOn: request.completedOn,
  });
  return jsonResponse(201, recorded);
};

export const handler = lambdaHandler('recordTraining', recordTrainingRoute, taskEnvironmentDeps);
