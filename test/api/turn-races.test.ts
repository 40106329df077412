import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '#functions/storage/store.ts';
import { keys } from '#functions/storage/table.ts';
import { ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

/**
 * Found by `npm run bench` (issue 21's concurrency run: "stored exactly once: false"): the same turn sent
 * twice at once, both having read the conversation before either wrote. When that turn's answer is the
 * first typed text, the winner creates the conversation's data key; the loser then compared the stored
 * (sealed) answer using the conversation as it had read it, without that key, and refused its own retry as
 * `event_id_reused`. Kept as a fixed test.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack();
});

/** Holds every turn's write until `count` conversation reads have happened, so both sends read first. */
function readBeforeEitherWrites(store: Store, count: number): Store {
  let reads = 0;
  let release!: () => void;
  const allRead = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    ...store,
    getConversation: async (id) => {
      const conversation = await store.getConversation(id);
      reads += 1;
      if (reads === count) release();
      return conversation;
    },
    commitTurn: async (turn) => {
      await allRead;
      return store.commitTurn(turn);
    },
  };
}

describe('the same turn sent twice at once', () => {
  it('the first typed answer (which creates the data key): both sends get its reply, and it is stored once', async () => {
    const driver = await ScreeningDriver.start(stack, 'en', 'CASE-RACE-1');
    for (let i = 0; i < 8; i += 1) await driver.send({ answer: 'not_present' });
    await driver.send({ answer: 'identified' });
    expect(driver.promptId).toBe('override_reason');

    const real = stack.deps.services.store;
    stack.deps.services.store = readBeforeEitherWrites(real, 2);
    const body = {
      eventId: randomUUID(),
      expectedVersion: driver.version,
      event: { type: 'answer.given', promptId: 'override_reason', value: 'Disclosed at intake' },
    };
    let replies: Awaited<ReturnType<TestStack['call']>>[];
    try {
      replies = await Promise.all([
        stack.call('postTurn', { id: driver.id, body }),
        stack.call('postTurn', { id: driver.id, body }),
      ]);
    } finally {
      stack.deps.services.store = real;
    }
    expect(replies.map((reply) => reply.status)).toEqual([200, 200]);
    expect(replies.map((reply) => reply.body.replayed).sort()).toEqual([false, true]);
    expect(replies[0]!.body.prompt).toEqual(replies[1]!.body.prompt);

    const stored = await stack.doc.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
        ExpressionAttributeValues: { ':pk': keys.conversation(driver.id).pk, ':events': keys.eventPrefix },
        ConsistentRead: true,
      }),
    );
    expect(stored.Items?.filter((item) => item.eventId === body.eventId)).toHaveLength(1);
    expect(stored.Items).toHaveLength(driver.version + 1);
  });
});
