import type { ConversationStatus, ConversationView } from './engine.ts';

/**
 * Issue 8 (offline tablets): after every event the device and the server must agree on what the youth
 * and the interviewer were shown and what the screening concluded. They compare this, not the machine
 * state: the server seals sensitive answers with random IVs, so its state never equals the device's
 * plaintext. Pure and free of node imports and clocks, so the browser bundle computes the same string;
 * each side hashes it (SHA-256, hex) with its own crypto library.
 */
export interface ViewFingerprint {
  status: ConversationStatus;
  promptId: string | null;
  progress: { n: number; of: number } | null;
  paused: boolean;
  outcome: { facts: Record<string, string>; duties: { ruleId: string; dueAt: string }[] } | null;
}

export function fingerprintOf(view: ConversationView): ViewFingerprint {
  return {
    status: view.status,
    promptId: view.prompt?.id ?? null,
    progress: view.prompt ? { n: view.prompt.progress.n, of: view.prompt.progress.of } : null,
    paused: view.paused !== null,
    outcome: view.outcome
      ? {
          facts: { ...view.outcome.facts },
          // Due times are the deadlines the law sets: a device and the server that disagree on them must not sync.
          duties: view.outcome.duties.map((duty) => ({ ruleId: duty.ruleId, dueAt: duty.dueAt })),
        }
      : null,
  };
}

/** JSON with object keys sorted at every depth, so both sides hash the same bytes. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError('no JSON form for a non-finite number');
    if (
      value === undefined ||
      typeof value === 'function' ||
      typeof value === 'symbol' ||
      typeof value === 'bigint'
    )
      throw new TypeError(`no JSON form for ${typeof value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`)
    .join(',')}}`;
}

/** The canonical string both sides hash after each event. */
export function viewFingerprint(view: ConversationView): string {
  return canonical(fingerprintOf(view));
}
