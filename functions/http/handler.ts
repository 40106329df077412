import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Authenticator } from '../auth/verifier.ts';
import type { Principal } from '../domain/principal.ts';
import type { Services, TaskServices } from '../domain/services.ts';
import type { RateLimiter } from '../limits/rate-limiter.ts';
import { gateStore } from '../storage/store.ts';
import { refusalOf } from './errors.ts';
import { errorResponse, internalErrorResponse, unavailableResponse } from './response.ts';

export interface HandlerDeps<S extends TaskServices = Services> {
  services: S;
  logger: Logger;
  /** Verifies the bearer token on every request (API Gateway's authorizer in front is a second check). */
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
}

/** What the wrapper has established before a route runs: who is calling, and which request this is. */
export interface RequestContext {
  principal: Principal;
  route: string;
  requestId: string;
}

export type RouteHandler<S extends TaskServices = Services> = (
  event: APIGatewayProxyEventV2,
  deps: HandlerDeps<S>,
  request: RequestContext,
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

function authorizationOf(event: APIGatewayProxyEventV2): string | undefined {
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (name.toLowerCase() === 'authorization') return value;
  }
  return undefined;
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
    const resolved = deps();
    const { logger } = resolved;
    const requestId = event.requestContext?.requestId ?? 'unknown';
    // Keys go on each line rather than on the shared logger: a local server handles requests concurrently.
    const keys: Record<string, string> = { route, correlationId: requestId };
    try {
      const principal = await resolved.authenticator.authenticate(authorizationOf(event));
      // The user id is an opaque account id (Cognito's sub), never a youth's; it makes log lines attributable.
      keys.userId = principal.userId;
      // Issue 18: admission comes before any read or write of the table (a refused request touches nothing
      // but its counter); the route's own parsing and validation run while the counter is updated.
      const admitted = resolved.rateLimiter.admit(principal.userId);
      admitted.catch(() => undefined);
      const services = { ...resolved.services, store: gateStore(resolved.services.store, admitted) };
      const response = await handle(event, { ...resolved, services }, { principal, route, requestId });
      await admitted;
      logger.info('request handled', { ...keys, status: response.statusCode });
      return response;
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal) {
        logger.info('request refused', { ...keys, status: refusal.status, code: refusal.code });
        return errorResponse(refusal);
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
