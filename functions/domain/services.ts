import type { FlowCatalog } from '#flows/catalog.ts';
import type { ChainKeyring } from '../audit/chain-key.ts';
import type { KeyProvider } from '../crypto/key-provider.ts';
import type { ReminderPolicies } from '../reminders/policy.ts';
import type { Store } from '../storage/store.ts';

/** How far behind the server's receipt a tablet's claimed answer time may be, unless configured (issue 16). */
export const DEFAULT_CLAIM_WINDOW_HOURS = 72;

/** What the task routes need from the outside world, passed in so tests can point them anywhere. */
export interface TaskServices {
  store: Store;
  clock: () => Date;
  /**
   * When reminders and escalations fall due, per task type. Schedules are armed outside the request path
   * (from the table's stream), and a settled task's wake-up finds nothing to do, so no route waits on them.
   */
  reminders: ReminderPolicies;
  /** Issue 16: the key every audit chain link is MACed with (loaded once per process). */
  chain: ChainKeyring;
  /**
   * Wraps and unwraps the data keys of typed text (answers, notes; a task's evidence and cancel reason),
   * and computes keyed hashes.
   */
  keys: KeyProvider;
}

/** Conversations also need the flows (and with them XState), which task routes never load. */
export interface Services extends TaskServices {
  catalog: FlowCatalog;
  newId: () => string;
  /** Unfinished conversations expire this long after their last answer (TTL). */
  retention: { abandonedAfterDays: number };
  /**
   * Issue 16: how far behind the server's receipt a tablet's claimed answer time may be (offline sync).
   * Absent: 72 hours.
   */
  sync?: { claimWindowHours: number };
}
