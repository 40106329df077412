import type { RouteName } from '../functions/api/routes.ts';
import { keyPrefixes, keys } from '../functions/storage/table.ts';

/**
 * Issue 9, least privilege: the DynamoDB actions each function's code calls, and nothing else. Issue 16:
 * every write is confined by `dynamodb:LeadingKeys` to the partitions (key types) the function writes, so no
 * function can put, update or delete an item of another kind. Held to the code by
 * test/infra/table-permissions.test.ts, which records every request each route and job makes against
 * DynamoDB Local (transactions item by item, as IAM checks them, with the partition each names) and compares.
 */

/** Actions that only read. Granted table-wide where a function reads broadly. */
export type ReadAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'Scan' | 'ConditionCheckItem';
/** Actions that change items. Never granted table-wide: only on the partitions the function writes. */
export type WriteAction = 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem';
export type TableAction = ReadAction | WriteAction;

export const writeActions: readonly WriteAction[] = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'];

export type IndexName = 'gsi1' | 'gsi2';

export interface PrefixedWrite {
  /** Item actions allowed only where the partition key starts with one of `partitionKeyPrefixes`. */
  actions: readonly WriteAction[];
  /** Whole key types (`CONV#`, `TASK#`, or narrower: `READS#CONV#`): upper-case literals ending in `#`. */
  partitionKeyPrefixes: readonly string[];
}

export interface TablePermission {
  /** Reads on any item of the base table; never a write (issue 16: every write is in `prefixedWrites`). */
  actions: readonly ReadAction[];
  /** Query on these indexes. */
  indexQueries?: readonly IndexName[];
  /** Every write the function makes, confined by IAM `dynamodb:LeadingKeys` to its partitions. */
  prefixedWrites?: readonly PrefixedWrite[];
}

export type JobName = 'sweep' | 'runTaskActions' | 'streamJobs' | 'anchorHeads';
export type FunctionName = RouteName | JobName;

/** The key type of a partition key: everything up to its first `#`, included. */
const typeOf = (partitionKey: string) => partitionKey.slice(0, partitionKey.indexOf('#') + 1);

/** The partitions functions write, by key type (functions/storage/table.ts). */
export const partitions = {
  conversation: typeOf(keys.conversation('_').pk),
  task: typeOf(keys.task('_').pk),
  handoff: typeOf(keys.handoff('_').pk),
  outbox: typeOf(keys.outboxOfOrg('_')),
  reads: keyPrefixes.reads,
  rate: keyPrefixes.rate,
  erasures: typeOf(keys.erasuresOfOrg('_')),
  recordsRequests: typeOf(keys.recordsRequestsOfOrg('_')),
  orgProfile: typeOf(keys.orgProfile('_').pk),
  training: typeOf(keys.trainingOf('_', '_')),
  device: typeOf(keys.device('_', '_').pk),
} as const;

const write = (actions: PrefixedWrite['actions'], ...partitionKeyPrefixes: string[]): PrefixedWrite => ({
  actions,
  partitionKeyPrefixes,
});
const put = (...prefixes: string[]) => write(['PutItem'], ...prefixes);

/** Every request counts against its caller's rate limit: one UpdateItem on their own RATE# counter. */
const rateCounter = write(['UpdateItem'], partitions.rate);
const readRecord = put(partitions.reads);
/** A turn: its event and conversation (and on the last, the outcome), tasks, a hand-off, owners told. */
const turnWrites = put(partitions.conversation, partitions.task, partitions.handoff, partitions.outbox);
/** A task settled or acted on, with the notifications it sends. */
const taskWrites = put(partitions.task, partitions.outbox);

export const tablePermissions: Record<FunctionName, TablePermission> = {
  // The conversation; alongside, the organisation's profile and the screener's training (R-TRAIN-1
  // warnings), and for a return interview the missing-from-care report it links to.
  createConversation: {
    actions: ['GetItem', 'Query'],
    prefixedWrites: [rateCounter, put(partitions.conversation)],
  },
  // A turn reads the conversation, writes it with its event (and outcome and tasks, routed through the
  // organisation's profile; a partner's concern adds its hand-off and the county's tasks); a return interview
  // reads the linked report's tasks, closes those its interviewer may settle, tells (or asks) their owners.
  postTurn: { actions: ['GetItem'], prefixedWrites: [rateCounter, turnWrites] },
  // The same, and (issue 20) a device's own start: other interviews of the youth looked up by reference.
  syncTurns: { actions: ['GetItem'], indexQueries: ['gsi1'], prefixedWrites: [rateCounter, turnWrites] },
  getConversation: { actions: ['GetItem', 'Query'], prefixedWrites: [rateCounter, readRecord] },
  listTasks: { actions: [], indexQueries: ['gsi1'], prefixedWrites: [rateCounter] },
  completeTask: { actions: ['GetItem'], prefixedWrites: [rateCounter, put(partitions.task)] },
  cancelTask: { actions: ['GetItem'], prefixedWrites: [rateCounter, taskWrites] },
  claimTask: { actions: ['GetItem'], prefixedWrites: [rateCounter, put(partitions.task)] },
  supervisorBoard: { actions: [], indexQueries: ['gsi1'], prefixedWrites: [rateCounter] },
  // Issue 17: each of the caller's inboxes is a partition of GSI1; the outbox itself is never read whole.
  listNotifications: { actions: [], indexQueries: ['gsi1'], prefixedWrites: [rateCounter] },
  // Issue 17: the caller's unfinished conversations are their own partition of GSI2.
  listConversations: { actions: [], indexQueries: ['gsi2'], prefixedWrites: [rateCounter] },
  // Issue 17: the task (still open, still its owner's) and the notice to its new owner.
  reassignTask: { actions: ['GetItem'], prefixedWrites: [rateCounter, taskWrites] },
  activityReport: { actions: [], indexQueries: ['gsi1'], prefixedWrites: [rateCounter] },
  // Issue 16, finding 4: records requests. Opening one finds what is held about the subject (an erasure's
  // open statutory tasks too) and writes only the request; a decision writes only the request.
  openRecordsRequest: {
    actions: ['GetItem'],
    indexQueries: ['gsi1'],
    prefixedWrites: [rateCounter, put(partitions.recordsRequests)],
  },
  listRecordsRequests: { actions: ['Query'], prefixedWrites: [rateCounter] },
  decideRecordsRequest: {
    actions: ['GetItem'],
    prefixedWrites: [rateCounter, put(partitions.recordsRequests)],
  },
  // An approved export marks its request run and tells the case owners, then records a read of every case.
  exportRecords: {
    actions: ['GetItem', 'Query'],
    indexQueries: ['gsi1'],
    prefixedWrites: [rateCounter, readRecord, put(partitions.recordsRequests, partitions.outbox)],
  },
  // An approved erasure marks its request run, writes its erasure record and tells the case owners (their
  // own partitions), then deletes everything about one subject (its conversations, reads, tasks, notifications
  // and the hand-offs the county received).
  eraseRecords: {
    actions: ['GetItem', 'Query'],
    indexQueries: ['gsi1'],
    prefixedWrites: [
      rateCounter,
      put(partitions.recordsRequests, partitions.erasures, partitions.outbox),
      write(
        ['BatchWriteItem'],
        partitions.conversation,
        partitions.reads,
        partitions.task,
        partitions.outbox,
        partitions.handoff,
      ),
    ],
  },
  getOrganisation: { actions: ['GetItem'], prefixedWrites: [rateCounter] },
  // A partner's settings are checked against the county they name before they are written.
  putOrganisation: { actions: ['GetItem'], prefixedWrites: [rateCounter, put(partitions.orgProfile)] },
  listHandoffs: { actions: [], indexQueries: ['gsi1'], prefixedWrites: [rateCounter] },
  getHandoff: { actions: ['GetItem'], prefixedWrites: [rateCounter] },
  acknowledgeHandoff: { actions: ['GetItem'], prefixedWrites: [rateCounter, put(partitions.handoff)] },
  recordTraining: { actions: [], prefixedWrites: [rateCounter, put(partitions.training)] },
  listTraining: { actions: ['GetItem', 'Query'], prefixedWrites: [rateCounter] },
  // Issue 18: a tablet's record: enrolled (create, or the owner's again), then each attempt counted in place.
  enrolDevice: { actions: ['GetItem'], prefixedWrites: [rateCounter, put(partitions.device)] },
  unlockDevice: {
    actions: ['GetItem'],
    prefixedWrites: [rateCounter, write(['UpdateItem'], partitions.device)],
  },
  // Due tasks come from the due-action index; each run writes the task and its notifications together.
  sweep: { actions: [], indexQueries: ['gsi2'], prefixedWrites: [taskWrites] },
  // Issue 16: the anchor job reads every chain head and audit partition, and writes nothing in the table.
  anchorHeads: { actions: ['Scan'] },
  runTaskActions: { actions: ['GetItem'], prefixedWrites: [taskWrites] },
  // The stream's reader: arms new tasks' reminders (from the stream alone) and purges what TTL leaves.
  streamJobs: {
    actions: ['Query'],
    prefixedWrites: [write(['BatchWriteItem'], partitions.conversation, partitions.reads)],
  },
};

/** The bot's own partitions (functions/teams/teams-store.ts): activities seen, contacts, deliveries. */
export const teamsPartitions = {
  activity: 'TEAMSACT#',
  contact: 'TEAMSREF#',
  delivery: 'DELIVERED#',
} as const;

/**
 * The Teams functions, held to the code the same way by test/teams/messages.test.ts. The bot runs
 * conversations (a resumed one leaves its read record) and settles tasks as the routes do, and keeps its own
 * records (activities seen, contacts) under TEAMSACT# and TEAMSREF# keys; delivery reads contacts and marks
 * what it sent under DELIVERED#. Granted as the bot is used, by county staff: a partner's screening in Teams
 * would hand off (HANDOFF#), which is neither granted nor exercised; a return interview started in Teams has
 * no link to a missing-from-care report, so it settles nothing and notifies no one (no OUTBOX#).
 */
export const teamsPermissions: Record<'teamsMessages' | 'deliverToTeams', TablePermission> = {
  teamsMessages: {
    actions: ['GetItem', 'Query'],
    indexQueries: ['gsi1', 'gsi2'],
    prefixedWrites: [
      rateCounter,
      put(
        partitions.conversation,
        partitions.task,
        partitions.reads,
        teamsPartitions.activity,
        teamsPartitions.contact,
      ),
    ],
  },
  deliverToTeams: {
    actions: ['GetItem'],
    indexQueries: ['gsi1'],
    prefixedWrites: [put(teamsPartitions.delivery)],
  },
};
