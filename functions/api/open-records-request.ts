import { environmentDeps } from '../deps/conversations.ts';
import { requireRole } from '../domain/access.ts';
import { openRecordsRequest } from '../domain/records-requests.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { parseJsonBody } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { OpenRecordsRequestBody } from './schemas.ts';

/** Issue 16, findings 4 and 7: an administrator opens an export or erasure request; the reference is in the body. */
export const openRecordsRequestRoute: RouteHandler = async (event, { services }, { principal }) => {
  // Who may ask is decided before anything of the request is read.
  requireRole(principal, 'administrator');
  const body = parseJsonBody(event, OpenRecordsRequestBody);
  return jsonResponse(201, { request: await openRecordsRequest(services, principal, body) });
};

export const handler = lambdaHandler('openRecordsRequest', openRecordsRequestRoute, environmentDeps);
