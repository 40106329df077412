import { callApi } from './api.ts';
import type { ServerConversation } from './interview.ts';
import type { QueuedEvent, Vault } from './vault.ts';

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
  /** The server refused an event (a mismatch, a conflict, a rejection): reported, never merged. */
  | { kind: 'refused'; code: string; message: string; index?: number };

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
    const batch: QueuedEvent[] = [];
    let bytes = 0;
    for (const queued of pending) {
      const size = JSON.stringify(queued).length;
      // The API takes 16 KB per request: long free-text answers make fewer events fit.
      if (queued.conversationId !== conversationId || batch.length === BATCH) break;
      if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
      batch.push(queued);
      bytes += size;
    }
    const result = await callApi<SyncReply>(
      'POST',
      `/conversations/${encodeURIComponent(conversationId)}/sync`,
      token,
      {
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
      const details = result.details as { index?: number } | undefined;
      const index = typeof details?.index === 'number' ? details.index : undefined;
      // Events before the refused one are on record now; they are confirmed so they are not sent twice.
      if (index !== undefined && index > 0) {
        await vault.confirm(batch.slice(0, Math.min(index, batch.length)).map((queued) => queued.eventId));
      }
      return {
        kind: 'refused',
        code: result.code,
        message: result.message,
        // Which answer of the interview it was, counting from one, as the interviewer would.
        ...(index === undefined ? {} : { index: (batch[index]?.expectedVersion ?? 0) + 1 }),
      };
    }
    await vault.confirm(batch.map((queued) => queued.eventId));
    reply = result.body;
  }
}
