/**
 * What the domain refuses, and why, in its own terms. The HTTP layer maps each kind to a status in one
 * place (`http/errors.ts`), so the domain never speaks HTTP and every channel (API, Teams) reads the same
 * stable codes.
 */
export type RefusalKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'unprocessable';

export class DomainError extends Error {
  constructor(
    readonly kind: RefusalKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Input that parsed but is not one this service issued (a forged cursor). */
export class InvalidInputError extends DomainError {
  constructor(code: string, message: string) {
    super('invalid', code, message);
  }
}

/** Signed in, but this role may not do this at all. Records of others are reported as not found instead. */
export class ForbiddenError extends DomainError {
  constructor(message = 'Your role does not allow this.') {
    super('forbidden', 'forbidden', message);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('not_found', 'not_found', `No ${what} with that id.`);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('conflict', code, message, details);
  }
}

export class UnprocessableError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('unprocessable', code, message, details);
  }
}
