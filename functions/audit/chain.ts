import { createHash, createHmac } from 'node:crypto';

/**
 * Hash chains over a conversation's events and a task's history. Pure: no clock, no I/O.
 *
 * The chains make silent edits, deletions and reorderings of stored records detectable by recomputation.
 * Issue 16: links are keyed (HMAC-SHA-256 under the deployment's chain key, which comes from KMS and never
 * sits in the table), so someone who can write the table cannot recompute a consistent chain; a cut tail
 * or a whole deleted record is caught against the heads anchored outside the table (audit/anchors.ts).
 * Links made before keying (`v1`, plain SHA-256) verify only when the auditor allows legacy links.
 */

/** The deployment's chain key (32 bytes), or absent for the legacy unkeyed form. */
export type ChainKey = Uint8Array | undefined;

/** Position 0 is the chain's root: the creation facts of the conversation or task. */
export type ChainProblem = 'altered' | 'removed' | 'reordered' | 'inserted' | 'head_mismatch';

export type ChainVerdict =
  | { ok: true; length: number }
  | { ok: false; problem: ChainProblem; seq: number; eventId?: string; message: string };

export type FailedVerdict = Extract<ChainVerdict, { ok: false }>;

export interface ChainHead {
  seq: number;
  hash: string;
}

export interface ConversationGenesis {
  id: string;
  flow: string;
  flowVersion: string;
  instrument: { id: string; version: string };
  subjectRef: string;
  org: string;
  unit?: string | undefined;
  owner: string;
  createdAt: string;
  /** Issue 16: the records the conversation was linked to at its start (a return interview's missing report). */
  links?: { missingReport?: string | undefined } | undefined;
  /** Issue 20: when the server received a start a device made (its `createdAt` is then the device's claim). */
  deviceStart?: { receivedAt: string } | undefined;
}

export interface EventHashInput {
  conversationId: string;
  eventId: string;
  seq: number;
  event: Readonly<Record<string, unknown>>;
  actor: string;
  /** Issue 16: when the device says the event was answered (a synced event); absent for an online turn. */
  claimedAt?: string | undefined;
  prevHash: string;
}

export interface TaskGenesis {
  id: string;
  conversationId: string;
  subjectRef: string;
  org: string;
  ruleId: string;
  requirementId: string;
  receivedAt: string;
  dueAt: string;
  createdAt: string;
}

export interface HistoryEntryHashInput {
  taskId: string;
  seq: number;
  at: string;
  action: string;
  by: string;
  /** Issue 16: the hash of what the task said after this entry (status, owner, evidence, …); absent on v1. */
  factsHash?: string | undefined;
  prevHash: string;
}

export interface ChainedHistoryEntry<Action extends string = string> {
  at: string;
  action: Action;
  by: string;
  seq: number;
  factsHash?: string | undefined;
  prevHash: string;
  hash: string;
}

/**
 * What a task says that carries meaning beyond its creation facts: who holds it, whether it is settled and
 * with what evidence or reason. Each history entry commits to these as they stood after it, so changing
 * the status, the owner or the evidence of a stored task no longer matches its last entry.
 */
export interface TaskFacts {
  status: string;
  owner: string;
  unit: string;
  standIn?: boolean | undefined;
  evidence?: unknown;
  cancelReason?: string | undefined;
  closure?: unknown;
}

// Domain separation: a hash of one kind can never be presented as a hash of another.
const TAGS = {
  conversationGenesis: 'conv-genesis:v1\n',
  event: 'conv-event:v1\n',
  taskGenesis: 'task-genesis:v1\n',
  taskHistory: 'task-history:v1\n',
  taskFacts: 'task-facts:v1\n',
} as const;

/** Keyed links carry their own tags, so a keyed hash can never be mistaken for an unkeyed one. */
const KEYED = 'keyed:v2\n';

/**
 * Deterministic JSON: object keys sorted (by UTF-16 code units) at every depth, no whitespace, undefined
 * members omitted. Only values that survive a DynamoDB round trip unchanged are accepted; anything else
 * throws, so a record that could never verify after being stored fails when it is written instead.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}

function encode(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is not a finite number`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: ${path} is ${typeof value}, which has no JSON form`);
  }
  if (Array.isArray(value)) {
    return `[${value
      .map((item, index) => {
        // JSON.stringify would write null here, but DynamoDB would drop the element: refuse instead.
        if (item === undefined) throw new TypeError(`canonicalJson: ${path}[${index}] is undefined`);
        return encode(item, `${path}[${index}]`);
      })
      .join(',')}]`;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null)
    throw new TypeError(`canonicalJson: ${path} is not a plain object`);
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${encode(record[key], `${path}.${key}`)}`);
  return `{${members.join(',')}}`;
}

function taggedHash(tag: string, fields: unknown, key?: ChainKey): string {
  const digest = key ? createHmac('sha256', key).update(KEYED, 'utf8') : createHash('sha256');
  return digest.update(tag, 'utf8').update(canonicalJson(fields), 'utf8').digest('hex');
}

/** The facts a task's history entry commits to, picked from a whole task record. */
export function taskFactsHash(task: TaskFacts, key?: ChainKey): string {
  const { status, owner, unit, standIn, evidence, cancelReason, closure } = task;
  return taggedHash(TAGS.taskFacts, { status, owner, unit, standIn, evidence, cancelReason, closure }, key);
}

/** Picks the creation facts, so a whole conversation record can be passed. */
export function genesisHash(conversation: ConversationGenesis, key?: ChainKey): string {
  const { id, flow, flowVersion, instrument, subjectRef, org, unit, owner, createdAt, links, deviceStart } =
    conversation;
  // `links` and `deviceStart` are absent from conversations without them, so their genesis hash is unchanged.
  return taggedHash(
    TAGS.conversationGenesis,
    {
      id,
      flow,
      flowVersion,
      instrument,
      subjectRef,
      org,
      unit,
      owner,
      createdAt,
      links,
      deviceStart,
    },
    key,
  );
}

/** The head of a conversation with no events yet. */
export function genesisChain(conversation: ConversationGenesis, key?: ChainKey): ChainHead {
  return { seq: 0, hash: genesisHash(conversation, key) };
}

export function eventHash(input: EventHashInput, key?: ChainKey): string {
  const { conversationId, eventId, seq, event, actor, claimedAt, prevHash } = input;
  // An online turn has no claim, so its hash is what it always was; a device's claim is covered when there is one.
  return taggedHash(TAGS.event, { conversationId, eventId, seq, event, actor, claimedAt, prevHash }, key);
}

/** Picks the creation facts, so a whole task record can be passed. */
export function taskGenesisHash(task: TaskGenesis, key?: ChainKey): string {
  const { id, conversationId, subjectRef, org, ruleId, requirementId, receivedAt, dueAt, createdAt } = task;
  return taggedHash(
    TAGS.taskGenesis,
    {
      id,
      conversationId,
      subjectRef,
      org,
      ruleId,
      requirementId,
      receivedAt,
      dueAt,
      createdAt,
    },
    key,
  );
}

export function historyEntryHash(input: HistoryEntryHashInput, key?: ChainKey): string {
  const { taskId, seq, at, action, by, factsHash, prevHash } = input;
  return taggedHash(TAGS.taskHistory, { taskId, seq, at, action, by, factsHash, prevHash }, key);
}

/**
 * Links a new event to the previous link: pass the conversation's current `chain` head (or
 * `genesisChain(conversation)` for the first event). The new head is `{ seq: fields.seq, hash }`.
 */
export function linkEvent(
  prev: { hash: string },
  fields: Omit<EventHashInput, 'prevHash'>,
  key?: ChainKey,
): { prevHash: string; hash: string } {
  const prevHash = prev.hash;
  return { prevHash, hash: eventHash({ ...fields, prevHash }, key) };
}

/**
 * The task's history with the entries appended and chained after its last entry (or its genesis). Pass the
 * task as it stands *after* the entries (new status, owner, evidence): each entry commits to those facts.
 * Every existing entry must already be chained: silently chaining legacy entries would vouch for them.
 */
export function appendHistory<Action extends string>(
  task: TaskGenesis & TaskFacts & { history: readonly ChainedHistoryEntry<Action>[] },
  entries: ReadonlyArray<{ at: string; action: Action; by: string }>,
  key?: ChainKey,
): ChainedHistoryEntry<Action>[] {
  const history = [...task.history];
  const last = history.at(-1);
  if (last && (typeof last.hash !== 'string' || !Number.isInteger(last.seq)))
    throw new Error(`task ${task.id}: its last history entry is not chained; cannot append to it`);
  let seq = last ? last.seq : 0;
  let prevHash = last ? last.hash : taskGenesisHash(task, key);
  const factsHash = taskFactsHash(task, key);
  for (const { at, action, by } of entries) {
    seq += 1;
    const hash = historyEntryHash({ taskId: task.id, seq, at, action, by, factsHash, prevHash }, key);
    history.push({ at, action, by, seq, factsHash, prevHash, hash });
    prevHash = hash;
  }
  return history;
}

// ---- Verification -------------------------------------------------------------------------------------

/** One stored link, reduced to what the walk needs; `selfConsistent` says its hash matches its fields. */
interface Link {
  seq: number;
  id: string | undefined;
  prevHash: unknown;
  hash: unknown;
  selfConsistent: boolean;
  /** False when the record names another chain as its owner (copied in from elsewhere). */
  belongs: boolean;
}

interface Wording {
  /** 'event' or 'history entry'. */
  noun: string;
  /** e.g. 'conversation c-1'. */
  owner: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isPosition = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0;

/** Never throws: an unhashable record is simply not self-consistent. */
function safely(compute: () => string): string | undefined {
  try {
    return compute();
  } catch {
    return undefined;
  }
}

function describe(wording: Wording, seq: number, id: string | undefined): string {
  return `${wording.noun} #${seq}${id === undefined ? '' : ` (id ${id})`} of ${wording.owner}`;
}

function fail(problem: ChainProblem, seq: number, id: string | undefined, message: string): FailedVerdict {
  return { ok: false, problem, seq, ...(id === undefined ? {} : { eventId: id }), message };
}

interface WalkResult {
  verdict?: FailedVerdict;
  lastSeq: number;
  lastHash: string;
  lastId: string | undefined;
  /** Links whose seq is not a position, so they could not be placed in the chain. */
  unplaced: Link[];
}

/**
 * Walks the links in seq order (never trusting storage order) from the root and stops at the first bad one.
 * `headHash` helps pick the genuine one of two links claiming the same position.
 */
function walk(links: readonly Link[], rootHash: string, headHash: unknown, wording: Wording): WalkResult {
  const unplaced = links.filter((link) => !isPosition(link.seq));
  const sorted = links.filter((link) => isPosition(link.seq)).sort((a, b) => a.seq - b.seq);
  const referenced = new Set<unknown>([headHash, ...links.map((link) => link.prevHash)]);
  let prevHash = rootHash;
  let lastSeq = 0;
  let lastId: string | undefined;
  let expected = 1;
  const stop = (verdict: FailedVerdict): WalkResult => ({
    verdict,
    lastSeq,
    lastHash: prevHash,
    lastId,
    unplaced,
  });

  for (let index = 0; index < sorted.length; ) {
    const seq = sorted[index]!.seq;
    let end = index;
    while (end < sorted.length && sorted[end]!.seq === seq) end += 1;
    const group = sorted.slice(index, end);
    index = end;

    if (seq > expected) {
      const [misplaced] = unplaced;
      if (misplaced)
        return stop(
          fail('altered', expected, misplaced.id, misplacedMessage(wording, expected, misplaced.id)),
        );
      return stop(
        fail(
          'removed',
          expected,
          undefined,
          `${describe(wording, expected, undefined)} is missing: the chain jumps from #${expected - 1} to #${seq}.`,
        ),
      );
    }

    const link = group[0]!;
    if (group.length > 1) {
      const linking = group.filter(
        (candidate) => candidate.selfConsistent && candidate.belongs && candidate.prevHash === prevHash,
      );
      const genuine = linking.find((candidate) => referenced.has(candidate.hash)) ?? linking[0];
      const intruder = group.find((candidate) => candidate !== genuine)!;
      return stop(
        fail(
          'inserted',
          seq,
          intruder.id,
          `${describe(wording, seq, intruder.id)} is an extra record: ${group.length} records claim position #${seq}.`,
        ),
      );
    }

    if (!link.belongs)
      return stop(
        fail(
          'inserted',
          seq,
          link.id,
          `${describe(wording, seq, link.id)} names a different owner: it was copied in from another chain.`,
        ),
      );
    if (!link.selfConsistent)
      return stop(
        fail(
          'altered',
          seq,
          link.id,
          `${describe(wording, seq, link.id)} was altered: its content no longer matches its stored hash.`,
        ),
      );
    if (link.prevHash !== prevHash) {
      const otherHashes = new Set<unknown>(
        links.filter((other) => other !== link).map((other) => other.hash),
      );
      if (seq !== 1) otherHashes.add(rootHash);
      if (otherHashes.has(link.prevHash))
        return stop(
          fail(
            'reordered',
            seq,
            link.id,
            `${describe(wording, seq, link.id)} is out of order: it links to a record other than #${seq - 1}.`,
          ),
        );
      if (seq === 1)
        return stop(
          fail(
            'altered',
            0,
            undefined,
            `The creation facts of ${wording.owner} were altered: they no longer match the root that ${describe(wording, 1, link.id)} links to.`,
          ),
        );
      return stop(
        fail(
          'altered',
          seq,
          link.id,
          `${describe(wording, seq, link.id)} was altered: its link to #${seq - 1} does not match.`,
        ),
      );
    }

    prevHash = link.hash as string;
    lastSeq = seq;
    lastId = link.id;
    expected = seq + 1;
  }
  return { lastSeq, lastHash: prevHash, lastId, unplaced };
}

function misplacedMessage(wording: Wording, missing: number, id: string | undefined): string {
  return `${describe(wording, missing, undefined)} is missing and ${wording.noun}${id === undefined ? '' : ` ${id}`} has no valid sequence number: its position was changed.`;
}

/** A link that fits nowhere in an otherwise intact chain sits beyond its end. */
function unplacedVerdict(result: WalkResult, wording: Wording): FailedVerdict | undefined {
  const [extra] = result.unplaced;
  if (!extra) return undefined;
  const seq = result.lastSeq + 1;
  return fail(
    'inserted',
    seq,
    extra.id,
    `${wording.noun} ${extra.id === undefined ? '' : `(id ${extra.id}) `}of ${wording.owner} has no valid position in the chain.`,
  );
}

/**
 * How an auditor verifies: with the chain key, links must be keyed (HMAC); `allowUnkeyed` also accepts
 * links made before keying (plain SHA-256), for tables not yet migrated. Without a key, only the legacy
 * unkeyed form can be checked.
 */
export interface VerifyOptions {
  key?: ChainKey;
  allowUnkeyed?: boolean;
}

type Item = Record<string, unknown>;

/** Whether a stored hash is the keyed hash of its fields (or, where allowed, the legacy unkeyed one). */
function matches(stored: unknown, compute: (key: ChainKey) => string, options: VerifyOptions): boolean {
  if (typeof stored !== 'string') return false;
  if (options.key && safely(() => compute(options.key)) === stored) return true;
  if (options.key && !options.allowUnkeyed) return false;
  return safely(() => compute(undefined)) === stored;
}

/** The root a chain starts from: keyed, or the legacy one where allowed and the first link points to it. */
function keyedRoot(
  keyed: () => string,
  unkeyed: () => string,
  options: VerifyOptions,
): { pick(firstPrev: unknown): string } | undefined {
  const primary = safely(options.key ? keyed : unkeyed);
  if (primary === undefined) return undefined;
  const legacy = options.key && options.allowUnkeyed ? safely(unkeyed) : undefined;
  return { pick: (firstPrev) => (legacy !== undefined && firstPrev === legacy ? legacy : primary) };
}

/**
 * Verifies a conversation's events against its creation facts and its head (`chain`, `version`). Events
 * are given as read from the table, in any order; nothing about them is trusted.
 */
export function verifyConversationChain(
  conversation: ConversationGenesis & { version: number; chain?: ChainHead | undefined },
  events: readonly unknown[],
  options: VerifyOptions = {},
): ChainVerdict {
  const wording: Wording = { noun: 'event', owner: `conversation ${conversation.id}` };
  const keyed = keyedRoot(
    () => genesisHash(conversation, options.key),
    () => genesisHash(conversation),
    options,
  );
  if (keyed === undefined)
    return fail('altered', 0, undefined, `The creation facts of ${wording.owner} cannot be read.`);
  const firstPrev = events.find((raw) => isRecord(raw) && raw.seq === 1) as Item | undefined;
  const rootHash = keyed.pick(
    firstPrev?.prevHash ?? (isRecord(conversation.chain) ? conversation.chain.hash : undefined),
  );

  const links: Link[] = events.map((raw) => {
    const record = isRecord(raw) ? raw : {};
    const { conversationId, eventId, seq, event, actor, claimedAt, prevHash, hash } = record;
    const id = typeof eventId === 'string' ? eventId : undefined;
    const wellFormed =
      typeof conversationId === 'string' &&
      id !== undefined &&
      isPosition(seq) &&
      isRecord(event) &&
      typeof actor === 'string' &&
      (claimedAt === undefined || typeof claimedAt === 'string') &&
      typeof prevHash === 'string' &&
      typeof hash === 'string';
    const input = wellFormed
      ? { conversationId, eventId: id, seq, event, actor, claimedAt, prevHash }
      : undefined;
    return {
      seq: typeof seq === 'number' ? seq : Number.NaN,
      id,
      prevHash,
      hash,
      selfConsistent: input !== undefined && matches(hash, (key) => eventHash(input, key), options),
      belongs: typeof conversationId !== 'string' || conversationId === conversation.id,
    };
  });

  const chain = isRecord(conversation.chain) ? conversation.chain : undefined;
  const result = walk(links, rootHash, chain?.hash, wording);
  if (result.verdict) return result.verdict;

  const { lastSeq, lastHash, lastId } = result;
  const version: unknown = conversation.version;
  const headSeq: unknown = chain?.seq;
  const claimsMore =
    (typeof headSeq === 'number' && headSeq > lastSeq) || (typeof version === 'number' && version > lastSeq);
  if (claimsMore) {
    const unplaced = unplacedVerdict(result, wording);
    if (unplaced)
      return fail(
        'altered',
        lastSeq + 1,
        unplaced.eventId,
        misplacedMessage(wording, lastSeq + 1, unplaced.eventId),
      );
    const claimed = Math.max(
      typeof headSeq === 'number' ? headSeq : 0,
      typeof version === 'number' ? version : 0,
    );
    return fail(
      'removed',
      lastSeq + 1,
      undefined,
      `${describe(wording, lastSeq + 1, undefined)} is missing: the conversation records ${claimed} events but only ${lastSeq} remain.`,
    );
  }
  const unplaced = unplacedVerdict(result, wording);
  if (unplaced) return unplaced;
  if (chain === undefined)
    return fail('head_mismatch', lastSeq, lastId, `${wording.owner} has no chain head.`);
  if (headSeq !== lastSeq || version !== lastSeq)
    return fail(
      'head_mismatch',
      lastSeq,
      lastId,
      `The head of ${wording.owner} does not match its events: the table holds ${lastSeq} chained events but its chain head or version says otherwise.`,
    );
  if (chain.hash !== lastHash)
    return fail(
      'head_mismatch',
      lastSeq,
      lastId,
      lastSeq === 0
        ? `The head of ${wording.owner} does not match the root of its chain: its creation facts or its head were altered.`
        : `The head of ${wording.owner} does not match its last event, #${lastSeq}${lastId === undefined ? '' : ` (id ${lastId})`}.`,
    );
  return { ok: true, length: lastSeq };
}

/** Actions after which a task's status is settled; a settled status must agree with the last entry. */
const SETTLING_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  done: ['completed', 'closed'],
  cancelled: ['cancelled'],
};

/**
 * Verifies a task's history against its creation facts. A task has no separate head, so a removed last
 * entry is caught only when it settled the task (its status then disagrees with the remaining history).
 */
export function verifyTaskChain(
  task: TaskGenesis & Partial<TaskFacts> & { history: readonly unknown[]; status?: string | undefined },
  options: VerifyOptions = {},
): ChainVerdict {
  const wording: Wording = { noun: 'history entry', owner: `task ${task.id}` };
  const history: readonly unknown[] = Array.isArray(task.history) ? task.history : [];
  const keyed = keyedRoot(
    () => taskGenesisHash(task, options.key),
    () => taskGenesisHash(task),
    options,
  );
  if (keyed === undefined)
    return fail('altered', 0, undefined, `The creation facts of ${wording.owner} cannot be read.`);
  const first = history.find((raw) => isRecord(raw) && raw.seq === 1) as Item | undefined;
  const rootHash = keyed.pick(first?.prevHash);

  const links: Link[] = history.map((raw) => {
    const record = isRecord(raw) ? raw : {};
    const { seq, at, action, by, factsHash, prevHash, hash } = record;
    const wellFormed =
      isPosition(seq) &&
      typeof at === 'string' &&
      typeof action === 'string' &&
      typeof by === 'string' &&
      (factsHash === undefined || typeof factsHash === 'string') &&
      typeof prevHash === 'string' &&
      typeof hash === 'string';
    const input = wellFormed ? { taskId: task.id, seq, at, action, by, factsHash, prevHash } : undefined;
    return {
      seq: typeof seq === 'number' ? seq : Number.NaN,
      id: undefined,
      prevHash,
      hash,
      selfConsistent: input !== undefined && matches(hash, (key) => historyEntryHash(input, key), options),
      belongs: true,
    };
  });

  // Every task is opened with an entry, so an empty history means entries were removed.
  if (links.length === 0)
    return fail(
      'removed',
      1,
      undefined,
      `${describe(wording, 1, undefined)} is missing: the history is empty.`,
    );

  const result = walk(links, rootHash, undefined, wording);
  if (result.verdict) return result.verdict;
  const unplaced = unplacedVerdict(result, wording);
  if (unplaced) return unplaced;

  const last = history.find((raw) => isRecord(raw) && raw.seq === result.lastSeq) as Item | undefined;
  // Issue 16: the last entry committed to what the task says now (status, owner, evidence, reason, closure).
  if (typeof last?.factsHash === 'string') {
    const facts = task as unknown as TaskFacts;
    if (!matches(last.factsHash, (key) => taskFactsHash(facts, key), options))
      return fail(
        'altered',
        result.lastSeq,
        undefined,
        `${wording.owner} was altered: its status, owner, evidence, reason or closure no longer match what its last history entry, #${result.lastSeq}, recorded.`,
      );
  } else if (options.key && !options.allowUnkeyed) {
    return fail(
      'altered',
      result.lastSeq,
      undefined,
      `${describe(wording, result.lastSeq, undefined)} commits to none of the task's facts.`,
    );
  }
  const settling = task.status === undefined ? undefined : SETTLING_ACTIONS[task.status];
  if (settling) {
    if (!settling.includes(String(last?.action)))
      return fail(
        'head_mismatch',
        result.lastSeq,
        undefined,
        `The status of ${wording.owner} (${task.status}) disagrees with its last history entry, #${result.lastSeq}: an entry was removed or the status was changed.`,
      );
  }
  return { ok: true, length: result.lastSeq };
}
