import { taskEnvironmentDeps } from '../deps/tasks.ts';
import type { TaskServices } from '../domain/services.ts';
import { notificationsFor } from '../domain/supervision.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { jsonResponse } from '../http/response.ts';

export const listNotificationsRoute: RouteHandler<TaskServices> = async (
  _event,
  { services },
  { principal },
) => {
  return jsonResponse(200, { notifications: await notificationsFor(services, principal) });
};

export const handler = lambdaHandler('listNotifications', listNotificationsRoute, taskEnvironmentDeps);
