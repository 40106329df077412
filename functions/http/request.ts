import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import { NotFoundError } from '../domain/errors.ts';
import {
  MalformedJsonError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from './errors.ts';

/** Turns and task updates are a few hundred bytes; anything near this limit is a mistake or an attack. */
export const MAX_BODY_BYTES = 16 * 1024;

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** Zod's issues without the rejected values, so an answer's text never echoes into logs or error reports. */
export function issuesOf(error: z.core.$ZodError) {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    code: issue.code,
    message: issue.message,
  }));
}

export function parseWith<T extends z.ZodMiniType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(issuesOf(result.error));
  return result.data;
}

export function parseJsonBody<T extends z.ZodMiniType>(event: APIGatewayProxyEventV2, schema: T): z.infer<T> {
  const contentType = header(event, 'content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType.trim())) throw new UnsupportedMediaTypeError();
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new MalformedJsonError();
  }
  return parseWith(schema, parsed);
}

/** An id that cannot exist is reported as not found, the same as one that does not. */
export function idParameter<T extends z.ZodMiniType>(
  event: APIGatewayProxyEventV2,
  schema: T,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(event.pathParameters?.id);
  if (!result.success) throw new NotFoundError(what);
  return result.data;
}

export function queryParameters<T extends z.ZodMiniType>(
  event: APIGatewayProxyEventV2,
  schema: T,
): z.infer<T> {
  return parseWith(schema, event.queryStringParameters ?? {});
}
