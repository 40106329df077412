import type { FlowCatalog } from '#flows/catalog.ts';
import { replay, statusOf, view } from '#flows/engine.ts';
import type { ConversationEvent } from '#flows/events.ts';
import { canonicalJson, type FailedVerdict } from './chain.ts';

/**
 * Issue 16, finding 3: the hash chain vouches for the events, not for what was derived from them. A
 * conversation's stored state and its outcome (determination, facts, duties) are derived, deterministically,
 * so the audit recomputes them by replaying the chained events through the exact flow version the
 * conversation started with, and any difference is tampering (or a flow change that broke replay, which is
 * as serious). Pure: the caller reads the items.
 */

type Item = Readonly<Record<string, unknown>>;

const same = (a: unknown, b: unknown) => {
  try {
    // A DynamoDB round trip drops undefined members; so does the canonical form.
    return (
      canonicalJson(JSON.parse(JSON.stringify(a ?? null))) ===
      canonicalJson(JSON.parse(JSON.stringify(b ?? null)))
    );
  } catch {
    return false;
  }
};

function altered(seq: number, message: string): FailedVerdict {
  return { ok: false, problem: 'altered', seq, message };
}

export function verifyReplay(
  catalog: FlowCatalog,
  conversation: Item,
  events: readonly Item[],
  outcome: Item | undefined,
): FailedVerdict | undefined {
  const id = String(conversation.id);
  const instrument = conversation.instrument as { id: string; version: string } | undefined;
  const entry =
    typeof conversation.flow === 'string' && typeof conversation.flowVersion === 'string' && instrument
      ? catalog.exact(conversation.flow, conversation.flowVersion, instrument)
      : undefined;
  const version = typeof conversation.version === 'number' ? conversation.version : 0;
  if (!entry) {
    return altered(
      version,
      `conversation ${id} names a flow version this deployment cannot replay (${String(conversation.flow)}@${String(conversation.flowVersion)}), so its state and outcome cannot be verified.`,
    );
  }
  const ordered = [...events]
    .sort((a, b) => Number(a.seq) - Number(b.seq))
    .map((item) => item.event as ConversationEvent);
  const locale = conversation.locale === 'es' ? 'es' : 'en';
  let replayed: ReturnType<typeof replay>;
  try {
    replayed = replay(entry.flow, { locale, startedAt: String(conversation.createdAt) }, ordered);
  } catch {
    return altered(version, `the events of conversation ${id} no longer replay through its flow.`);
  }
  if (!same(conversation.state, replayed.state)) {
    return altered(version, `the stored state of conversation ${id} differs from what its events produce.`);
  }
  if (conversation.status !== undefined && conversation.status !== statusOf(replayed.snapshot)) {
    return altered(version, `the status of conversation ${id} differs from what its events produce.`);
  }
  const derived = view(entry.flow, replayed.snapshot, locale).outcome;
  if (derived && !outcome) {
    return {
      ok: false,
      problem: 'removed',
      seq: version,
      message: `the outcome of conversation ${id} is missing.`,
    };
  }
  if (!derived && outcome) {
    return {
      ok: false,
      problem: 'inserted',
      seq: version,
      message: `conversation ${id} has an outcome its events never reached.`,
    };
  }
  if (derived && outcome) {
    if (!same(outcome.facts, derived.facts) || !same(outcome.outcome, derived)) {
      return altered(
        version,
        `the stored outcome of conversation ${id} (determination, facts or duties) differs from what its events produce.`,
      );
    }
  }
  return undefined;
}
