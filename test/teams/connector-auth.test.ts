import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '#functions/http/errors.ts';
import {
  botFrameworkDefaults,
  type ConnectorAuthenticator,
  createConnectorAuthenticator,
} from '#functions/teams/connector-auth.ts';
import { isAllowedServiceUrl } from '#functions/teams/service-urls.ts';
import { type BotFrameworkFake, startBotFrameworkFake } from '../support/bot-framework.ts';

const APP_ID = '00000000-0000-4000-8000-00000000b0b1';
let fake: BotFrameworkFake;
let auth: ConnectorAuthenticator;
let now = new Date();

beforeAll(async () => {
  fake = await startBotFrameworkFake();
  auth = createConnectorAuthenticator({
    ...botFrameworkDefaults,
    appId: APP_ID,
    openIdMetadataUrl: fake.openIdMetadataUrl,
    clock: () => now,
    fetch,
  });
});

afterAll(async () => {
  await fake.close();
});

const teams = () => ({ channelId: 'msteams', serviceUrl: fake.serviceUrl });

async function refused(authorization: string | undefined, activity = teams()) {
  const error = await auth.verify(authorization, activity).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(UnauthenticatedError);
}

describe('every Bot Connector check on an incoming activity, failing closed', () => {
  it('accepts a token Bot Framework signed for this bot, channel and service URL', async () => {
    now = new Date();
    const claims = await auth.verify(`Bearer ${await fake.tokenFor(APP_ID)}`, teams());
    expect(claims.aud).toBe(APP_ID);
  });

  it('accepts a service URL that differs only by a trailing slash or host case', async () => {
    const token = await fake.tokenFor(APP_ID);
    await expect(
      auth.verify(`Bearer ${token}`, {
        channelId: 'msteams',
        serviceUrl: fake.serviceUrl.replace(/\/$/, ''),
      }),
    ).resolves.toBeDefined();
  });

  it('refuses: no bearer token', () => refused(undefined));
  it('refuses: another scheme', async () => refused(`Basic ${await fake.tokenFor(APP_ID)}`));
  it('refuses: another issuer', async () =>
    refused(`Bearer ${await fake.tokenFor(APP_ID, { iss: 'https://sts.example' })}`));
  it('refuses: another audience (a token for another bot)', async () =>
    refused(`Bearer ${await fake.tokenFor('another-bot')}`));

  it('expiry: within 5 minutes of skew is accepted, beyond it refused', async () => {
    const token = `Bearer ${await fake.tokenFor(APP_ID, { exp: Math.floor(Date.now() / 1000) - 240 })}`;
    await expect(auth.verify(token, teams())).resolves.toBeDefined();
    await refused(`Bearer ${await fake.tokenFor(APP_ID, { exp: Math.floor(Date.now() / 1000) - 360 })}`);
  });

  it('refuses: not yet valid beyond the skew', async () =>
    refused(`Bearer ${await fake.tokenFor(APP_ID, { nbf: Math.floor(Date.now() / 1000) + 600 })}`));
  it('refuses: signed by a key that is not in the published set (same kid)', async () =>
    refused(`Bearer ${await fake.tokenFor(APP_ID, {}, { unlistedKey: true })}`));
  it('refuses: a kid nobody published', async () =>
    refused(`Bearer ${await fake.tokenFor(APP_ID, {}, { kid: 'nope' })}`));

  it('refuses: a key not endorsed for the activity’s channel', async () => {
    const webchat = `Bearer ${await fake.tokenFor(APP_ID, {}, { kid: 'webchat-key' })}`;
    await expect(
      auth.verify(webchat, { channelId: 'webchat', serviceUrl: fake.serviceUrl }),
    ).resolves.toBeDefined();
    await refused(webchat, teams());
  });

  it('refuses: the token’s serviceurl claim differs from the activity’s serviceUrl', async () => {
    await refused(`Bearer ${await fake.tokenFor(APP_ID)}`, {
      channelId: 'msteams',
      serviceUrl: 'https://attacker.example/teams/',
    });
    await refused(`Bearer ${await fake.tokenFor(APP_ID, { serviceurl: undefined })}`);
  });

  it('refuses: alg none and tampered payloads', async () => {
    const token = await fake.tokenFor(APP_ID);
    const [header, payload] = token.split('.');
    const none = Buffer.from(JSON.stringify({ alg: 'none', kid: 'teams-key' })).toString('base64url');
    await refused(`Bearer ${none}.${payload}.`);
    const forged = Buffer.from(JSON.stringify({ aud: APP_ID, iss: fake.issuer, exp: 9999999999 })).toString(
      'base64url',
    );
    await refused(`Bearer ${header}.${forged}.${token.split('.')[2]}`);
  });

  it('refuses (a 401, never a 500): tokens whose header is malformed or names no key', async () => {
    const [, payload, signature] = (await fake.tokenFor(APP_ID)).split('.');
    const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const header of [
      '',
      'not-json',
      Buffer.from('{"alg":"RS256","kid":').toString('base64url'),
      Buffer.from([0xff, 0xfe, 0x7b, 0x7d]).toString('base64url'),
      encoded(['teams-key']),
      encoded('teams-key'),
      encoded(null),
      encoded({ alg: 'RS256' }),
      encoded({ alg: 'RS256', kid: 7 }),
      `${encoded({ alg: 'RS256', kid: 'teams-key' })}+/`,
    ]) {
      await refused(`Bearer ${header}.${payload}.${signature}`);
    }
    await refused(`Bearer ${encoded({ alg: 'RS256', kid: 'teams-key' })}.${payload}`);
    await refused(`Bearer ${encoded({ alg: 'RS256', kid: 'teams-key' })}`);
  });
});

describe('replies go only to trusted service URL hosts', () => {
  it('allows the configured hosts over https (plain http only for a configured loopback host)', () => {
    expect(isAllowedServiceUrl('https://smba.trafficmanager.net/amer/', ['smba.trafficmanager.net'])).toBe(
      true,
    );
    expect(isAllowedServiceUrl('https://SMBA.trafficmanager.net/teams/', ['smba.trafficmanager.net'])).toBe(
      true,
    );
    expect(isAllowedServiceUrl('http://smba.trafficmanager.net/', ['smba.trafficmanager.net'])).toBe(false);
    expect(
      isAllowedServiceUrl('https://smba.trafficmanager.net.attacker.example/', ['smba.trafficmanager.net']),
    ).toBe(false);
    expect(isAllowedServiceUrl('https://user:pw@smba.trafficmanager.net/', ['smba.trafficmanager.net'])).toBe(
      false,
    );
    expect(isAllowedServiceUrl('http://127.0.0.1:3978/', ['smba.trafficmanager.net'])).toBe(false);
    expect(isAllowedServiceUrl('http://127.0.0.1:3978/', ['127.0.0.1'])).toBe(true);
    expect(isAllowedServiceUrl('not a url', ['smba.trafficmanager.net'])).toBe(false);
  });
});
