import type { DynamoDBStreamEvent } from 'aws-lambda';
import { handler as armReminders } from './arm-reminders.ts';
import { handler as purgeExpired } from './purge-expired.ts';

type StreamJob = (event: DynamoDBStreamEvent) => Promise<Record<string, number>>;

/**
 * Issue 9: the table's stream has one reader for both stream jobs (arming a new task's reminders, purging what
 * TTL leaves of an abandoned conversation), because AWS advises at most two readers per stream shard and the
 * Teams delivery job is the other. Each job takes only the records it is for and ignores the rest.
 */
export function makeStreamJobsHandler(jobs: { arm: StreamJob; purge: StreamJob }) {
  return async (event: DynamoDBStreamEvent) => {
    const armed = await jobs.arm(event);
    const purged = await jobs.purge(event);
    return { ...armed, ...purged };
  };
}

export const handler = makeStreamJobsHandler({ arm: armReminders, purge: purgeExpired });
