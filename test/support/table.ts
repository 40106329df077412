import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { keyPrefixes } from '#functions/storage/table.ts';
import type { TestStack } from './stack.ts';

/**
 * Every item in the test table, sorted, for "nothing was written" assertions. The per-user rate-limit
 * counters are left out: counting a request is the one write every request makes, refused or not.
 */
export async function tableContents(stack: TestStack): Promise<string[]> {
  const items: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await stack.doc.send(
      new ScanCommand({ TableName: stack.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) {
      if (String(item.pk).startsWith(keyPrefixes.rate)) continue;
      items.push(JSON.stringify(item, Object.keys(item).sort()));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort();
}
