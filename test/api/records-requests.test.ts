import { createHash, randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { type RouteName, routes } from '#functions/api/routes.ts';
import { createLocalKeyProvider } from '#functions/crypto/local-key-provider.ts';
import { createRandomMasterKey } from '#functions/crypto/local-master-key.ts';
import { subjectRefHash } from '#functions/domain/records-requests.ts';
import { keys } from '#functions/storage/table.ts';
import { runRecordsRequest } from '../support/records.ts';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import {
  type ApiRequest,
  apiEvent,
  createTestStack,
  demoUser,
  type TestStack,
  type TestUser,
} from '../support/stack.ts';
import { tableContents } from '../support/table.ts';

/**
 * Issue 16, findings 4 and 7: records requests (an export of everything held about a youth, a lawful erasure)
 * need two administrators of the organisation, keep the subject reference out of every URL and every record
 * of their own (only its keyed hash), tell the case owners, and leave their own audit behind.
 */

let stack: TestStack;

beforeEach(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
});

const admin = (sub: string, org = 'county-a'): TestUser => ({
  sub,
  org,
  unit: 'main',
  roles: ['administrator'],
});
const requester = admin('admin-1');
const approver = admin('admin-2');
const thirdAdmin = admin('admin-3');
const otherCountyAdmin = admin('admin-9', 'county-b');
const owner = demoUser;
const colleague: TestUser = { sub: 'caseworker-2', org: 'county-a', unit: 'unit-1', roles: ['caseworker'] };
const supervisor: TestUser = { sub: 'supervisor-1', org: 'county-a', unit: 'unit-1', roles: ['supervisor'] };

/** A screening about the subject that opens no statutory report, so the subject may be erased at once. */
async function quietScreening(subjectRef: string, user: TestUser = owner) {
  const driver = await ScreeningDriver.start(stack, 'en', subjectRef, 'cse-screening', user);
  await driver.sendAll(fullScreening({ exchange: 'not_present', determination: 'neither', cws: 'no' }));
  return driver;
}

async function everything(): Promise<string> {
  const items: unknown[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await stack.doc.send(
      new ScanCommand({ TableName: stack.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return JSON.stringify(items);
}

async function open(
  subjectRef: string,
  kind: 'export' | 'erase',
  user = requester,
  legalBasis = 'court_order',
) {
  const reply = await stack.call('openRecordsRequest', { user, body: { subjectRef, kind, legalBasis } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.request.id as string;
}

const approve = (id: string, subjectRef: string, user = approver) =>
  stack.call('decideRecordsRequest', { user, id, body: { decision: 'approve', subjectRef } });

async function expectNothingWritten(
  act: () => Promise<{ status: number; body: { error?: { code: string } } }>,
) {
  const before = await tableContents(stack);
  const reply = await act();
  expect(await tableContents(stack)).toEqual(before);
  return [reply.status, reply.body.error?.code];
}

describe('issue 16 finding 7: subject references never travel in a URL', () => {
  it('issue 16 finding 7: no route takes a subject reference in its path: given one as the path id, every route refuses, for every role', async () => {
    const subjectRef = 'CASE-R7-1';
    await quietScreening(subjectRef);
    const withParameters = routes.filter((route) => route.path.includes('{'));
    expect(withParameters.length).toBeGreaterThan(5);
    for (const route of withParameters) {
      // The one parameter any path has is an id the service made (a conversation, task, hand-off or request).
      expect(route.path.match(/\{[^}]*\}/g), route.path).toEqual(['{id}']);
      for (const user of [requester, owner, supervisor]) {
        const reply = await stack.call(route.name, {
          user,
          id: subjectRef,
          body: { subjectRef, decision: 'approve' },
        });
        expect(reply.status, `${route.method} ${route.path} as ${user.sub}`).toBeGreaterThanOrEqual(400);
      }
    }
    // Records requests live under one prefix, named by request id only.
    for (const route of routes.filter((r) => r.path.startsWith('/records'))) {
      expect(route.path).toMatch(/^\/records\/requests(\/\{id\}\/(decision|export|erase))?$/);
    }
  });

  it('issue 16 finding 7: records requests are named by random ids, and export and erasure run end to end with the reference only in bodies', async () => {
    const subjectRef = 'CASE-R7-2';
    const conversation = await quietScreening(subjectRef);
    const urls: string[] = [];
    const call = (route: RouteName, request: ApiRequest) => {
      const event = apiEvent(route, request);
      urls.push(`${event.rawPath}?${event.rawQueryString}`);
      return stack.call(route, request);
    };

    const exportId = (
      await call('openRecordsRequest', {
        user: requester,
        body: { subjectRef, kind: 'export', legalBasis: 'youth_or_counsel_inspection' },
      })
    ).body.request.id as string;
    const eraseId = (
      await call('openRecordsRequest', {
        user: requester,
        body: { subjectRef, kind: 'erase', legalBasis: 'court_order', basisReference: 'JV-2026-0117' },
      })
    ).body.request.id as string;
    // Random, not derived from the reference: two requests about the same youth share nothing.
    expect(exportId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(eraseId).not.toBe(exportId);
    const hash = await subjectRefHash(stack.deps.services.keys, 'county-a', subjectRef);
    for (const id of [exportId, eraseId]) expect(hash).not.toContain(id.replace(/-/g, '').slice(0, 12));

    for (const id of [exportId, eraseId]) {
      const decided = await call('decideRecordsRequest', {
        user: approver,
        id,
        body: { decision: 'approve', subjectRef },
      });
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    }
    const exported = await call('exportRecords', { user: requester, id: exportId, body: { subjectRef } });
    expect(exported.status, JSON.stringify(exported.body)).toBe(200);
    expect(
      exported.body.conversations.map((c: { conversation: { id: string } }) => c.conversation.id),
    ).toEqual([conversation.id]);
    const erased = await call('eraseRecords', { user: requester, id: eraseId, body: { subjectRef } });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body.erasure.removed.conversations).toBe(1);
    const listed = await call('listRecordsRequests', { user: approver });
    expect(listed.status).toBe(200);

    expect(urls).toHaveLength(7);
    for (const url of urls) expect(url).not.toContain(subjectRef);
    expect(urls).toContain(`/records/requests/${exportId}/export?`);
  });
});

describe('issue 16 finding 4: a second administrator approves every export and erasure', () => {
  it('issue 16 finding 4: an export runs only once approved by a second administrator of the organisation, only for its requester, and only once', async () => {
    const subjectRef = 'CASE-R4-1';
    const driver = await quietScreening(subjectRef);
    const id = await open(subjectRef, 'export');
    const run = (user: TestUser, ref = subjectRef) =>
      stack.call('exportRecords', { user, id, body: { subjectRef: ref } });

    expect(await expectNothingWritten(() => run(requester))).toEqual([409, 'request_not_approved']);
    expect(await expectNothingWritten(() => approve(id, subjectRef, otherCountyAdmin))).toEqual([
      404,
      'not_found',
    ]);
    expect(await expectNothingWritten(() => approve(id, subjectRef, colleague))).toEqual([403, 'forbidden']);
    expect(await expectNothingWritten(() => approve(id, 'CASE-R4-X'))).toEqual([
      422,
      'confirmation_mismatch',
    ]);

    const approved = await approve(id, subjectRef);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.request).toMatchObject({
      id,
      kind: 'export',
      status: 'approved',
      requestedBy: 'admin-1',
      decidedBy: 'admin-2',
      executeBy: '2026-11-29T17:00:00.000Z',
    });
    expect(JSON.stringify(approved.body)).not.toContain(subjectRef);

    // Only the requester receives the data, and only for the reference the request was opened for.
    expect(await expectNothingWritten(() => run(approver))).toEqual([403, 'not_requester']);
    expect(await expectNothingWritten(() => run(requester, 'CASE-R4-2'))).toEqual([
      422,
      'confirmation_mismatch',
    ]);
    const exported = await run(requester);
    expect(exported.status, JSON.stringify(exported.body)).toBe(200);
    expect(exported.body).toMatchObject({
      requestId: id,
      subjectRef,
      exportedBy: 'admin-1',
      approvedBy: 'admin-2',
      legalBasis: 'court_order',
    });
    expect(exported.body.conversations[0].conversation.id).toBe(driver.id);
    const reads = await stack.deps.services.store.listReads(driver.id);
    expect(reads.map((read) => [read.actor, read.route])).toContainEqual(['admin-1', 'exportRecords']);

    expect(await expectNothingWritten(() => run(requester))).toEqual([409, 'request_already_executed']);
  });

  it('issue 16 finding 4: the requester cannot approve their own request (403 own_request); a second decision is 409; nothing is written by either', async () => {
    const subjectRef = 'CASE-R4-3';
    await quietScreening(subjectRef);
    const id = await open(subjectRef, 'erase');

    expect(await expectNothingWritten(() => approve(id, subjectRef, requester))).toEqual([
      403,
      'own_request',
    ]);
    const refusedOwn = await stack.call('decideRecordsRequest', {
      user: requester,
      id,
      body: { decision: 'refuse' },
    });
    expect([refusedOwn.status, refusedOwn.body.error.code]).toEqual([403, 'own_request']);

    expect((await approve(id, subjectRef)).status).toBe(200);
    expect(await expectNothingWritten(() => approve(id, subjectRef, thirdAdmin))).toEqual([
      409,
      'request_already_decided',
    ]);
    const refusedLate = await expectNothingWritten(() =>
      stack.call('decideRecordsRequest', { user: thirdAdmin, id, body: { decision: 'refuse' } }),
    );
    expect(refusedLate).toEqual([409, 'request_already_decided']);
  });

  it('issue 16 finding 4: a request refused by the second administrator never runs', async () => {
    const subjectRef = 'CASE-R4-4';
    await quietScreening(subjectRef);
    const id = await open(subjectRef, 'erase');
    const refused = await stack.call('decideRecordsRequest', {
      user: approver,
      id,
      body: { decision: 'refuse' },
    });
    expect(refused.status).toBe(200);
    expect(refused.body.request).toMatchObject({ status: 'refused', decidedBy: 'admin-2' });
    expect(
      await expectNothingWritten(() =>
        stack.call('eraseRecords', { user: requester, id, body: { subjectRef } }),
      ),
    ).toEqual([409, 'request_refused']);
    // An export route does not run an erasure request, nor the other way round.
    expect(
      await expectNothingWritten(() =>
        stack.call('exportRecords', { user: requester, id, body: { subjectRef } }),
      ),
    ).toEqual([404, 'not_found']);
  });

  it('issue 16 finding 4: a request not approved within 24 hours expires (409 request_expired); an approved one must run within 24 hours of the approval', async () => {
    const subjectRef = 'CASE-R4-5';
    await quietScreening(subjectRef);
    const late = await open(subjectRef, 'export');
    const timely = await open(subjectRef, 'export');
    stack.clock.advance(23 * 3_600_000);
    expect((await approve(timely, subjectRef)).status).toBe(200);
    stack.clock.advance(3_600_000);
    expect(await expectNothingWritten(() => approve(late, subjectRef))).toEqual([409, 'request_expired']);
    const listed = await stack.call('listRecordsRequests', { user: approver });
    const statusOf = (id: string) =>
      (listed.body.requests as Array<{ id: string; status: string }>).find((r) => r.id === id)?.status;
    expect([statusOf(late), statusOf(timely)]).toEqual(['expired', 'approved']);

    stack.clock.advance(23 * 3_600_000);
    expect(
      await expectNothingWritten(() =>
        stack.call('exportRecords', { user: requester, id: timely, body: { subjectRef } }),
      ),
    ).toEqual([409, 'request_expired']);
  });

  it('issue 16 finding 4: two administrators approving at once, or a requester running twice at once: exactly one wins', async () => {
    const subjectRef = 'CASE-R4-6';
    await quietScreening(subjectRef);
    for (let round = 0; round < 3; round += 1) {
      const id = await open(subjectRef, 'export');
      const decisions = await Promise.all([
        approve(id, subjectRef, approver),
        approve(id, subjectRef, thirdAdmin),
      ]);
      expect(decisions.map((reply) => reply.status).sort()).toEqual([200, 409]);
      const winner = decisions.find((reply) => reply.status === 200)!.body.request.decidedBy;
      const stored = await stack.deps.services.store.getRecordsRequest('county-a', id);
      expect(stored).toMatchObject({ status: 'approved', decidedBy: winner });

      const runs = await Promise.all(
        [0, 1].map(() => stack.call('exportRecords', { user: requester, id, body: { subjectRef } })),
      );
      expect(runs.map((reply) => reply.status).sort()).toEqual([200, 409]);
      expect(runs.find((reply) => reply.status === 409)!.body.error.code).toBe('request_already_executed');
    }
  });

  it('issue 16 finding 4: the legal basis comes from a fixed list, never free text, and must support the kind of request', async () => {
    const subjectRef = 'CASE-R4-7';
    await quietScreening(subjectRef);
    const body = (legalBasis: string, kind = 'erase', extra: Record<string, unknown> = {}) => ({
      user: requester,
      body: { subjectRef, kind, legalBasis, ...extra },
    });
    const before = await tableContents(stack);
    for (const [request, expected] of [
      [body('Court order 2026-123'), [400, 'invalid_request']],
      [body('court_order', 'erase', { basisReference: 'Order about Jane Doe' }), [400, 'invalid_request']],
      [body('court_order', 'delete'), [400, 'invalid_request']],
      [body('youth_or_counsel_inspection', 'erase'), [422, 'legal_basis_not_for_kind']],
      [body('records_sealing_order', 'export'), [422, 'legal_basis_not_for_kind']],
      [
        { user: requester, body: { subjectRef: 'Jane Doe', kind: 'export', legalBasis: 'court_order' } },
        [400, 'invalid_request'],
      ],
      [body('court_order', 'export', { subjectRef: 'CASE-NOTHING-HELD' }), [404, 'not_found']],
    ] as const) {
      const reply = await stack.call('openRecordsRequest', request);
      expect([reply.status, reply.body.error?.code], JSON.stringify(request.body)).toEqual(expected);
    }
    expect(await tableContents(stack)).toEqual(before);
    const opened = await stack.call(
      'openRecordsRequest',
      body('records_sealing_order', 'erase', { basisReference: 'JV-26/117' }),
    );
    expect(opened.status).toBe(201);
    expect(opened.body.request).toMatchObject({
      kind: 'erase',
      legalBasis: 'records_sealing_order',
      basisReference: 'JV-26/117',
      citation: expect.stringContaining('Welf. & Inst. Code'),
      status: 'pending',
      approveBy: '2026-11-29T17:00:00.000Z',
    });
  });

  it('issue 16 finding 4: roles are checked before bodies are read: a caseworker’s malformed records request is 403, not 400', async () => {
    const id = randomUUID();
    for (const [route, withId] of [
      ['openRecordsRequest', false],
      ['decideRecordsRequest', true],
      ['exportRecords', true],
      ['eraseRecords', true],
    ] as const) {
      const reply = await stack.call(route, {
        user: owner,
        ...(withId ? { id } : {}),
        rawBody: '{"nonsense": ',
      });
      expect([reply.status, reply.body.error.code], route).toEqual([403, 'forbidden']);
    }
    const listed = await stack.call('listRecordsRequests', { user: supervisor });
    expect([listed.status, listed.body.error.code]).toEqual([403, 'forbidden']);
  });

  it('issue 16 finding 4: an erasure is refused while a statutory report about the youth is open, when opened and when run', async () => {
    const subjectRef = 'CASE-R4-8';
    const driver = await ScreeningDriver.start(stack, 'en', subjectRef);
    const done = await driver.sendAll(fullScreening({ determination: 'identified', cws: 'yes' }));
    const opened = await stack.call('openRecordsRequest', {
      user: requester,
      body: { subjectRef, kind: 'erase', legalBasis: 'court_order' },
    });
    expect([opened.status, opened.body.error.code]).toEqual([409, 'statutory_tasks_open']);

    // A statutory report opened after the approval still stops the erasure when it runs.
    const quiet = await quietScreening('CASE-R4-9');
    const id = await open('CASE-R4-9', 'erase');
    expect((await approve(id, 'CASE-R4-9')).status).toBe(200);
    const owedNow = await ScreeningDriver.start(stack, 'en', 'CASE-R4-9');
    await owedNow.sendAll(fullScreening({ determination: 'identified', cws: 'yes' }));
    expect(
      await expectNothingWritten(() =>
        stack.call('eraseRecords', { user: requester, id, body: { subjectRef: 'CASE-R4-9' } }),
      ),
    ).toEqual([409, 'statutory_tasks_open']);
    expect(await stack.deps.services.store.getConversation(quiet.id)).not.toBeNull();
    expect(done.body.tasks.length).toBeGreaterThan(0);
  });
});

describe('issue 16 finding 4: the reference is kept only as a keyed hash', () => {
  it('issue 16 finding 4: request and erasure records hold an HMAC of the reference through the key port, not the unkeyed SHA-256, and nothing holds the reference', async () => {
    const subjectRef = 'CASE-R4-10';
    await quietScreening(subjectRef);
    const erased = await runRecordsRequest(stack, { subjectRef, kind: 'erase', requester, approver });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);

    const keyed = await stack.deps.services.keys.mac('subject-ref', `county-a\n${subjectRef}`);
    expect(keyed).toMatch(/^local:v1:[0-9a-f]{64}$/);
    expect(erased.body.erasure.subjectRefHash).toBe(keyed);
    expect(await subjectRefHash(stack.deps.services.keys, 'county-a', subjectRef)).toBe(keyed);
    const request = await stack.deps.services.store.getRecordsRequest('county-a', erased.requestId!);
    expect(request?.subjectRefHash).toBe(keyed);
    // The hash issue 16 found: anyone could recompute it by trying references. Nobody holds it now.
    const unkeyed = createHash('sha256').update(`subject:v1\ncounty-a\n${subjectRef}`).digest('hex');
    const table = await everything();
    expect(table).not.toContain(unkeyed);
    expect(table).not.toContain(subjectRef);
    // Without the deployment's key, trying the reference gives another value.
    const otherKey = createLocalKeyProvider(createRandomMasterKey());
    expect(await subjectRefHash(otherKey, 'county-a', subjectRef)).not.toBe(keyed);
    // The same reference in another organisation hashes differently.
    expect(await subjectRefHash(stack.deps.services.keys, 'county-b', subjectRef)).not.toBe(keyed);
  });
});

describe('issue 16 finding 4: the keyed hash is granted where it is made', () => {
  it('issue 16 finding 4: every records route that computes a keyed hash is declared usesMac, so AWS grants it kms:GenerateMac and MAC_KEY_ID', async () => {
    const subjectRef = 'CASE-R4-15';
    await quietScreening(subjectRef);
    const macked = new Set<string>();
    let current = '';
    const { keys: keyProvider } = stack.deps.services;
    stack.deps.services.keys = {
      ...keyProvider,
      mac: (purpose, message) => {
        if (purpose === 'subject-ref') macked.add(current);
        return keyProvider.mac(purpose, message);
      },
    };
    const call = (route: RouteName, request: ApiRequest) => {
      current = route;
      return stack.call(route, request);
    };
    for (const kind of ['export', 'erase'] as const) {
      const opened = await call('openRecordsRequest', {
        user: requester,
        body: { subjectRef, kind, legalBasis: 'court_order' },
      });
      const id = opened.body.request.id as string;
      await call('decideRecordsRequest', { user: approver, id, body: { decision: 'approve', subjectRef } });
      const ran = await call(kind === 'export' ? 'exportRecords' : 'eraseRecords', {
        user: requester,
        id,
        body: { subjectRef },
      });
      expect(ran.status, JSON.stringify(ran.body)).toBe(200);
    }
    await call('listRecordsRequests', { user: approver });
    expect([...macked].sort()).toEqual([
      'decideRecordsRequest',
      'eraseRecords',
      'exportRecords',
      'openRecordsRequest',
    ]);
    const declared = routes
      .filter((route) => route.path.startsWith('/records') && 'usesMac' in route && route.usesMac)
      .map((route) => route.name)
      .sort();
    expect(declared).toEqual([...macked].sort());
  });
});

describe('issue 16 finding 4: the case owners are told', () => {
  it('issue 16 finding 4: when an export or an erasure runs, each owner of the subject’s conversations is notified once, of their own conversations, without the reference', async () => {
    const subjectRef = 'CASE-R4-11';
    const mine = await quietScreening(subjectRef, owner);
    const theirs = await quietScreening(subjectRef, colleague);
    const alsoMine = await quietScreening(subjectRef, owner);
    const unrelated = await quietScreening('CASE-R4-12', owner);

    const exported = await runRecordsRequest(stack, { subjectRef, kind: 'export', requester, approver });
    expect(exported.status).toBe(200);
    const noticesFor = async (user: TestUser) =>
      (
        (await stack.call('listNotifications', { user })).body.notifications as Array<Record<string, unknown>>
      ).filter((n) => n.type === 'records_request');
    const [forOwner] = await noticesFor(owner);
    expect(await noticesFor(owner)).toHaveLength(1);
    expect(forOwner).toMatchObject({
      type: 'records_request',
      recipient: { userId: owner.sub },
      recordsRequest: { id: exported.requestId, kind: 'export', legalBasis: 'court_order' },
    });
    expect((forOwner!.recordsRequest as { conversationIds: string[] }).conversationIds.sort()).toEqual(
      [mine.id, alsoMine.id].sort(),
    );
    expect(forOwner!.subjectRef).toBeUndefined();
    const [forColleague] = await noticesFor(colleague);
    expect((forColleague!.recordsRequest as { conversationIds: string[] }).conversationIds).toEqual([
      theirs.id,
    ]);
    expect(await noticesFor(supervisor)).toEqual([]);

    const erased = await runRecordsRequest(stack, { subjectRef, kind: 'erase', requester, approver });
    expect(erased.status).toBe(200);
    const afterErasure = await noticesFor(owner);
    expect(afterErasure.map((n) => (n.recordsRequest as { kind: string }).kind).sort()).toEqual([
      'erase',
      'export',
    ]);
    // The notifications outlive the erasure, so none names the subject; the unrelated case is untouched.
    expect(JSON.stringify(afterErasure)).not.toContain(subjectRef);
    expect(await everything()).not.toContain(subjectRef);
    expect(await stack.deps.services.store.getConversation(unrelated.id)).not.toBeNull();
  });
});

describe('issue 16 finding 4: the audit of the erasure itself is kept', () => {
  it('issue 16 finding 4: after an erasure its record stays (who asked, who approved, when, the basis, the keyed hash, counts) and administrators list it without the reference', async () => {
    const subjectRef = 'CASE-R4-13';
    const first = await quietScreening(subjectRef);
    await stack.call('getConversation', { id: first.id });
    const id = await open(subjectRef, 'erase', requester, 'entered_in_error');
    stack.clock.advance(3_600_000);
    expect((await approve(id, subjectRef)).status).toBe(200);
    stack.clock.advance(3_600_000);
    const erased = await stack.call('eraseRecords', { user: requester, id, body: { subjectRef } });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(await stack.deps.services.store.getConversation(first.id)).toBeNull();
    expect(await stack.deps.services.store.listReads(first.id)).toEqual([]);

    const keyed = await subjectRefHash(stack.deps.services.keys, 'county-a', subjectRef);
    const [erasure] = await stack.deps.services.store.listErasures('county-a');
    expect(erasure).toMatchObject({
      requestId: id,
      requestedBy: 'admin-1',
      approvedBy: 'admin-2',
      approvedAt: '2026-11-28T18:00:00.000Z',
      at: '2026-11-28T19:00:00.000Z',
      legalBasis: 'entered_in_error',
      subjectRefHash: keyed,
      removed: { conversations: 1, reads: 1, handoffs: 0 },
      conversationIds: [first.id],
    });

    // Another erasure (a second youth) deletes nothing of the first one's audit.
    await quietScreening('CASE-R4-14');
    expect(
      (await runRecordsRequest(stack, { subjectRef: 'CASE-R4-14', kind: 'erase', requester })).status,
    ).toBe(200);
    expect((await stack.deps.services.store.listErasures('county-a')).map((e) => e.requestId)).toContain(id);

    for (const who of [requester, approver, thirdAdmin]) {
      const listed = await stack.call('listRecordsRequests', { user: who });
      expect(listed.status).toBe(200);
      expect(listed.body.requests).toHaveLength(2);
      expect(listed.body.requests.find((r: { id: string }) => r.id === id)).toMatchObject({
        id,
        kind: 'erase',
        status: 'executed',
        legalBasis: 'entered_in_error',
        requestedBy: 'admin-1',
        requestedAt: '2026-11-28T17:00:00.000Z',
        decidedBy: 'admin-2',
        decidedAt: '2026-11-28T18:00:00.000Z',
        executedAt: '2026-11-28T19:00:00.000Z',
        erasureId: erasure!.id,
        removed: erasure!.removed,
      });
      expect(JSON.stringify(listed.body)).not.toContain(subjectRef);
      expect(JSON.stringify(listed.body)).not.toContain(keyed);
    }
    // Another organisation's administrators see none of it.
    const elsewhere = await stack.call('listRecordsRequests', { user: otherCountyAdmin });
    expect(elsewhere.body.requests).toEqual([]);
    const table = await everything();
    expect(table).not.toContain(subjectRef);
    expect(table).toContain(keys.recordsRequest('county-a', id).pk);
  });
});
