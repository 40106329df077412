import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { openApiDocument } from '#functions/api/openapi.ts';
import { routes } from '#functions/api/routes.ts';
import * as schemas from '#functions/api/schemas.ts';

/**
 * Issue 19: every parameter in the OpenAPI document says what it takes (type, and for strings a format,
 * pattern or enum), means (description) and looks like (example), and agrees with the schema its handler
 * parses it with. The activity report's datetimes were plain strings.
 */

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  example?: unknown;
  schema?: Record<string, unknown>;
}

interface Operation {
  operationId: string;
  parameters?: Parameter[];
}

const document = openApiDocument() as {
  openapi: string;
  paths: Record<string, Record<string, Operation> & { parameters?: Parameter[] }>;
  components?: { parameters?: Record<string, Parameter> };
};

/** Every parameter anywhere in the document, where it is. */
function allParameters(): { where: string; parameter: Parameter }[] {
  const found: { where: string; parameter: Parameter }[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const parameter of item.parameters ?? []) found.push({ where: path, parameter });
    for (const [method, operation] of Object.entries(item)) {
      if (method === 'parameters') continue;
      for (const parameter of (operation as Operation).parameters ?? [])
        found.push({ where: `${method.toUpperCase()} ${path} ${parameter.in} ${parameter.name}`, parameter });
    }
  }
  for (const [name, parameter] of Object.entries(document.components?.parameters ?? {}))
    found.push({ where: `#/components/parameters/${name}`, parameter });
  return found;
}

const TYPES = ['string', 'integer', 'number', 'boolean', 'array', 'object'];
/** Names that hold a time: `from`, `to`, `since`, `…At`, `…On`, `…Date`, `…Time`. */
const TIME_NAME = /^(from|to|since|until|before|after)$|(At|On|Date|Time)$/;
/** Names that hold an identifier or reference. */
const ID_NAME = /^id$|(Id|Ref)$/;
/** Names that hold a count. */
const COUNT_NAME = /^(limit|offset|page|pageSize|count)$/;

describe('the parameters of the OpenAPI document', () => {
  const parameters = allParameters();

  it('finds the parameters it is to check (the activity report, task lists, every {id})', () => {
    const names = parameters.map(({ where }) => where);
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /reports/activity query from',
        'GET /reports/activity query to',
        'GET /tasks query status',
        'GET /tasks query scope',
        'GET /tasks query limit',
        'GET /conversations/{id} path id',
      ]),
    );
    expect(parameters.length).toBeGreaterThan(20);
  });

  it.each(allParameters().map(({ where, parameter }) => [where, parameter] as const))(
    '%s: a type, a stated format, a description and an example',
    (_, parameter) => {
      expect(['query', 'path', 'header', 'cookie']).toContain(parameter.in);
      const schema = parameter.schema;
      expect(schema, 'schema').toBeDefined();
      expect(TYPES).toContain(schema!.type);
      expect(parameter.description?.trim(), 'description').toBeTruthy();
      // Only an opaque token (a page cursor) goes by its length alone, says it is opaque, and has no
      // example: none is valid but one the API issued, and "Try it out" would send it.
      const opaque =
        schema!.type === 'string' &&
        /^Opaque\b/.test(parameter.description ?? '') &&
        typeof schema!.maxLength === 'number';
      if (!opaque) expect(parameter.example, 'example').toBeDefined();
      if (schema!.type === 'string') {
        // A string states its shape: a format, a pattern or its values.
        const stated = ['format', 'pattern', 'enum'].some((keyword) => keyword in schema!);
        expect(stated || opaque, 'format, pattern or enum').toBe(true);
      }
      if (TIME_NAME.test(parameter.name)) {
        expect(schema!.type).toBe('string');
        expect(['date-time', 'date']).toContain(schema!.format);
      }
      if (ID_NAME.test(parameter.name)) {
        expect(schema!.type).toBe('string');
        expect('format' in schema! || 'pattern' in schema!, 'an id has a format or pattern').toBe(true);
      }
      if (COUNT_NAME.test(parameter.name)) {
        expect(schema!.type).toBe('integer');
        expect(typeof schema!.minimum).toBe('number');
        expect(typeof schema!.maximum).toBe('number');
      }
      if (parameter.in === 'path') expect(parameter.required).toBe(true);
    },
  );

  it('gives examples that fit their own schemas', () => {
    const ajv = new Ajv04.default({ allErrors: true, strict: false });
    ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    // RFC 3339, with its offset; `date-time` in OpenAPI means exactly this.
    ajv.addFormat(
      'date-time',
      (value: string) =>
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value) &&
        !Number.isNaN(Date.parse(value)),
    );
    for (const { where, parameter } of parameters) {
      if (parameter.example === undefined) continue;
      const validate = ajv.compile(parameter.schema!);
      expect(validate(parameter.example), `${where}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      if (parameter.schema!.default !== undefined)
        expect(validate(parameter.schema!.default), `${where} default`).toBe(true);
    }
  });

  it('states the activity report’s period as RFC 3339 date-times, both required', () => {
    const activity = document.paths['/reports/activity']!.get!.parameters!;
    for (const name of ['from', 'to']) {
      const parameter = activity.find((candidate) => candidate.name === name)!;
      expect(parameter).toMatchObject({
        in: 'query',
        required: true,
        schema: { type: 'string', format: 'date-time' },
      });
      expect(parameter.description).toMatch(/RFC 3339/);
    }
    expect(activity.find((parameter) => parameter.name === 'format')?.schema).toEqual({
      type: 'string',
      enum: ['json', 'csv'],
      default: 'json',
    });
  });

  it('states the task list’s status and scope as enums and its limit as a bounded integer', () => {
    const tasks = document.paths['/tasks']!.get!.parameters!;
    const byName = Object.fromEntries(tasks.map((parameter) => [parameter.name, parameter.schema]));
    expect(byName.status).toEqual({ type: 'string', enum: ['open', 'done', 'cancelled'] });
    expect(byName.scope).toEqual({ type: 'string', enum: ['mine'] });
    expect(byName.limit).toEqual({ type: 'integer', minimum: 1, maximum: 100, default: 50 });
  });
});

/** The schema a route's handler parses its query string or its `{id}` with, by the name it imports. */
function handlerSchema(entry: string, call: 'queryParameters' | 'idParameter'): z.ZodMiniType | undefined {
  const source = readFileSync(join(import.meta.dirname, '..', '..', entry), 'utf8');
  const name = new RegExp(`${call}\\(event, (\\w+)`).exec(source)?.[1];
  if (name === undefined) return undefined;
  const schema = (schemas as Record<string, unknown>)[name];
  expect(schema, `${entry}: ${name} from schemas.ts`).toBeDefined();
  return schema as z.ZodMiniType;
}

describe('the document’s parameters and the handlers', () => {
  it.each(routes.map((route) => [route.name, route] as const))(
    '%s: documents exactly the query and path parameters its handler reads',
    (_, route) => {
      const operation = document.paths[route.path]![route.method.toLowerCase()]!;
      const documented = operation.parameters ?? [];
      const query = handlerSchema(route.entry, 'queryParameters');
      const id = handlerSchema(route.entry, 'idParameter');

      const pathParameters = documented.filter((parameter) => parameter.in === 'path');
      expect(pathParameters.map((parameter) => parameter.name)).toEqual(
        route.path.includes('{id}') ? ['id'] : [],
      );
      expect(Boolean(id)).toBe(route.path.includes('{id}'));
      if (id) {
        const [parameter] = pathParameters;
        // The example is an id the handler would look up (anything else is a 404 before any lookup).
        expect(id.safeParse(parameter!.example).success, 'path example').toBe(true);
        expect(id.safeParse('not-an-id').success).toBe(false);
      }

      const queryParameters = documented.filter((parameter) => parameter.in === 'query');
      if (!query) return void expect(queryParameters).toEqual([]);
      const shape = (query as unknown as { shape: Record<string, unknown> }).shape;
      expect(queryParameters.map((parameter) => parameter.name).sort()).toEqual(Object.keys(shape).sort());
      // Required is what the handler requires: the query without it is refused, with only the required is not.
      const required = queryParameters.filter((parameter) => parameter.required);
      const only = (list: Parameter[]) =>
        Object.fromEntries(
          list
            .filter((parameter) => parameter.example !== undefined)
            .map((parameter) => [parameter.name, String(parameter.example)]),
        );
      expect(query.safeParse(only(required)).success, 'the required parameters alone').toBe(true);
      for (const parameter of required)
        expect(
          query.safeParse(only(required.filter((other) => other !== parameter))).success,
          `without ${parameter.name}`,
        ).toBe(false);
      // The examples together (as strings, as a query string carries them) are a query the handler accepts.
      expect(query.safeParse(only(queryParameters)).success, 'all the examples').toBe(true);
    },
  );
});
