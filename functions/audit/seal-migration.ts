import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { FlowCatalog } from '#flows/catalog.ts';
import { start, step, view } from '#flows/engine.ts';
import type { ConversationEvent } from '#flows/events.ts';
import type { Prompt } from '#flows/prompt.ts';
import { isEncryptedField } from '../crypto/field-cipher.ts';
import type { KeyProvider } from '../crypto/key-provider.ts';
import {
  isTypedAnswer,
  revealSensitive,
  revealTask,
  sealTaskText,
  sealTypedText,
  typedTaskFields,
} from '../domain/sensitive.ts';
import { ConversationRecord, EventRecord, TaskRecord } from '../storage/records.ts';
import { keys } from '../storage/table.ts';
import {
  genesisChain,
  historyEntryHash,
  linkEvent,
  taskFactsHash,
  taskGenesisHash,
  verifyConversationChain,
  verifyTaskChain,
} from './chain.ts';
import { chainKeyring } from './chain-key.ts';

/**
 * Issue 16, finding 1: rows written before every typed answer and note was sealed still hold them as typed.
 * This migration replays each such conversation through the exact flow version it started with, seals what
 * today's code seals (sealTypedText, the same function a turn uses), re-derives the state and outcome from
 * the sealed events, and re-links the hash chain over them under the chain key (a legacy unkeyed chain is
 * re-linked even where nothing needed sealing), all in one transaction conditioned on the
 * conversation not having moved. The chain head it replaced is kept on the conversation
 * (`resealedFrom`), so an auditor sees that, when and from what head the chain was re-linked.
 */

export interface SealMigrationReport {
  scanned: number;
  /** Conversations rewritten: typed text sealed, or a legacy unkeyed chain re-linked under the chain key. */
  sealed: number;
  alreadySealed: number;
  /** Tasks migrated: typed evidence or reason sealed, or a legacy unkeyed history re-linked under the key. */
  tasksRekeyed: number;
  /** Conversations the migration could not rewrite safely, with why; nothing of them was changed. */
  skipped: Array<{ id: string; reason: string }>;
}

/** TransactWriteItems holds 100 items: the conversation, its outcome, and up to 98 events. */
const MAX_EVENTS = 98;

type Item = Record<string, unknown>;

export async function sealTypedTextInTable(options: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  catalog: FlowCatalog;
  keys: KeyProvider;
  now: () => Date;
}): Promise<SealMigrationReport> {
  const report: SealMigrationReport = {
    scanned: 0,
    sealed: 0,
    alreadySealed: 0,
    tasksRekeyed: 0,
    skipped: [],
  };
  const key = await chainKeyring(options.keys).load();
  let startKey: Item | undefined;
  do {
    const page = await options.doc.send(
      new ScanCommand({
        TableName: options.tableName,
        FilterExpression: 'sk = :conversation OR sk = :task',
        ExpressionAttributeValues: { ':conversation': keys.conversation('').sk, ':task': keys.task('').sk },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) {
      if (item.sk === keys.task('').sk) {
        if (await migrateTask(options, item, key)) report.tasksRekeyed += 1;
        continue;
      }
      report.scanned += 1;
      const result = await sealConversation(options, String(item.id), key);
      if (result === 'sealed') report.sealed += 1;
      else if (result === 'unchanged') report.alreadySealed += 1;
      else report.skipped.push({ id: String(item.id), reason: result.skipped });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return report;
}

/**
 * A task written before issue 16: its typed text (evidence, cancel reason) sealed with its own data key,
 * and a history that verifies only as a legacy unkeyed chain re-linked under the chain key, its last entry
 * committing to the task's facts as they now stand. A history that does not verify even as legacy is left
 * for the auditor: re-linking it would vouch for it. Conditioned on the history not having moved.
 */
async function migrateTask(
  options: Parameters<typeof sealTypedTextInTable>[0],
  item: Item,
  key: Uint8Array,
): Promise<boolean> {
  const parsed = TaskRecord.safeParse(item);
  if (!parsed.success) return false;
  const stored = parsed.data;
  if (!verifyTaskChain(stored, { key, allowUnkeyed: true }).ok) return false;
  const fields = await typedTaskFields(options.keys, stored);
  if (fields.length === 0 && verifyTaskChain(stored, { key }).ok) return false;
  const task =
    fields.length > 0
      ? await sealTaskText(options.keys, await revealTask(options.keys, stored), fields)
      : stored;
  let prevHash = taskGenesisHash(task, key);
  const history = task.history.map((entry, index) => {
    const factsHash = index === task.history.length - 1 ? taskFactsHash(task, key) : undefined;
    const { factsHash: _legacy, ...rest } = entry;
    const { seq, at, action, by } = entry;
    const hash = historyEntryHash({ taskId: task.id, seq, at, action, by, factsHash, prevHash }, key);
    const linked = { ...rest, ...(factsHash ? { factsHash } : {}), prevHash, hash };
    prevHash = hash;
    return linked;
  });
  const sealedFields = {
    ...(task.dataKey ? { ':dataKey': task.dataKey } : {}),
    ...(task.cancelReason !== undefined ? { ':cancelReason': task.cancelReason } : {}),
    ...(task.evidence ? { ':evidence': task.evidence } : {}),
  };
  const sets = [
    'history = :history',
    ...Object.keys(sealedFields).map((name) => `${name.slice(1)} = ${name}`),
  ];
  await options.doc.send(
    new UpdateCommand({
      TableName: options.tableName,
      Key: keys.task(task.id),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'size(history) = :length',
      ExpressionAttributeValues: { ':history': history, ':length': task.history.length, ...sealedFields },
    }),
  );
  return true;
}

async function sealConversation(
  options: Parameters<typeof sealTypedTextInTable>[0],
  id: string,
  key: Uint8Array,
): Promise<'sealed' | 'unchanged' | { skipped: string }> {
  const { doc, tableName } = options;
  const got = await doc.send(
    new GetCommand({ TableName: tableName, Key: keys.conversation(id), ConsistentRead: true }),
  );
  const parsed = ConversationRecord.safeParse(got.Item);
  if (!parsed.success) return { skipped: 'the conversation record does not have the expected shape' };
  let conversation = parsed.data;
  const events = await eventsOf(doc, tableName, id);
  if (events === undefined) return { skipped: 'an event record does not have the expected shape' };
  if (events.length !== conversation.version)
    return { skipped: 'its events do not match its version (run npm run audit:verify)' };
  if (events.length > MAX_EVENTS) return { skipped: `more than ${MAX_EVENTS} events` };
  const entry = options.catalog.exact(conversation.flow, conversation.flowVersion, conversation.instrument);
  if (!entry) return { skipped: 'its flow version is not deployed here, so it cannot be replayed' };

  const { flow } = entry;
  let { snapshot, state } = start(flow, { locale: conversation.locale, startedAt: conversation.createdAt });
  let changed = false;
  const sealedEvents: ConversationEvent[] = [];
  for (const record of events) {
    const prompt = view(flow, snapshot, conversation.locale).prompt;
    let event = record.event;
    if (await holdsTypedText(options.keys, conversation, prompt, event)) {
      // Sealed from the plaintext of every typed field, so a field the old code did seal is not sealed twice.
      const typed = await revealSensitive(options.keys, conversation, event);
      const sealed = await sealTypedText(options.keys, conversation, prompt, typed);
      event = sealed.event;
      changed = true;
      if (sealed.dataKey && !conversation.dataKey)
        conversation = { ...conversation, dataKey: sealed.dataKey };
    }
    const result = step(flow, snapshot, event);
    if (!result.ok) return { skipped: `event #${record.seq} no longer replays (${result.rejection.code})` };
    snapshot = result.snapshot;
    state = result.state;
    sealedEvents.push(event);
  }
  if (!changed && verifyConversationChain(conversation, events, { key }).ok) return 'unchanged';

  let head = genesisChain(conversation, key);
  const relinked = events.map((record, index) => {
    const event = sealedEvents[index]!;
    const link = linkEvent(
      head,
      {
        conversationId: id,
        eventId: record.eventId,
        seq: record.seq,
        event,
        actor: record.actor,
        ...(record.claimedAt ? { claimedAt: record.claimedAt } : {}),
      },
      key,
    );
    head = { seq: record.seq, hash: link.hash };
    return { ...record, event, ...link };
  });
  const finalView = view(flow, snapshot, conversation.locale);
  const at = options.now().toISOString();
  const writes: Array<Record<string, unknown>> = [
    {
      Update: {
        TableName: tableName,
        Key: keys.conversation(id),
        UpdateExpression: 'SET #state = :state, chain = :chain, dataKey = :dataKey, resealedFrom = :from',
        ConditionExpression: 'version = :version AND chain.#hash = :oldHash',
        ExpressionAttributeNames: { '#state': 'state', '#hash': 'hash' },
        ExpressionAttributeValues: {
          ':state': state,
          ':chain': head,
          ':dataKey': conversation.dataKey,
          ':from': { at, chain: parsed.data.chain },
          ':version': conversation.version,
          ':oldHash': parsed.data.chain.hash,
        },
      },
    },
    ...relinked.map((record) => ({
      Update: {
        TableName: tableName,
        Key: keys.event(id, record.eventId),
        UpdateExpression: 'SET #event = :event, prevHash = :prevHash, #hash = :hash',
        ConditionExpression: 'seq = :seq',
        ExpressionAttributeNames: { '#event': 'event', '#hash': 'hash' },
        ExpressionAttributeValues: {
          ':event': record.event,
          ':prevHash': record.prevHash,
          ':hash': record.hash,
          ':seq': record.seq,
        },
      },
    })),
  ];
  if (finalView.outcome) {
    writes.push({
      Update: {
        TableName: tableName,
        Key: keys.outcome(id),
        UpdateExpression: 'SET outcome = :outcome, facts = :facts',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':outcome': finalView.outcome, ':facts': finalView.outcome.facts },
      },
    });
  }
  await doc.send(new TransactWriteCommand({ TransactItems: writes as never }));
  return 'sealed';
}

/** Whether a typed field of the event is stored as typed: it does not open under the conversation's key. */
async function holdsTypedText(
  keys: KeyProvider,
  conversation: ConversationRecord,
  prompt: Prompt | null,
  event: ConversationEvent,
): Promise<boolean> {
  if (event.type !== 'answer.given') return false;
  const fields = [
    ...(isTypedAnswer(prompt) && typeof event.value === 'string' ? [event.value] : []),
    ...(event.note ? [event.note] : []),
  ];
  for (const field of fields) {
    if (!isEncryptedField(field)) return true;
    // A look-alike typed by someone does not open under the key: it is plaintext too.
    if ((await revealSensitive(keys, conversation, field)) === field) return true;
  }
  return false;
}

async function eventsOf(
  doc: DynamoDBDocumentClient,
  tableName: string,
  id: string,
): Promise<EventRecord[] | undefined> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.conversation(id).pk, ':prefix': keys.eventPrefix },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const parsed = items.map((item) => EventRecord.safeParse(item));
  if (parsed.some((result) => !result.success)) return undefined;
  return parsed.map((result) => result.data!).sort((a, b) => a.seq - b.seq);
}
