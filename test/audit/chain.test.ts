import { describe, expect, it } from 'vitest';
import {
  appendHistory,
  type ChainedHistoryEntry,
  type ChainVerdict,
  canonicalJson,
  eventHash,
  genesisChain,
  genesisHash,
  historyEntryHash,
  linkEvent,
  taskGenesisHash,
  verifyConversationChain,
  verifyTaskChain,
} from '#functions/audit/chain.ts';

const conversationFacts = {
  id: 'conv-1',
  flow: 'cse-screening',
  flowVersion: '1',
  instrument: { id: 'default', version: '1' },
  subjectRef: 'CASE-1',
  org: 'county-a',
  unit: 'intake',
  owner: 'caseworker-1',
  createdAt: '2026-11-28T17:00:00.000Z',
};

const SECRET_ANSWER = 'the-secret-answer';

interface StoredEvent {
  conversationId: string;
  eventId: string;
  seq: number;
  event: Record<string, unknown>;
  actor: string;
  prevHash: string;
  hash: string;
}

function buildConversation(count: number) {
  const events: StoredEvent[] = [];
  let head = genesisChain(conversationFacts);
  for (let seq = 1; seq <= count; seq += 1) {
    const fields = {
      conversationId: conversationFacts.id,
      eventId: `evt-${seq}`,
      seq,
      event: {
        type: 'answer.given',
        promptId: `q${seq}`,
        value: seq === 2 ? SECRET_ANSWER : 'yes',
        at: `2026-11-28T17:0${seq}:00.000Z`,
      },
      actor: 'caseworker-1',
    };
    const link = linkEvent(head, fields);
    events.push({ ...fields, ...link });
    head = { seq, hash: link.hash };
  }
  return { conversation: { ...conversationFacts, version: count, chain: head }, events };
}

function expectFailure(verdict: ChainVerdict) {
  if (verdict.ok) throw new Error('expected the chain to fail verification');
  expect(verdict.message).not.toContain(SECRET_ANSWER);
  return verdict;
}

/** Recomputes one event's own hash, as an attacker who knows the scheme would. */
function rehash(event: StoredEvent): StoredEvent {
  const { hash: _hash, ...fields } = event;
  return { ...event, hash: eventHash(fields) };
}

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order, omits undefined members and has no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson('é"\n')).toBe(JSON.stringify('é"\n'));
  });

  it('refuses values that would not survive a round trip through DynamoDB', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson([1, undefined])).toThrow(TypeError);
    expect(() => canonicalJson({ when: new Date(0) })).toThrow(TypeError);
    expect(() => canonicalJson(new Set([1]))).toThrow(TypeError);
    expect(() => canonicalJson(1n)).toThrow(TypeError);
  });
});

describe('hashes', () => {
  it('are SHA-256 hex and separated by a domain tag per kind', () => {
    const shared = {
      id: 'x',
      conversationId: 'x',
      subjectRef: 'x',
      org: 'x',
      ruleId: 'x',
      requirementId: 'x',
      receivedAt: 'x',
      dueAt: 'x',
      createdAt: 'x',
      flow: 'x',
      flowVersion: 'x',
      instrument: { id: 'x', version: 'x' },
      owner: 'x',
    };
    const link = { seq: 1, prevHash: 'p' };
    const hashes = [
      genesisHash(shared),
      taskGenesisHash(shared),
      eventHash({ ...link, conversationId: 'x', eventId: 'x', event: {}, actor: 'x' }),
      historyEntryHash({ ...link, taskId: 'x', at: 'x', action: 'x', by: 'x' }),
    ];
    for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('cover only the creation facts of a record, and an absent unit is the same as an undefined one', () => {
    const { unit: _unit, ...withoutUnit } = conversationFacts;
    expect(genesisHash({ ...withoutUnit, unit: undefined })).toBe(genesisHash(withoutUnit));
    expect(genesisHash({ ...conversationFacts, status: 'paused' } as typeof conversationFacts)).toBe(
      genesisHash(conversationFacts),
    );
    expect(genesisHash({ ...conversationFacts, subjectRef: 'CASE-2' })).not.toBe(
      genesisHash(conversationFacts),
    );
  });
});

describe('verifyConversationChain', () => {
  it('accepts an intact chain in any storage order, and an empty one', () => {
    const { conversation, events } = buildConversation(4);
    expect(verifyConversationChain(conversation, events)).toEqual({ ok: true, length: 4 });
    expect(verifyConversationChain(conversation, [...events].reverse())).toEqual({ ok: true, length: 4 });
    const empty = buildConversation(0);
    expect(verifyConversationChain(empty.conversation, [])).toEqual({ ok: true, length: 0 });
  });

  it.each([
    ['value', (event: StoredEvent) => ({ ...event, event: { ...event.event, value: 'no' } })],
    ['actor', (event: StoredEvent) => ({ ...event, actor: 'someone-else' })],
    ['at', (event: StoredEvent) => ({ ...event, event: { ...event.event, at: '2026-11-29T00:00:00.000Z' } })],
  ])('names the altered event when its %s is changed', (_field, tamper) => {
    const { conversation, events } = buildConversation(4);
    events[1] = tamper(events[1]!);
    const verdict = expectFailure(verifyConversationChain(conversation, events));
    expect(verdict).toMatchObject({ problem: 'altered', seq: 2, eventId: 'evt-2' });
    expect(verdict.message).toContain('#2');
    expect(verdict.message).toContain('evt-2');
  });

  it('catches an altered event even when its own hash was recomputed (the next link breaks)', () => {
    const { conversation, events } = buildConversation(4);
    events[1] = rehash({ ...events[1]!, event: { ...events[1]!.event, value: 'no' } });
    expect(expectFailure(verifyConversationChain(conversation, events))).toMatchObject({
      problem: 'altered',
      seq: 3,
      eventId: 'evt-3',
    });
  });

  it('reports a removed middle event by its position', () => {
    const { conversation, events } = buildConversation(4);
    events.splice(1, 1);
    const verdict = expectFailure(verifyConversationChain(conversation, events));
    expect(verdict).toMatchObject({ problem: 'removed', seq: 2 });
    expect(verdict.eventId).toBeUndefined();
  });

  it('reports a removed first event', () => {
    const { conversation, events } = buildConversation(3);
    events.shift();
    expect(expectFailure(verifyConversationChain(conversation, events))).toMatchObject({
      problem: 'removed',
      seq: 1,
    });
  });

  it('reports a removed last event against the head', () => {
    const { conversation, events } = buildConversation(4);
    events.pop();
    expect(expectFailure(verifyConversationChain(conversation, events))).toMatchObject({
      problem: 'removed',
      seq: 4,
    });
  });

  it('reports a head that does not match the last event', () => {
    const { conversation, events } = buildConversation(3);
    const wrongHash = { ...conversation, chain: { seq: 3, hash: events[1]!.hash } };
    expect(expectFailure(verifyConversationChain(wrongHash, events))).toMatchObject({
      problem: 'head_mismatch',
      seq: 3,
      eventId: 'evt-3',
    });
    const behind = { ...conversation, version: 2, chain: { seq: 2, hash: events[1]!.hash } };
    expect(expectFailure(verifyConversationChain(behind, events))).toMatchObject({
      problem: 'head_mismatch',
    });
    const { chain: _chain, ...headless } = conversation;
    expect(expectFailure(verifyConversationChain(headless, events))).toMatchObject({
      problem: 'head_mismatch',
    });
    expect(
      expectFailure(
        verifyConversationChain({ ...conversation, chain: { seq: 0, hash: 'x' }, version: 0 }, []),
      ),
    ).toMatchObject({ problem: 'head_mismatch', seq: 0 });
  });

  it('reports a version that claims more events than exist as removed', () => {
    const { conversation, events } = buildConversation(2);
    expect(expectFailure(verifyConversationChain({ ...conversation, version: 3 }, events))).toMatchObject({
      problem: 'removed',
      seq: 3,
    });
  });

  it('detects two events whose seq were swapped, at the first bad position', () => {
    const { conversation, events } = buildConversation(4);
    const [second, third] = [events[1]!, events[2]!];
    events[1] = { ...second, seq: 3 };
    events[2] = { ...third, seq: 2 };
    expect(expectFailure(verifyConversationChain(conversation, events))).toMatchObject({
      problem: 'altered',
      seq: 2,
      eventId: 'evt-3',
    });
  });

  it('calls an event moved forward with a recomputed own hash reordered', () => {
    const { conversation, events } = buildConversation(4);
    const [second, third] = [events[1]!, events[2]!];
    events[1] = { ...second, seq: 3 };
    events[2] = rehash({ ...third, seq: 2 });
    expect(expectFailure(verifyConversationChain(conversation, events))).toMatchObject({
      problem: 'reordered',
      seq: 2,
      eventId: 'evt-3',
    });
  });

  it('reports a second record at an existing position as inserted, naming the intruder', () => {
    const { conversation, events } = buildConversation(3);
    const forged = rehash({
      ...events[1]!,
      eventId: 'evt-forged',
      event: { ...events[1]!.event, value: 'no' },
    });
    const verdict = expectFailure(verifyConversationChain(conversation, [forged, ...events]));
    expect(verdict).toMatchObject({ problem: 'inserted', seq: 2, eventId: 'evt-forged' });
  });

  it('reports an event copied from another conversation as inserted', () => {
    const { conversation, events } = buildConversation(2);
    events[1] = rehash({ ...events[1]!, conversationId: 'conv-2' });
    expect(expectFailure(verifyConversationChain(conversation, events))).toMatchObject({
      problem: 'inserted',
      seq: 2,
    });
  });

  it('traces altered creation facts to the root (seq 0)', () => {
    const { conversation, events } = buildConversation(2);
    expect(
      expectFailure(verifyConversationChain({ ...conversation, subjectRef: 'CASE-OTHER' }, events)),
    ).toMatchObject({ problem: 'altered', seq: 0 });
  });

  it('never throws on malformed records', () => {
    const { conversation, events } = buildConversation(3);
    const garbage: unknown[] = [null, 'x', { ...events[0], seq: 'one' }, { ...events[1], event: new Set() }];
    expect(verifyConversationChain(conversation, garbage).ok).toBe(false);
    expect(
      verifyConversationChain(conversation, [events[0], { ...events[1], seq: 2.5 }, events[2]]),
    ).toMatchObject({ ok: false, problem: 'altered', seq: 2, eventId: 'evt-2' });
  });
});

describe('task history chain', () => {
  const taskFacts = {
    id: 'conv-1.R-REPORT-1',
    conversationId: 'conv-1',
    subjectRef: 'CASE-1',
    org: 'county-a',
    ruleId: 'R-REPORT-1',
    requirementId: 'R-REPORT-1',
    receivedAt: '2026-11-28T16:00:00.000Z',
    dueAt: '2026-11-29T16:00:00.000Z',
    createdAt: '2026-11-28T17:00:00.000Z',
  };
  const open = { status: 'open', owner: 'cw-1', unit: 'unit-1' };
  type Action = 'opened' | 'reminded' | 'completed';

  function buildTask() {
    let history: ChainedHistoryEntry<Action>[] = [];
    history = appendHistory({ ...taskFacts, ...open, history }, [
      { at: taskFacts.createdAt, action: 'opened', by: 'cw-1' },
    ]);
    history = appendHistory({ ...taskFacts, ...open, history }, [
      { at: '2026-11-29T04:00:00.000Z', action: 'reminded', by: 'system' },
      { at: '2026-11-29T04:00:00.000Z', action: 'reminded', by: 'system' },
    ]);
    const done = { ...open, status: 'done' };
    history = appendHistory({ ...taskFacts, ...done, history }, [
      { at: '2026-11-29T10:00:00.000Z', action: 'completed', by: 'cw-1' },
    ]);
    return { ...taskFacts, ...done, history };
  }

  it('chains entries from the genesis with 1-based seq', () => {
    const task = buildTask();
    expect(task.history.map((entry) => entry.seq)).toEqual([1, 2, 3, 4]);
    expect(task.history[0]!.prevHash).toBe(taskGenesisHash(taskFacts));
    expect(task.history[1]!.prevHash).toBe(task.history[0]!.hash);
    expect(verifyTaskChain(task)).toEqual({ ok: true, length: 4 });
  });

  it('refuses to append to an unchained history', () => {
    const legacy = [
      { at: taskFacts.createdAt, action: 'opened', by: 'cw-1' },
    ] as unknown as ChainedHistoryEntry[];
    expect(() =>
      appendHistory({ ...taskFacts, ...open, history: legacy }, [{ at: 'x', action: 'closed', by: 'y' }]),
    ).toThrow(/not chained/);
  });

  it.each([
    ['by', { by: 'someone-else' }],
    ['at', { at: '2026-11-29T23:00:00.000Z' }],
    ['action', { action: 'escalated' }],
  ])('names the altered entry when its %s is changed', (_field, change) => {
    const task = buildTask();
    task.history[2] = { ...task.history[2]!, ...(change as object) };
    expect(expectFailure(verifyTaskChain(task))).toMatchObject({ problem: 'altered', seq: 3 });
  });

  it('reports removed, reordered and settled-status problems', () => {
    const removed = buildTask();
    removed.history.splice(1, 1);
    expect(expectFailure(verifyTaskChain(removed))).toMatchObject({ problem: 'removed', seq: 2 });

    const swapped = buildTask();
    const [first, second] = [swapped.history[0]!, swapped.history[1]!];
    swapped.history[0] = second;
    swapped.history[1] = first;
    expect(verifyTaskChain(swapped)).toEqual({ ok: true, length: 4 });
    swapped.history[1] = { ...second, seq: 1 };
    swapped.history[0] = { ...first, seq: 2 };
    expect(expectFailure(verifyTaskChain(swapped))).toMatchObject({ problem: 'altered', seq: 1 });

    const truncated = buildTask();
    truncated.history.pop();
    // Issue 16: the last remaining entry committed to the task being open, so "done" is an alteration.
    expect(expectFailure(verifyTaskChain(truncated))).toMatchObject({ problem: 'altered', seq: 3 });
    expect(verifyTaskChain({ ...truncated, status: 'open' })).toEqual({ ok: true, length: 3 });

    expect(expectFailure(verifyTaskChain({ ...buildTask(), history: [] }))).toMatchObject({
      problem: 'removed',
      seq: 1,
    });
    expect(
      expectFailure(verifyTaskChain({ ...buildTask(), dueAt: '2026-12-31T00:00:00.000Z' })),
    ).toMatchObject({
      problem: 'altered',
      seq: 0,
    });
  });
});
