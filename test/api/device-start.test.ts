import { describe, expect, it } from 'vitest';
import { createFlowCatalog } from '#flows/catalog.ts';
import { verifyConversationChain } from '#functions/audit/chain.ts';
import { verifyTable } from '#functions/audit/verify-table.ts';
import type { Action } from '../support/screening.ts';
import { createTestStack, demoUser, type TestStack, type TestUser } from '../support/stack.ts';
import { tableContents } from '../support/table.ts';
import { type DeviceStartRequest, type QueuedEvent, TABLET_START, Tablet } from '../support/tablet-device.ts';

/**
 * Issue 20, item 1: an interview started on the tablet with no connection. The device makes the id and runs
 * the flow version it has; the first sync carries the start; the server replays every event through that
 * version and opens the duties from the recorded times. A second interview of the same youth at about the
 * same time is reported, never merged.
 */

const interviewer: TestUser = {
  sub: 'interviewer-1',
  org: 'county-a',
  unit: 'unit-1',
  roles: ['interviewer'],
};
const secondInterviewer: TestUser = {
  sub: 'interviewer-2',
  org: 'county-a',
  unit: 'unit-1',
  roles: ['interviewer'],
};
const shelterStaff: TestUser = { sub: 'staff-1', org: 'county-a', unit: 'unit-1', roles: ['shelter_staff'] };

const START = TABLET_START;
const SYNC_AT = '2026-11-29T09:00:00.000Z';
const RECEIVED = '2026-11-28T08:45:00-08:00';
const script: Record<string, Action> = {
  safety_exchange: { answer: 'yes' },
  determination: { answer: 'identified' },
  cws: { answer: 'yes' },
  received_at: { answer: RECEIVED },
};

const at = (base: string, minutes: number) => new Date(Date.parse(base) + minutes * 60_000).toISOString();

async function fresh(): Promise<TestStack> {
  return createTestStack({ startAt: START });
}

function sync(
  stack: TestStack,
  id: string,
  body: { start?: DeviceStartRequest; events: readonly QueuedEvent[] },
  user: TestUser = interviewer,
) {
  return stack.call('syncTurns', { id, body, user });
}

// biome-ignore lint/suspicious/noExplicitAny: tasks as the API returned them
const dueTimes = (tasks: any[]) =>
  tasks.map((task) => `${task.ruleId} ${task.dueAt}`).sort((a: string, b: string) => a.localeCompare(b));

describe('an interview started on the device (issue 20)', () => {
  it('is accepted on its first sync: created from the device’s start, replayed to the device’s outcome, duties due from the recorded received time', async () => {
    const stack = await fresh();
    const device = Tablet.startOnDevice('runaway-return', 'en', START, 'CASE-9001');
    device.tablet.answerUntilDone(script);
    const deviceOutcome = device.tablet.current.outcome!;

    stack.clock.set(SYNC_AT);
    const synced = await sync(stack, device.id, { start: device.start, events: device.tablet.queue });
    expect(synced.status, JSON.stringify(synced.body)).toBe(200);
    expect(synced.body).toMatchObject({ applied: device.tablet.queue.length, skipped: 0 });
    expect(synced.body.conversation).toMatchObject({
      id: device.id,
      status: 'completed',
      createdAt: START,
      deviceStart: { receivedAt: SYNC_AT },
    });
    // The server's replay reaches the device's very outcome, duties and due times included.
    expect(synced.body.outcome.duties).toEqual(deviceOutcome.duties);
    expect(synced.body.outcome.determination).toBe('identified');
    const received = new Date(RECEIVED).toISOString();
    expect(synced.body.outcome.informationReceivedAt).toBe(received);
    expect(synced.body.tasks.length).toBeGreaterThan(0);
    // R-REPORT-1: 24 hours from when the interviewer recorded the information arrived, not from the sync.
    const report = synced.body.tasks.find(
      (task: { requirementId: string }) => task.requirementId === 'R-REPORT-1',
    );
    expect(report?.dueAt).toBe(at(received, 24 * 60));
    expect(dueTimes(synced.body.tasks)).toEqual(
      deviceOutcome.duties.map((duty) => `${duty.ruleId} ${duty.dueAt}`).sort((a, b) => a.localeCompare(b)),
    );

    const conversation = (await stack.deps.services.store.getConversation(device.id))!;
    const events = await stack.deps.services.store.listEvents(device.id);
    expect(
      verifyConversationChain(conversation, events, { key: await stack.deps.services.chain.load() }),
    ).toEqual({ ok: true, length: events.length });
    const verified = await verifyTable(stack.doc, stack.tableName, {
      catalog: createFlowCatalog(),
      chain: { key: await stack.deps.services.chain.load() },
    });
    expect(verified.problems).toEqual([]);
  });

  it('with the received time unknown, the duties run from the device’s start, never from the later sync', async () => {
    const stack = await fresh();
    const device = Tablet.startOnDevice('runaway-return', 'en', START, 'CASE-9002');
    device.tablet.answerUntilDone({ ...script, received_at: { unknown: true } });
    stack.clock.set(SYNC_AT);
    const synced = await sync(stack, device.id, { start: device.start, events: device.tablet.queue });
    expect(synced.status, JSON.stringify(synced.body)).toBe(200);
    expect(synced.body.outcome.receivedAtAssumed).toBe(true);
    expect(synced.body.outcome.informationReceivedAt).toBe(START);
    const report = synced.body.tasks.find(
      (task: { requirementId: string }) => task.requirementId === 'R-REPORT-1',
    );
    expect(report?.dueAt).toBe(at(START, 24 * 60));
  });

  it('a start can travel alone, and a repeated sync of the same start and answers writes nothing twice', async () => {
    const stack = await fresh();
    const device = Tablet.startOnDevice('cse-screening', 'es', START, 'CASE-9003');
    stack.clock.set(at(START, 5));
    const alone = await sync(stack, device.id, { start: device.start, events: [] });
    expect(alone.status, JSON.stringify(alone.body)).toBe(200);
    expect(alone.body).toMatchObject({ applied: 0, skipped: 0 });
    expect(alone.body.conversation).toMatchObject({ status: 'active', version: 0, locale: 'es' });

    device.tablet.answerUntilDone({ determination: { answer: 'at_risk' } });
    stack.clock.set(at(START, 90));
    const first = await sync(stack, device.id, { start: device.start, events: device.tablet.queue });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.applied).toBe(device.tablet.queue.length);
    const before = await tableContents(stack);
    const again = await sync(stack, device.id, { start: device.start, events: device.tablet.queue });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ applied: 0, skipped: device.tablet.queue.length, replayed: true });
    expect(await tableContents(stack)).toEqual(before);
  });

  it('reports a second device’s interview of the same youth at about the same time, writes nothing, and accepts it only when called separate', async () => {
    const stack = await fresh();
    const first = Tablet.startOnDevice('runaway-return', 'en', START, 'CASE-9004');
    first.tablet.answerUntilDone(script);
    const second = Tablet.startOnDevice('runaway-return', 'en', at(START, 40), 'CASE-9004');
    second.tablet.answerUntilDone(script);

    stack.clock.set(SYNC_AT);
    expect((await sync(stack, first.id, { start: first.start, events: first.tablet.queue })).status).toBe(
      200,
    );
    const before = await tableContents(stack);
    const refused = await sync(
      stack,
      second.id,
      { start: second.start, events: second.tablet.queue },
      secondInterviewer,
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'possible_duplicate',
      details: {
        stage: 'start',
        others: [{ id: first.id, startedAt: START, status: 'completed', onDevice: true, yours: false }],
      },
    });
    expect(await tableContents(stack)).toEqual(before);
    expect((await stack.call('getConversation', { id: second.id, user: secondInterviewer })).status).toBe(
      404,
    );

    const separate = await sync(
      stack,
      second.id,
      { start: { ...second.start, separateFrom: [first.id] }, events: second.tablet.queue },
      secondInterviewer,
    );
    expect(separate.status, JSON.stringify(separate.body)).toBe(200);
    expect(separate.body.conversation.id).toBe(second.id);
  });

  it('does not call it a duplicate when the other interview is of another kind, another youth, or hours apart', async () => {
    const stack = await fresh();
    stack.clock.set(SYNC_AT);
    const base = Tablet.startOnDevice('runaway-return', 'en', START, 'CASE-9005');
    expect((await sync(stack, base.id, { start: base.start, events: [] })).status).toBe(200);
    for (const other of [
      Tablet.startOnDevice('cse-screening', 'en', at(START, 10), 'CASE-9005'),
      Tablet.startOnDevice('runaway-return', 'en', at(START, 10), 'CASE-9006'),
      Tablet.startOnDevice('runaway-return', 'en', at(START, 121), 'CASE-9005'),
    ]) {
      const synced = await sync(stack, other.id, { start: other.start, events: [] });
      expect(synced.status, JSON.stringify(synced.body)).toBe(200);
    }
  });

  it('an online interview about the same youth at the same time is reported too', async () => {
    const stack = await fresh();
    const online = await stack.call('createConversation', {
      body: { flow: 'runaway-return', locale: 'en', subjectRef: 'CASE-9007' },
      user: demoUser,
    });
    expect(online.status).toBe(201);
    const device = Tablet.startOnDevice('runaway-return', 'en', at(START, 30), 'CASE-9007');
    stack.clock.set(at(START, 60));
    const refused = await sync(stack, device.id, { start: device.start, events: [] });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.others).toEqual([
      expect.objectContaining({ id: online.body.conversation.id, onDevice: false, yours: false }),
    ]);
  });

  describe('refuses, writing nothing,', () => {
    const refusals: {
      name: string;
      status: number;
      code: string;
      user?: TestUser;
      change: (start: DeviceStartRequest) => DeviceStartRequest;
      now?: string;
    }[] = [
      {
        name: 'a flow version the server does not have',
        status: 422,
        code: 'flow_version_not_deployed',
        change: (start) => ({ ...start, flowVersion: '0.0.1-gone' }),
      },
      {
        name: 'a device whose first screen differs from the server’s',
        status: 409,
        code: 'state_mismatch',
        change: (start) => ({ ...start, deviceView: '0'.repeat(64) }),
      },
      {
        name: 'a start in the future',
        status: 422,
        code: 'invalid_started_at',
        change: (start) => ({ ...start, startedAt: at(SYNC_AT, 30) }),
      },
      {
        name: 'a start older than the claim window',
        status: 422,
        code: 'invalid_started_at',
        change: (start) => ({ ...start, startedAt: at(SYNC_AT, -73 * 60) }),
      },
      {
        name: 'the county’s screening run by a partner’s staff',
        status: 422,
        code: 'flow_not_for_role',
        user: shelterStaff,
        change: (start) => {
          const entry = createFlowCatalog().current('cse-screening')!;
          return {
            ...start,
            flow: 'cse-screening',
            flowVersion: entry.flow.version,
            instrument: entry.instrument,
          };
        },
      },
    ];
    for (const refusal of refusals) {
      it(refusal.name, async () => {
        const stack = await fresh();
        const device = Tablet.startOnDevice('runaway-return', 'en', START, 'CASE-9010');
        device.tablet.answerNext(at(START, 1));
        stack.clock.set(SYNC_AT);
        const before = await tableContents(stack);
        const refused = await sync(
          stack,
          device.id,
          { start: refusal.change(device.start), events: device.tablet.queue },
          refusal.user,
        );
        expect(refused.status, JSON.stringify(refused.body)).toBe(refusal.status);
        expect(refused.body.error).toMatchObject({ code: refusal.code, details: { stage: 'start' } });
        expect(await tableContents(stack)).toEqual(before);
      });
    }

    it('an id another conversation already has, whoever’s it is', async () => {
      const stack = await fresh();
      const online = await stack.call('createConversation', {
        body: { flow: 'runaway-return', locale: 'en', subjectRef: 'CASE-9011' },
        user: demoUser,
      });
      const taken = online.body.conversation.id as string;
      const device = Tablet.startOnDevice('runaway-return', 'en', START, 'CASE-9011');
      stack.clock.set(SYNC_AT);
      const before = await tableContents(stack);
      for (const user of [interviewer, demoUser]) {
        const refused = await sync(stack, taken, { start: device.start, events: [] }, user);
        expect(refused.status).toBe(409);
        expect(refused.body.error.code).toBe('conversation_id_taken');
      }
      expect(await tableContents(stack)).toEqual(before);
    });

    it('a request with neither a start nor events', async () => {
      const stack = await fresh();
      const refused = await sync(stack, '00000000-0000-4000-8000-000000000000', { events: [] });
      expect(refused.status).toBe(400);
    });
  });
});
