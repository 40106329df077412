import { fingerprintOf } from '#flows/view-digest.ts';
import { ItemExistsError } from '../storage/errors.ts';
import type { ConversationRecord } from '../storage/records.ts';
import { actionableOr404, mayAnswer, requireCaseRole, requireFlow } from './access.ts';
import { checkedLinks, flowFor, newConversation } from './conversations.ts';
import { claimWindowRefusal, deviceViewOf } from './device-claims.ts';
import { ConflictError, UnprocessableError } from './errors.ts';
import type { Principal } from './principal.ts';
import type { DeviceStart } from './requests.ts';
import type { Services } from './services.ts';

/**
 * Issue 20: an interview a tablet started on its own, with no connection, accepted on its first sync.
 *
 * The device made the id and ran the flow version it had; the server replays that very version, so the
 * record is what the device showed. The device's start time is a claim, bounded like an answer's (issue 16),
 * and becomes the flow's start: an interview whose information arrived offline then has its duties due from
 * when the interviewer recorded it, never from whenever the tablet found a signal. A second interview about
 * the same youth at about the same time (another device, or a colleague online) is reported, never merged.
 */

/** Two interviews of one kind about one youth started this close together are most likely the same meeting. */
export const DUPLICATE_WINDOW_MS = 2 * 3_600_000;
const START = { stage: 'start' } as const;

function checkStartClaim(services: Services, claimed: string, now: Date): string {
  const at = Date.parse(claimed);
  const outside = claimWindowRefusal(services, at, now, 'startedAt');
  if (outside) {
    throw new UnprocessableError('invalid_started_at', outside.message, { ...START, bound: outside.bound });
  }
  return new Date(at).toISOString();
}

/** A repeated sync carries the same start: the record must be this caller's, made from this very start. */
function isSameStart(existing: ConversationRecord, principal: Principal, request: DeviceStart): boolean {
  return (
    existing.org === principal.org &&
    existing.owner === principal.userId &&
    existing.deviceStart !== undefined &&
    existing.flow === request.flow &&
    existing.flowVersion === request.flowVersion &&
    existing.instrument.id === request.instrument.id &&
    existing.instrument.version === request.instrument.version &&
    existing.locale === request.locale &&
    existing.subjectRef === request.subjectRef &&
    existing.createdAt === new Date(Date.parse(request.startedAt)).toISOString()
  );
}

function idTaken(): ConflictError {
  // Said alike whoever's it is, so a device learns nothing about a record it may not see.
  return new ConflictError(
    'conversation_id_taken',
    'A different conversation already has this id; nothing was written. Start the interview again on this device.',
    START,
  );
}

/**
 * Other interviews of the same kind about the same youth, started within the window of this one, that the
 * interviewer has not already called separate. Only when and how far each got is said, never what it holds.
 */
async function likelyDuplicates(
  services: Services,
  principal: Principal,
  id: string,
  request: DeviceStart,
  startedAt: string,
) {
  const separate = new Set(request.separateFrom ?? []);
  const at = Date.parse(startedAt);
  const others = await services.store.listConversationsOfSubject(principal.org, request.subjectRef);
  return others
    .filter(
      (other) =>
        other.id !== id &&
        other.flow === request.flow &&
        !separate.has(other.id) &&
        Math.abs(Date.parse(other.createdAt) - at) <= DUPLICATE_WINDOW_MS,
    )
    .map((other) => ({
      id: other.id,
      startedAt: other.createdAt,
      status: other.status,
      answers: other.version,
      onDevice: other.deviceStart !== undefined,
      yours: other.owner === principal.userId,
    }));
}

export async function acceptDeviceStart(
  services: Services,
  principal: Principal,
  id: string,
  request: DeviceStart,
): Promise<ConversationRecord> {
  requireCaseRole(principal);
  const existing = await services.store.getConversation(id);
  if (existing) {
    if (!isSameStart(existing, principal, request)) throw idTaken();
    return actionableOr404(existing, mayAnswer, principal, 'conversation');
  }
  // The device may only have run what this caller could have started online.
  if (flowFor(principal, request.flow) !== request.flow) {
    throw new UnprocessableError(
      'flow_not_for_role',
      'This kind of interview is started differently for your role; nothing was written.',
      START,
    );
  }
  const entry = services.catalog.exact(request.flow, request.flowVersion, request.instrument);
  if (!entry) {
    throw new UnprocessableError(
      'flow_version_not_deployed',
      'The server no longer has the version of the interview this device ran; nothing was written. The answers stay on the device.',
      { ...START, flows: services.catalog.flowIds() },
    );
  }
  requireFlow(principal, entry.flow.id);
  const now = services.clock();
  const startedAt = checkStartClaim(services, request.startedAt, now);
  const links = await checkedLinks(services, principal, entry.flow.id, request);
  const duplicates = await likelyDuplicates(services, principal, id, request, startedAt);
  if (duplicates.length > 0) {
    throw new ConflictError(
      'possible_duplicate',
      'Another interview about this youth was started at about the same time. Nothing was written or merged; check which is the real one, or send this one as a separate interview.',
      { ...START, others: duplicates },
    );
  }
  const { conversation, firstView } = await newConversation(services, principal, {
    id,
    entry,
    locale: request.locale,
    subjectRef: request.subjectRef,
    startedAt,
    links,
    deviceStart: { receivedAt: now.toISOString() },
    now,
  });
  if (deviceViewOf(firstView) !== request.deviceView) {
    throw new ConflictError(
      'state_mismatch',
      'The device and the server disagree on how this interview starts; nothing was written.',
      { ...START, serverView: fingerprintOf(firstView) },
    );
  }
  try {
    await services.store.createConversation(conversation);
  } catch (error) {
    if (!(error instanceof ItemExistsError)) throw error;
    // The same queue sent twice at once (a retry racing its original): the other write made it.
    const raced = await services.store.getConversation(id);
    if (!raced || !isSameStart(raced, principal, request)) throw idTaken();
    return actionableOr404(raced, mayAnswer, principal, 'conversation');
  }
  return conversation;
}
