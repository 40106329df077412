import { taskEnvironmentDeps } from '../deps/tasks.ts';
import { enrolDevice } from '../domain/devices.ts';
import type { TaskServices } from '../domain/services.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { parseJsonBody } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { EnrolDeviceRequest } from './schemas.ts';

/** Issue 18: a tablet's PIN set-up: the server keeps half of the key behind an attempt counter. */
export const enrolDeviceRoute: RouteHandler<TaskServices> = async (event, { services }, { principal }) => {
  const request = parseJsonBody(event, EnrolDeviceRequest);
  return jsonResponse(201, await enrolDevice(services, principal, request));
};

export const handler = lambdaHandler('enrolDevice', enrolDeviceRoute, taskEnvironmentDeps);
