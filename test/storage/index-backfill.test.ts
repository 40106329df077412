import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { sweepDueTasks } from '#functions/reminders/actions.ts';
import { backfillIndexes } from '#functions/storage/index-backfill.ts';
import { tableKeys } from '#functions/storage/table.ts';
import { runMigrateIndexes } from '../../scripts/migrate-indexes.ts';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';

/**
 * Issue 17: rows written before the inbox (GSI1 on notifications) and resume (GSI2 on unfinished
 * conversations) entries existed are made as the old code wrote them (the entries removed), then migrated.
 */

let stack: TestStack;
type Item = Record<string, unknown>;

beforeEach(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
});

async function items(): Promise<Item[]> {
  const page = await stack.doc.send(new ScanCommand({ TableName: stack.tableName, ConsistentRead: true }));
  return page.Items ?? [];
}

/** What the store wrote before issue 17: no inbox entry on a notification, no resume entry on a conversation. */
async function asBeforeIssue17() {
  for (const item of await items()) {
    const attribute = String(item.pk).startsWith('OUTBOX#')
      ? tableKeys.gsi1
      : item.sk === 'CONV' && item[tableKeys.gsi2.partitionKey] !== undefined
        ? tableKeys.gsi2
        : null;
    if (!attribute) continue;
    await stack.doc.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'REMOVE #pk, #sk',
        ExpressionAttributeNames: { '#pk': attribute.partitionKey, '#sk': attribute.sortKey },
      }),
    );
  }
}

describe('npm run migrate:indexes', () => {
  it('makes old notifications and unfinished conversations visible again, and a second run does nothing', async () => {
    const done = await ScreeningDriver.start(stack, 'en', 'CASE-OLD-1');
    await done.sendAll(
      fullScreening({ determination: 'identified', cws: 'yes', receivedAt: '2026-11-28T16:00:00Z' }),
    );
    const unfinished = await ScreeningDriver.start(stack, 'en', 'CASE-OLD-2');
    await unfinished.sendAll([{ answer: 'present' }]);
    await sweepDueTasks(stack.deps.services, new Date('2026-11-29T16:01:00Z'));
    const expectedNotifications = (await stack.call('listNotifications')).body.notifications;
    const expectedUnfinished = (await stack.call('listConversations', { query: { status: 'unfinished' } }))
      .body.conversations;
    expect(expectedNotifications.length).toBeGreaterThan(0);
    expect(expectedUnfinished.map((c: { id: string }) => c.id)).toEqual([unfinished.id]);

    await asBeforeIssue17();
    expect((await stack.call('listNotifications')).body.notifications).toEqual([]);
    expect(
      (await stack.call('listConversations', { query: { status: 'unfinished' } })).body.conversations,
    ).toEqual([]);

    const report = await backfillIndexes(stack.doc, stack.tableName);
    expect(report.conversationsIndexed).toBe(1);
    expect(report.notificationsIndexed).toBeGreaterThanOrEqual(expectedNotifications.length);
    expect((await stack.call('listNotifications')).body.notifications).toEqual(expectedNotifications);
    expect(
      (await stack.call('listConversations', { query: { status: 'unfinished' } })).body.conversations,
    ).toEqual(expectedUnfinished);

    // The entries are exactly what the store writes today: the next turn leaves them as they are, but newer.
    const before = await items();
    const again = await backfillIndexes(stack.doc, stack.tableName);
    expect(again).toMatchObject({ notificationsIndexed: 0, conversationsIndexed: 0, movedOn: 0 });
    expect(await items()).toEqual(before);
  });

  it('leaves a conversation that a newer turn already indexed as that turn wrote it', async () => {
    const conversation = await ScreeningDriver.start(stack, 'en', 'CASE-OLD-3');
    await asBeforeIssue17();
    // A turn lands with the new code and indexes the conversation itself; the backfill has nothing to add.
    await conversation.send({ answer: 'present' });
    const report = await backfillIndexes(stack.doc, stack.tableName);
    expect(report.conversationsIndexed).toBe(0);
    const listed = (await stack.call('listConversations', { query: { status: 'unfinished' } })).body
      .conversations;
    expect(listed).toEqual([expect.objectContaining({ id: conversation.id, version: 1 })]);
  });

  it('the command needs a table and a URL for an endpoint', async () => {
    const lines: string[] = [];
    const io = { stdout: (line: string) => lines.push(line), stderr: (line: string) => lines.push(line) };
    const saved = process.env.TABLE_NAME;
    delete process.env.TABLE_NAME;
    try {
      expect(await runMigrateIndexes([], io)).toBe(2);
      expect(await runMigrateIndexes(['--table', 't', '--endpoint', 'not a url'], io)).toBe(2);
      expect(await runMigrateIndexes(['--help'], io)).toBe(0);
    } finally {
      if (saved !== undefined) process.env.TABLE_NAME = saved;
    }
    expect(lines.join('\n')).toContain('A table is required');
  });
});
