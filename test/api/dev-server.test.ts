import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDevServer, startDevServer } from '../../scripts/dev-server.ts';
import { createTestStack, demoUser } from '../support/stack.ts';

let server: RunningDevServer;
let authorization: string;

beforeAll(async () => {
  const stack = await createTestStack();
  server = await startDevServer({ deps: stack.deps, port: 0 });
  authorization = `Bearer ${await stack.tokenFor(demoUser)}`;
});

afterAll(async () => {
  await server.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify(body),
  });

describe('the local dev server', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
  });

  it('runs a whole screening over HTTP, mapped to the API Gateway v2 events Lambda gets', async () => {
    const created = await post('/conversations', {
      flow: 'cse-screening',
      locale: 'en',
      subjectRef: 'CASE-77',
    });
    expect(created.status).toBe(201);
    let reply = await created.json();
    const id = reply.conversation.id;
    let version = 0;
    const answers: Array<string | string[]> = [
      'present',
      ...Array<string>(7).fill('not_present'),
      'identified',
      'yes',
      'no',
      ['legal_assistance'],
      '2026-11-28T09:00:00-08:00',
    ];
    for (const value of answers) {
      const response = await post(`/conversations/${id}/turns`, {
        eventId: `evt-${version}-abcdef`,
        expectedVersion: version,
        event: { type: 'answer.given', promptId: reply.prompt.id, value },
      });
      expect(response.status).toBe(200);
      reply = await response.json();
      version = reply.conversation.version;
    }
    expect(reply.conversation.status).toBe('completed');
    expect(reply.tasks.map((task: { requirementId: string }) => task.requirementId)).toEqual([
      'R-REPORT-1',
      'R-REPORT-3',
      'R-REPORT-3',
      'R-REPORT-3',
      'R-PLAN-1',
      'R-SVC-1',
    ]);
    const tasks = await (
      await fetch(`${server.url}/tasks?status=open`, { headers: { authorization } })
    ).json();
    expect(tasks.tasks).toHaveLength(reply.tasks.length);
  });

  it('serves the OpenAPI document generated from the zod schemas', async () => {
    const response = await fetch(`${server.url}/openapi.json`);
    const document = await response.json();
    expect(document.openapi).toBe('3.0.3');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/conversations',
        '/conversations/{id}/turns',
        '/conversations/{id}',
        '/tasks',
        '/tasks/{id}/complete',
        '/tasks/{id}/cancel',
      ]),
    );
    const turnBody =
      document.paths['/conversations/{id}/turns'].post.requestBody.content['application/json'].schema;
    expect(turnBody.required).toEqual(expect.arrayContaining(['eventId', 'expectedVersion', 'event']));
    expect(turnBody.additionalProperties).toBe(false);
  });

  it('serves the chat page and its script with a restrictive content security policy', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('/chat/chat.js');
    const script = await fetch(`${server.url}/chat/chat.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
  });

  it('answers unknown routes with 404 and wrong methods with 405, in the API error shape', async () => {
    const missing = await fetch(`${server.url}/nothing-here`);
    expect([missing.status, (await missing.json()).error.code]).toEqual([404, 'route_not_found']);
    const wrongMethod = await fetch(`${server.url}/tasks`, { method: 'DELETE' });
    expect([wrongMethod.status, (await wrongMethod.json()).error.code]).toEqual([405, 'method_not_allowed']);
    const traversal = await fetch(`${server.url}/..%2f..%2fpackage.json`);
    expect(traversal.status).toBe(404);
  });
});
