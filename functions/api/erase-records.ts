import { flowEnvironmentDeps } from '../deps/flows.ts';
import { requireRole } from '../domain/access.ts';
import { UnprocessableError } from '../domain/errors.ts';
import { eraseSubject } from '../domain/records-requests.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { idParameter, parseJsonBody } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { EraseRecordsRequest, SubjectRef } from './schemas.ts';

export const eraseRecordsRoute: RouteHandler = async (event, { services }, { principal }) => {
  // Issue 16, finding 4: who may erase is decided before anything of the request is read.
  requireRole(principal, 'administrator');
  const subjectRef = idParameter(event, SubjectRef, 'records for that subject reference');
  const request = parseJsonBody(event, EraseRecordsRequest);
  if (request.confirmSubjectRef !== subjectRef) {
    throw new UnprocessableError(
      'confirmation_mismatch',
      'The confirmation does not match the subject reference in the path; nothing was erased.',
    );
  }
  return jsonResponse(200, {
    erasure: await eraseSubject(services, principal, subjectRef, request.legalBasis),
  });
};

export const handler = lambdaHandler('eraseRecords', eraseRecordsRoute, flowEnvironmentDeps);
