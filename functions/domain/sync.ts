import { fingerprintOf } from '#flows/view-digest.ts';
import { DuplicateEventError, StaleVersionError } from '../storage/errors.ts';
import type { ConversationRecord } from '../storage/records.ts';
import { mayAnswer } from './access.ts';
import {
  conflictDetails,
  loadVisible,
  type PreparedTurn,
  prepareTurn,
  rejectionError,
  sameAction,
  standingReply,
  turnReply,
} from './conversations.ts';
import { claimWindowRefusal, deviceViewOf } from './device-claims.ts';
import { acceptDeviceStart } from './device-start.ts';
import { ConflictError, UnprocessableError } from './errors.ts';
import type { Principal } from './principal.ts';
import type { SyncRequest } from './requests.ts';
import { revealSensitive } from './sensitive.ts';
import type { Services } from './services.ts';
import type { SyncResponse } from './views.ts';

type SyncItem = SyncRequest['events'][number];

/**
 * Issue 16: the device's clock is a claim, never the record's time. The event is ordered and audited at the
 * server's receipt (`at`); the claim is kept beside it (`claimedAt`) once it is plausible: at most 5 minutes
 * ahead of the server, at most the window behind it, not before the conversation began, and not before the
 * previous answer's own time (its claim, or its receipt for an online turn).
 */
function checkClaim(
  services: Services,
  conversation: ConversationRecord,
  item: SyncItem,
  now: Date,
  where: object,
): string {
  const claimed = Date.parse(item.answeredAt);
  const refuse = (bound: string, message: string) =>
    new UnprocessableError('invalid_answered_at', message, { ...where, bound });
  const outside = claimWindowRefusal(services, claimed, now, 'answeredAt');
  if (outside) throw refuse(outside.bound, outside.message);
  if (claimed < Date.parse(conversation.createdAt))
    throw refuse('before_start', 'answeredAt is before the conversation was started.');
  // Records written before issue 16 have no `answeredAt`: their `updatedAt` was the last answer's claim.
  if (claimed < Date.parse(conversation.answeredAt ?? conversation.updatedAt))
    throw refuse('before_previous', 'answeredAt is before the previous answer of this conversation.');
  // One form for every stored instant, so stored claims stay string-comparable.
  return new Date(claimed).toISOString();
}

/** Whether an event id is already on record for this very action; a different action under it is refused. */
async function alreadyRecorded(
  services: Services,
  conversation: ConversationRecord,
  item: SyncItem,
  where: object,
): Promise<boolean> {
  const recorded = await services.store.getEvent(conversation.id, item.eventId);
  if (!recorded) return false;
  // A sealed answer is compared as it was typed: the device holds plaintext, the store a token.
  const asTyped = await revealSensitive(services.keys, conversation, recorded.event);
  if (!sameAction(asTyped, item.event)) {
    throw new UnprocessableError(
      'event_id_reused',
      'This event id was already used for a different action.',
      where,
    );
  }
  return true;
}

const movedOn = (services: Services, conversation: ConversationRecord, where: object) =>
  new ConflictError(
    'version_conflict',
    'The conversation has moved on since the device last saw it. Here is where it stands now.',
    { ...where, ...conflictDetails(services, conversation) },
  );

/**
 * Issue 8: a tablet's offline queue, replayed in order through the conversation's own flow version. Each
 * event is its own transaction, written only when the server's view after it matches the device's; a
 * mismatch stops the sync and is reported, never merged. Events already on record are skipped, so a
 * repeated sync (or a second device with the same queue) writes nothing.
 */
export async function syncTurns(
  services: Services,
  principal: Principal,
  conversationId: string,
  request: SyncRequest,
): Promise<SyncResponse> {
  // Issue 20: a conversation the device started itself is created (or found, on a repeated sync) first.
  let conversation = request.start
    ? await acceptDeviceStart(services, principal, conversationId, request.start)
    : await loadVisible(services, principal, conversationId, mayAnswer);
  let applied = 0;
  let skipped = 0;
  let lastTurn: PreparedTurn | undefined;
  for (const [index, item] of request.events.entries()) {
    const where = { index, eventId: item.eventId, applied };
    if (await alreadyRecorded(services, conversation, item, where)) {
      skipped += 1;
      lastTurn = undefined;
      continue;
    }
    if (conversation.version !== item.expectedVersion) throw movedOn(services, conversation, where);
    const now = services.clock();
    const claimedAt = checkClaim(services, conversation, item, now, where);
    const turnRequest = { eventId: item.eventId, expectedVersion: item.expectedVersion, event: item.event };
    // The event's time is the server's receipt; the flow's own checks (a date in the future) use it too.
    const prepared = await prepareTurn(
      services,
      principal,
      conversation,
      turnRequest,
      now.toISOString(),
      now,
      claimedAt,
    );
    if (!prepared.ok) {
      throw rejectionError(prepared.rejection, { ...where, ...conflictDetails(services, conversation) });
    }
    const serverView = fingerprintOf(prepared.turn.asTyped);
    if (deviceViewOf(prepared.turn.asTyped) !== item.deviceView) {
      throw new ConflictError(
        'state_mismatch',
        'The device and the server disagree on where the conversation stands after this event; nothing from it was written.',
        { ...where, serverView },
      );
    }
    try {
      await services.store.commitTurn(prepared.turn.write);
    } catch (error) {
      if (!(error instanceof DuplicateEventError || error instanceof StaleVersionError)) throw error;
      // Lost a race, most likely to another device syncing the same queue: that is a skip if it wrote this very event.
      const latest = await loadVisible(services, principal, conversationId, mayAnswer);
      if (!(await alreadyRecorded(services, latest, item, where))) throw movedOn(services, latest, where);
      conversation = latest;
      skipped += 1;
      lastTurn = undefined;
      continue;
    }
    conversation = prepared.turn.updated;
    applied += 1;
    lastTurn = prepared.turn;
  }
  const now = services.clock();
  const reply = lastTurn
    ? await turnReply(services, lastTurn, now)
    : await standingReply(services, conversation, now);
  // `replayed` keeps its turn meaning: true when this request wrote nothing.
  return { applied, skipped, ...reply, replayed: applied === 0 };
}
