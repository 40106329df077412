import { DomainError, type RefusalKind } from '../domain/errors.ts';

/**
 * Every error a caller can see: one JSON shape `{ error: { code, message, details? } }` with a stable
 * code. Handlers throw these; `toErrorResponse` is the one place they become HTTP responses.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class MalformedJsonError extends ApiError {
  constructor() {
    super(400, 'malformed_json', 'The request body is not valid JSON.');
  }
}

export class ValidationError extends ApiError {
  constructor(issues: unknown) {
    super(400, 'invalid_request', 'The request does not match the expected shape.', issues);
  }
}

export class UnsupportedMediaTypeError extends ApiError {
  constructor() {
    super(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
}

export class PayloadTooLargeError extends ApiError {
  constructor(limit: number) {
    super(413, 'payload_too_large', `The request body is larger than ${limit} bytes.`);
  }
}

export class UnauthenticatedError extends ApiError {
  constructor() {
    // Which check failed (expiry, audience, signature…) is never said: it would help an attacker, not a user.
    super(401, 'unauthenticated', 'Sign in to use this API.', undefined, {
      'www-authenticate': 'Bearer error="invalid_token"',
    });
  }
}

export class RateLimitedError extends ApiError {
  constructor(retryAfterSeconds: number) {
    super(429, 'rate_limited', 'Too many requests; try again shortly.', undefined, {
      'retry-after': String(retryAfterSeconds),
    });
  }
}

export class RouteNotFoundError extends ApiError {
  constructor() {
    super(404, 'route_not_found', 'There is no such route.');
  }
}

export class MethodNotAllowedError extends ApiError {
  constructor(allowed: readonly string[]) {
    super(405, 'method_not_allowed', 'That method is not allowed on this route.', undefined, {
      allow: allowed.join(', '),
    });
  }
}

const statusOfRefusal: Record<RefusalKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
};

/** The one place a refusal becomes HTTP: the API's own errors as they are, the domain's by their kind. */
export function refusalOf(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof DomainError) {
    return new ApiError(statusOfRefusal[error.kind], error.code, error.message, error.details);
  }
  return undefined;
}
