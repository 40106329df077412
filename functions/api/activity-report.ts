import { taskEnvironmentDeps } from '../deps/tasks.ts';
import { activityCsv, activityReport } from '../domain/activity.ts';
import type { TaskServices } from '../domain/services.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { queryParameters } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { ActivityQuery } from './schemas.ts';

export const activityReportRoute: RouteHandler<TaskServices> = async (event, { services }, { principal }) => {
  const query = queryParameters(event, ActivityQuery);
  const rows = await activityReport(services, principal, query);
  if (query.format === 'csv') {
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="activity.csv"',
        'cache-control': 'no-store',
      },
      body: activityCsv(rows),
    };
  }
  return jsonResponse(200, { rows });
};

export const handler = lambdaHandler('activityReport', activityReportRoute, taskEnvironmentDeps);
