import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AccountStanding,
  cachedDirectory,
  cognitoDirectory,
  inMemoryDirectory,
} from '#functions/auth/user-directory.ts';
import { makeMessagesHandler } from '#functions/teams/messages-handler.ts';
import { createTeamsStore } from '#functions/teams/teams-store.ts';
import { apiGatewayEvent } from '../../scripts/api-gateway-event.ts';
import { type BotFrameworkFake, startBotFrameworkFake } from '../support/bot-framework.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { tableContents } from '../support/table.ts';
import { linkInTeams, TEST_BOT_APP_ID, teamsTestDeps } from '../support/teams-bot.ts';

/**
 * Issue 18: Teams links were a separate identity store: disabling a user or removing a group in the user
 * pool did not revoke their Teams access. Now every activity asks the user pool (through a one-minute cache).
 */

const TENANT = '11111111-2222-4333-8444-555555555555';
let stack: TestStack;
let fake: BotFrameworkFake;
const directory = inMemoryDirectory();
let handler: ReturnType<typeof makeMessagesHandler>;
const standing = (
  roles: AccountStanding['roles'],
  extra: Partial<AccountStanding> = {},
): AccountStanding => ({
  enabled: true,
  org: 'county-a',
  unit: 'unit-1',
  roles,
  ...extra,
});

beforeAll(async () => {
  stack = await createTestStack();
  fake = await startBotFrameworkFake();
  const teams = createTeamsStore(stack.doc, stack.tableName);
  await linkInTeams(
    teams,
    {
      tenantId: TENANT,
      aadObjectId: 'aad-sup',
      userId: 'supervisor-1',
      org: 'county-a',
      unit: 'unit-1',
      roles: ['supervisor', 'caseworker'],
    },
    directory,
  );
  handler = makeMessagesHandler(() => teamsTestDeps(stack, fake, teams, { directory }));
});

afterAll(async () => {
  await fake.close();
});

async function say(text: string) {
  const before = fake.received.length;
  const result = await handler(
    apiGatewayEvent({
      route: { method: 'POST', path: '/api/messages' },
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await fake.tokenFor(TEST_BOT_APP_ID)}`,
      },
      body: JSON.stringify({
        type: 'message',
        id: randomUUID(),
        channelId: 'msteams',
        serviceUrl: fake.serviceUrl,
        locale: 'en-US',
        text,
        from: { id: '29:aad-sup', aadObjectId: 'aad-sup' },
        recipient: { id: `28:${TEST_BOT_APP_ID}` },
        conversation: { id: 'a:personal-aad-sup', tenantId: TENANT },
      }),
    }),
  );
  expect(result.statusCode ?? 200).toBe(200);
  return fake.received.slice(before).map((r) => JSON.stringify(r.body));
}

describe('issue 18: Teams access follows the user pool', () => {
  it('a linked supervisor works; disabled, moved or stripped of every linked role, they get nothing', async () => {
    expect((await say('board')).join()).toMatch(/on time|No deadlines due yet/i);
    for (const change of [
      standing(['supervisor', 'caseworker'], { enabled: false }),
      standing(['supervisor', 'caseworker'], { unit: 'unit-2' }),
      standing(['supervisor', 'caseworker'], { org: 'county-b' }),
      standing(['interviewer']),
      null,
    ]) {
      directory.put('supervisor-1', change);
      const before = await tableContents(stack);
      const sent = await say('board');
      expect(sent.join(), JSON.stringify(change)).toContain(
        'access to this service is turned off or has changed',
      );
      expect(sent.join()).not.toMatch(/on time|overdue/i);
      // Nothing recorded for a refused account but the activity's id (a retry is still recognised).
      expect((await tableContents(stack)).filter((item) => !before.includes(item)).join()).not.toMatch(
        /CONV#|TASK#|READS#/,
      );
    }
  });

  it('a removed group narrows what the link allows: the supervisor who is now only a caseworker has no board', async () => {
    directory.put('supervisor-1', standing(['caseworker']));
    const sent = await say('board');
    expect(sent.join()).toContain('The board shows a unit’s deadlines to its supervisors');
    expect(sent.join()).not.toContain('turned off');
    directory.put('supervisor-1', standing(['supervisor', 'caseworker']));
    expect((await say('board')).join()).toMatch(/on time|No deadlines due yet/i);
  });
});

describe('the Cognito directory, over the real protocol on loopback', () => {
  let cognito: Server;
  let endpoint: string;
  const calls: string[] = [];
  const users: Record<string, { Enabled: boolean; UserStatus: string; groups: string[]; org: string }> = {
    'sub-1': {
      Enabled: true,
      UserStatus: 'CONFIRMED',
      groups: ['caseworker', 'not-a-role'],
      org: 'county-a',
    },
    'sub-2': { Enabled: false, UserStatus: 'CONFIRMED', groups: ['supervisor'], org: 'county-a' },
  };

  beforeAll(async () => {
    // Cognito's JSON 1.1 protocol: the operation in X-Amz-Target, the input and output as JSON.
    cognito = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const operation = String(request.headers['x-amz-target']).split('.').at(-1)!;
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        calls.push(`${operation} ${input.UserPoolId} ${input.Username}`);
        const user = users[input.Username];
        const reply = (status: number, body: unknown, type?: string) => {
          response.writeHead(status, {
            'content-type': 'application/x-amz-json-1.1',
            ...(type ? { 'x-amzn-errortype': type } : {}),
          });
          response.end(JSON.stringify(body));
        };
        if (!user)
          return reply(
            400,
            { __type: 'UserNotFoundException', message: 'User does not exist.' },
            'UserNotFoundException',
          );
        if (operation === 'AdminGetUser')
          return reply(200, {
            Username: input.Username,
            Enabled: user.Enabled,
            UserStatus: user.UserStatus,
            UserAttributes: [
              { Name: 'sub', Value: input.Username },
              { Name: 'custom:org', Value: user.org },
            ],
          });
        return reply(200, { Groups: user.groups.map((GroupName) => ({ GroupName })) });
      });
    });
    await new Promise<void>((resolve) => cognito.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(cognito.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => cognito.close(() => resolve())));

  const client = () =>
    new CognitoIdentityProviderClient({
      endpoint,
      region: 'us-west-2',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

  it('reads status, organisation, unit and groups (roles only), and a missing user as null', async () => {
    const pool = cognitoDirectory(client(), 'us-west-2_Pool1');
    expect(await pool.standingOf('sub-1')).toEqual({
      enabled: true,
      org: 'county-a',
      unit: 'main',
      roles: ['caseworker'],
    });
    expect((await pool.standingOf('sub-2'))?.enabled).toBe(false);
    expect(await pool.standingOf('sub-gone')).toBeNull();
    expect(calls).toContain('AdminGetUser us-west-2_Pool1 sub-1');
    expect(calls).toContain('AdminListGroupsForUser us-west-2_Pool1 sub-1');
  });

  it('asks the pool at most once a minute per user', async () => {
    let now = Date.parse('2026-12-05T10:00:00Z');
    const pool = cachedDirectory(cognitoDirectory(client(), 'us-west-2_Pool1'), () => new Date(now));
    const before = calls.length;
    await pool.standingOf('sub-1');
    await pool.standingOf('sub-1');
    now += 59_000;
    await pool.standingOf('sub-1');
    expect(calls.length - before).toBe(2);
    now += 2_000;
    users['sub-1']!.Enabled = false;
    expect((await pool.standingOf('sub-1'))?.enabled).toBe(false);
    expect(calls.length - before).toBe(4);
  });
});
