import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createFlowCatalog } from '#flows/catalog.ts';
import type { ClientEvent } from '#flows/events.ts';
import { fingerprintOf } from '#flows/view-digest.ts';
import { verifyConversationChain } from '#functions/audit/chain.ts';
import { type Action, ScreeningDriver } from '../support/screening.ts';
import { createTestStack, demoUser, type TestStack, type TestUser } from '../support/stack.ts';
import { tableContents } from '../support/table.ts';
import { type QueuedEvent, TABLET_START, Tablet } from '../support/tablet-device.ts';

/** Issue 8: a tablet answers offline with the same flows engine, then syncs its queue. */

const interviewer: TestUser = {
  sub: 'interviewer-1',
  org: 'county-a',
  unit: 'unit-1',
  roles: ['interviewer'],
};
const otherCaseworker: TestUser = {
  sub: 'caseworker-2',
  org: 'county-a',
  unit: 'unit-1',
  roles: ['caseworker'],
};

const START = TABLET_START;
const SYNC_AT = '2026-11-28T18:00:00.000Z';
/** The n-th offline answer, a minute apart from the start. */
const minute = (n: number) => new Date(Date.parse(START) + n * 60_000).toISOString();

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const flows = [
  {
    flow: 'runaway-return',
    user: interviewer,
    script: {
      safety_exchange: { answer: 'yes' },
      determination: { answer: 'identified' },
      cws: { answer: 'yes' },
      received_at: { answer: '2026-11-28T09:00:00-08:00' },
    } as Record<string, Action>,
  },
  {
    flow: 'cse-screening',
    user: demoUser,
    script: {
      determination: { answer: 'identified' },
      cws: { answer: 'yes' },
      received_at: { answer: '2026-11-28T08:30:00-08:00' },
    } as Record<string, Action>,
  },
];

let stack: TestStack;

beforeEach(async () => {
  stack = await createTestStack({ startAt: START });
});

async function startOffline(flow = 'runaway-return', user = interviewer, subjectRef = 'CASE-8001') {
  stack.clock.set(START);
  const created = await stack.call('createConversation', { body: { flow, locale: 'en', subjectRef }, user });
  expect(created.status).toBe(201);
  return { id: created.body.conversation.id as string, tablet: Tablet.forConversation(created.body) };
}

const sync = (id: string, events: readonly QueuedEvent[], user: TestUser = interviewer) =>
  stack.call('syncTurns', { id, body: { events }, user });

// biome-ignore lint/suspicious/noExplicitAny: tasks as the API returned them
const dutiesOf = (tasks: any[]) =>
  tasks
    .map((task) => ({ ruleId: task.ruleId, dueAt: task.dueAt }))
    .sort((a, b) => a.ruleId.localeCompare(b.ruleId));

describe('POST /conversations/{id}/sync (issue 8: offline tablets)', () => {
  for (const { flow, user, script } of flows) {
    it(`${flow}: a whole conversation synced in one batch reaches the same outcome and tasks as the same answers sent online`, async () => {
      const offline = await startOffline(flow, user);
      const actions = offline.tablet.answerUntilDone(script);

      const online = await ScreeningDriver.start(stack, 'en', 'CASE-8002', flow, user);
      for (const [index, action] of actions.entries()) {
        stack.clock.set(minute(index + 1));
        expect((await online.send(action)).status).toBe(200);
      }

      stack.clock.set(SYNC_AT);
      const synced = await sync(offline.id, offline.tablet.queue, user);
      expect(synced.status, JSON.stringify(synced.body)).toBe(200);
      expect(synced.body).toMatchObject({ applied: actions.length, skipped: 0, replayed: false });
      expect(synced.body.conversation).toMatchObject({ status: 'completed', version: actions.length });
      expect(synced.body.outcome.facts).toEqual(online.last.body.outcome.facts);
      expect(dutiesOf(synced.body.tasks)).toEqual(dutiesOf(online.last.body.tasks));
      expect(dutiesOf(synced.body.tasks).length).toBeGreaterThan(0);
      expect(synced.body.outcome.duties.map((duty: { dueAt: string }) => duty.dueAt)).toEqual(
        online.last.body.outcome.duties.map((duty: { dueAt: string }) => duty.dueAt),
      );
      // The stored outcome and tasks are there, not just in the reply.
      const detail = await stack.call('getConversation', { id: offline.id, user });
      expect(dutiesOf(detail.body.tasks)).toEqual(dutiesOf(online.last.body.tasks));
    });
  }

  it('stores each event at the server’s receipt with the device’s answeredAt as its claim (issue 16), with sensitive answers sealed and the chain intact', async () => {
    const { id, tablet } = await startOffline();
    tablet.answerUntilDone(flows[0]!.script);
    stack.clock.set(SYNC_AT);
    expect((await sync(id, tablet.queue)).status).toBe(200);

    const stored = await stack.deps.services.store.listEvents(id);
    expect(stored.map((event) => event.event.at)).toEqual(tablet.queue.map(() => SYNC_AT));
    expect(stored.map((event) => event.claimedAt)).toEqual(tablet.queue.map((event) => event.answeredAt));
    expect(stored.map((event) => event.eventId)).toEqual(tablet.queue.map((event) => event.eventId));
    const conversation = (await stack.deps.services.store.getConversation(id))!;
    expect(
      verifyConversationChain(conversation, stored, { key: await stack.deps.services.chain.load() }),
    ).toEqual({ ok: true, length: stored.length });
    const typed = tablet.queue.filter(
      (event) => event.event.type === 'answer.given' && String(event.event.value).startsWith('Typed on'),
    );
    expect(typed.length).toBeGreaterThan(0);
    expect(JSON.stringify(await tableContents(stack))).not.toContain('Typed on the tablet');

    const detail = await stack.call('getConversation', { id, user: interviewer });
    expect(detail.body.events.map((event: { claimedAt: string }) => event.claimedAt)).toEqual(
      tablet.queue.map((event) => event.answeredAt),
    );
    expect(detail.body.events.map((event: { value?: unknown }) => event.value)).toEqual(
      tablet.queue.map((event) => ('value' in event.event ? event.event.value : undefined)),
    );
  });

  it('a duplicate sync is a no-op: the same batch again writes nothing and reports every event skipped', async () => {
    const { id, tablet } = await startOffline();
    tablet.answerUntilDone(flows[0]!.script);
    stack.clock.set(SYNC_AT);
    const first = await sync(id, tablet.queue);
    expect(first.status).toBe(200);
    const before = await tableContents(stack);

    stack.clock.advance(60_000);
    const again = await sync(id, tablet.queue);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body).toMatchObject({ applied: 0, skipped: tablet.queue.length, replayed: true });
    expect(again.body.conversation).toEqual(first.body.conversation);
    expect(again.body.outcome).toEqual(first.body.outcome);
    expect(dutiesOf(again.body.tasks)).toEqual(dutiesOf(first.body.tasks));
    expect(await tableContents(stack)).toEqual(before);
  });

  it('a second device changes nothing: neither with the same queue nor with its own answers to the same questions', async () => {
    const { id, tablet } = await startOffline();
    tablet.answerUntilDone(flows[0]!.script);
    stack.clock.set(SYNC_AT);
    const first = await sync(id, tablet.queue);
    expect(first.status).toBe(200);
    const before = await tableContents(stack);

    const copied = structuredClone(tablet.queue);
    const sameQueue = await sync(id, copied);
    expect(sameQueue.body).toMatchObject({ applied: 0, skipped: copied.length });

    const second = Tablet.forConversation(first.body);
    second.answerUntilDone(flows[0]!.script);
    const ownIds = await sync(id, second.queue);
    expect([ownIds.status, ownIds.body.error.code]).toEqual([409, 'version_conflict']);
    expect(ownIds.body.error.details).toMatchObject({ index: 0, applied: 0 });
    expect(await tableContents(stack)).toEqual(before);
  });

  it('an event id already used for a different action is refused, and nothing is written', async () => {
    const { id, tablet } = await startOffline();
    tablet.answerUntilDone(flows[0]!.script);
    stack.clock.set(SYNC_AT);
    expect((await sync(id, tablet.queue.slice(0, 2))).status).toBe(200);
    const before = await tableContents(stack);
    const reused = { ...tablet.queue[1]!, event: { type: 'nav.pause' } as ClientEvent };
    const reply = await sync(id, [tablet.queue[0]!, reused, ...tablet.queue.slice(2)]);
    expect([reply.status, reply.body.error.code]).toEqual([422, 'event_id_reused']);
    expect(reply.body.error.details).toMatchObject({ index: 1 });
    expect(await tableContents(stack)).toEqual(before);
  });

  it('a state mismatch at event k applies the events before it, writes nothing for k, and is reported with the server’s view', async () => {
    const { id, tablet } = await startOffline();
    tablet.answerUntilDone(flows[0]!.script);
    const k = 3;
    const events = tablet.queue.map((event, index) =>
      index === k ? { ...event, deviceView: sha256('a device running another flow version') } : event,
    );
    stack.clock.set(SYNC_AT);
    const reply = await sync(id, events);
    expect([reply.status, reply.body.error.code]).toEqual([409, 'state_mismatch']);
    expect(reply.body.error.details).toEqual({
      index: k,
      eventId: tablet.queue[k]!.eventId,
      applied: k,
      serverView: fingerprintOf(tablet.views[k]!),
    });
    const stored = await stack.deps.services.store.listEvents(id);
    expect(stored.map((event) => event.eventId)).toEqual(
      tablet.queue.slice(0, k).map((event) => event.eventId),
    );
    expect((await stack.deps.services.store.getConversation(id))!.version).toBe(k);

    // The mismatch is never merged; once the device agrees, the rest of the queue goes through.
    const resumed = await sync(id, tablet.queue);
    expect(resumed.body).toMatchObject({ applied: tablet.queue.length - k, skipped: k });
    expect(resumed.body.conversation.status).toBe('completed');
  });

  it('refuses an answeredAt in the future, before the conversation began, or before the previous answer; nothing is written', async () => {
    const { id, tablet } = await startOffline();
    tablet.answerNext(minute(1));
    stack.clock.set(SYNC_AT);
    const before = await tableContents(stack);
    const first = tablet.queue[0]!;
    const cases = {
      future: new Date(Date.parse(SYNC_AT) + 6 * 60_000).toISOString(),
      beforeCreation: new Date(Date.parse(START) - 60_000).toISOString(),
    };
    for (const [name, answeredAt] of Object.entries(cases)) {
      const reply = await sync(id, [{ ...first, answeredAt }]);
      expect([reply.status, reply.body.error?.code], name).toEqual([422, 'invalid_answered_at']);
      expect(await tableContents(stack), name).toEqual(before);
    }
    // A tablet a few minutes ahead of the server is tolerated.
    const ahead = new Tablet(createFlowCatalog().current('runaway-return')!.flow, 'en', START);
    ahead.answerNext(new Date(Date.parse(SYNC_AT) + 4 * 60_000).toISOString());
    expect((await sync(id, ahead.queue)).status).toBe(200);

    // The next answer cannot be stamped before the one already on record.
    ahead.answerNext(SYNC_AT);
    const earlier = await sync(id, [ahead.queue[1]!]);
    expect([earlier.status, earlier.body.error?.code]).toEqual([422, 'invalid_answered_at']);
  });

  it('only the screener who holds the conversation may sync it: another caseworker gets 404 and nothing is written', async () => {
    const { id, tablet } = await startOffline();
    tablet.answerUntilDone(flows[0]!.script);
    stack.clock.set(SYNC_AT);
    const before = await tableContents(stack);
    for (const user of [otherCaseworker, demoUser]) {
      const reply = await sync(id, tablet.queue, user);
      expect([reply.status, reply.body.error.code]).toEqual([404, 'not_found']);
    }
    expect(await tableContents(stack)).toEqual(before);
  });

  it('refuses a malformed batch before reading anything', async () => {
    const { id, tablet } = await startOffline();
    tablet.answerNext(minute(1));
    const event = tablet.queue[0]!;
    for (const body of [
      { events: [] },
      { events: Array.from({ length: 51 }, () => event) },
      { events: [{ ...event, deviceView: 'not-a-digest' }] },
      { events: [{ ...event, answeredAt: '2026-11-28T17:01:00' }] },
      { events: [{ ...event, extra: true }] },
    ]) {
      const reply = await stack.call('syncTurns', { id, body, user: interviewer });
      expect([reply.status, reply.body.error.code]).toEqual([400, 'invalid_request']);
    }
  });
});
