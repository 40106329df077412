import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConversationRecord, OutboxRecord } from './records.ts';
import { inboxOfNotification } from './store.ts';
import { keys, tableKeys } from './table.ts';

export interface IndexBackfillReport {
  scanned: number;
  notificationsIndexed: number;
  conversationsIndexed: number;
  /** Items a live write changed between the scan and the update: that write indexed them itself. */
  movedOn: number;
}

type Item = Record<string, unknown>;

/**
 * Issue 17: notifications and unfinished conversations written before the inbox (GSI1) and resume (GSI2)
 * entries existed would be invisible to `GET /notifications` and to every channel's resume list. This adds
 * the entries the store now writes, and nothing else. Each update is conditional on the item being as it was
 * scanned, so it never overwrites a newer turn; run it again and it finds nothing to do.
 */
export async function backfillIndexes(
  doc: DynamoDBDocumentClient,
  tableName: string,
): Promise<IndexBackfillReport> {
  const report: IndexBackfillReport = {
    scanned: 0,
    notificationsIndexed: 0,
    conversationsIndexed: 0,
    movedOn: 0,
  };
  let startKey: Item | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    for (const item of page.Items ?? []) {
      report.scanned += 1;
      const done = await backfillItem(doc, tableName, item);
      if (done === 'notification') report.notificationsIndexed += 1;
      if (done === 'conversation') report.conversationsIndexed += 1;
      if (done === 'moved-on') report.movedOn += 1;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return report;
}

async function backfillItem(
  doc: DynamoDBDocumentClient,
  tableName: string,
  item: Item,
): Promise<'notification' | 'conversation' | 'moved-on' | null> {
  const { gsi1, gsi2 } = tableKeys;
  const key = { pk: item.pk, sk: item.sk };
  if (String(item.pk).startsWith('OUTBOX#') && item[gsi1.partitionKey] === undefined) {
    const parsed = OutboxRecord.safeParse(item);
    if (!parsed.success) return null;
    const notification = parsed.data;
    return updateOrMovedOn(doc, 'notification', {
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET #pk = :pk, #sk = :sk',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': gsi1.partitionKey, '#sk': gsi1.sortKey },
      ExpressionAttributeValues: {
        ':pk': keys.inboxOf(notification.org, inboxOfNotification(notification)),
        ':sk': keys.inboxOrder(notification.createdAt, notification.taskId, notification.actionId),
      },
    });
  }
  if (item.sk === 'CONV' && item.status !== 'completed' && item[gsi2.partitionKey] === undefined) {
    const parsed = ConversationRecord.safeParse(item);
    if (!parsed.success) return null;
    const conversation = parsed.data;
    return updateOrMovedOn(doc, 'conversation', {
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET #pk = :pk, #sk = :sk',
      // The sort key carries updatedAt: only the version scanned may be indexed with it.
      ConditionExpression: '#version = :version AND attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': gsi2.partitionKey, '#sk': gsi2.sortKey, '#version': 'version' },
      ExpressionAttributeValues: {
        ':pk': keys.unfinishedOf(conversation.org, conversation.owner),
        ':sk': keys.unfinishedOrder(conversation.updatedAt, conversation.id),
        ':version': conversation.version,
      },
    });
  }
  return null;
}

async function updateOrMovedOn<T extends 'notification' | 'conversation'>(
  doc: DynamoDBDocumentClient,
  what: T,
  update: ConstructorParameters<typeof UpdateCommand>[0],
): Promise<T | 'moved-on'> {
  try {
    await doc.send(new UpdateCommand(update));
    return what;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'moved-on';
    throw error;
  }
}
