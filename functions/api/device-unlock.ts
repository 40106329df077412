import { taskEnvironmentDeps } from '../deps/tasks.ts';
import { unlockDevice } from '../domain/devices.ts';
import type { TaskServices } from '../domain/services.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { idParameter, parseJsonBody } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { DeviceId, UnlockDeviceRequest } from './schemas.ts';

/** Issue 18: the owner's tablet proves its PIN and gets the server's half of the key back. */
export const unlockDeviceRoute: RouteHandler<TaskServices> = async (event, { services }, { principal }) => {
  const deviceId = idParameter(event, DeviceId, 'device');
  const request = parseJsonBody(event, UnlockDeviceRequest);
  return jsonResponse(200, await unlockDevice(services, principal, { deviceId, ...request }));
};

export const handler = lambdaHandler('unlockDevice', unlockDeviceRoute, taskEnvironmentDeps);
