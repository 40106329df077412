import { createServer, type Server } from 'node:http';

export interface RecordedScheduleCall {
  method: string;
  name: string;
  groupName: string | null;
  body: Record<string, unknown>;
}

/**
 * A stand-in for EventBridge Scheduler on 127.0.0.1, speaking its REST-JSON protocol (POST and DELETE on
 * /schedules/{Name}) to the real @aws-sdk/client-scheduler, and recording what it was asked.
 */
export async function startFakeScheduler(): Promise<{
  endpoint: string;
  calls: RecordedScheduleCall[];
  close(): Promise<void>;
}> {
  const calls: RecordedScheduleCall[] = [];
  const existing = new Set<string>();
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const match = /^\/schedules\/([^/]+)$/.exec(url.pathname);
      const name = match ? decodeURIComponent(match[1]!) : '';
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const groupName = (body.GroupName as string | undefined) ?? url.searchParams.get('groupName');
      calls.push({ method: request.method ?? '', name, groupName, body });
      const key = `${groupName}/${name}`;
      const reply = (status: number, payload: unknown, errorType?: string) => {
        response.writeHead(status, {
          'content-type': 'application/json',
          ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
        });
        response.end(JSON.stringify(payload));
      };
      if (request.method === 'POST' && match) {
        if (existing.has(key)) return reply(409, { Message: 'exists' }, 'ConflictException');
        existing.add(key);
        return reply(200, { ScheduleArn: `arn:aws:scheduler:us-west-2:000000000000:schedule/${key}` });
      }
      if (request.method === 'DELETE' && match) {
        if (!existing.delete(key)) return reply(404, { Message: 'not found' }, 'ResourceNotFoundException');
        return reply(200, {});
      }
      return reply(400, { Message: 'unsupported' }, 'ValidationException');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
