import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { createFlowCatalog } from '#flows/catalog.ts';
import { postTurnRoute } from '#functions/api/post-turn.ts';
import { routes } from '#functions/api/routes.ts';
import { withKeys } from '#functions/audit/chain-key.ts';
import { createLocalKeyProvider } from '#functions/crypto/local-key-provider.ts';
import { createRandomMasterKey } from '#functions/crypto/local-master-key.ts';
import { createConversation } from '#functions/domain/conversations.ts';
import type { Principal } from '#functions/domain/principal.ts';
import type { Services } from '#functions/domain/services.ts';
import { type HandlerDeps, lambdaHandler } from '#functions/http/handler.ts';
import { createDynamoRateLimiter } from '#functions/limits/rate-limiter.ts';
import { defaultReminderPolicies } from '#functions/reminders/policy.ts';
import { createDocumentClient } from '#functions/storage/client.ts';
import { createDynamoStore } from '#functions/storage/store.ts';
import { apiGatewayEvent } from '../api-gateway-event.ts';
import { ensureTable } from '../create-table.ts';
import { idTokenFor, startDevIdentityProvider, verifierFor } from '../dev-identity.ts';

export const caller: Principal = {
  userId: 'bench-caseworker',
  org: 'bench-county',
  unit: 'unit-1',
  roles: ['caseworker'],
};
const turnRoute = routes.find((route) => route.name === 'postTurn')!;

export interface CapacityLog {
  operation: string;
  capacity: ConsumedCapacity[];
}

/** Handlers wired to a fresh table on DynamoDB Local, exactly as a Lambda would run them. */
export async function createHarness(endpoint: string) {
  const tableName = `bench-${randomUUID()}`;
  await ensureTable(endpoint, tableName);
  const doc = createDocumentClient({ endpoint });
  const capacity: CapacityLog[] = [];
  const services: Services = {
    store: createDynamoStore(doc, tableName, (operation, consumed) =>
      capacity.push({ operation, capacity: consumed }),
    ),
    catalog: createFlowCatalog(),
    clock: () => new Date(),
    reminders: defaultReminderPolicies,
    newId: randomUUID,
    ...withKeys(createLocalKeyProvider(createRandomMasterKey())),
    retention: { abandonedAfterDays: 30 },
  };
  // As deployed: every turn verifies a real token and passes the per-user rate limiter (set high enough
  // never to refuse the benchmark's one user), and logs at INFO, since formatting a line is part of the cost.
  const idp = await startDevIdentityProvider({ audience: 'screening-bench' });
  const token = await idTokenFor(idp, { sub: caller.userId, ...caller });
  const deps: HandlerDeps = {
    services,
    logger: new Logger({ serviceName: 'bench', logLevel: 'INFO' }),
    authenticator: verifierFor(idp),
    rateLimiter: createDynamoRateLimiter(
      doc,
      tableName,
      { limit: 1_000_000_000, windowSeconds: 60 },
      () => new Date(),
    ),
  };
  const postTurn = lambdaHandler('postTurn', postTurnRoute, () => deps);

  return {
    tableName,
    doc,
    capacity,
    async newConversation(): Promise<{ id: string; promptId: string }> {
      const reply = await createConversation(services, caller, {
        flow: 'cse-screening',
        locale: 'en',
        subjectRef: `BENCH-${randomUUID().slice(0, 8)}`,
      });
      return { id: reply.conversation.id, promptId: reply.prompt!.id };
    },
    turnEvent(id: string, body: unknown) {
      return apiGatewayEvent({
        route: turnRoute,
        id,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    },
    postTurn,
    close: () => idp.close(),
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;

/**
 * A whole screening, 14 turns: the exchange indicator present, the rest not, an override with its reason,
 * child welfare services, an open § 602 matter, two services needed, and when the information came in.
 */
export function screeningValues(): Array<string | string[]> {
  return [
    'present',
    ...Array<string>(7).fill('not_present'),
    'at_risk',
    'Disclosed to the shelter worker at intake',
    'yes',
    'no',
    ['specialized_counseling', 'emergency_housing'],
    new Date(Date.now() - 3_600_000).toISOString(),
  ];
}

/** Lambda writes logs to a pipe; in the benchmark they are formatted in full and then dropped, not printed. */
export async function withoutStdout<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await work();
  } finally {
    process.stdout.write = write;
  }
}
