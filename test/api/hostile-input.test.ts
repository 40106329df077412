import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { tableContents } from '../support/table.ts';

let stack: TestStack;
let driver: ScreeningDriver;

beforeAll(async () => {
  stack = await createTestStack();
  driver = await ScreeningDriver.start(stack);
});

const nearlyValidTurn = fc.record(
  {
    eventId: fc.oneof(fc.string(), fc.stringMatching(/^[A-Za-z0-9_-]{8,20}$/)),
    expectedVersion: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(0)),
    event: fc.oneof(
      fc.record(
        {
          type: fc.constantFrom(
            'answer.given',
            'answer.unknown',
            'answer.skipped',
            'nav.back',
            'nav.pause',
            'nav.resume',
            'x',
          ),
          promptId: fc.oneof(fc.constant('exchange'), fc.string()),
          value: fc.oneof(fc.constantFrom('present', 'maybe'), fc.string({ maxLength: 1200 })),
          note: fc.string(),
          at: fc.string(),
        },
        { requiredKeys: ['type'] },
      ),
      fc.anything(),
    ),
    extra: fc.anything(),
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  nearlyValidTurn.map((value) => JSON.stringify(value)),
  fc.json(),
  fc.string({ maxLength: 300 }),
  fc.constant(''),
  fc.constant(
    '{"__proto__": {"polluted": true}, "eventId": "abcdefgh", "expectedVersion": 0, "event": {"type": "nav.back"}}',
  ),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  '',
  'APPLICATION/JSON',
  'application/jsonx',
);

describe('hostile input to POST /conversations/{id}/turns', () => {
  it('never answers 5xx, and a rejected request never writes', { timeout: 180_000 }, async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(body, contentType, fc.boolean(), async (rawBody, type, wrongId) => {
        const before = await tableContents(stack);
        const result = await stack.call('postTurn', {
          id: wrongId ? `${driver.id.slice(0, -1)}0` : driver.id,
          rawBody,
          headers: { 'content-type': type },
        });
        expect(result.status).toBeLessThan(500);
        expect(result.body.error?.code ?? 'ok').toMatch(/^[a-z_]+$/);
        if (result.status >= 400) expect(await tableContents(stack)).toEqual(before);
        else accepted += 1;
      }),
      { numRuns: 300 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(accepted).toBeLessThan(300);
  });
});
