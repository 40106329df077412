import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, tableKeys } from '#functions/storage/table.ts';

/**
 * Creates the project's one table (idempotent), exactly as the CDK stack defines it. `timeToLive: false` is
 * for tests only: their clocks stand at fixed past dates while DynamoDB Local expires items by the real
 * clock, so a conversation "abandoned" by the test's calendar would vanish mid-test.
 */
export async function ensureTable(
  endpoint: string,
  tableName: string,
  options: { timeToLive?: boolean } = {},
): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    if (options.timeToLive !== false) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: tableKeys.timeToLive, Enabled: true },
        }),
      );
    }
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await client.send(new DescribeTableCommand({ TableName: tableName }));
  client.destroy();
}
