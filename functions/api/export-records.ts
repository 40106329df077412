import { environmentDeps } from '../deps/conversations.ts';
import { exportSubject } from '../domain/records-requests.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { idParameter } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { SubjectRef } from './schemas.ts';

export const exportRecordsRoute: RouteHandler = async (
  event,
  { services },
  { principal, route, requestId },
) => {
  const subjectRef = idParameter(event, SubjectRef, 'records for that subject reference');
  return jsonResponse(200, await exportSubject(services, principal, subjectRef, { route, requestId }));
};

export const handler = lambdaHandler('exportRecords', exportRecordsRoute, environmentDeps);
