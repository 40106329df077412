import { createHash } from 'node:crypto';
import type { ConversationView } from '#flows/engine.ts';
import { viewFingerprint } from '#flows/view-digest.ts';
import { DEFAULT_CLAIM_WINDOW_HOURS, type Services } from './services.ts';

/**
 * What a device says about itself and the server checks: its clock (an answer's `answeredAt`, an interview's
 * `startedAt`) and what it showed (`deviceView`). Shared by the sync of answers and the device's own start.
 */

/** Tablets keep their own time; a claim a little ahead of the server's clock is still plausible. */
const FUTURE_SKEW_MS = 5 * 60_000;

/**
 * Issue 16: why a device's time cannot be taken (at most 5 minutes ahead of the server, at most the claim
 * window behind it), or undefined when it can.
 */
export function claimWindowRefusal(
  services: Services,
  claimedMs: number,
  now: Date,
  field: string,
): { bound: 'future' | 'too_old'; message: string } | undefined {
  const windowHours = services.sync?.claimWindowHours ?? DEFAULT_CLAIM_WINDOW_HOURS;
  if (claimedMs > now.getTime() + FUTURE_SKEW_MS)
    return { bound: 'future', message: `${field} is in the future.` };
  if (claimedMs < now.getTime() - windowHours * 3_600_000)
    return {
      bound: 'too_old',
      message: `${field} is more than ${windowHours} hours before the server received it.`,
    };
  return undefined;
}

/** The digest a device sends of what it showed: SHA-256 (hex) of the view's fingerprint. */
export function deviceViewOf(view: ConversationView): string {
  return createHash('sha256').update(viewFingerprint(view), 'utf8').digest('hex');
}
