import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ScheduledEvent } from 'aws-lambda';
import { type AnchorStore, writeAnchor } from '../audit/anchors.ts';
import { s3AnchorStore } from '../audit/s3-anchor-store.ts';
import type { KeyProvider } from '../crypto/key-provider.ts';
import { lazyKmsKeys, once, tableFromEnvironment } from '../deps/tasks.ts';

export interface AnchorDeps {
  doc: DynamoDBDocumentClient;
  tableName: string;
  store: AnchorStore;
  keys: Pick<KeyProvider, 'mac'>;
  clock: () => Date;
  logger: Logger;
}

/**
 * Issue 16: every quarter of an hour, the chain heads that changed are anchored outside the table (S3 with
 * Object Lock). Its own function, with read-only access to the table and write-once access to the bucket:
 * nothing that can write the table can write an anchor, and the anchor job cannot change the table.
 */
export function makeAnchorHandler(deps: () => AnchorDeps) {
  return async (_event?: ScheduledEvent) => {
    const { logger, clock, ...rest } = deps();
    const result = await writeAnchor({ ...rest, now: clock });
    logger.info('chain heads anchored', result);
    return result;
  };
}

export const handler = makeAnchorHandler(
  once(() => {
    const env = process.env;
    const bucket = env.ANCHOR_BUCKET;
    if (!bucket) throw new Error('ANCHOR_BUCKET is not set');
    return {
      ...tableFromEnvironment(env),
      store: s3AnchorStore(new S3Client({}), bucket),
      keys: lazyKmsKeys(env),
      clock: () => new Date(),
      logger: new Logger({ serviceName: 'screening-anchor' }),
    };
  }),
);
