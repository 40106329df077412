import { callApi } from './api.ts';
import type { ServerConversation } from './interview.ts';
import { isStart, type QueuedEvent, type QueuedStart, type Vault } from './vault.ts';

/** The sync endpoint takes at most this many events per request. */
const BATCH = 50;
/** Well under the API's 16 KB body limit, leaving room for the envelope and multi-byte text. */
const MAX_BATCH_BYTES = 10_000;

export type SyncReport =
  /** Nothing was waiting. */
  | { kind: 'idle' }
  /** Everything waiting was confirmed; `reply` is where the conversation stands on the server. */
  | { kind: 'sent'; reply: ServerConversation & { applied: number; skipped: number } }
  /** The server could not be reached; everything stays queued. */
  | { kind: 'offline' }
  /** The sign-in has ended; everything stays queued until the interviewer signs in again. */
  | { kind: 'signed_out' }
  /** Busy or failing server: try again later. */
  | { kind: 'later' }
  /**
   * The server refused an event or the interview's start (a mismatch, a conflict, a likely duplicate):
   * reported, never merged. `atStart` when it was the start; `others` are the interviews it may duplicate.
   */
  | {
      kind: 'refused';
      code: string;
      message: string;
      index?: number;
      atStart?: boolean;
      conversationId: string;
      others?: DuplicateInterview[];
    };

/** Issue 20: another interview about the same youth at about the same time, as the server describes it. */
export interface DuplicateInterview {
  id: string;
  startedAt: string;
  status: string;
  answers: number;
  onDevice: boolean;
  yours: boolean;
}

type SyncReply = ServerConversation & { applied: number; skipped: number };

/**
 * Issue 8: sends the queue in order, one conversation's events at a time and at most BATCH per request,
 * and wipes each event from the tablet once the server has confirmed it (applied, or already on record).
 */
export async function sendQueue<T>(
  vault: Vault<T>,
  token: string,
  stillWanted: () => boolean = () => true,
): Promise<SyncReport> {
  let reply: SyncReply | undefined;
  for (;;) {
    if (!stillWanted()) return { kind: 'later' };
    const pending = await vault.pending();
    if (pending.length === 0) return reply ? { kind: 'sent', reply } : { kind: 'idle' };
    const conversationId = pending[0]!.conversationId;
    // Issue 20: an interview the tablet started itself goes first, in the same request as its answers.
    const start: QueuedStart | undefined = isStart(pending[0]!) ? pending[0] : undefined;
    const batch: QueuedEvent[] = [];
    let bytes = start ? JSON.stringify(start).length : 0;
    for (const queued of pending.slice(start ? 1 : 0)) {
      const size = JSON.stringify(queued).length;
      // The API takes 16 KB per request: long free-text answers make fewer events fit.
      if (queued.conversationId !== conversationId || isStart(queued) || batch.length === BATCH) break;
      if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
      batch.push(queued);
      bytes += size;
    }
    const result = await callApi<SyncReply>(
      'POST',
      `/conversations/${encodeURIComponent(conversationId)}/sync`,
      token,
      {
        ...(start ? { start: start.start } : {}),
        events: batch.map(({ eventId, expectedVersion, event, answeredAt, deviceView }) => ({
          eventId,
          expectedVersion,
          event,
          answeredAt,
          deviceView,
        })),
      },
    );
    if (result.kind === 'offline') return { kind: 'offline' };
    if (result.kind === 'refused') {
      if (result.status === 401) return { kind: 'signed_out' };
      if (result.status === 429 || result.status >= 500) return { kind: 'later' };
      const details = result.details as
        | { index?: number; stage?: string; others?: DuplicateInterview[] }
        | undefined;
      const index = typeof details?.index === 'number' ? details.index : undefined;
      const atStart = details?.stage === 'start';
      // A refusal at an answer means the start (if any) and the answers before it are on record now; they are
      // confirmed so they are not sent twice.
      const confirmed = [
        ...(start && index !== undefined ? [start.eventId] : []),
        ...(index !== undefined
          ? batch.slice(0, Math.min(index, batch.length)).map((queued) => queued.eventId)
          : []),
      ];
      if (confirmed.length > 0) await vault.confirm(confirmed);
      return {
        kind: 'refused',
        code: result.code,
        message: result.message,
        conversationId,
        ...(atStart ? { atStart } : {}),
        ...(Array.isArray(details?.others) ? { others: details.others } : {}),
        // Which answer of the interview it was, counting from one, as the interviewer would.
        ...(index === undefined ? {} : { index: (batch[index]?.expectedVersion ?? 0) + 1 }),
      };
    }
    await vault.confirm([...(start ? [start.eventId] : []), ...batch.map((queued) => queued.eventId)]);
    reply = result.body;
  }
}
