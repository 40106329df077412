import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sweepDueTasks } from '#functions/reminders/actions.ts';
import { ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack, type TestUser } from '../support/stack.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * The canary scan: a value nobody else would write goes into every field a caller controls (subject
 * references, answers, notes, reasons, evidence, legal bases, cursors, headers, broken bodies, tokens), every
 * route runs, successes and refusals alike, and the whole log output is searched for any of them.
 */
describe('logs', () => {
  it('carry route, status, codes and correlation ids, but never a canary from any field, nor a token', async () => {
    const lines: string[] = [];
    const stack: TestStack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    stack.deps.logger = new Logger({ serviceName: 'log-test', logLevel: 'DEBUG' });
    const admin: TestUser = { sub: 'admin-1', org: 'county-a', unit: 'main', roles: ['administrator'] };
    const supervisor: TestUser = {
      sub: 'supervisor-1',
      org: 'county-a',
      unit: 'unit-1',
      roles: ['supervisor'],
    };

    // A screening with canaries in the subject, a note, an override reason and a refused choice.
    const driver = await ScreeningDriver.start(stack, 'en', 'CANARY-SUBJECT-7731');
    await driver.send({ answer: 'not_present', note: 'CANARY-NOTE-5512' });
    for (let i = 1; i < 8; i += 1) await driver.send({ answer: 'not_present' });
    await driver.send({ answer: 'identified' });
    await driver.send({ answer: 'CANARY-REASON-9044' });
    await driver.send({ answer: 'maybe-CANARY-CHOICE' });
    const done = await driver.sendAll([
      { answer: 'yes' },
      { unknown: true },
      { skip: true },
      { unknown: true },
    ]);
    await stack.call('postTurn', { id: driver.id, rawBody: '{"CANARY-BROKEN-JSON' });
    await stack.call('postTurn', { id: 'CANARY-PATH-ID', body: {} });

    // A missing-from-care report: free-text answers that identify a child.
    const missing = await ScreeningDriver.start(stack, 'en', 'CANARY-SUBJECT-2', 'missing-from-care');
    await missing.answerUntilDone({
      cws: { answer: 'yes' },
      situation: { answer: 'missing' },
      believed_cse: { answer: 'at_risk' },
      last_seen_place: { answer: 'CANARY-PLACE-3301' },
      physical_description: { answer: 'CANARY-DESCRIPTION-4410' },
    });

    // Tasks: evidence, a cancel reason, a forged cursor.
    const [first, second, third] = done.body.tasks as Array<{ id: string }>;
    await stack.call('completeTask', {
      id: first!.id,
      body: {
        evidence: {
          agency: 'CANARY-AGENCY',
          referenceNumber: 'CANARY-REF',
          reportedAt: '2026-11-28T16:00:00Z',
        },
      },
    });
    await stack.call('cancelTask', { id: second!.id, body: { reason: 'CANARY-CANCEL-REASON' } });
    await stack.call('listTasks', { query: { cursor: 'CANARY-CURSOR', status: 'CANARY-STATUS' } });
    await stack.call('getConversation', {
      id: driver.id,
      headers: { 'user-agent': 'CANARY-AGENT', 'x-forwarded-for': 'CANARY-IP' },
    });
    await stack.call('supervisorBoard', { user: supervisor });
    await stack.call('supervisorBoard', { user: supervisor, query: { format: 'csv' } });
    // Issue 17: the resume list (by case reference) and a task moved to a colleague.
    await stack.call('listConversations', {
      query: { status: 'unfinished', subjectRef: 'CANARY-RESUME-REF' },
    });
    await stack.call('listTasks', { query: { scope: 'mine' } });
    await stack.call('reassignTask', {
      id: third!.id,
      user: supervisor,
      body: { to: { kind: 'user', userId: 'CANARY-ASSIGNEE' } },
    });
    await stack.call('reassignTask', { id: third!.id, user: supervisor, body: { to: 'CANARY-BAD-BODY' } });
    await sweepDueTasks(stack.deps.services, new Date('2026-12-01T00:00:00Z'));
    await stack.call('listNotifications', { user: supervisor });
    await stack.call('activityReport', {
      user: supervisor,
      query: { from: 'CANARY-FROM', to: '2026-12-01T00:00:00Z' },
    });

    // Issue 15: organisation settings, a shelter's hand-off to the county, its acknowledgement, a claim, training.
    const shelterAdmin: TestUser = {
      sub: 'shelter-admin-1',
      org: 'shelter-a',
      unit: 'main',
      roles: ['administrator'],
    };
    const shelter: TestUser = { sub: 'shelter-1', org: 'shelter-a', unit: 'main', roles: ['shelter_staff'] };
    const intake: TestUser = { sub: 'intake-1', org: 'county-a', unit: 'intake', roles: ['caseworker'] };
    await stack.call('putOrganisation', {
      user: admin,
      body: { settings: { name: 'CANARY-COUNTY-NAME', type: 'county' }, expectedVersion: 0 },
    });
    await stack.call('putOrganisation', {
      user: shelterAdmin,
      body: {
        settings: {
          name: 'CANARY-SHELTER-NAME',
          type: 'partner',
          handoffTo: 'county-a',
          contact: 'CANARY-CONTACT',
        },
        expectedVersion: 0,
      },
    });
    await stack.call('putOrganisation', {
      user: admin,
      body: { settings: { name: 'CANARY-STALE' }, expectedVersion: 7 },
    });
    const concern = await ScreeningDriver.start(
      stack,
      'en',
      'CANARY-SUBJECT-SHELTER',
      'cse-screening',
      shelter,
    );
    await concern.answerUntilDone({
      exchange: { answer: 'present', note: 'CANARY-SHELTER-NOTE' },
      determination: { answer: 'identified' },
    });
    await stack.call('listHandoffs', { user: intake });
    const handoff = await stack.call('getHandoff', { id: concern.id, user: intake });
    await stack.call('acknowledgeHandoff', { id: concern.id, user: intake });
    await stack.call('claimTask', { id: handoff.body.tasks[0].id, user: intake });
    await stack.call('getOrganisation', { user: intake });
    await stack.call('recordTraining', { body: { type: 'cse_identification', completedOn: 'CANARY-DATE' } });
    await stack.call('recordTraining', { body: { type: 'cse_identification', completedOn: '2026-01-02' } });
    await stack.call('listTraining', { query: { userId: 'CANARY-USER' } });
    // Issue 18: a tablet's PIN verifier and the server's half of its key never reach a log line.
    const verifier = 'CANARY-VERIFIER-'.padEnd(43, 'x');
    const deviceId = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
    const enrolled = await stack.call('enrolDevice', { body: { deviceId, verifier } });
    expect(enrolled.status).toBe(201);
    await stack.call('enrolDevice', { body: { deviceId: 'CANARY-DEVICE', verifier: 'CANARY-SHORT' } });
    await stack.call('unlockDevice', {
      id: deviceId,
      body: { verifier: 'CANARY-WRONG-PIN-'.padEnd(43, 'y') },
    });
    const unlocked = await stack.call('unlockDevice', { id: deviceId, body: { verifier } });
    expect(unlocked.body.half).toBe(enrolled.body.half);

    // Records requests (issue 16: two administrators, the reference only in bodies) and the refusals of bad tokens.
    const secondAdmin: TestUser = { ...admin, sub: 'admin-2' };
    await stack.call('openRecordsRequest', {
      user: admin,
      body: { subjectRef: 'CANARY-SUBJECT-2', kind: 'export', legalBasis: 'CANARY-LEGAL-BASIS' },
    });
    for (const kind of ['export', 'erase'] as const) {
      const opened = await stack.call('openRecordsRequest', {
        user: admin,
        body: {
          subjectRef: 'CANARY-SUBJECT-2',
          kind,
          legalBasis: 'court_order',
          basisReference: 'CANARY-ORDER',
        },
      });
      const id = opened.body.request?.id ?? 'CANARY-REQUEST';
      await stack.call('decideRecordsRequest', {
        user: secondAdmin,
        id,
        body: { decision: 'approve', subjectRef: 'CANARY-SUBJECT-WRONG' },
      });
      await stack.call('decideRecordsRequest', {
        user: secondAdmin,
        id,
        body: { decision: 'approve', subjectRef: 'CANARY-SUBJECT-2' },
      });
      await stack.call(kind === 'export' ? 'exportRecords' : 'eraseRecords', {
        user: admin,
        id,
        body: { subjectRef: 'CANARY-SUBJECT-2' },
      });
    }
    await stack.call('listRecordsRequests', { user: secondAdmin });
    await stack.call('getConversation', {
      id: driver.id,
      authorization: 'Bearer CANARY-TOKEN.CANARY.CANARY',
    });
    const token = await stack.tokenFor({
      sub: 'caseworker-1',
      org: 'county-a',
      unit: 'unit-1',
      roles: ['caseworker'],
    });

    const output = lines.join('');
    expect(output).toContain('"route":"postTurn"');
    expect(output).toContain('"route":"eraseRecords"');
    expect(output).toContain('"code":"confirmation_mismatch"');
    expect(output).toMatch(/"route":"exportRecords"[^\n]*"status":200/);
    expect(output).toContain('"route":"acknowledgeHandoff"');
    expect(output).toContain('"route":"claimTask"');
    expect(output).toMatch(/"route":"reassignTask"[^\n]*"status":200/);
    expect(output).toContain('"route":"listConversations"');
    expect(output).toContain('"code":"choice_not_offered"');
    expect(output).toContain('"code":"unauthenticated"');
    expect(output).toMatch(/"correlationId":"[0-9a-f-]{36}"/);
    for (const line of output.trim().split('\n')) expect(() => JSON.parse(line), line).not.toThrow();
    expect(output).toMatch(/"route":"unlockDevice"[^\n]*"code":"wrong_pin"/);
    expect(output).not.toMatch(/CANARY/);
    expect(output).not.toContain(enrolled.body.half);
    expect(output).not.toContain(token);
    expect(output).not.toContain(token.split('.')[1]!);
  });
});
