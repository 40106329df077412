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

/** Signed in, but this role may not do this at all. Records of others are reported as not found instead. */
export class ForbiddenError extends ApiError {
  constructor(message = 'Your role does not allow this.') {
    super(403, 'forbidden', message);
  }
}

export class RateLimitedError extends ApiError {
  constructor(retryAfterSeconds: number) {
    super(429, 'rate_limited', 'Too many requests; try again shortly.', undefined, {
      'retry-after': String(retryAfterSeconds),
    });
  }
}

export class NotFoundError extends ApiError {
  constructor(what: string) {
    super(404, 'not_found', `No ${what} with that id.`);
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

export class ConflictError extends ApiError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}

export class UnprocessableError extends ApiError {
  constructor(code: string, message: string, details?: unknown) {
    super(422, code, message, details);
  }
}
