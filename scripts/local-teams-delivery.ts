import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';

/**
 * The delivery job's filter in AWS (infra/service-stack.ts): new notifications only. It matters here too:
 * the stream client reads an empty map attribute as no value at all, which `unmarshall` refuses, and only
 * notifications are read whole.
 */
export const newNotifications = (record: StreamRecord): boolean =>
  record.eventName === 'INSERT' && record.dynamodb?.NewImage?.kind?.S === 'notification';

export interface LocalStreamPoller {
  /** Reads whatever the stream holds now and hands it on; resolves with how many records were handled. */
  pollNow(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Issue 19: in AWS the table's stream feeds the Teams delivery job (`deliver-to-teams.ts`); locally this
 * reads DynamoDB Local's stream of the same table the same way (new records only, from when it started)
 * and hands each batch to that job's handler, so a reminder the sweep writes reaches the local Teams client
 * proactively, as it would reach Teams.
 */
export async function startLocalStreamPoller(options: {
  endpoint: string;
  tableName: string;
  handle: (event: DynamoDBStreamEvent) => Promise<unknown>;
  /** Which records reach `handle`, as the event source mapping's filter decides in AWS. */
  filter: (record: StreamRecord) => boolean;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}): Promise<LocalStreamPoller> {
  const config = {
    endpoint: options.endpoint,
    region: 'us-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const tables = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  const { Table } = await tables.send(new DescribeTableCommand({ TableName: options.tableName }));
  tables.destroy();
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`The table ${options.tableName} has no stream.`);

  /** Open shards and where to read each next; a shard first seen after the start is read from its beginning. */
  const iterators = new Map<string, string | null>();
  const finished = new Set<string>();
  const iteratorFor = async (shardId: string, type: 'LATEST' | 'TRIM_HORIZON') =>
    (
      await streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type }),
      )
    ).ShardIterator ?? null;
  const discover = async (type: 'LATEST' | 'TRIM_HORIZON') => {
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of described.StreamDescription?.Shards ?? []) {
      const id = shard.ShardId;
      if (!id || iterators.has(id) || finished.has(id)) continue;
      iterators.set(id, await iteratorFor(id, type));
    }
  };
  await discover('LATEST');

  const toEvent = (records: StreamRecord[]): DynamoDBStreamEvent =>
    ({
      Records: records.map((record) => ({ ...record, eventSource: 'aws:dynamodb' })),
    }) as DynamoDBStreamEvent;

  let running: Promise<number> | undefined;
  const pollOnce = async (): Promise<number> => {
    await discover('TRIM_HORIZON');
    let handled = 0;
    for (const [shardId, iterator] of iterators) {
      let next = iterator;
      try {
        // Drain the shard up to now: a page of records, then the next, until a page comes back empty.
        while (next) {
          const page = await streams.send(new GetRecordsCommand({ ShardIterator: next, Limit: 1000 }));
          next = page.NextShardIterator ?? null;
          const records = page.Records ?? [];
          if (records.length === 0) break;
          // One record at a time: one that cannot be delivered (its contact's client gone, say) is reported
          // and left in the outbox, and holds up none of the others (AWS would retry the batch instead).
          for (const record of records.filter(options.filter)) {
            try {
              await options.handle(toEvent([record]));
              handled += 1;
            } catch (error) {
              options.onError?.(error);
            }
          }
        }
      } catch (error) {
        if (!(error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException))
          throw error;
        next = await iteratorFor(shardId, 'LATEST');
      }
      if (next) iterators.set(shardId, next);
      else {
        iterators.delete(shardId);
        finished.add(shardId);
      }
    }
    return handled;
  };
  const pollNow = () => {
    running ??= pollOnce().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    pollNow().catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs ?? 1000);
  return {
    pollNow,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
      streams.destroy();
    },
  };
}
