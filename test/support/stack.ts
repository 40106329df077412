import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { inject } from 'vitest';
import { createFlowCatalog } from '#flows/catalog.ts';
import { routeHandlers } from '#functions/api/route-handlers.ts';
import { type RouteName, routes } from '#functions/api/routes.ts';
import { withKeys } from '#functions/audit/chain-key.ts';
import { createLocalKeyProvider } from '#functions/crypto/local-key-provider.ts';
import { createRandomMasterKey } from '#functions/crypto/local-master-key.ts';
import type { Role } from '#functions/domain/principal.ts';
import type { Services } from '#functions/domain/services.ts';
import { type HandlerDeps, lambdaHandler } from '#functions/http/handler.ts';
import { createDynamoRateLimiter, type RateLimit } from '#functions/limits/rate-limiter.ts';
import { defaultReminderPolicies } from '#functions/reminders/policy.ts';
import { createDocumentClient } from '#functions/storage/client.ts';
import { createDynamoStore } from '#functions/storage/store.ts';
import { apiGatewayEvent } from '../../scripts/api-gateway-event.ts';
import { ensureTable } from '../../scripts/create-table.ts';
import {
  type DevIdentityProvider,
  idTokenFor,
  startDevIdentityProvider,
  verifierFor,
} from '../../scripts/dev-identity.ts';

export interface TestStack {
  tableName: string;
  deps: HandlerDeps;
  clock: { now: Date; set(iso: string): void; advance(ms: number): void };
  doc: ReturnType<typeof createDocumentClient>;
  call(route: RouteName, request?: ApiRequest): Promise<ApiResult>;
  /** A real ID token from the test identity provider for this user. */
  tokenFor(user: TestUser): Promise<string>;
  idp: DevIdentityProvider;
}

/** A signed-in user: org and roles as the identity provider asserts them. */
export interface TestUser {
  sub: string;
  org: string;
  unit?: string;
  roles?: Role[];
}

export interface ApiRequest {
  id?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  /** Who calls (a token is minted for them); null sends no Authorization header. Default: `demoUser`. */
  user?: TestUser | null;
  /** A raw Authorization header value, instead of a token for `user`. */
  authorization?: string;
}

export interface ApiResult {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response JSON freely and assert on it
  body: any;
  headers: Record<string, string>;
}

export const demoUser: TestUser = {
  sub: 'caseworker-1',
  org: 'county-a',
  unit: 'unit-1',
  roles: ['caseworker'],
};

let sharedIdp: Promise<DevIdentityProvider> | undefined;

/** One identity provider per test worker, on loopback: tokens are signed and checked for real. */
export function testIdentityProvider(): Promise<DevIdentityProvider> {
  sharedIdp ??= startDevIdentityProvider({ audience: 'screening-test' });
  return sharedIdp;
}

/** A fresh table on the run's DynamoDB Local, and handlers wired to it with a controllable clock. */
export async function createTestStack(
  options: {
    startAt?: string;
    observeCapacity?: (operation: string, capacity: ConsumedCapacity[]) => void;
    rateLimit?: RateLimit;
    /** The real clock instead of a controlled one, for browsers that stamp answers with their own time. */
    liveClock?: boolean;
  } = {},
): Promise<TestStack> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `test-${randomUUID()}`;
  // No TTL: the test clock stands in the past and DynamoDB Local would expire items by the real one.
  await ensureTable(endpoint, tableName, { timeToLive: false });
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
  const now = () => (options.liveClock ? new Date() : clock.now);
  const services: Services = {
    store: createDynamoStore(doc, tableName, options.observeCapacity),
    catalog: createFlowCatalog(),
    clock: now,
    reminders: defaultReminderPolicies,
    newId: randomUUID,
    ...withKeys(createLocalKeyProvider(createRandomMasterKey())),
    retention: { abandonedAfterDays: 30 },
  };
  const idp = await testIdentityProvider();
  const deps: HandlerDeps = {
    services,
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
    authenticator: verifierFor(idp),
    // The real limiter on the real table; generous unless a test is about the limit itself.
    rateLimiter: createDynamoRateLimiter(
      doc,
      tableName,
      options.rateLimit ?? { limit: 1_000_000, windowSeconds: 60 },
      now,
    ),
  };
  const tokens = new Map<string, Promise<string>>();
  const tokenFor = (user: TestUser) => {
    const account = {
      sub: user.sub,
      org: user.org,
      unit: user.unit ?? 'main',
      roles: user.roles ?? ['caseworker'],
    };
    const key = JSON.stringify(account);
    let token = tokens.get(key);
    if (!token) {
      token = idTokenFor(idp, account);
      tokens.set(key, token);
    }
    return token;
  };

  const handlers = Object.fromEntries(
    routes.map((spec) => [spec.name, lambdaHandler(spec.name, routeHandlers[spec.name], () => deps)]),
  ) as Record<RouteName, (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>>;

  return {
    tableName,
    deps,
    clock,
    doc,
    idp,
    tokenFor,
    async call(route, request = {}) {
      const user = request.user === undefined ? demoUser : request.user;
      const authorization =
        request.authorization ?? (user === null ? undefined : `Bearer ${await tokenFor(user)}`);
      const event = apiEvent(route, {
        ...request,
        headers: { ...(authorization === undefined ? {} : { authorization }), ...(request.headers ?? {}) },
      });
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
  });
}
