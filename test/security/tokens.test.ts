import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RouteName, routes } from '#functions/api/routes.ts';
import { ScreeningDriver } from '../support/screening.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { tableContents } from '../support/table.ts';

/**
 * The bar for identity: every route refuses a missing, expired, wrong-audience, wrong-issuer,
 * badly signed or `alg: none` token with 401, says nothing about which check failed, and writes nothing.
 */

let stack: TestStack;
let conversationId: string;
const bad: Record<string, string | undefined> = {};

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  stack = await createTestStack();
  conversationId = (await ScreeningDriver.start(stack)).id;
  const { idp } = stack;
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: idp.issuer,
    aud: idp.audience,
    sub: 'caseworker-1',
    token_use: 'id',
    'custom:org': 'county-a',
    'custom:unit': 'unit-1',
    'cognito:groups': ['caseworker'],
    iat: now,
    exp: now + 3600,
  };
  const impostor = await generateKeyPair('RS256');
  bad.missing = undefined;
  bad.expired = `Bearer ${await idp.signToken({ ...claims, iat: now - 7200, exp: now - 3600 })}`;
  bad['wrong audience'] = `Bearer ${await idp.signToken({ ...claims, aud: 'another-app' })}`;
  bad['wrong issuer'] = `Bearer ${await idp.signToken({ ...claims, iss: 'https://issuer.example' })}`;
  bad['signed by another key under our kid'] = `Bearer ${await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: idp.kid })
    .sign(impostor.privateKey)}`;
  bad['alg: none'] = `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
  bad['not a token'] = 'Bearer not-a-token';
  bad['another scheme'] = `Basic ${Buffer.from('caseworker-1:password').toString('base64')}`;
});

const requestFor = (route: RouteName) => {
  switch (route) {
    case 'postTurn':
      return {
        id: conversationId,
        body: { eventId: 'retry-0001', expectedVersion: 0, event: { type: 'answer.unknown', promptId: 'x' } },
      };
    case 'getConversation':
      return { id: conversationId };
    case 'completeTask':
    case 'cancelTask':
      return { id: `${conversationId}.r-report-1`, body: { reason: 'x' } };
    case 'openRecordsRequest':
      return { body: { subjectRef: 'CASE-1001', kind: 'export', legalBasis: 'court_order' } };
    case 'decideRecordsRequest':
    case 'exportRecords':
    case 'eraseRecords':
      // Issue 16, finding 7: a records request is named by its random id; the reference is in the body.
      return {
        id: '5f0c8e2a-9a51-4f7e-8d0b-3c2f6a1e9b74',
        body: { decision: 'approve', subjectRef: 'CASE-1001' },
      };
    case 'createConversation':
      return { body: { flow: 'cse-screening', locale: 'en', subjectRef: 'CASE-2' } };
    case 'activityReport':
      return { query: { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' } };
    default:
      return {};
  }
};

describe('every route refuses a bad token with 401 and writes nothing', () => {
  for (const route of routes) {
    it(route.name, async () => {
      const before = await tableContents(stack);
      for (const [name, authorization] of Object.entries(bad)) {
        const reply = await stack.call(route.name, {
          ...requestFor(route.name),
          ...(authorization === undefined ? { user: null } : { authorization }),
        });
        expect([reply.status, reply.body.error?.code], name).toEqual([401, 'unauthenticated']);
        expect(reply.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
        expect(reply.body.error.message, name).toBe('Sign in to use this API.');
      }
      expect(await tableContents(stack)).toEqual(before);
    });
  }

  it('the same request with a good token is accepted (so the refusals above are about the token)', async () => {
    const reply = await stack.call('getConversation', { id: conversationId });
    expect(reply.status).toBe(200);
  });
});
