import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * One table for everything. Keys are typed strings (`CONV#<id>`, `EVT#<eventId>`, `TASK#<id>`). GSI1 lists
 * an organisation's tasks by status and due time (their lists, the supervisors' board) and its activity by
 * time; GSI2 holds only open tasks with a reminder or escalation still to come, by when it is due, so the
 * sweeper reads exactly what it must act on. Notifications sit in GSI1 by recipient, and unfinished
 * conversations in GSI2 by owner (issue 17): both sparse, in partitions no other query reads. CDK and the local stack build the table from these constants.
 */
export const tableKeys = {
  partitionKey: 'pk',
  sortKey: 'sk',
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  gsi2: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  timeToLive: 'expiresAt',
} as const;

/** Due actions spread over a few partitions so no single index key gets hot; the sweeper reads them all. */
export const DUE_SHARDS = 4;

function shardOf(id: string): number {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % DUE_SHARDS;
}

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
  activityOfOrg: (org: string) => `ORG#${org}#ACTIVITY`,
  dueShard: (shard: number) => `DUE#${shard}`,
  dueShardOf: (taskId: string) => `DUE#${shardOf(taskId)}`,
  dueOrder: (at: string, taskId: string) => `${at}#${taskId}`,
  outbox: (org: string, taskId: string, actionId: string) => ({
    pk: `OUTBOX#${org}`,
    sk: `${taskId}#${actionId}`,
  }),
  outboxOfOrg: (org: string) => `OUTBOX#${org}`,
  /**
   * Issue 17: GSI1 on notifications: one partition per recipient (a user, a unit's queue, a unit's
   * supervisors), newest last, so a user's reminders are read directly and none drops out of a capped read.
   */
  inboxOf: (org: string, recipient: string) => `ORG#${org}#INBOX#${recipient}`,
  inboxOrder: (createdAt: string, taskId: string, actionId: string) => `${createdAt}#${taskId}#${actionId}`,
  /**
   * Issue 17: GSI2 on a conversation that is not completed (a sparse entry, dropped on completion): a user's
   * unfinished conversations, whichever channel started them, most recently touched last.
   */
  unfinishedOf: (org: string, owner: string) => `ORG#${org}#UNFINISHED#${owner}`,
  unfinishedOrder: (updatedAt: string, id: string) => `${updatedAt}#${id}`,
  /** GSI1 on conversation items: everything about one subject, for records requests and erasure. */
  conversationsOfSubject: (org: string, subjectRef: string) => `ORG#${org}#SUBJECT#${subjectRef}`,
  conversationOrder: (createdAt: string, id: string) => `CONV#${createdAt}#${id}`,
  /** Reads sit in their own partition so a read-only function can record them without touching the case. */
  reads: (conversationId: string) => `READS#CONV#${conversationId}`,
  read: (conversationId: string, at: string, requestId: string) => ({
    pk: `READS#CONV#${conversationId}`,
    sk: `${at}#${requestId}`,
  }),
  erasure: (org: string, at: string, id: string) => ({ pk: `ERASURES#${org}`, sk: `${at}#${id}` }),
  erasuresOfOrg: (org: string) => `ERASURES#${org}`,
  /** Issue 16, finding 4: records requests (export, erasure) and their approvals; no erasure deletes them. */
  recordsRequest: (org: string, id: string) => ({ pk: `RECORDSREQ#${org}`, sk: `REQ#${id}` }),
  recordsRequestsOfOrg: (org: string) => `RECORDSREQ#${org}`,
  /** R-ROUTE-1: an organisation's kind, routing and training requirements, as its administrator set them. */
  orgProfile: (org: string) => ({ pk: `ORG#${org}`, sk: 'PROFILE' }),
  /** R-HANDOFF-1: a partner's concern as the county received it; GSI1 lists a county's by receipt. */
  handoff: (id: string) => ({ pk: `HANDOFF#${id}`, sk: 'HANDOFF' }),
  handoffsOfOrg: (org: string) => `ORG#${org}#HANDOFFS`,
  /** R-TRAIN-1: one user's trainings, one item each. */
  trainingOf: (org: string, userId: string) => `TRAINING#${org}#${userId}`,
  training: (org: string, userId: string, type: string, completedOn: string) => ({
    pk: `TRAINING#${org}#${userId}`,
    sk: `${type}#${completedOn}`,
  }),
  /** Issue 18: a tablet enrolled for the server half of its key, with its attempt counter. */
  device: (org: string, deviceId: string) => ({ pk: `DEVICE#${org}#${deviceId}`, sk: 'DEVICE' }),
  /** A per-user request counter for one rate-limit window; TTL removes it after the window. */
  rate: (userId: string, window: number) => ({ pk: `RATE#${userId}`, sk: `W#${window}` }),
};

/** Issue 17: the inbox a notification lands in: a user's own, a unit's queue, or a unit's supervisors. */
export const inboxRecipient = {
  user: (userId: string) => `USER#${userId}`,
  queue: (unit: string) => `QUEUE#${unit}`,
  supervisors: (unit: string) => `SUP#${unit}`,
};

/**
 * Partition-key prefixes per purpose, for IAM `dynamodb:LeadingKeys` conditions: a function that only
 * reads cases may still write its audit and rate-limit items, and nothing else.
 */
export const keyPrefixes = { reads: 'READS#', rate: 'RATE#' } as const;

export function createTableInput(tableName: string): CreateTableCommandInput {
  const { partitionKey, sortKey, gsi1, gsi2 } = tableKeys;
  const index = (spec: typeof gsi1 | typeof gsi2) => ({
    IndexName: spec.name,
    KeySchema: [
      { AttributeName: spec.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: spec.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      partitionKey,
      sortKey,
      gsi1.partitionKey,
      gsi1.sortKey,
      gsi2.partitionKey,
      gsi2.sortKey,
    ].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [index(gsi1), index(gsi2)],
    // As deployed: the stream feeds the reminder and purge jobs, and holds every item image for 24 hours.
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
  };
}
