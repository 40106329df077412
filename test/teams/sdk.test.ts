import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADAPTIVE_CARD } from '#functions/teams/cards.ts';
import {
  ConnectorThrottledError,
  conversationReferenceOf,
  createBotAdapter,
  type StoredConversationReference,
  type TurnIo,
  UntrustedServiceUrlError,
} from '#functions/teams/sdk.ts';
import { type BotFrameworkFake, startBotFrameworkFake } from '../support/bot-framework.ts';

const APP_ID = '00000000-0000-4000-8000-00000000b0b1';
const OUR_TOKEN = 'outgoing-token-of-the-bot';
const CONVERSATION = 'a:1personal-chat-with-user';
let fake: BotFrameworkFake;
// The fake's connector answers at the root (`/v3/conversations/…`), not under `fake.serviceUrl`'s `/teams/`.
let serviceUrl: string;

beforeAll(async () => {
  fake = await startBotFrameworkFake();
  serviceUrl = `${fake.url}/`;
});

afterEach(() => {
  fake.received.length = 0;
  fake.throttleNext(0, 1);
});

afterAll(async () => {
  await fake.close();
});

const botAdapter = () =>
  createBotAdapter({
    appId: APP_ID,
    credentials: { tokenSource: { getToken: async () => OUR_TOKEN } },
    serviceUrlHosts: ['127.0.0.1'],
  });

function incoming(url = serviceUrl, overrides: Record<string, unknown> = {}) {
  return {
    activity: {
      type: 'message',
      id: 'incoming-1',
      channelId: 'msteams',
      serviceUrl: url,
      text: 'start',
      from: { id: '29:user-1', aadObjectId: '5b8f9c1e-0000-4000-8000-000000000001' },
      recipient: { id: `28:${APP_ID}`, name: 'Screening assistant' },
      conversation: { id: CONVERSATION, conversationType: 'personal', tenantId: 'tenant-1' },
      channelData: { tenant: { id: 'tenant-1' } },
      ...overrides,
    },
    claims: { serviceurl: url },
  };
}

const card = {
  contentType: ADAPTIVE_CARD,
  content: {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'TextBlock', text: 'Question 1 of 3', wrap: true }],
    actions: [{ type: 'Action.Submit', title: 'Yes', data: { conversationId: 'c-1', expectedVersion: 3 } }],
  },
};

async function storedReference(): Promise<Record<string, unknown>> {
  let reference: StoredConversationReference | undefined;
  await botAdapter().process(incoming(), async (io) => {
    reference = conversationReferenceOf(io.activity);
  });
  // As it comes back from storage.
  return JSON.parse(JSON.stringify(reference));
}

describe('replies to a verified incoming activity', () => {
  it('sends a text and an Adaptive Card, in order, with the bot’s token, as replies to the activity', async () => {
    const result = await botAdapter().process(incoming(), async (io) => {
      expect(io.activity.text).toBe('start');
      await io.send([{ type: 'message', text: 'Hello' }, { attachments: [card] }]);
    });

    expect(result).toEqual({ status: 200 });
    expect(fake.received.map(({ method, path, authorization }) => ({ method, path, authorization }))).toEqual(
      [
        {
          method: 'POST',
          path: `/v3/conversations/${CONVERSATION}/activities/incoming-1`,
          authorization: `Bearer ${OUR_TOKEN}`,
        },
        {
          method: 'POST',
          path: `/v3/conversations/${CONVERSATION}/activities/incoming-1`,
          authorization: `Bearer ${OUR_TOKEN}`,
        },
      ],
    );
    const [text, withCard] = fake.received.map((received) => received.body);
    expect(text).toMatchObject({
      type: 'message',
      text: 'Hello',
      replyToId: 'incoming-1',
      from: { id: `28:${APP_ID}` },
      recipient: { id: '29:user-1' },
      conversation: { id: CONVERSATION },
    });
    expect(withCard?.type).toBe('message');
    expect(withCard?.attachments).toEqual([card]);
  });

  it('sends nothing to a service URL whose host is not allow-listed, and reports it', async () => {
    const port = new URL(fake.url).port;
    for (const untrusted of [`http://localhost:${port}/`, 'https://smba.example.invalid/teams/']) {
      let thrown: unknown;
      const result = await botAdapter().process(incoming(untrusted), async (io) => {
        thrown = await io.send([{ text: 'Hello' }]).catch((error: unknown) => error);
        throw thrown;
      });

      expect(thrown).toBeInstanceOf(UntrustedServiceUrlError);
      expect(result).toEqual({ status: 500, error: thrown });
    }
    expect(fake.received).toEqual([]);
  });

  it('a 429 on a reply surfaces from send as ConnectorThrottledError', async () => {
    fake.throttleNext(1, 3);
    let thrown: unknown;
    const result = await botAdapter().process(incoming(), async (io) => {
      thrown = await io.send([{ text: 'Hello' }]).catch((error: unknown) => error);
    });

    expect(thrown).toBeInstanceOf(ConnectorThrottledError);
    expect(thrown).toMatchObject({ retryAfterSeconds: 3 });
    expect(result).toEqual({ status: 200 });
    expect(fake.received).toEqual([]);
  });

  it('a logic error is returned, never thrown, and never becomes the SDK’s “encountered an error” message', async () => {
    const boom = new Error('boom');
    const result = await botAdapter().process(incoming(), async (io) => {
      await io.send([{ text: 'First' }]);
      throw boom;
    });

    expect(result).toEqual({ status: 500, error: boom });
    expect(fake.received.map((received) => received.body.text)).toEqual(['First']);

    const notAnError = await botAdapter().process(incoming(), async () => {
      throw 'not an Error';
    });
    expect(notAnError).toEqual({ status: 500, error: 'not an Error' });
    expect(JSON.stringify(fake.received)).not.toMatch(/encountered an error|fix the source code/);
  });

  it('an invoke answers with its invokeResponse, or 501 without one', async () => {
    const invoke = incoming(serviceUrl, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'answer', data: {} } },
    });
    const body = { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Saved' };

    const answered = await botAdapter().process(invoke, async (io: TurnIo) => {
      await io.send([{ type: 'invokeResponse', value: { status: 200, body } }]);
    });
    const unanswered = await botAdapter().process(invoke, async () => {});

    expect(answered).toEqual({ status: 200, body });
    expect(unanswered).toEqual({ status: 501 });
    expect(fake.received).toEqual([]);
  });

  it('refuses (400, logic not run) an activity whose service URL host differs from the token’s claim', async () => {
    const turn = { ...incoming(), claims: { serviceurl: 'https://smba.trafficmanager.net/amer/' } };
    const logic = vi.fn(async () => {});

    expect(await botAdapter().process(turn, logic)).toEqual({ status: 400 });
    expect(logic).not.toHaveBeenCalled();
  });
});

describe('proactive messages', () => {
  it('continues a stored conversation with a new message carrying the bot’s token', async () => {
    const reference = await storedReference();
    expect(reference).toMatchObject({
      channelId: 'msteams',
      serviceUrl,
      conversation: { id: CONVERSATION },
      user: { id: '29:user-1' },
      agent: { id: `28:${APP_ID}` },
    });

    await botAdapter().sendProactive(reference, [
      { text: 'Reminder: a report is due' },
      { attachments: [card] },
    ]);

    expect(fake.received.map(({ path, authorization }) => ({ path, authorization }))).toEqual([
      { path: `/v3/conversations/${CONVERSATION}/activities`, authorization: `Bearer ${OUR_TOKEN}` },
      { path: `/v3/conversations/${CONVERSATION}/activities`, authorization: `Bearer ${OUR_TOKEN}` },
    ]);
    const [reminder, withCard] = fake.received.map((received) => received.body);
    expect(reminder).toMatchObject({
      type: 'message',
      text: 'Reminder: a report is due',
      from: { id: `28:${APP_ID}` },
      recipient: { id: '29:user-1' },
    });
    expect(reminder?.replyToId).toBeUndefined();
    expect(withCard?.attachments).toEqual([card]);
  });

  it('a 429 throws ConnectorThrottledError with the Retry-After seconds, and nothing is recorded', async () => {
    const reference = await storedReference();
    fake.throttleNext(1, 7);

    const thrown = await botAdapter()
      .sendProactive(reference, [{ text: 'Reminder' }])
      .catch((error: unknown) => error);

    expect(thrown).toBeInstanceOf(ConnectorThrottledError);
    expect(thrown).toMatchObject({ retryAfterSeconds: 7 });
    expect(fake.received).toEqual([]);
  });

  it('refuses a reference to a host that is not allow-listed, or that is malformed', async () => {
    const reference = await storedReference();
    const port = new URL(fake.url).port;

    await expect(
      botAdapter().sendProactive({ ...reference, serviceUrl: `http://localhost:${port}/` }, [{ text: 'x' }]),
    ).rejects.toBeInstanceOf(UntrustedServiceUrlError);
    const { serviceUrl: _dropped, ...withoutServiceUrl } = reference;
    await expect(botAdapter().sendProactive(withoutServiceUrl, [{ text: 'x' }])).rejects.toBeInstanceOf(
      UntrustedServiceUrlError,
    );
    await expect(
      botAdapter().sendProactive({ ...reference, conversation: {} }, [{ text: 'x' }]),
    ).rejects.toBeInstanceOf(TypeError);
    expect(fake.received).toEqual([]);
  });
});

describe('configuration', () => {
  it('SDK environment variables do not change the connection, the allow-list or the claim check', async () => {
    // TEST_MODE makes the SDK read the environment again when an adapter is made.
    vi.stubEnv('TEST_MODE', 'true');
    vi.stubEnv('clientId', 'someone-else');
    vi.stubEnv('clientSecret', 'a-secret-from-the-environment');
    vi.stubEnv('tenantId', 'another-tenant');
    vi.stubEnv('Connections__serviceConnection__Settings__ClientId', 'someone-else');
    vi.stubEnv('Connections__serviceConnection__Settings__AuthType', 'EntraAuthSideCar');
    vi.stubEnv('Connections__serviceConnection__Settings__SidecarBaseUrl', `${fake.url}/sidecar`);
    vi.stubEnv('OutboundHostValidator__Enabled', 'true');
    vi.stubEnv('CloudAdapterOptions__validateServiceUrl', 'false');
    try {
      const adapter = botAdapter();
      const result = await adapter.process(incoming(), async (io) => {
        await io.send([{ text: 'Hello' }]);
      });
      const mismatch = { ...incoming(), claims: { serviceurl: 'https://smba.trafficmanager.net/amer/' } };

      expect(result).toEqual({ status: 200 });
      expect(fake.received.map((received) => received.authorization)).toEqual([`Bearer ${OUR_TOKEN}`]);
      expect(await adapter.process(mismatch, async () => {})).toEqual({ status: 400 });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
