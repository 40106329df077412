import { taskEnvironmentDeps } from '../deps/tasks.ts';
import { listRecordsRequests } from '../domain/records-requests.ts';
import type { TaskServices } from '../domain/services.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { jsonResponse } from '../http/response.ts';

/** Issue 16, finding 4: the organisation's records requests and what became of them, without references. */
export const listRecordsRequestsRoute: RouteHandler<TaskServices> = async (
  _event,
  { services },
  { principal },
) => jsonResponse(200, { requests: await listRecordsRequests(services, principal) });

export const handler = lambdaHandler('listRecordsRequests', listRecordsRequestsRoute, taskEnvironmentDeps);
