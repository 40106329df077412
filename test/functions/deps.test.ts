import { describe, expect, it } from 'vitest';
import { depsFromEnvironment } from '#functions/deps/conversations.ts';
import { flowDepsFromEnvironment } from '#functions/deps/flows.ts';
import { jobDepsFromEnvironment, taskDepsFromEnvironment } from '#functions/deps/tasks.ts';

const base = {
  TABLE_NAME: 'screening',
  OIDC_ISSUER: 'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_example',
  OIDC_AUDIENCE: 'client-id',
};

describe('Lambda dependencies from the environment', () => {
  it('refuse to start without a table, or an API without its token issuer and audience', () => {
    expect(() => taskDepsFromEnvironment({})).toThrow(/TABLE_NAME/);
    expect(() => taskDepsFromEnvironment({ TABLE_NAME: 'screening' })).toThrow(/OIDC_ISSUER/);
    expect(() => taskDepsFromEnvironment({ ...base, OIDC_AUDIENCE: '' })).toThrow(/OIDC_AUDIENCE/);
    expect(() => taskDepsFromEnvironment({ ...base, RATE_LIMIT_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT/);
    expect(() => flowDepsFromEnvironment({ ...base, ABANDONED_CONVERSATION_DAYS: 'x' })).toThrow(/ABANDONED/);
  });

  it('jobs need the table only, never the token issuer', () => {
    expect(jobDepsFromEnvironment({ TABLE_NAME: 'screening' }).services.store).toBeDefined();
  });

  it('without a data key configured, sealing an identifying answer fails closed instead of storing it in plain text', async () => {
    const { services } = depsFromEnvironment(base);
    await expect(services.keys.generateDataKey({ conversationId: 'c1' })).rejects.toThrow(
      /DATA_KEY_ID is not set/,
    );
    const starting = flowDepsFromEnvironment(base);
    await expect(starting.services.keys.unwrapDataKey('kms:v1:x', { conversationId: 'c1' })).rejects.toThrow(
      /DATA_KEY_ID is not set/,
    );
    // Issue 16: nor may an audit chain be extended, nor a keyed hash computed, without the HMAC key.
    await expect(services.keys.mac('subject-ref', 'x')).rejects.toThrow(/MAC_KEY_ID is not set/);
    await expect(services.chain.load()).rejects.toThrow(/MAC_KEY_ID is not set/);
  });

  it('a county reminder policy comes from configuration and is validated', () => {
    const policy = { default: { remindBeforeHours: [6], escalateAfterHours: [0] } };
    const { services } = taskDepsFromEnvironment({
      ...base,
      REMINDER_POLICIES: JSON.stringify(policy),
    });
    expect(services.reminders).toEqual(policy);
    expect(() =>
      taskDepsFromEnvironment({
        ...base,
        REMINDER_POLICIES: JSON.stringify({ default: { remindBeforeHours: [-1] } }),
      }),
    ).toThrow();
  });
});
