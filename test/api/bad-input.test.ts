import { beforeAll, describe, expect, it } from 'vitest';
import { ScreeningDriver } from '../support/screening.ts';
import { type ApiRequest, createTestStack, type TestStack } from '../support/stack.ts';
import { tableContents } from '../support/table.ts';

let stack: TestStack;
let driver: ScreeningDriver;

beforeAll(async () => {
  stack = await createTestStack();
  driver = await ScreeningDriver.start(stack);
  await driver.send({ answer: 'present' });
});

const turn = (event: unknown, extra: Record<string, unknown> = {}) => ({
  eventId: `evt-${Math.random().toString(36).slice(2, 12)}`,
  expectedVersion: 1,
  event,
  ...extra,
});

const cases: Array<[string, () => ApiRequest, number, string]> = [
  ['malformed JSON', () => ({ id: driver.id, rawBody: '{"eventId": ' }), 400, 'malformed_json'],
  [
    'an unknown field',
    () => ({ id: driver.id, body: turn({ type: 'nav.back' }, { extra: 1 }) }),
    400,
    'invalid_request',
  ],
  [
    'an unknown field inside the event',
    () => ({ id: driver.id, body: turn({ type: 'nav.back', promptId: 'x' }) }),
    400,
    'invalid_request',
  ],
  [
    'a missing eventId',
    () => ({ id: driver.id, body: { expectedVersion: 1, event: { type: 'nav.back' } } }),
    400,
    'invalid_request',
  ],
  [
    'a negative version',
    () => ({ id: driver.id, body: turn({ type: 'nav.back' }, { expectedVersion: -1 }) }),
    400,
    'invalid_request',
  ],
  [
    'an unknown event type',
    () => ({ id: driver.id, body: turn({ type: 'answer.deleted' }) }),
    400,
    'invalid_request',
  ],
  [
    'a server-stamped field sent by the client',
    () => ({ id: driver.id, body: turn({ type: 'nav.back', at: '2026-01-01T00:00:00Z' }) }),
    400,
    'invalid_request',
  ],
  [
    'an oversize body',
    () => ({
      id: driver.id,
      rawBody: JSON.stringify(
        turn({ type: 'answer.given', promptId: 'trauma_signs', value: 'x'.repeat(20_000) }),
      ),
    }),
    413,
    'payload_too_large',
  ],
  [
    'an oversize answer',
    () => ({
      id: driver.id,
      body: turn({ type: 'answer.given', promptId: 'trauma_signs', value: 'x'.repeat(1001) }),
    }),
    400,
    'invalid_request',
  ],
  [
    'the wrong content type',
    () => ({ id: driver.id, body: turn({ type: 'nav.back' }), headers: { 'content-type': 'text/plain' } }),
    415,
    'unsupported_media_type',
  ],
  [
    'an unknown conversation id',
    () => ({ id: '00000000-0000-4000-8000-000000000000', body: turn({ type: 'nav.back' }) }),
    404,
    'not_found',
  ],
  [
    'a malformed conversation id',
    () => ({ id: 'not-a-uuid', body: turn({ type: 'nav.back' }) }),
    404,
    'not_found',
  ],
  [
    'another organisation',
    () => ({ id: driver.id, body: turn({ type: 'nav.back' }), user: { sub: 'x', org: 'county-b' } }),
    404,
    'not_found',
  ],
  [
    'no signed-in user',
    () => ({ id: driver.id, body: turn({ type: 'nav.back' }), user: null }),
    401,
    'unauthenticated',
  ],
  [
    'an answer for another prompt',
    () => ({ id: driver.id, body: turn({ type: 'answer.given', promptId: 'owes_debt', value: 'present' }) }),
    409,
    'prompt_mismatch',
  ],
  [
    'a choice that is not offered',
    () => ({ id: driver.id, body: turn({ type: 'answer.given', promptId: 'trauma_signs', value: 'maybe' }) }),
    422,
    'choice_not_offered',
  ],
  [
    'resume when not paused',
    () => ({ id: driver.id, body: turn({ type: 'nav.resume' }) }),
    422,
    'not_paused',
  ],
];

describe('bad input to POST /conversations/{id}/turns gets a 4xx with its own code and changes nothing', () => {
  it.each(cases)('%s', async (_name, request, status, code) => {
    const before = await tableContents(stack);
    const result = await stack.call('postTurn', request());
    expect(result.status).toBe(status);
    expect(result.body.error.code).toBe(code);
    expect(typeof result.body.error.message).toBe('string');
    expect(await tableContents(stack)).toEqual(before);
  });
});

describe('bad input to POST /conversations', () => {
  it.each([
    ['an unknown flow', { flow: 'no-such-flow', locale: 'en', subjectRef: 'CASE-1' }, 422, 'unknown_flow'],
    [
      'an unsupported locale',
      { flow: 'cse-screening', locale: 'fr', subjectRef: 'CASE-1' },
      400,
      'invalid_request',
    ],
    [
      'a name instead of a case reference',
      { flow: 'cse-screening', locale: 'en', subjectRef: 'Maria Lopez' },
      400,
      'invalid_request',
    ],
    [
      'an unknown instrument version',
      {
        flow: 'cse-screening',
        locale: 'en',
        subjectRef: 'C1',
        instrument: { id: 'ca-public-law-cse-indicators', version: '9.9.9' },
      },
      422,
      'unknown_flow',
    ],
  ] as const)('%s', async (_name, body, status, code) => {
    const before = await tableContents(stack);
    const result = await stack.call('createConversation', { body });
    expect(result.status).toBe(status);
    expect(result.body.error.code).toBe(code);
    expect(await tableContents(stack)).toEqual(before);
  });
});

describe('answers that do not fit the prompt', () => {
  it('refuses skipping the determination, a missing override reason, and a received time in the future', async () => {
    const local = await ScreeningDriver.start(stack);
    for (let i = 0; i < 8; i += 1) await local.send({ answer: 'not_present' });
    expect(local.promptId).toBe('determination');
    const skip = await local.send({ skip: true });
    expect([skip.status, skip.body.error.code]).toEqual([422, 'skip_not_allowed']);
    const unknown = await local.send({ unknown: true });
    expect([unknown.status, unknown.body.error.code]).toEqual([422, 'unknown_not_allowed']);

    await local.send({ answer: 'identified' });
    expect(local.promptId).toBe('override_reason');
    const skipReason = await local.send({ skip: true });
    expect(skipReason.body.error.code).toBe('skip_not_allowed');
    const blank = await local.send({ answer: '   ' });
    expect(blank.body.error.code).toBe('empty_answer');
    await local.send({ answer: 'Youth disclosed to the shelter worker' });
    await local.send({ answer: 'yes' });
    await local.send({ unknown: true });
    await local.send({ skip: true });

    const future = await local.send({ answer: '2026-11-29T17:00:00Z' });
    expect([future.status, future.body.error.code]).toEqual([422, 'datetime_in_future']);
    const nonsense = await local.send({ answer: 'yesterday' });
    expect(nonsense.body.error.code).toBe('invalid_datetime');
    expect(local.last.body.conversation.status).toBe('active');
  });

  it('refuses a note on a prompt that takes none, and going back from the first question', async () => {
    const local = await ScreeningDriver.start(stack);
    const back = await local.send({ back: true });
    expect([back.status, back.body.error.code]).toEqual([422, 'cannot_go_back']);
    for (let i = 0; i < 8; i += 1) await local.send({ answer: 'not_present', note: 'seen at intake' });
    await local.send({ answer: 'neither' });
    const note = await local.send({ answer: 'yes', note: 'should not be here' });
    expect(note.body.error.code).toBe('note_not_allowed');
  });

  it('refuses any turn on a completed conversation with 409', async () => {
    const local = await ScreeningDriver.start(stack);
    for (let i = 0; i < 8; i += 1) await local.send({ answer: 'not_present' });
    await local.sendAll([
      { answer: 'neither' },
      { answer: 'no' },
      { unknown: true },
      { skip: true },
      { unknown: true },
    ]);
    const after = await local.send({ back: true });
    expect([after.status, after.body.error.code]).toEqual([409, 'conversation_completed']);
  });
});
