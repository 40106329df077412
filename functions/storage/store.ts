import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  DeviceConflictError,
  DuplicateEventError,
  ItemExistsError,
  RecordsRequestConflictError,
  StaleVersionError,
  TaskStatusConflictError,
} from './errors.ts';
import {
  ConversationRecord,
  DeviceRecord,
  ErasureRecord,
  EventRecord,
  HandoffRecord,
  OrgProfileRecord,
  OutboxRecord,
  OutcomeRecord,
  ReadRecord,
  RecordsRequestRecord,
  type RecordsRequestStatus,
  TaskRecord,
  type TaskStatus,
  TrainingRecord,
} from './records.ts';
import { inboxRecipient, keys, tableKeys } from './table.ts';

export interface TurnWrite {
  conversation: ConversationRecord;
  expectedVersion: number;
  event: EventRecord;
  outcome?: OutcomeRecord;
  tasks?: readonly TaskRecord[];
  /** Open tasks this outcome settles; each only if it is still open and still the same owner's. */
  closes?: readonly TaskRecord[];
  /** Issue 16: the owners of the tasks a return settles, told or asked to close them (create-only). */
  notifications?: readonly OutboxRecord[];
  /** R-HANDOFF-1: a partner's concern handed to the county (create-only); its county tasks are in `tasks`. */
  handoff?: HandoffRecord;
}

export interface TaskPage {
  tasks: TaskRecord[];
  cursor: Record<string, unknown> | undefined;
}

/** Which of an organisation's tasks a caller may list: those of these owners, their unit's, or (absent) all. */
export interface TaskScope {
  owners?: readonly string[];
  unit?: string;
}

export interface ItemKey {
  pk: string;
  sk: string;
}

export interface Store {
  createConversation(conversation: ConversationRecord): Promise<void>;
  getConversation(id: string): Promise<ConversationRecord | null>;
  getEvent(conversationId: string, eventId: string): Promise<EventRecord | null>;
  listEvents(conversationId: string): Promise<EventRecord[]>;
  getOutcome(conversationId: string): Promise<OutcomeRecord | null>;
  /** One TransactWriteItems: the event (create-only), the conversation (version-checked), outcome and tasks. */
  commitTurn(turn: TurnWrite): Promise<void>;
  getTask(id: string): Promise<TaskRecord | null>;
  listTasks(
    org: string,
    options: { status?: TaskStatus; limit: number; cursor?: Record<string, unknown>; scope?: TaskScope },
  ): Promise<TaskPage>;
  /** Replaces a task whose status is still `expectedStatus`, with its notifications (create-only) if any. */
  updateTask(
    task: TaskRecord,
    expectedStatus: TaskStatus,
    notifications?: readonly OutboxRecord[],
  ): Promise<void>;
  /** R-ROUTE-1: gives a queued task to its claimant, provided it is still open and still in `queueOwner`'s queue. */
  claimTask(task: TaskRecord, queueOwner: string): Promise<void>;
  /**
   * Issue 17: a task given to a new owner, with the notice to them (create-only), provided it is still open
   * and still `expectedOwner`'s.
   */
  reassignTask(
    task: TaskRecord,
    expectedOwner: string,
    notifications: readonly OutboxRecord[],
  ): Promise<void>;
  /** Open tasks of one due-index shard whose next reminder or escalation is due by `until`. */
  listDueTasks(shard: number, until: string, limit: number): Promise<TaskRecord[]>;
  /**
   * One transaction: the notifications (each create-only, so none is ever sent twice) and the task with
   * its actions marked done, provided it is still open and nobody took these actions first.
   */
  recordTaskActions(
    task: TaskRecord,
    expectedNextActionAt: string,
    notifications: readonly OutboxRecord[],
  ): Promise<void>;
  listOutbox(org: string, limit: number): Promise<OutboxRecord[]>;
  /** Issue 17: the newest notifications in one inbox (see `inboxRecipient`), newest first. */
  listInbox(org: string, recipient: string, limit: number): Promise<OutboxRecord[]>;
  /** Issue 17: one user's conversations not yet completed, most recently touched first. */
  listUnfinishedConversations(org: string, owner: string, limit: number): Promise<ConversationRecord[]>;
  /** Outcomes an organisation completed in [from, to), for activity reports. */
  listOutcomes(org: string, from: string, to: string): Promise<OutcomeRecord[]>;
  recordRead(read: ReadRecord): Promise<void>;
  listReads(conversationId: string): Promise<ReadRecord[]>;
  /** Every conversation about one subject reference in an organisation (records requests, erasure). */
  listConversationsOfSubject(org: string, subjectRef: string): Promise<ConversationRecord[]>;
  listOutboxOfTask(org: string, taskId: string): Promise<OutboxRecord[]>;
  /** The keys of every item in a partition (a conversation's events and outcome, its reads). */
  listPartitionKeys(pk: string): Promise<ItemKey[]>;
  /** Deletes items in batches, retrying what DynamoDB hands back unprocessed. */
  deleteItems(itemKeys: readonly ItemKey[]): Promise<void>;
  putErasure(erasure: ErasureRecord): Promise<void>;
  listErasures(org: string): Promise<ErasureRecord[]>;
  /** Issue 16, finding 4: opens a records request (create-only). */
  putRecordsRequest(request: RecordsRequestRecord): Promise<void>;
  getRecordsRequest(org: string, id: string): Promise<RecordsRequestRecord | null>;
  listRecordsRequests(org: string): Promise<RecordsRequestRecord[]>;
  /**
   * Moves a records request on (decided, executed) provided it is still `expectedStatus`, so two
   * administrators acting at once cannot both win; with it, in one transaction, the erasure record and the
   * notifications to the case owners (each create-only).
   */
  commitRecordsRequest(
    request: RecordsRequestRecord,
    expectedStatus: RecordsRequestStatus,
    with_?: { erasure?: ErasureRecord; notifications?: readonly OutboxRecord[] },
  ): Promise<void>;
  getOrgProfile(org: string): Promise<OrgProfileRecord | null>;
  /** Creates (`expectedVersion` 0) or replaces the profile at that version; another version is a conflict. */
  putOrgProfile(profile: OrgProfileRecord, expectedVersion: number): Promise<void>;
  getHandoff(id: string): Promise<HandoffRecord | null>;
  /** A county's received hand-offs, newest first. */
  listHandoffs(toOrg: string, limit: number): Promise<HandoffRecord[]>;
  /** Every hand-off a county received about one case reference (records requests, erasure). */
  listHandoffsOfCase(toOrg: string, caseRef: string): Promise<HandoffRecord[]>;
  /** Replaces a hand-off that is still `received`. */
  acknowledgeHandoff(handoff: HandoffRecord): Promise<void>;
  putTraining(training: TrainingRecord): Promise<void>;
  listTraining(org: string, userId: string): Promise<TrainingRecord[]>;
  getDevice(org: string, deviceId: string): Promise<DeviceRecord | null>;
  /**
   * Issue 18: enrols a tablet (a new record, or the same owner's again with a new half and a fresh counter);
   * a device id another user enrolled is a `DeviceConflictError`.
   */
  putDevice(device: DeviceRecord): Promise<void>;
  /**
   * Counts one PIN attempt before it is checked, atomically and only while the device takes attempts (fewer
   * than `maxAttempts` so far, no wait running at `now`), setting the wait that follows if it proves wrong.
   * Parallel guesses are each counted. Returns the record as charged; `DeviceConflictError` when refused.
   */
  chargeDeviceAttempt(
    device: DeviceRecord,
    charge: { now: string; maxAttempts: number; waitUntil: string | undefined },
  ): Promise<DeviceRecord>;
  /** After a right PIN: the counter back to zero, provided nothing was charged since (else it stays). */
  clearDeviceAttempts(device: DeviceRecord): Promise<void>;
}

/** The methods that write (the fuzz tests watch them: a refused request never calls one). */
export const STORE_WRITES = [
  'createConversation',
  'commitTurn',
  'updateTask',
  'claimTask',
  'reassignTask',
  'recordTaskActions',
  'recordRead',
  'deleteItems',
  'putErasure',
  'putRecordsRequest',
  'commitRecordsRequest',
  'putOrgProfile',
  'acknowledgeHandoff',
  'putTraining',
  'putDevice',
  'chargeDeviceAttempt',
  'clearDeviceAttempts',
] as const satisfies readonly (keyof Store)[];

/**
 * A store every call of which (read or write) first waits for `gate`; if the gate rejects, the table is not
 * touched and the error surfaces. Issue 18: a request the rate limiter refuses must not have read anything
 * (an export refused with 429 had already run its twelve reads); the route may parse and validate meanwhile.
 */
export function gateStore(store: Store, gate: Promise<void>): Store {
  const gated = { ...store } as unknown as Record<string, unknown>;
  for (const [name, method] of Object.entries(store)) {
    if (typeof method !== 'function') continue;
    gated[name] = async (...args: unknown[]) => {
      await gate;
      return (method as (...args: unknown[]) => Promise<unknown>).apply(store, args);
    };
  }
  return gated as unknown as Store;
}

type QueryInput = Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName' | 'ExclusiveStartKey'>;

/** Every item a query matches, page after page: for reads that must see all of a partition or index key. */
export async function queryEveryPage(
  doc: DynamoDBDocumentClient,
  input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'ExclusiveStartKey'>,
  onPage?: (capacity: ConsumedCapacity | undefined) => void,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    onPage?.(page.ConsumedCapacity);
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export type CapacityObserver = (operation: string, capacity: ConsumedCapacity[]) => void;

function conditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

function taskItem(task: TaskRecord) {
  // Only an open task with something left to chase sits in the due-action index (GSI2).
  const chased = task.status === 'open' && task.nextActionAt !== undefined;
  return {
    ...keys.task(task.id),
    [tableKeys.gsi1.partitionKey]: keys.tasksOfOrg(task.org),
    [tableKeys.gsi1.sortKey]: keys.taskOrder(task.status, task.dueAt, task.id),
    ...(chased
      ? {
          [tableKeys.gsi2.partitionKey]: keys.dueShardOf(task.id),
          [tableKeys.gsi2.sortKey]: keys.dueOrder(task.nextActionAt!, task.id),
        }
      : {}),
    ...task,
  };
}

function handoffItem(handoff: HandoffRecord) {
  return {
    ...keys.handoff(handoff.id),
    [tableKeys.gsi1.partitionKey]: keys.handoffsOfOrg(handoff.toOrg),
    [tableKeys.gsi1.sortKey]: `${handoff.receivedAt}#${handoff.id}`,
    ...handoff,
  };
}

/** Issue 17: whose inbox a notification is in (GSI1), as `recipient` says (R-ROUTE-1). */
export function inboxOfNotification(notification: OutboxRecord): string {
  const { recipient, unit } = notification;
  if (recipient.userId !== undefined) return inboxRecipient.user(recipient.userId);
  if (recipient.queue) return inboxRecipient.queue(unit);
  return inboxRecipient.supervisors(unit);
}

/** The stored item of a notification: the org's outbox (by task) and the recipient's inbox (GSI1). */
export function outboxItem(notification: OutboxRecord) {
  return {
    ...keys.outbox(notification.org, notification.taskId, notification.actionId),
    [tableKeys.gsi1.partitionKey]: keys.inboxOf(notification.org, inboxOfNotification(notification)),
    [tableKeys.gsi1.sortKey]: keys.inboxOrder(
      notification.createdAt,
      notification.taskId,
      notification.actionId,
    ),
    ...notification,
  };
}

function conversationItem(conversation: ConversationRecord) {
  // Issue 17: only an unfinished conversation sits in its owner's resume index; completing it drops it.
  const unfinished = conversation.status !== 'completed';
  return {
    ...keys.conversation(conversation.id),
    [tableKeys.gsi1.partitionKey]: keys.conversationsOfSubject(conversation.org, conversation.subjectRef),
    [tableKeys.gsi1.sortKey]: keys.conversationOrder(conversation.createdAt, conversation.id),
    ...(unfinished
      ? {
          [tableKeys.gsi2.partitionKey]: keys.unfinishedOf(conversation.org, conversation.owner),
          [tableKeys.gsi2.sortKey]: keys.unfinishedOrder(conversation.updatedAt, conversation.id),
        }
      : {}),
    ...conversation,
  };
}

export function createDynamoStore(
  doc: DynamoDBDocumentClient,
  tableName: string,
  observeCapacity?: CapacityObserver,
): Store {
  const capacityOption = observeCapacity ? { ReturnConsumedCapacity: 'INDEXES' as const } : {};
  const observe = (operation: string, capacity: ConsumedCapacity | ConsumedCapacity[] | undefined) => {
    if (observeCapacity && capacity)
      observeCapacity(operation, Array.isArray(capacity) ? capacity : [capacity]);
  };

  async function getItem(key: { pk: string; sk: string }, operation: string) {
    const result = await doc.send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true, ...capacityOption }),
    );
    observe(operation, result.ConsumedCapacity);
    return result.Item;
  }

  const queryAll = (input: QueryInput) =>
    queryEveryPage(doc, { TableName: tableName, ...input, ...capacityOption }, (capacity) =>
      observe('query', capacity),
    );

  return {
    async createConversation(conversation) {
      try {
        const result = await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: conversationItem(conversation),
            ConditionExpression: 'attribute_not_exists(pk)',
            ...capacityOption,
          }),
        );
        observe('createConversation', result.ConsumedCapacity);
      } catch (error) {
        if (conditionFailed(error)) throw new ItemExistsError('conversation exists');
        throw error;
      }
    },

    async getConversation(id) {
      const item = await getItem(keys.conversation(id), 'getConversation');
      return item ? ConversationRecord.parse(item) : null;
    },

    async getEvent(conversationId, eventId) {
      const item = await getItem(keys.event(conversationId, eventId), 'getEvent');
      return item ? EventRecord.parse(item) : null;
    },

    async listEvents(conversationId) {
      const events: EventRecord[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: {
              ':pk': keys.conversation(conversationId).pk,
              ':prefix': keys.eventPrefix,
            },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
            ...capacityOption,
          }),
        );
        observe('listEvents', page.ConsumedCapacity);
        for (const item of page.Items ?? []) events.push(EventRecord.parse(item));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      // Event keys are the client's ids (for create-only dedupe), so order comes from `seq`.
      return events.sort((a, b) => a.seq - b.seq);
    },

    async getOutcome(conversationId) {
      const item = await getItem(keys.outcome(conversationId), 'getOutcome');
      return item ? OutcomeRecord.parse(item) : null;
    },

    async commitTurn(turn) {
      const { conversation, event, expectedVersion } = turn;
      const items = [
        {
          Put: {
            TableName: tableName,
            Item: { ...keys.event(event.conversationId, event.eventId), ...event },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: conversationItem(conversation),
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          },
        },
        ...(turn.outcome
          ? [
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...keys.outcome(conversation.id),
                    [tableKeys.gsi1.partitionKey]: keys.activityOfOrg(turn.outcome.org),
                    [tableKeys.gsi1.sortKey]: `${turn.outcome.completedAt}#${conversation.id}`,
                    ...turn.outcome,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ]
          : []),
        ...(turn.tasks ?? []).map((task) => ({
          Put: {
            TableName: tableName,
            Item: taskItem(task),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        })),
        ...(turn.handoff
          ? [
              {
                Put: {
                  TableName: tableName,
                  Item: handoffItem(turn.handoff),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ]
          : []),
        ...(turn.closes ?? []).map((task) => ({
          Put: {
            TableName: tableName,
            Item: taskItem(task),
            // The caller was allowed to settle it as its owner stood when read: a claim since then stops it.
            ConditionExpression: '#status = :open AND #owner = :owner',
            ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
            ExpressionAttributeValues: { ':open': 'open', ':owner': task.owner },
          },
        })),
        ...(turn.notifications ?? []).map((notification) => ({
          Put: {
            TableName: tableName,
            Item: outboxItem(notification),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        })),
      ];
      try {
        const result = await doc.send(new TransactWriteCommand({ TransactItems: items, ...capacityOption }));
        observe(turn.outcome ? 'commitFinalTurn' : 'commitTurn', result.ConsumedCapacity);
      } catch (error) {
        if (error instanceof TransactionCanceledException) {
          const reasons = error.CancellationReasons ?? [];
          if (reasons[0]?.Code === 'ConditionalCheckFailed')
            throw new DuplicateEventError('event already recorded');
          if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) {
            throw new StaleVersionError('conversation moved on');
          }
        }
        throw error;
      }
    },

    async getTask(id) {
      const item = await getItem(keys.task(id), 'getTask');
      return item ? TaskRecord.parse(item) : null;
    },

    async listTasks(org, options) {
      const { gsi1 } = tableKeys;
      const { owners, unit } = options.scope ?? {};
      const ownerValues = Object.fromEntries((owners ?? []).map((owner, index) => [`:owner${index}`, owner]));
      const filters = [
        ...(owners === undefined ? [] : [`#owner IN (${Object.keys(ownerValues).join(', ')})`]),
        ...(unit === undefined ? [] : ['#unit = :unit']),
      ];
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: gsi1.name,
          KeyConditionExpression: options.status ? '#pk = :pk AND begins_with(#sk, :status)' : '#pk = :pk',
          // A filter after the key condition: pages may come back short, but the cursor stays exact.
          ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
          ExpressionAttributeNames: {
            '#pk': gsi1.partitionKey,
            ...(options.status ? { '#sk': gsi1.sortKey } : {}),
            ...(owners === undefined ? {} : { '#owner': 'owner' }),
            ...(unit === undefined ? {} : { '#unit': 'unit' }),
          },
          ExpressionAttributeValues: {
            ':pk': keys.tasksOfOrg(org),
            ...(options.status ? { ':status': `${options.status}#` } : {}),
            ...ownerValues,
            ...(unit === undefined ? {} : { ':unit': unit }),
          },
          Limit: options.limit,
          ExclusiveStartKey: options.cursor,
          ...capacityOption,
        }),
      );
      observe('listTasks', page.ConsumedCapacity);
      return {
        tasks: (page.Items ?? []).map((item) => TaskRecord.parse(item)),
        cursor: page.LastEvaluatedKey,
      };
    },

    async updateTask(task, expectedStatus, notifications = []) {
      const condition = {
        ConditionExpression: '#status = :expected',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':expected': expectedStatus },
      };
      if (notifications.length > 0) {
        // The task and who is told about it, together: a cancellation nobody hears of cannot happen.
        try {
          const result = await doc.send(
            new TransactWriteCommand({
              TransactItems: [
                { Put: { TableName: tableName, Item: taskItem(task), ...condition } },
                ...notifications.map((notification) => ({
                  Put: {
                    TableName: tableName,
                    Item: outboxItem(notification),
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                })),
              ],
              ...capacityOption,
            }),
          );
          observe('updateTask', result.ConsumedCapacity);
        } catch (error) {
          if (error instanceof TransactionCanceledException)
            throw new TaskStatusConflictError('task moved on');
          throw error;
        }
        return;
      }
      try {
        const result = await doc.send(
          new PutCommand({ TableName: tableName, Item: taskItem(task), ...condition, ...capacityOption }),
        );
        observe('updateTask', result.ConsumedCapacity);
      } catch (error) {
        if (conditionFailed(error)) throw new TaskStatusConflictError('task status changed');
        throw error;
      }
    },

    async claimTask(task, queueOwner) {
      try {
        const result = await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: taskItem(task),
            // Two members claiming at once: the second finds the owner changed, and is told so.
            ConditionExpression: '#status = :open AND #owner = :queue',
            ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
            ExpressionAttributeValues: { ':open': 'open', ':queue': queueOwner },
            ...capacityOption,
          }),
        );
        observe('claimTask', result.ConsumedCapacity);
      } catch (error) {
        if (conditionFailed(error)) throw new TaskStatusConflictError('task no longer queued');
        throw error;
      }
    },

    async reassignTask(task, expectedOwner, notifications) {
      try {
        const result = await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: taskItem(task),
                  // A claim, a settlement or another supervisor's move since it was read: refused, not overwritten.
                  ConditionExpression: '#status = :open AND #owner = :owner',
                  ExpressionAttributeNames: { '#status': 'status', '#owner': 'owner' },
                  ExpressionAttributeValues: { ':open': 'open', ':owner': expectedOwner },
                },
              },
              ...notifications.map((notification) => ({
                Put: {
                  TableName: tableName,
                  Item: outboxItem(notification),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              })),
            ],
            ...capacityOption,
          }),
        );
        observe('reassignTask', result.ConsumedCapacity);
      } catch (error) {
        if (error instanceof TransactionCanceledException) throw new TaskStatusConflictError('task moved on');
        throw error;
      }
    },

    async listDueTasks(shard, until, limit) {
      const { gsi2 } = tableKeys;
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: gsi2.name,
          KeyConditionExpression: '#pk = :pk AND #sk <= :until',
          ExpressionAttributeNames: { '#pk': gsi2.partitionKey, '#sk': gsi2.sortKey },
          // '~' sorts after every task id, so every action due at `until` itself is included.
          ExpressionAttributeValues: { ':pk': keys.dueShard(shard), ':until': `${until}#~` },
          Limit: limit,
          ...capacityOption,
        }),
      );
      observe('listDueTasks', page.ConsumedCapacity);
      return (page.Items ?? []).map((item) => TaskRecord.parse(item));
    },

    async recordTaskActions(task, expectedNextActionAt, notifications) {
      try {
        const result = await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: taskItem(task),
                  ConditionExpression: '#status = :open AND #next = :expected',
                  ExpressionAttributeNames: { '#status': 'status', '#next': 'nextActionAt' },
                  ExpressionAttributeValues: { ':open': 'open', ':expected': expectedNextActionAt },
                },
              },
              ...notifications.map((notification) => ({
                Put: {
                  TableName: tableName,
                  Item: outboxItem(notification),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              })),
            ],
            ...capacityOption,
          }),
        );
        observe('recordTaskActions', result.ConsumedCapacity);
      } catch (error) {
        if (error instanceof TransactionCanceledException) throw new TaskStatusConflictError('task moved on');
        throw error;
      }
    },

    async listOutbox(org, limit) {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.outboxOfOrg(org) },
          Limit: limit,
          ...capacityOption,
        }),
      );
      observe('listOutbox', page.ConsumedCapacity);
      return (page.Items ?? []).map((item) => OutboxRecord.parse(item));
    },

    async listInbox(org, recipient, limit) {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: tableKeys.gsi1.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': tableKeys.gsi1.partitionKey },
          ExpressionAttributeValues: { ':pk': keys.inboxOf(org, recipient) },
          ScanIndexForward: false,
          Limit: limit,
          ...capacityOption,
        }),
      );
      observe('listInbox', page.ConsumedCapacity);
      return (page.Items ?? []).map((item) => OutboxRecord.parse(item));
    },

    async listUnfinishedConversations(org, owner, limit) {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: tableKeys.gsi2.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': tableKeys.gsi2.partitionKey },
          ExpressionAttributeValues: { ':pk': keys.unfinishedOf(org, owner) },
          ScanIndexForward: false,
          Limit: limit,
          ...capacityOption,
        }),
      );
      observe('listUnfinishedConversations', page.ConsumedCapacity);
      return (page.Items ?? [])
        .map((item) => ConversationRecord.parse(item))
        .filter((conversation) => conversation.status !== 'completed');
    },

    async listOutcomes(org, from, to) {
      const { gsi1 } = tableKeys;
      const outcomes: OutcomeRecord[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: gsi1.name,
            KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
            ExpressionAttributeNames: { '#pk': gsi1.partitionKey, '#sk': gsi1.sortKey },
            // Sort keys are `<completedAt>#<id>`: '#' sorts before every id, so [from, to) is exact.
            ExpressionAttributeValues: { ':pk': keys.activityOfOrg(org), ':from': from, ':to': `${to}#` },
            ExclusiveStartKey: startKey,
            ...capacityOption,
          }),
        );
        observe('listOutcomes', page.ConsumedCapacity);
        for (const item of page.Items ?? []) {
          const outcome = OutcomeRecord.parse(item);
          if (outcome.completedAt < to) outcomes.push(outcome);
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return outcomes;
    },

    async recordRead(read) {
      const result = await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.read(read.conversationId, read.at, read.requestId), ...read },
          ...capacityOption,
        }),
      );
      observe('recordRead', result.ConsumedCapacity);
    },

    async listReads(conversationId) {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.reads(conversationId) },
      });
      return items.map((item) => ReadRecord.parse(item));
    },

    async listConversationsOfSubject(org, subjectRef) {
      const { gsi1 } = tableKeys;
      const items = await queryAll({
        IndexName: gsi1.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': gsi1.partitionKey },
        ExpressionAttributeValues: { ':pk': keys.conversationsOfSubject(org, subjectRef) },
      });
      return items.map((item) => ConversationRecord.parse(item));
    },

    async listOutboxOfTask(org, taskId) {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :task)',
        ExpressionAttributeValues: { ':pk': keys.outboxOfOrg(org), ':task': `${taskId}#` },
      });
      return items.map((item) => OutboxRecord.parse(item));
    },

    async listPartitionKeys(pk) {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ProjectionExpression: 'pk, sk',
      });
      return items.map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
    },

    async deleteItems(itemKeys) {
      for (let start = 0; start < itemKeys.length; start += 25) {
        let pending: Array<{ DeleteRequest: { Key: Record<string, unknown> } }> = itemKeys
          .slice(start, start + 25)
          .map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } }));
        for (let attempt = 0; pending.length > 0; attempt += 1) {
          if (attempt > 8) throw new Error('DynamoDB kept deletions unprocessed');
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
          const result = await doc.send(
            new BatchWriteCommand({ RequestItems: { [tableName]: pending }, ...capacityOption }),
          );
          observe('deleteItems', result.ConsumedCapacity);
          pending = (result.UnprocessedItems?.[tableName] ?? []) as typeof pending;
        }
      }
    },

    async putErasure(erasure) {
      const result = await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.erasure(erasure.org, erasure.at, erasure.id), ...erasure },
          ...capacityOption,
        }),
      );
      observe('putErasure', result.ConsumedCapacity);
    },

    async listErasures(org) {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.erasuresOfOrg(org) },
      });
      return items.map((item) => ErasureRecord.parse(item));
    },

    async putRecordsRequest(request) {
      try {
        const result = await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.recordsRequest(request.org, request.id), ...request },
            ConditionExpression: 'attribute_not_exists(pk)',
            ...capacityOption,
          }),
        );
        observe('putRecordsRequest', result.ConsumedCapacity);
      } catch (error) {
        if (conditionFailed(error)) throw new ItemExistsError('records request exists');
        throw error;
      }
    },

    async getRecordsRequest(org, id) {
      const item = await getItem(keys.recordsRequest(org, id), 'getRecordsRequest');
      return item ? RecordsRequestRecord.parse(item) : null;
    },

    async listRecordsRequests(org) {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.recordsRequestsOfOrg(org) },
      });
      return items.map((item) => RecordsRequestRecord.parse(item));
    },

    async commitRecordsRequest(request, expectedStatus, with_ = {}) {
      const condition = {
        ConditionExpression: '#status = :expected',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':expected': expectedStatus },
      };
      const item = { ...keys.recordsRequest(request.org, request.id), ...request };
      const createOnly = (record: Record<string, unknown>) => ({
        Put: { TableName: tableName, Item: record, ConditionExpression: 'attribute_not_exists(pk)' },
      });
      const also = [
        ...(with_.erasure
          ? [
              createOnly({
                ...keys.erasure(with_.erasure.org, with_.erasure.at, with_.erasure.id),
                ...with_.erasure,
              }),
            ]
          : []),
        ...(with_.notifications ?? []).map((notification) => createOnly(outboxItem(notification))),
      ];
      if (also.length === 0) {
        try {
          const result = await doc.send(
            new PutCommand({ TableName: tableName, Item: item, ...condition, ...capacityOption }),
          );
          observe('commitRecordsRequest', result.ConsumedCapacity);
        } catch (error) {
          if (conditionFailed(error)) throw new RecordsRequestConflictError('records request moved on');
          throw error;
        }
        return;
      }
      // A transaction holds 100 items: the request, its erasure record and the first notifications go
      // together; any further notifications (a subject with scores of case owners) follow, each create-only.
      const [first, rest] = [also.slice(0, 99), also.slice(99)];
      try {
        const result = await doc.send(
          new TransactWriteCommand({
            TransactItems: [{ Put: { TableName: tableName, Item: item, ...condition } }, ...first],
            ...capacityOption,
          }),
        );
        observe('commitRecordsRequest', result.ConsumedCapacity);
      } catch (error) {
        if (
          error instanceof TransactionCanceledException &&
          error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
        )
          throw new RecordsRequestConflictError('records request moved on');
        throw error;
      }
      for (let start = 0; start < rest.length; start += 100) {
        const result = await doc.send(
          new TransactWriteCommand({ TransactItems: rest.slice(start, start + 100), ...capacityOption }),
        );
        observe('commitRecordsRequest', result.ConsumedCapacity);
      }
    },

    async getOrgProfile(org) {
      const item = await getItem(keys.orgProfile(org), 'getOrgProfile');
      if (!item) return null;
      // The profile's schema is strict (it extends what an administrator may send); the table keys are not in it.
      const { pk: _pk, sk: _sk, ...profile } = item;
      return OrgProfileRecord.parse(profile);
    },

    async putOrgProfile(profile, expectedVersion) {
      try {
        const result = await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.orgProfile(profile.org), ...profile },
            ...(expectedVersion === 0
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#version = :expected',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':expected': expectedVersion },
                }),
            ...capacityOption,
          }),
        );
        observe('putOrgProfile', result.ConsumedCapacity);
      } catch (error) {
        if (conditionFailed(error)) throw new StaleVersionError('profile changed');
        throw error;
      }
    },

    async getHandoff(id) {
      const item = await getItem(keys.handoff(id), 'getHandoff');
      return item ? HandoffRecord.parse(item) : null;
    },

    async listHandoffs(toOrg, limit) {
      const { gsi1 } = tableKeys;
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: gsi1.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': gsi1.partitionKey },
          ExpressionAttributeValues: { ':pk': keys.handoffsOfOrg(toOrg) },
          ScanIndexForward: false,
          Limit: limit,
          ...capacityOption,
        }),
      );
      observe('listHandoffs', page.ConsumedCapacity);
      return (page.Items ?? []).map((item) => HandoffRecord.parse(item));
    },

    async listHandoffsOfCase(toOrg, caseRef) {
      const { gsi1 } = tableKeys;
      const items = await queryAll({
        IndexName: gsi1.name,
        KeyConditionExpression: '#pk = :pk',
        FilterExpression: '#caseRef = :caseRef',
        ExpressionAttributeNames: { '#pk': gsi1.partitionKey, '#caseRef': 'caseRef' },
        ExpressionAttributeValues: { ':pk': keys.handoffsOfOrg(toOrg), ':caseRef': caseRef },
      });
      return items.map((item) => HandoffRecord.parse(item));
    },

    async acknowledgeHandoff(handoff) {
      try {
        const result = await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: handoffItem(handoff),
            ConditionExpression: '#status = :received',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':received': 'received' },
            ...capacityOption,
          }),
        );
        observe('acknowledgeHandoff', result.ConsumedCapacity);
      } catch (error) {
        if (conditionFailed(error)) throw new TaskStatusConflictError('hand-off already acknowledged');
        throw error;
      }
    },

    async putTraining(training) {
      const result = await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.training(training.org, training.userId, training.type, training.completedOn),
            ...training,
          },
          ...capacityOption,
        }),
      );
      observe('putTraining', result.ConsumedCapacity);
    },

    async listTraining(org, userId) {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.trainingOf(org, userId) },
      });
      return items.map((item) => TrainingRecord.parse(item));
    },
    async getDevice(org, deviceId) {
      const result = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.device(org, deviceId), ConsistentRead: true }),
      );
      return result.Item ? DeviceRecord.parse(result.Item) : null;
    },

    async putDevice(device) {
      try {
        const result = await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.device(device.org, device.deviceId), ...device },
            // A random id another user already enrolled is refused; the owner may enrol their tablet again.
            ConditionExpression: 'attribute_not_exists(pk) OR #owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': device.owner },
            ...capacityOption,
          }),
        );
        observe('putDevice', result.ConsumedCapacity);
      } catch (error) {
        if (conditionFailed(error)) throw new DeviceConflictError('device enrolled by someone else');
        throw error;
      }
    },

    async chargeDeviceAttempt(device, { now, maxAttempts, waitUntil }) {
      try {
        const result = await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.device(device.org, device.deviceId),
            UpdateExpression:
              waitUntil === undefined
                ? 'SET #failed = #failed + :one, #version = #version + :one REMOVE #wait'
                : 'SET #failed = #failed + :one, #version = #version + :one, #wait = :wait',
            ConditionExpression:
              '#owner = :owner AND #failed < :max AND (attribute_not_exists(#wait) OR #wait <= :now)',
            ExpressionAttributeNames: {
              '#owner': 'owner',
              '#failed': 'failedAttempts',
              '#version': 'version',
              '#wait': 'waitUntil',
            },
            ExpressionAttributeValues: {
              ':owner': device.owner,
              ':one': 1,
              ':max': maxAttempts,
              ':now': now,
              ...(waitUntil === undefined ? {} : { ':wait': waitUntil }),
            },
            ReturnValues: 'ALL_NEW',
            ...capacityOption,
          }),
        );
        observe('chargeDeviceAttempt', result.ConsumedCapacity);
        return DeviceRecord.parse(result.Attributes);
      } catch (error) {
        if (conditionFailed(error)) throw new DeviceConflictError('device takes no attempt now');
        throw error;
      }
    },

    async clearDeviceAttempts(device) {
      try {
        const result = await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.device(device.org, device.deviceId),
            UpdateExpression: 'SET #failed = :zero, #version = #version + :one REMOVE #wait',
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: {
              '#failed': 'failedAttempts',
              '#version': 'version',
              '#wait': 'waitUntil',
            },
            ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':version': device.version },
            ...capacityOption,
          }),
        );
        observe('clearDeviceAttempts', result.ConsumedCapacity);
      } catch (error) {
        if (conditionFailed(error)) throw new DeviceConflictError('device charged again meanwhile');
        throw error;
      }
    },
  };
}
