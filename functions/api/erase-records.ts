import { environmentDeps } from '../deps/conversations.ts';
import { requireRole } from '../domain/access.ts';
import { eraseRecords } from '../domain/records-requests.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { idParameter, parseJsonBody } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { RecordsRequestId, RunRecordsRequestBody } from './schemas.ts';

/** Issue 16, findings 4 and 7: the requester runs an approved erasure, once; the reference is in the body. */
export const eraseRecordsRoute: RouteHandler = async (event, { services }, { principal }) => {
  // Who may erase is decided before anything of the request is read.
  requireRole(principal, 'administrator');
  const id = idParameter(event, RecordsRequestId, 'erase request');
  const { subjectRef } = parseJsonBody(event, RunRecordsRequestBody);
  return jsonResponse(200, { erasure: await eraseRecords(services, principal, id, subjectRef) });
};

export const handler = lambdaHandler('eraseRecords', eraseRecordsRoute, environmentDeps);
