import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoConfig {
  region?: string;
  /** Set for DynamoDB Local; unset in AWS. */
  endpoint?: string;
}

export function createDocumentClient(config: DynamoConfig = {}): DynamoDBDocumentClient {
  const local = config.endpoint !== undefined;
  const client = new DynamoDBClient({
    region: config.region ?? 'us-west-2',
    ...(local
      ? { endpoint: config.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 3,
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
