import { taskEnvironmentDeps } from '../deps/tasks.ts';
import { putOrgSettings } from '../domain/organisations.ts';
import type { TaskServices } from '../domain/services.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { parseJsonBody } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { PutOrganisationRequest } from './schemas.ts';

export const putOrganisationRoute: RouteHandler<TaskServices> = async (
  event,
  { services },
  { principal },
) => {
  const request = parseJsonBody(event, PutOrganisationRequest);
  return jsonResponse(
    200,
    await putOrgSettings(services, principal, request.settings, request.expectedVersion),
  );
};

export const handler = lambdaHandler('putOrganisation', putOrganisationRoute, taskEnvironmentDeps);
