import type { Services } from './services.ts';

/** How long an unfinished conversation is kept after its last answer before DynamoDB's TTL removes it. */
export const DEFAULT_ABANDONED_AFTER_DAYS = 30;

/**
 * An unfinished conversation carries its expiry, pushed back by every answer; a completed one has none,
 * because its outcome and the reports it owes are records the county must keep.
 */
export function expiryOf(
  services: Pick<Services, 'retention'>,
  status: 'active' | 'paused' | 'completed',
  now: Date,
): { expiresAt?: number } {
  if (status === 'completed') return {};
  return { expiresAt: Math.floor(now.getTime() / 1000) + services.retention.abandonedAfterDays * 86_400 };
}
