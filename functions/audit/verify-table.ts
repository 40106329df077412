import { type DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { FlowCatalog } from '#flows/catalog.ts';
import type { KeyProvider } from '../crypto/key-provider.ts';
import { keys } from '../storage/table.ts';
import { type AnchorStore, verifyAnchors } from './anchors.ts';
import {
  type ChainVerdict,
  type ConversationGenesis,
  type FailedVerdict,
  type TaskGenesis,
  type VerifyOptions,
  verifyConversationChain,
  verifyTaskChain,
} from './chain.ts';
import { verifyReplay } from './replay-check.ts';

export interface AuditProblem {
  /**
   * `replay`: the chain holds, but the state or outcome stored beside it is not what the events produce.
   * `anchor`: the table no longer agrees with the heads anchored outside it (or an anchor is not genuine).
   */
  kind: 'conversation' | 'task' | 'replay' | 'anchor';
  id: string;
  verdict: FailedVerdict;
}

export interface AuditReport {
  checked: { conversations: number; tasks: number; events: number; anchors?: number };
  problems: AuditProblem[];
}

type Item = Record<string, unknown>;

// Raw items on purpose: the audit must read whatever is stored, including what today's schemas would reject.
const CONVERSATION_PREFIX = keys.conversation('').pk;
const CONVERSATION_SK = keys.conversation('').sk;
const TASK_PREFIX = keys.task('').pk;
const TASK_SK = keys.task('').sk;
const EVENT_PREFIX = keys.eventPrefix;
const OUTCOME_SK = keys.outcome('').sk;

// The verifiers check shapes themselves and never throw; the casts only give raw items the parameter types.
function checkConversation(conversation: Item, events: readonly Item[], chain: VerifyOptions): ChainVerdict {
  return verifyConversationChain(
    conversation as unknown as ConversationGenesis & {
      version: number;
      chain?: { seq: number; hash: string };
    },
    events,
    chain,
  );
}

function checkTask(task: Item, chain: VerifyOptions): ChainVerdict {
  return verifyTaskChain(task as unknown as TaskGenesis & { history: unknown[]; status?: string }, chain);
}

function orphanVerdict(conversationId: string, events: number): FailedVerdict {
  return {
    ok: false,
    problem: 'removed',
    seq: 0,
    message: `conversation ${conversationId} is missing: ${events} of its events remain without it (orphan events).`,
  };
}

async function readConversation(
  doc: DynamoDBDocumentClient,
  tableName: string,
  id: string,
): Promise<{ conversation: Item | undefined; events: Item[]; outcome: Item | undefined }> {
  const { pk } = keys.conversation(id);
  // The item first, then its events: a turn committed in between shows as a head mismatch, which the
  // caller re-reads once before reporting.
  const got = await doc.send(
    new GetCommand({ TableName: tableName, Key: keys.conversation(id), ConsistentRead: true }),
  );
  const outcome = await doc.send(
    new GetCommand({ TableName: tableName, Key: keys.outcome(id), ConsistentRead: true }),
  );
  const events: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': EVENT_PREFIX },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    events.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { conversation: got.Item, events, outcome: outcome.Item };
}

async function verifyOneConversation(
  doc: DynamoDBDocumentClient,
  tableName: string,
  id: string,
  catalog: FlowCatalog | undefined,
  chain: VerifyOptions,
): Promise<{ found: boolean; events: number; verdict: ChainVerdict; replayed?: FailedVerdict }> {
  let verdict: ChainVerdict = { ok: true, length: 0 };
  let replayed: FailedVerdict | undefined;
  let read: Awaited<ReturnType<typeof readConversation>> = {
    conversation: undefined,
    events: [],
    outcome: undefined,
  };
  // Get and Query are not one snapshot: a live turn between them looks like tampering, so a failure is
  // re-read once and only reported if it persists.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    read = await readConversation(doc, tableName, id);
    if (!read.conversation) {
      verdict = read.events.length === 0 ? { ok: true, length: 0 } : orphanVerdict(id, read.events.length);
    } else {
      verdict = checkConversation(read.conversation, read.events, chain);
      replayed =
        verdict.ok && catalog
          ? verifyReplay(catalog, read.conversation, read.events, read.outcome)
          : undefined;
    }
    if (verdict.ok && !replayed) break;
  }
  return {
    found: read.conversation !== undefined || read.events.length > 0,
    events: read.events.length,
    verdict,
    ...(replayed ? { replayed } : {}),
  };
}

async function verifyOneTask(
  doc: DynamoDBDocumentClient,
  tableName: string,
  id: string,
  chain: VerifyOptions,
) {
  const got = await doc.send(
    new GetCommand({ TableName: tableName, Key: keys.task(id), ConsistentRead: true }),
  );
  return got.Item ? checkTask(got.Item, chain) : undefined;
}

/**
 * Verifies every conversation and task chain in the table, or one conversation's. A whole-table run scans
 * and holds the conversations' events in memory; anything it finds is re-checked with consistent reads of
 * that one record, so writes landing during the scan are not reported as tampering.
 */
export async function verifyTable(
  doc: DynamoDBDocumentClient,
  tableName: string,
  options: {
    conversationId?: string | undefined;
    /** The deployed flows: with them, each conversation's state and outcome are replayed from its events. */
    catalog?: FlowCatalog;
    /** Issue 16: the chain key, so keyed links are checked (and whether legacy unkeyed links are accepted). */
    chain?: VerifyOptions;
    /** Issue 16: the anchors written outside the table, checked against it (needs `chain.key`). */
    anchors?: { store: AnchorStore; keys: Pick<KeyProvider, 'mac'>; now: () => Date };
  } = {},
): Promise<AuditReport> {
  const report = await verifyChains(doc, tableName, options);
  if (!options.anchors) return report;
  if (!options.chain?.key) throw new Error('checking anchors needs the chain key');
  const anchored = await verifyAnchors({
    doc,
    tableName,
    ...options.anchors,
    chainKey: options.chain.key,
  });
  return {
    checked: { ...report.checked, anchors: anchored.anchors },
    problems: [
      ...report.problems,
      ...anchored.problems.map((problem) => ({
        kind: 'anchor' as const,
        id: `${problem.kind} ${problem.id}`,
        verdict: { ok: false as const, problem: problem.problem, seq: 0, message: problem.message },
      })),
    ],
  };
}

async function verifyChains(
  doc: DynamoDBDocumentClient,
  tableName: string,
  options: Parameters<typeof verifyTable>[2] = {},
): Promise<AuditReport> {
  const chain = options.chain ?? {};
  const problemsOf = (id: string, one: Awaited<ReturnType<typeof verifyOneConversation>>): AuditProblem[] => {
    if (!one.verdict.ok) return [{ kind: 'conversation', id, verdict: one.verdict }];
    return one.replayed ? [{ kind: 'replay', id, verdict: one.replayed }] : [];
  };
  if (options.conversationId !== undefined) {
    const id = options.conversationId;
    const one = await verifyOneConversation(doc, tableName, id, options.catalog, chain);
    return {
      checked: { conversations: one.found ? 1 : 0, tasks: 0, events: one.events },
      problems: problemsOf(id, one),
    };
  }

  const conversations = new Map<string, Item>();
  const eventsOf = new Map<string, Item[]>();
  const outcomes = new Map<string, Item>();
  const tasks = new Map<string, Item>();
  let eventCount = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) {
      const { pk, sk } = item;
      if (typeof pk !== 'string' || typeof sk !== 'string') continue;
      if (pk.startsWith(CONVERSATION_PREFIX)) {
        const id = pk.slice(CONVERSATION_PREFIX.length);
        if (sk === CONVERSATION_SK) conversations.set(id, item);
        else if (sk === OUTCOME_SK) outcomes.set(id, item);
        else if (sk.startsWith(EVENT_PREFIX)) {
          eventCount += 1;
          const list = eventsOf.get(id);
          if (list) list.push(item);
          else eventsOf.set(id, [item]);
        }
      } else if (pk.startsWith(TASK_PREFIX) && sk === TASK_SK) {
        tasks.set(pk.slice(TASK_PREFIX.length), item);
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);

  const problems: AuditProblem[] = [];
  const conversationIds = [...new Set([...conversations.keys(), ...eventsOf.keys()])].sort();
  for (const id of conversationIds) {
    const conversation = conversations.get(id);
    const events = eventsOf.get(id) ?? [];
    const verdict = conversation
      ? checkConversation(conversation, events, chain)
      : orphanVerdict(id, events.length);
    const replayed =
      verdict.ok && conversation && options.catalog
        ? verifyReplay(options.catalog, conversation, events, outcomes.get(id))
        : undefined;
    if (verdict.ok && !replayed) continue;
    problems.push(...problemsOf(id, await verifyOneConversation(doc, tableName, id, options.catalog, chain)));
  }
  for (const id of [...tasks.keys()].sort()) {
    if (checkTask(tasks.get(id)!, chain).ok) continue;
    const recheck = await verifyOneTask(doc, tableName, id, chain);
    if (recheck && !recheck.ok) problems.push({ kind: 'task', id, verdict: recheck });
  }

  return {
    checked: { conversations: conversations.size, tasks: tasks.size, events: eventCount },
    problems,
  };
}
