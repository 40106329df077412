import { taskEnvironmentDeps } from '../deps/tasks.ts';
import { getOrgProfile } from '../domain/organisations.ts';
import type { TaskServices } from '../domain/services.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { jsonResponse } from '../http/response.ts';

export const getOrganisationRoute: RouteHandler<TaskServices> = async (
  _event,
  { services },
  { principal },
) => {
  return jsonResponse(200, await getOrgProfile(services, principal));
};

export const handler = lambdaHandler('getOrganisation', getOrganisationRoute, taskEnvironmentDeps);
