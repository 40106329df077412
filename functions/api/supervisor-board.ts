import { taskEnvironmentDeps } from '../deps/tasks.ts';
import type { TaskServices } from '../domain/services.ts';
import { boardCsv, supervisorBoard } from '../domain/supervision.ts';
import { lambdaHandler, type RouteHandler } from '../http/handler.ts';
import { queryParameters } from '../http/request.ts';
import { jsonResponse } from '../http/response.ts';
import { BoardQuery } from './schemas.ts';

export const supervisorBoardRoute: RouteHandler<TaskServices> = async (
  event,
  { services },
  { principal },
) => {
  const query = queryParameters(event, BoardQuery);
  const board = await supervisorBoard(services, principal);
  if (query.format === 'csv') {
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="unit-tasks.csv"',
        'cache-control': 'no-store',
      },
      body: boardCsv(board),
    };
  }
  return jsonResponse(200, board);
};

export const handler = lambdaHandler('supervisorBoard', supervisorBoardRoute, taskEnvironmentDeps);
