import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { RouteSpec } from '#functions/api/routes.ts';

export interface EventInput {
  route: Pick<RouteSpec, 'method' | 'path'>;
  id?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  sourceIp?: string;
}

/** The API Gateway HTTP API (payload v2) event Lambda receives, for the dev server, tests and benchmarks. */
export function apiGatewayEvent(input: EventInput): APIGatewayProxyEventV2 {
  const { route } = input;
  const routeKey = `${route.method} ${route.path}`;
  const rawPath = route.path.replace('{id}', encodeURIComponent(input.id ?? ''));
  const headers = Object.fromEntries(
    Object.entries(input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const now = new Date();
  const event = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(input.query ?? {}).toString(),
    headers,
    ...(input.query && Object.keys(input.query).length > 0 ? { queryStringParameters: input.query } : {}),
    ...(input.id === undefined ? {} : { pathParameters: { id: input.id } }),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: route.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: input.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(input.body === undefined ? {} : { body: input.body }),
    isBase64Encoded: input.isBase64Encoded ?? false,
  };
  return event as APIGatewayProxyEventV2;
}
