import { describe, expect, it } from 'vitest';
import { depsFromEnvironment } from '#functions/deps/conversations.ts';
import { flowDepsFromEnvironment } from '#functions/deps/flows.ts';
import { taskDepsFromEnvironment } from '#functions/deps/tasks.ts';

describe('Lambda dependencies from the environment', () => {
  it('refuse to start without a table', () => {
    expect(() => taskDepsFromEnvironment({})).toThrow(/TABLE_NAME/);
  });

  it('without a data key configured, sealing an identifying answer fails closed instead of storing it in plain text', async () => {
    const { services } = depsFromEnvironment({ TABLE_NAME: 'screening' });
    await expect(services.keys.generateDataKey({ conversationId: 'c1' })).rejects.toThrow(/no data key/);
    const starting = flowDepsFromEnvironment({ TABLE_NAME: 'screening' });
    await expect(starting.services.keys.unwrapDataKey('kms:v1:x', { conversationId: 'c1' })).rejects.toThrow(
      /no data key/,
    );
  });

  it('a county reminder policy comes from configuration and is validated', () => {
    const policy = { default: { remindBeforeHours: [6], escalateAfterHours: [0] } };
    const { services } = taskDepsFromEnvironment({
      TABLE_NAME: 'screening',
      REMINDER_POLICIES: JSON.stringify(policy),
    });
    expect(services.reminders).toEqual(policy);
    expect(() =>
      taskDepsFromEnvironment({
        TABLE_NAME: 'screening',
        REMINDER_POLICIES: JSON.stringify({ default: { remindBeforeHours: [-1] } }),
      }),
    ).toThrow();
  });
});
