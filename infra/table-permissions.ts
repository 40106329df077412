import type { RouteName } from '../functions/api/routes.ts';
import { keyPrefixes, keys } from '../functions/storage/table.ts';

/**
 * Issue 9, least privilege: the DynamoDB actions each function's code calls, and nothing else. Held to the
 * code by test/infra/table-permissions.test.ts, which records every request each route and job makes
 * against DynamoDB Local (transactions item by item, as IAM checks them) and compares.
 */

export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'ConditionCheckItem'
  | 'BatchWriteItem';

export type IndexName = 'gsi1' | 'gsi2';

export interface PrefixedWrite {
  /** Item actions allowed only where the partition key starts with one of `partitionKeyPrefixes`. */
  actions: readonly ('PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem')[];
  partitionKeyPrefixes: readonly string[];
}

export interface TablePermission {
  /** On any item of the base table. */
  actions: readonly TableAction[];
  /** Query on these indexes. */
  indexQueries?: readonly IndexName[];
  /** Writes confined by IAM `dynamodb:LeadingKeys` to their partitions. */
  prefixedWrites?: readonly PrefixedWrite[];
}

export type JobName = 'sweep' | 'runTaskActions' | 'streamJobs';
export type FunctionName = RouteName | JobName;

/** Every request counts against its caller's rate limit: one UpdateItem on their own RATE# counter. */
const rateCounter: PrefixedWrite = { actions: ['UpdateItem'], partitionKeyPrefixes: [keyPrefixes.rate] };
const readRecord: PrefixedWrite = { actions: ['PutItem'], partitionKeyPrefixes: [keyPrefixes.reads] };

export const tablePermissions: Record<FunctionName, TablePermission> = {
  // The conversation; alongside, the organisation's profile and the screener's training (R-TRAIN-1 warnings).
  createConversation: { actions: ['PutItem', 'GetItem', 'Query'], prefixedWrites: [rateCounter] },
  // A turn reads the conversation, writes it with its event (and outcome and tasks, routed through the
  // organisation's profile; a partner's concern adds its hand-off and the county's tasks); a return interview
  // finds the subject's open locate tasks on the subject index and closes them.
  postTurn: { actions: ['GetItem', 'PutItem'], indexQueries: ['gsi1'], prefixedWrites: [rateCounter] },
  syncTurns: { actions: ['GetItem', 'PutItem'], indexQueries: ['gsi1'], prefixedWrites: [rateCounter] },
  getConversation: { actions: ['GetItem', 'Query'], prefixedWrites: [rateCounter, readRecord] },
  listTasks: { actions: [], indexQueries: ['gsi1'], prefixedWrites: [rateCounter] },
  completeTask: { actions: ['GetItem', 'PutItem'], prefixedWrites: [rateCounter] },
  cancelTask: { actions: ['GetItem', 'PutItem'], prefixedWrites: [rateCounter] },
  claimTask: { actions: ['GetItem', 'PutItem'], prefixedWrites: [rateCounter] },
  supervisorBoard: { actions: [], indexQueries: ['gsi1'], prefixedWrites: [rateCounter] },
  listNotifications: { actions: ['Query'], prefixedWrites: [rateCounter] },
  activityReport: { actions: [], indexQueries: ['gsi1'], prefixedWrites: [rateCounter] },
  exportRecords: {
    actions: ['GetItem', 'Query'],
    indexQueries: ['gsi1'],
    prefixedWrites: [rateCounter, readRecord],
  },
  // Deletes everything about one subject, wherever it is; the erasure record goes only to its own partition.
  eraseRecords: {
    actions: ['GetItem', 'Query', 'BatchWriteItem'],
    indexQueries: ['gsi1'],
    prefixedWrites: [rateCounter, { actions: ['PutItem'], partitionKeyPrefixes: [keys.erasuresOfOrg('')] }],
  },
  getOrganisation: { actions: ['GetItem'], prefixedWrites: [rateCounter] },
  // A partner's settings are checked against the county they name before they are written.
  putOrganisation: { actions: ['GetItem', 'PutItem'], prefixedWrites: [rateCounter] },
  listHandoffs: { actions: [], indexQueries: ['gsi1'], prefixedWrites: [rateCounter] },
  getHandoff: { actions: ['GetItem'], prefixedWrites: [rateCounter] },
  acknowledgeHandoff: { actions: ['GetItem', 'PutItem'], prefixedWrites: [rateCounter] },
  recordTraining: { actions: ['PutItem'], prefixedWrites: [rateCounter] },
  listTraining: { actions: ['GetItem', 'Query'], prefixedWrites: [rateCounter] },
  // Due tasks come from the due-action index; each run writes the task and its notifications together.
  sweep: { actions: ['PutItem'], indexQueries: ['gsi2'] },
  runTaskActions: { actions: ['GetItem', 'PutItem'] },
  // The stream's reader: arms new tasks' reminders (from the stream alone) and purges what TTL leaves.
  streamJobs: {
    actions: ['Query'],
    prefixedWrites: [
      { actions: ['BatchWriteItem'], partitionKeyPrefixes: [keys.conversation('').pk, keys.reads('')] },
    ],
  },
};

/**
 * The Teams functions, held to the code the same way by test/teams/messages.test.ts. The bot runs
 * conversations and settles tasks as the routes do, and keeps its own records (users, contacts, activities
 * seen) under TEAMS# keys; delivery reads contacts and marks what it sent.
 */
export const teamsPermissions: Record<'teamsMessages' | 'deliverToTeams', TablePermission> = {
  teamsMessages: {
    actions: ['GetItem', 'Query', 'PutItem'],
    indexQueries: ['gsi1'],
    prefixedWrites: [rateCounter],
  },
  deliverToTeams: { actions: ['GetItem', 'PutItem'], indexQueries: ['gsi1'] },
};
