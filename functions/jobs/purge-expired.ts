import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { jobDepsFromEnvironment, once } from '../deps/tasks.ts';
import type { Store } from '../storage/store.ts';
import { keys } from '../storage/table.ts';

export interface PurgeDeps {
  store: Store;
  logger: Logger;
}

const CONVERSATION_KEY = /^CONV#([0-9a-f-]{36})$/;

/**
 * DynamoDB's TTL removes an abandoned conversation's own item; this removes the rest of it (its events
 * and the record of who read it), so nothing about a conversation nobody finished outlives it. Only
 * removals made by the TTL service count: an erasure deletes everything itself.
 */
export function makePurgeExpiredHandler(deps: () => PurgeDeps) {
  return async (event: DynamoDBStreamEvent) => {
    const { store, logger } = deps();
    let purged = 0;
    for (const record of event.Records) {
      const byTtl =
        record.eventName === 'REMOVE' &&
        record.userIdentity?.type === 'Service' &&
        record.userIdentity?.principalId === 'dynamodb.amazonaws.com';
      const pk = record.dynamodb?.Keys?.pk?.S;
      const sk = record.dynamodb?.Keys?.sk?.S;
      const id = pk ? CONVERSATION_KEY.exec(pk)?.[1] : undefined;
      if (!byTtl || sk !== 'CONV' || !id) continue;
      const rest = [
        ...(await store.listPartitionKeys(keys.conversation(id).pk)),
        ...(await store.listPartitionKeys(keys.reads(id))),
      ];
      await store.deleteItems(rest);
      purged += rest.length;
    }
    logger.info('expired conversations purged', { items: purged });
    return { purged };
  };
}

export const handler = makePurgeExpiredHandler(
  once(() => {
    const { services, logger } = jobDepsFromEnvironment();
    return { store: services.store, logger };
  }),
);
