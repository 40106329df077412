import { environmentDeps } from '../deps/conversations.ts';
import { requireRole } from '../domain/access.ts';
import { exportRecords } from '../domain/records-requests.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { idParameter, parseJsonBody } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { RecordsRequestId, RunRecordsRequestBody } from './schemas.ts';

/** Issue 16, findings 4 and 7: the requester runs an approved export, once; the reference is in the body. */
export const exportRecordsRoute: RouteHandler = async (
  event,
  { services },
  { principal, route, requestId },
) => {
  requireRole(principal, 'administrator');
  const id = idParameter(event, RecordsRequestId, 'export request');
  const { subjectRef } = parseJsonBody(event, RunRecordsRequestBody);
  return jsonResponse(200, await exportRecords(services, principal, id, subjectRef, { route, requestId }));
};

export const handler = lambdaHandler('exportRecords', exportRecordsRoute, environmentDeps);
