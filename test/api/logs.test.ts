import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScreeningDriver } from '../support/screening.ts';
import { createTestStack } from '../support/stack.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('logs', () => {
  it('carry route, status and codes but never subject references, answers, notes or reasons', async () => {
    const lines: string[] = [];
    const stack = await createTestStack();
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    stack.deps.logger = new Logger({ serviceName: 'log-test', logLevel: 'DEBUG' });

    const driver = await ScreeningDriver.start(stack, 'en', 'CANARY-SUBJECT-7731');
    await driver.send({ answer: 'not_present', note: 'CANARY-NOTE-5512' });
    for (let i = 1; i < 8; i += 1) await driver.send({ answer: 'not_present' });
    await driver.send({ answer: 'identified' });
    await driver.send({ answer: 'CANARY-REASON-9044' });
    await driver.send({ answer: 'maybe-CANARY-CHOICE' });
    await stack.call('postTurn', { id: driver.id, rawBody: '{"CANARY-BROKEN-JSON' });

    const output = lines.join('');
    expect(output).toContain('"route":"postTurn"');
    expect(output).toContain('"code":"choice_not_offered"');
    expect(output).not.toMatch(/CANARY/);
  });
});
