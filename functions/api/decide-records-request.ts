import { environmentDeps } from '../deps/conversations.ts';
import { requireRole } from '../domain/access.ts';
import { decideRecordsRequest } from '../domain/records-requests.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { idParameter, parseJsonBody } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { DecideRecordsRequestBody, RecordsRequestId } from './schemas.ts';

/** Issue 16, finding 4: a second administrator of the organisation approves or refuses a records request. */
export const decideRecordsRequestRoute: RouteHandler = async (event, { services }, { principal }) => {
  requireRole(principal, 'administrator');
  const id = idParameter(event, RecordsRequestId, 'records request');
  const decision = parseJsonBody(event, DecideRecordsRequestBody);
  return jsonResponse(200, { request: await decideRecordsRequest(services, principal, id, decision) });
};

export const handler = lambdaHandler('decideRecordsRequest', decideRecordsRequestRoute, environmentDeps);
