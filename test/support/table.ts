import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { TestStack } from './stack.ts';

/** Every item in the test table, sorted, for "nothing was written" assertions. */
export async function tableContents(stack: TestStack): Promise<string[]> {
  const items: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await stack.doc.send(
      new ScanCommand({ TableName: stack.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) items.push(JSON.stringify(item, Object.keys(item).sort()));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort();
}
