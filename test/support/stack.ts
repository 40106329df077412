import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { inject } from 'vitest';
import { createFlowCatalog } from '#flows/catalog.ts';
import { routeHandlers } from '#functions/api/route-handlers.ts';
import { type RouteName, routes } from '#functions/api/routes.ts';
import { createLocalKeyProvider } from '#functions/crypto/local-key-provider.ts';
import { createRandomMasterKey } from '#functions/crypto/local-master-key.ts';
import type { Services } from '#functions/domain/services.ts';
import { type HandlerDeps, lambdaHandler } from '#functions/http/handler.ts';
import { defaultReminderPolicies } from '#functions/reminders/policy.ts';
import { createDocumentClient } from '#functions/storage/client.ts';
import { createDynamoStore } from '#functions/storage/store.ts';
import { apiGatewayEvent } from '../../scripts/api-gateway-event.ts';
import { ensureTable } from '../../scripts/create-table.ts';

export interface TestStack {
  tableName: string;
  deps: HandlerDeps;
  clock: { now: Date; set(iso: string): void; advance(ms: number): void };
  doc: ReturnType<typeof createDocumentClient>;
  call(route: RouteName, request?: ApiRequest): Promise<ApiResult>;
}

export interface ApiRequest {
  id?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  user?: { sub: string; org: string } | null;
}

export interface ApiResult {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response JSON freely and assert on it
  body: any;
  headers: Record<string, string>;
}

export const demoUser = { sub: 'caseworker-1', org: 'county-a' };

/** A fresh table on the run's DynamoDB Local, and handlers wired to it with a controllable clock. */
export async function createTestStack(
  options: {
    startAt?: string;
    observeCapacity?: (operation: string, capacity: ConsumedCapacity[]) => void;
  } = {},
): Promise<TestStack> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `test-${randomUUID()}`;
  await ensureTable(endpoint, tableName);
  const doc = createDocumentClient({ endpoint });
  const clock = {
    now: new Date(options.startAt ?? '2026-11-28T17:00:00.000Z'),
    set(iso: string) {
      clock.now = new Date(iso);
    },
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const services: Services = {
    store: createDynamoStore(doc, tableName, options.observeCapacity),
    catalog: createFlowCatalog(),
    clock: () => clock.now,
    reminders: defaultReminderPolicies,
    newId: randomUUID,
    keys: createLocalKeyProvider(createRandomMasterKey()),
  };
  const deps: HandlerDeps = { services, logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }) };
  const handlers = Object.fromEntries(
    routes.map((spec) => [spec.name, lambdaHandler(spec.name, routeHandlers[spec.name], () => deps)]),
  ) as Record<RouteName, (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>>;

  return {
    tableName,
    deps,
    clock,
    doc,
    async call(route, request = {}) {
      const event = apiEvent(route, request);
      const result = await handlers[route](event);
      return {
        status: result.statusCode ?? 200,
        body:
          result.body && /json/.test(String(result.headers?.['content-type'] ?? ''))
            ? JSON.parse(result.body)
            : result.body,
        headers: (result.headers ?? {}) as Record<string, string>,
      };
    },
  };
}

/** Builds the API Gateway HTTP API (payload v2) event Lambda receives for a route. */
export function apiEvent(route: RouteName, request: ApiRequest = {}): APIGatewayProxyEventV2 {
  const body = request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  return apiGatewayEvent({
    route: routes.find((candidate) => candidate.name === route)!,
    ...(request.id === undefined ? {} : { id: request.id }),
    headers: { 'content-type': 'application/json', ...(request.headers ?? {}) },
    ...(request.query ? { query: request.query } : {}),
    ...(body === undefined ? {} : { body }),
    caller: request.user === undefined ? demoUser : request.user,
  });
}
