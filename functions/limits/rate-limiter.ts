import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RateLimitedError } from '../http/errors.ts';
import { keys } from '../storage/table.ts';

/** Lets a user's request through, or throws RateLimitedError (429 with Retry-After). */
export interface RateLimiter {
  admit(userId: string): Promise<void>;
}

export interface RateLimit {
  /** Requests one user may make per window. */
  limit: number;
  windowSeconds: number;
}

/** A screener answers a question every few seconds; a script hammering the API is cut off within a minute. */
export const defaultRateLimit: RateLimit = { limit: 120, windowSeconds: 60 };

/**
 * A fixed-window counter per user, in the table: Lambda instances share nothing else, so a limit kept in
 * memory would multiply with every instance. One conditional update per request; the item expires by TTL.
 */
export function createDynamoRateLimiter(
  doc: DynamoDBDocumentClient,
  tableName: string,
  rate: RateLimit,
  clock: () => Date,
): RateLimiter {
  return {
    async admit(userId) {
      const nowSeconds = clock().getTime() / 1000;
      const window = Math.floor(nowSeconds / rate.windowSeconds);
      const windowEnds = (window + 1) * rate.windowSeconds;
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.rate(userId, window),
            UpdateExpression: 'ADD #hits :one SET #expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(#hits) OR #hits < :limit',
            ExpressionAttributeNames: { '#hits': 'hits', '#expiresAt': 'expiresAt' },
            ExpressionAttributeValues: { ':one': 1, ':limit': rate.limit, ':expiresAt': windowEnds + 60 },
          }),
        );
      } catch (error) {
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException')
          throw new RateLimitedError(Math.max(1, Math.ceil(windowEnds - nowSeconds)));
        throw error;
      }
    },
  };
}

/** For hosts that limit elsewhere (benchmarks measuring the handlers alone). */
export const noRateLimit: RateLimiter = { admit: () => Promise.resolve() };
