import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  type DomainError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  UnprocessableError,
} from '#functions/domain/errors.ts';
import { refusalOf } from '#functions/http/errors.ts';

const domainDir = join(import.meta.dirname, '..', '..', 'functions', 'domain');

/** Every import specifier of a module, static or dynamic, type-only included. */
function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)].map((match) => match[1]!);
}

describe('layering: the domain speaks neither HTTP nor the API', () => {
  const files = readdirSync(domainDir).filter((name) => name.endsWith('.ts'));

  it('has domain modules to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('no module in functions/domain imports from functions/api or functions/http', () => {
    const offenders = files.flatMap((name) =>
      importsOf(readFileSync(join(domainDir, name), 'utf8'))
        .filter((specifier) => /(^|\/)(api|http)\//.test(specifier))
        .map((specifier) => `${relative(domainDir, join(domainDir, name))} → ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('every refusal the domain raises becomes one HTTP status, in one place', () => {
    const cases: Array<[DomainError, number]> = [
      [new InvalidInputError('invalid_cursor', 'x'), 400],
      [new ForbiddenError(), 403],
      [new NotFoundError('task'), 404],
      [new ConflictError('task_not_open', 'x', { status: 'done' }), 409],
      [new UnprocessableError('evidence_in_future', 'x'), 422],
    ];
    for (const [error, status] of cases) {
      const refusal = refusalOf(error);
      expect(refusal?.status).toBe(status);
      expect(refusal?.code).toBe(error.code);
      expect(refusal?.details).toEqual(error.details);
    }
    expect(refusalOf(new Error('boom'))).toBeUndefined();
  });
});
