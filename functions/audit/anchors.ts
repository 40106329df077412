import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { KeyProvider } from '../crypto/key-provider.ts';
import { keys } from '../storage/table.ts';
import { canonicalJson, genesisHash, taskGenesisHash } from './chain.ts';

/**
 * Issue 16: the chain heads anchored outside the table. Keyed links stop an insider with table write access
 * from recomputing a chain, but not from cutting its tail back to an earlier (genuine) link, deleting a
 * whole conversation, or deleting records of who read it. So a job periodically writes, to a store the
 * table's writers cannot touch (S3 with Object Lock in compliance mode; a directory locally), what changed
 * since its last anchor: each conversation's and task's head, and a digest of each append-only audit
 * partition (reads, erasures) up to a cutoff. Each anchor is MACed with the deployment's HMAC key and names
 * the hash of the one before it. The auditor folds them all and checks the table still holds every anchored
 * head, unless the record's own expiry or a recorded erasure accounts for it.
 */

export interface AnchorStore {
  /** Anchor names, in order. */
  list(): Promise<string[]>;
  get(name: string): Promise<string>;
  /** Writes a new anchor; refuses to overwrite one that exists. */
  putOnce(name: string, body: string): Promise<void>;
}

export interface HeadEntry {
  seq: number;
  hash: string;
  org: string;
  /** The keyed hash of the subject reference (records-requests' `subjectRefHash`), to recognise an erasure. */
  subject: string;
  /** A conversation's TTL: once passed, its removal is the expiry, not tampering. */
  expiresAt?: number;
}

export interface LogEntry {
  /** Items whose time (the sort key's leading instant) is at or before this are covered. */
  cutoff: string;
  count: number;
  digest: string;
}

export interface AnchorBody {
  format: 'cse-anchor:v1';
  seq: number;
  at: string;
  /** SHA-256 of the previous anchor's body, so a removed or reordered anchor is seen. */
  prev: string | null;
  conversations: Record<string, HeadEntry>;
  tasks: Record<string, HeadEntry>;
  logs: Record<string, LogEntry>;
}

/** The partitions that are only ever appended to, whose sort keys start with the instant of the entry. */
const LOG_PREFIXES = [keys.reads(''), keys.erasuresOfOrg('')] as const;
/** Entries this close to the scan are left to the next anchor, so a write in flight is never half-counted. */
const CUTOFF_MARGIN_MS = 60_000;
const INSTANT_LENGTH = '2026-01-01T00:00:00.000Z'.length;

const nameOf = (seq: number) => `anchor-${String(seq).padStart(10, '0')}.json`;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

interface StoredAnchor {
  body: string;
  mac: string;
}

type Item = Record<string, unknown>;

interface Folded {
  last: { seq: number; bodyHash: string } | null;
  conversations: Map<string, HeadEntry>;
  tasks: Map<string, HeadEntry>;
  logs: Map<string, LogEntry>;
}

export interface AnchorProblem {
  /** `anchor`: an anchor itself is forged, missing or out of order. */
  kind: 'anchor' | 'conversation' | 'task' | 'log';
  id: string;
  problem: 'altered' | 'removed';
  message: string;
}

/** Reads and checks every anchor (MAC, order, links) and folds them into the heads they vouch for. */
export async function foldAnchors(
  store: AnchorStore,
  macs: Pick<KeyProvider, 'mac'>,
): Promise<{ folded: Folded; problems: AnchorProblem[] }> {
  const folded: Folded = { last: null, conversations: new Map(), tasks: new Map(), logs: new Map() };
  const problems: AnchorProblem[] = [];
  for (const name of await store.list()) {
    let stored: StoredAnchor;
    let body: AnchorBody;
    try {
      stored = JSON.parse(await store.get(name)) as StoredAnchor;
      body = JSON.parse(stored.body) as AnchorBody;
    } catch {
      problems.push({
        kind: 'anchor',
        id: name,
        problem: 'altered',
        message: `anchor ${name} cannot be read.`,
      });
      break;
    }
    if ((await macs.mac('chain-anchor', stored.body)) !== stored.mac) {
      problems.push({
        kind: 'anchor',
        id: name,
        problem: 'altered',
        message: `anchor ${name} does not carry a valid MAC: it was not written by the anchor job.`,
      });
      break;
    }
    const expectedSeq = (folded.last?.seq ?? 0) + 1;
    if (
      body.seq !== expectedSeq ||
      body.prev !== (folded.last?.bodyHash ?? null) ||
      name !== nameOf(body.seq)
    ) {
      problems.push({
        kind: 'anchor',
        id: name,
        problem: 'removed',
        message: `anchor ${name} does not follow anchor #${expectedSeq - 1}: an anchor is missing or out of order.`,
      });
      break;
    }
    for (const [id, entry] of Object.entries(body.conversations)) folded.conversations.set(id, entry);
    for (const [id, entry] of Object.entries(body.tasks)) folded.tasks.set(id, entry);
    for (const [pk, entry] of Object.entries(body.logs)) folded.logs.set(pk, entry);
    folded.last = { seq: body.seq, bodyHash: sha256(stored.body) };
  }
  return { folded, problems };
}

interface TableHeads {
  conversations: Map<string, HeadEntry>;
  tasks: Map<string, HeadEntry>;
  logs: Map<string, LogEntry>;
}

async function scanTable(doc: DynamoDBDocumentClient, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

function logDigest(sortKeys: readonly string[]): string {
  return sha256([...sortKeys].sort().join('\n'));
}

const instantOf = (sortKey: string) => sortKey.slice(0, INSTANT_LENGTH);

/** The heads in the table now, with the keyed subject hash of each (asked once per subject). */
async function headsOf(
  items: readonly Item[],
  macs: Pick<KeyProvider, 'mac'>,
  cutoff: string,
): Promise<TableHeads> {
  const subjects = new Map<string, Promise<string>>();
  const subjectOf = (org: string, ref: string) => {
    const key = `${org}\n${ref}`;
    let mac = subjects.get(key);
    if (!mac) {
      mac = macs.mac('subject-ref', key);
      subjects.set(key, mac);
    }
    return mac;
  };
  const heads: TableHeads = { conversations: new Map(), tasks: new Map(), logs: new Map() };
  const logKeys = new Map<string, string[]>();
  for (const item of items) {
    const pk = String(item.pk);
    const sk = String(item.sk);
    if (item.kind === 'conversation' && sk === keys.conversation('').sk) {
      const chain = item.chain as { seq: number; hash: string };
      heads.conversations.set(String(item.id), {
        seq: chain.seq,
        hash: chain.hash,
        org: String(item.org),
        subject: await subjectOf(String(item.org), String(item.subjectRef)),
        ...(typeof item.expiresAt === 'number' ? { expiresAt: item.expiresAt } : {}),
      });
    } else if (item.kind === 'task' && sk === keys.task('').sk) {
      const last = (item.history as Array<{ seq: number; hash: string }>).at(-1);
      if (!last) continue;
      heads.tasks.set(String(item.id), {
        seq: last.seq,
        hash: last.hash,
        org: String(item.org),
        subject: await subjectOf(String(item.org), String(item.subjectRef)),
      });
    } else if (LOG_PREFIXES.some((prefix) => pk.startsWith(prefix)) && instantOf(sk) <= cutoff) {
      const list = logKeys.get(pk) ?? [];
      list.push(sk);
      logKeys.set(pk, list);
    }
  }
  for (const [pk, sortKeys] of logKeys)
    heads.logs.set(pk, { cutoff, count: sortKeys.length, digest: logDigest(sortKeys) });
  return heads;
}

const sameHead = (a: HeadEntry | undefined, b: HeadEntry) =>
  a !== undefined && a.seq === b.seq && a.hash === b.hash && a.expiresAt === b.expiresAt;
const sameLog = (a: LogEntry | undefined, b: LogEntry) =>
  a !== undefined && a.count === b.count && a.digest === b.digest;

/**
 * Writes the next anchor: every head and audit partition that changed since the anchors already written.
 * Returns the anchor's number and how many entries it holds (an anchor is written even when nothing
 * changed, so a gap in the anchors' times means the job stopped).
 */
export async function writeAnchor(options: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  store: AnchorStore;
  keys: Pick<KeyProvider, 'mac'>;
  now: () => Date;
}): Promise<{ seq: number; entries: number }> {
  const { folded, problems } = await foldAnchors(options.store, options.keys);
  if (problems.length > 0)
    throw new Error(
      `the anchors already written do not verify (${problems[0]!.message}); not extending them`,
    );
  const started = options.now();
  const cutoff = new Date(started.getTime() - CUTOFF_MARGIN_MS).toISOString();
  const heads = await headsOf(await scanTable(options.doc, options.tableName), options.keys, cutoff);
  const pick = <T>(
    current: Map<string, T>,
    known: Map<string, T>,
    same: (a: T | undefined, b: T) => boolean,
  ) =>
    Object.fromEntries(
      [...current].filter(([id, entry]) => !same(known.get(id), entry)).sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  const seq = (folded.last?.seq ?? 0) + 1;
  const body: AnchorBody = {
    format: 'cse-anchor:v1',
    seq,
    at: started.toISOString(),
    prev: folded.last?.bodyHash ?? null,
    conversations: pick(heads.conversations, folded.conversations, sameHead),
    tasks: pick(heads.tasks, folded.tasks, sameHead),
    logs: pick(heads.logs, folded.logs, sameLog),
  };
  const text = canonicalJson(body);
  const mac = await options.keys.mac('chain-anchor', text);
  await options.store.putOnce(nameOf(seq), JSON.stringify({ body: text, mac }));
  const entries =
    Object.keys(body.conversations).length + Object.keys(body.tasks).length + Object.keys(body.logs).length;
  return { seq, entries };
}

/**
 * Checks the table against every anchor: each anchored head is still in its chain (at its position, with
 * its hash), each anchored audit partition still holds exactly what it held up to its cutoff. A record
 * that is gone is accounted for only by its own expiry or by an erasure record that names it.
 */
export async function verifyAnchors(options: {
  doc: DynamoDBDocumentClient;
  tableName: string;
  store: AnchorStore;
  keys: Pick<KeyProvider, 'mac'>;
  chainKey: Uint8Array;
  now: () => Date;
}): Promise<{ anchors: number; problems: AnchorProblem[] }> {
  const { doc, tableName } = options;
  const { folded, problems } = await foldAnchors(options.store, options.keys);
  const erased = await erasuresOf(doc, tableName, [
    ...new Set([...folded.conversations.values(), ...folded.tasks.values()].map((entry) => entry.org)),
  ]);
  const nowSeconds = options.now().getTime() / 1000;
  const accountedFor = (id: string, entry: HeadEntry, conversationId = id) =>
    erased.ids.has(conversationId) ||
    erased.subjects.has(entry.subject) ||
    (entry.expiresAt !== undefined && entry.expiresAt <= nowSeconds);

  for (const [id, entry] of folded.conversations) {
    const conversation = await getItem(doc, tableName, keys.conversation(id));
    if (!conversation) {
      if (!accountedFor(id, entry))
        problems.push({
          kind: 'conversation',
          id,
          problem: 'removed',
          message: `conversation ${id} was anchored at event #${entry.seq} but is no longer in the table, and no expiry or erasure accounts for it.`,
        });
      continue;
    }
    const verdict = await anchoredLinkHolds(doc, tableName, conversation, id, entry, options.chainKey);
    if (verdict)
      problems.push({ kind: 'conversation', id, problem: verdict.problem, message: verdict.message });
  }

  for (const [id, entry] of folded.tasks) {
    const task = await getItem(doc, tableName, keys.task(id));
    if (!task) {
      if (!accountedFor(id, entry, id.slice(0, id.indexOf('.'))))
        problems.push({
          kind: 'task',
          id,
          problem: 'removed',
          message: `task ${id} was anchored at history entry #${entry.seq} but is no longer in the table.`,
        });
      continue;
    }
    const history = Array.isArray(task.history) ? (task.history as Item[]) : [];
    const at = history.find((link) => link.seq === entry.seq);
    const root = entry.seq === 0 ? taskGenesisHash(task as never, options.chainKey) : undefined;
    if ((at?.hash ?? root) !== entry.hash)
      problems.push({
        kind: 'task',
        id,
        problem: at || entry.seq === 0 ? 'altered' : 'removed',
        message: `task ${id} no longer holds the history entry #${entry.seq} that was anchored: its history was rewritten or cut.`,
      });
  }

  for (const [pk, entry] of folded.logs) {
    const sortKeys = (await partitionKeys(doc, tableName, pk)).filter((sk) => instantOf(sk) <= entry.cutoff);
    const conversationId = pk.startsWith(keys.reads('')) ? pk.slice(keys.reads('').length) : undefined;
    const gone =
      conversationId !== undefined && !(await getItem(doc, tableName, keys.conversation(conversationId)));
    const conversationEntry = conversationId ? folded.conversations.get(conversationId) : undefined;
    if (gone && conversationEntry && accountedFor(conversationId!, conversationEntry)) continue;
    if (sortKeys.length !== entry.count || logDigest(sortKeys) !== entry.digest)
      problems.push({
        kind: 'log',
        id: pk,
        problem: sortKeys.length < entry.count ? 'removed' : 'altered',
        message: `audit partition ${pk} held ${entry.count} records up to ${entry.cutoff} when anchored and now holds ${sortKeys.length} (or different ones).`,
      });
  }
  return { anchors: folded.last?.seq ?? 0, problems };
}

/** Whether the conversation still holds the anchored link (the genesis for #0) and has not been cut back. */
async function anchoredLinkHolds(
  doc: DynamoDBDocumentClient,
  tableName: string,
  conversation: Item,
  id: string,
  entry: HeadEntry,
  chainKey: Uint8Array,
): Promise<{ problem: 'altered' | 'removed'; message: string } | undefined> {
  const version = typeof conversation.version === 'number' ? conversation.version : -1;
  if (version < entry.seq)
    return {
      problem: 'removed',
      message: `conversation ${id} was anchored with ${entry.seq} events and now records ${version}: its last events were cut.`,
    };
  if (entry.seq === 0) {
    return genesisHash(conversation as never, chainKey) === entry.hash
      ? undefined
      : {
          problem: 'altered',
          message: `the creation facts of conversation ${id} differ from those anchored.`,
        };
  }
  const events = await partitionItems(doc, tableName, keys.conversation(id).pk, keys.eventPrefix);
  const link = events.find((event) => event.seq === entry.seq);
  if (!link)
    return {
      problem: 'removed',
      message: `event #${entry.seq} of conversation ${id}, which was anchored, is gone.`,
    };
  if (link.hash !== entry.hash)
    return {
      problem: 'altered',
      message: `event #${entry.seq} of conversation ${id} is not the one anchored: its chain was rewritten.`,
    };
  return undefined;
}

async function erasuresOf(doc: DynamoDBDocumentClient, tableName: string, orgs: readonly string[]) {
  const ids = new Set<string>();
  const subjects = new Set<string>();
  for (const org of orgs) {
    for (const item of await partitionItems(doc, tableName, keys.erasuresOfOrg(org))) {
      if (typeof item.subjectRefHash === 'string') subjects.add(item.subjectRefHash);
      if (Array.isArray(item.conversationIds)) for (const id of item.conversationIds) ids.add(String(id));
    }
  }
  return { ids, subjects };
}

async function getItem(doc: DynamoDBDocumentClient, tableName: string, key: Item): Promise<Item | undefined> {
  const got = await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return got.Item;
}

async function partitionItems(
  doc: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
  prefix?: string,
): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':prefix': prefix } : {}) },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

async function partitionKeys(doc: DynamoDBDocumentClient, tableName: string, pk: string): Promise<string[]> {
  return (await partitionItems(doc, tableName, pk)).map((item) => String(item.sk));
}
