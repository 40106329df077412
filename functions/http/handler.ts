import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Services, TaskServices } from '../domain/services.ts';
import { ApiError } from './errors.ts';
import { errorResponse, internalErrorResponse, unavailableResponse } from './response.ts';

export interface HandlerDeps<S extends TaskServices = Services> {
  services: S;
  logger: Logger;
}

export type RouteHandler<S extends TaskServices = Services> = (
  event: APIGatewayProxyEventV2,
  deps: HandlerDeps<S>,
) => Promise<APIGatewayProxyStructuredResultV2>;

export type LambdaHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'InternalServerError',
  'ServiceUnavailable',
]);

function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (THROTTLING.has(error.name)) return true;
  // A transaction cancelled only because another transaction held an item is worth a retry by the client.
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
  return (
    error.name === 'TransactionCanceledException' &&
    (reasons ?? []).some((r) => r.Code === 'TransactionConflict')
  );
}

/**
 * Wraps a route: one place maps errors to responses. Logs carry the route, status and error code only:
 * never bodies, answers or claims, since those can identify a child.
 */
export function lambdaHandler<S extends TaskServices>(
  route: string,
  handle: RouteHandler<S>,
  deps: () => HandlerDeps<S>,
): LambdaHandler {
  return async (event) => {
    const { logger } = deps();
    // Keys go on each line rather than on the shared logger: a local server handles requests concurrently.
    const keys = { route, correlationId: event.requestContext?.requestId };
    try {
      const response = await handle(event, deps());
      logger.info('request handled', { ...keys, status: response.statusCode });
      return response;
    } catch (error) {
      if (error instanceof ApiError) {
        logger.info('request refused', { ...keys, status: error.status, code: error.code });
        return errorResponse(error);
      }
      if (isTransient(error)) {
        logger.warn('transient failure', { ...keys, errorName: (error as Error).name });
        return unavailableResponse();
      }
      logger.error('unhandled failure', {
        ...keys,
        errorName: error instanceof Error ? error.name : typeof error,
      });
      return internalErrorResponse();
    }
  };
}
