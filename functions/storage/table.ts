import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * One table for everything. Keys are typed strings (`CONV#<id>`, `EVT#<eventId>`, `TASK#<id>`); the one
 * index (GSI1) lists an organisation's tasks by status and due time, serving "my tasks" and the sweeper.
 * CDK and the local stack both build the table from these constants, so they cannot drift apart.
 */
export const tableKeys = {
  partitionKey: 'pk',
  sortKey: 'sk',
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  timeToLive: 'expiresAt',
} as const;

export const keys = {
  conversation: (id: string) => ({ pk: `CONV#${id}`, sk: 'CONV' }),
  event: (conversationId: string, eventId: string) => ({
    pk: `CONV#${conversationId}`,
    sk: `EVT#${eventId}`,
  }),
  eventPrefix: 'EVT#',
  outcome: (conversationId: string) => ({ pk: `CONV#${conversationId}`, sk: 'OUTCOME' }),
  task: (id: string) => ({ pk: `TASK#${id}`, sk: 'TASK' }),
  tasksOfOrg: (org: string) => `ORG#${org}#TASKS`,
  taskOrder: (status: string, dueAt: string, taskId: string) => `${status}#${dueAt}#${taskId}`,
};

export function createTableInput(tableName: string): CreateTableCommandInput {
  const { partitionKey, sortKey, gsi1 } = tableKeys;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [partitionKey, sortKey, gsi1.partitionKey, gsi1.sortKey].map((name) => ({
      AttributeName: name,
      AttributeType: 'S',
    })),
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: gsi1.name,
        KeySchema: [
          { AttributeName: gsi1.partitionKey, KeyType: 'HASH' },
          { AttributeName: gsi1.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}
