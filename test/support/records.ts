import { expect } from 'vitest';
import type { ApiResult, TestStack, TestUser } from './stack.ts';

/**
 * Issue 16, findings 4 and 7: a records request as two administrators run it, the subject reference only in
 * bodies: the requester opens it, a second administrator of the organisation approves it, the requester runs
 * it. Returns the first refusal (opening refused, e.g. `409 statutory_tasks_open`), or the run's reply.
 */
export async function runRecordsRequest(
  stack: TestStack,
  options: {
    subjectRef: string;
    kind: 'export' | 'erase';
    requester: TestUser;
    /** Default: another administrator of the requester's organisation. */
    approver?: TestUser;
    legalBasis?: string;
  },
): Promise<ApiResult & { requestId?: string }> {
  const { subjectRef, kind, requester } = options;
  const approver = options.approver ?? { ...requester, sub: `${requester.sub}-second` };
  const opened = await stack.call('openRecordsRequest', {
    user: requester,
    body: { subjectRef, kind, legalBasis: options.legalBasis ?? 'court_order' },
  });
  if (opened.status !== 201) return opened;
  const requestId = opened.body.request.id as string;
  const approved = await stack.call('decideRecordsRequest', {
    user: approver,
    id: requestId,
    body: { decision: 'approve', subjectRef },
  });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  const ran = await stack.call(kind === 'export' ? 'exportRecords' : 'eraseRecords', {
    user: requester,
    id: requestId,
    body: { subjectRef },
  });
  return { ...ran, requestId };
}
