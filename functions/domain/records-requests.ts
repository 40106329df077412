import { createHash } from 'node:crypto';
import type {
  ConversationRecord,
  ErasureRecord,
  EventRecord,
  HandoffRecord,
  OutboxRecord,
  OutcomeRecord,
  ReadRecord,
  TaskRecord,
} from '../storage/records.ts';
import type { ItemKey, Store } from '../storage/store.ts';
import { keys } from '../storage/table.ts';
import { requireRole } from './access.ts';
import type { ReadContext } from './conversations.ts';
import { ConflictError, NotFoundError } from './errors.ts';
import type { Principal } from './principal.ts';
import { revealSensitive } from './sensitive.ts';
import type { Services } from './services.ts';
import { taskIdOf } from './tasks.ts';

/**
 * Records requests about one subject reference, handled by an organisation's administrator (the custodian
 * of records): an export of everything held, and a lawful erasure that leaves only a record that it happened.
 */

interface DutyRef {
  ruleId?: unknown;
}

/** A conversation's tasks are found from its outcome: their ids derive from the conversation and rule. */
async function tasksOf(store: Store, conversationId: string, outcome: OutcomeRecord | null) {
  const duties = Array.isArray(outcome?.outcome.duties) ? (outcome.outcome.duties as DutyRef[]) : [];
  const ruleIds = duties.flatMap((duty) => (typeof duty.ruleId === 'string' ? [duty.ruleId] : []));
  const tasks = await Promise.all(ruleIds.map((ruleId) => store.getTask(taskIdOf(conversationId, ruleId))));
  return tasks.filter((task): task is TaskRecord => task !== null);
}

interface HeldAboutConversation {
  conversation: ConversationRecord;
  events: EventRecord[];
  outcome: OutcomeRecord | null;
  tasks: TaskRecord[];
  notifications: OutboxRecord[];
  reads: ReadRecord[];
}

async function heldAbout(store: Store, conversation: ConversationRecord): Promise<HeldAboutConversation> {
  const [events, outcome, reads] = await Promise.all([
    store.listEvents(conversation.id),
    store.getOutcome(conversation.id),
    store.listReads(conversation.id),
  ]);
  const tasks = await tasksOf(store, conversation.id, outcome);
  const notifications = (
    await Promise.all(tasks.map((task) => store.listOutboxOfTask(conversation.org, task.id)))
  ).flat();
  return { conversation, events, outcome, tasks, notifications, reads };
}

/** R-HANDOFF-1: a hand-off the county received about the subject, with the county tasks it opened. */
interface HeldAboutHandoff {
  handoff: HandoffRecord;
  tasks: TaskRecord[];
  notifications: OutboxRecord[];
}

async function heldAboutHandoff(store: Store, handoff: HandoffRecord): Promise<HeldAboutHandoff> {
  const tasks = (await Promise.all(handoff.taskIds.map((id) => store.getTask(id)))).filter(
    (task): task is TaskRecord => task !== null,
  );
  const notifications = (
    await Promise.all(tasks.map((task) => store.listOutboxOfTask(task.org, task.id)))
  ).flat();
  return { handoff, tasks, notifications };
}

/**
 * Everything the organisation holds about one subject: its conversations, and (for a county) the partners'
 * hand-offs it received under that case reference, which have no county conversation of their own.
 */
async function subjectRecords(services: Services, principal: Principal, subjectRef: string) {
  requireRole(principal, 'administrator');
  const [conversations, handoffs] = await Promise.all([
    services.store.listConversationsOfSubject(principal.org, subjectRef),
    services.store.listHandoffsOfCase(principal.org, subjectRef),
  ]);
  if (conversations.length === 0 && handoffs.length === 0) {
    throw new NotFoundError('records for that subject reference');
  }
  return {
    conversations,
    handoffs: await Promise.all(handoffs.map((handoff) => heldAboutHandoff(services.store, handoff))),
  };
}

export async function exportSubject(
  services: Services,
  principal: Principal,
  subjectRef: string,
  context: ReadContext,
) {
  const { conversations, handoffs } = await subjectRecords(services, principal, subjectRef);
  const now = services.clock().toISOString();
  const held = await Promise.all(
    conversations.map((conversation) => heldAbout(services.store, conversation)),
  );
  // An export is a read of every case in it, and is on record before anything leaves.
  await Promise.all(
    conversations.map((conversation) =>
      services.store.recordRead({
        kind: 'read',
        conversationId: conversation.id,
        org: conversation.org,
        actor: principal.userId,
        route: context.route,
        at: now,
        requestId: context.requestId,
      }),
    ),
  );
  return {
    subjectRef,
    exportedAt: now,
    exportedBy: principal.userId,
    conversations: await Promise.all(
      held.map(async ({ conversation, ...rest }) => {
        const { dataKey: _dataKey, state: _state, ...record } = conversation;
        return revealSensitive(services.keys, conversation, { conversation: record, ...rest });
      }),
    ),
    handoffs,
  };
}

export function subjectRefHash(org: string, subjectRef: string): string {
  return createHash('sha256').update(`subject:v1\n${org}\n${subjectRef}`).digest('hex');
}

/** Every item a conversation left in the table: its own partition, its reads, its tasks and their notifications. */
export async function keysOfConversation(store: Store, conversationId: string, org: string) {
  const [own, reads, outcome] = await Promise.all([
    store.listPartitionKeys(keys.conversation(conversationId).pk),
    store.listPartitionKeys(keys.reads(conversationId)),
    store.getOutcome(conversationId),
  ]);
  const tasks = await tasksOf(store, conversationId, outcome);
  const notifications = (await Promise.all(tasks.map((task) => store.listOutboxOfTask(org, task.id)))).flat();
  return {
    openStatutory: tasks.filter((task) => task.status === 'open' && task.obligation === 'statute'),
    own,
    reads,
    tasks: tasks.map((task) => keys.task(task.id)),
    notifications: notifications.map((n) => keys.outbox(n.org, n.taskId, n.actionId)),
  };
}

export async function eraseSubject(
  services: Services,
  principal: Principal,
  subjectRef: string,
  legalBasis: string,
): Promise<ErasureRecord> {
  const { conversations, handoffs } = await subjectRecords(services, principal, subjectRef);
  const found = await Promise.all(
    conversations.map((conversation) =>
      keysOfConversation(services.store, conversation.id, conversation.org),
    ),
  );
  // Issue 16, finding 4: a youth whose statutory reports are still owed is not erased; the reports come first.
  const owed = [...found.flatMap((f) => f.openStatutory), ...handoffs.flatMap((held) => held.tasks)].filter(
    (task) => task.status === 'open' && task.obligation === 'statute',
  );
  if (owed.length > 0) {
    throw new ConflictError(
      'statutory_tasks_open',
      'Statutory reports about this youth are still open; complete or cancel them before erasing. Nothing was erased.',
      { taskIds: owed.map((task) => task.id) },
    );
  }
  const all = (pick: (f: (typeof found)[number]) => ItemKey[]) => found.flatMap(pick);
  const own = all((f) => f.own);
  const handoffTasks = handoffs.flatMap((held) => held.tasks.map((task) => keys.task(task.id)));
  const handoffNotifications = handoffs.flatMap((held) =>
    held.notifications.map((n) => keys.outbox(n.org, n.taskId, n.actionId)),
  );
  const erasure: ErasureRecord = {
    kind: 'erasure',
    id: services.newId(),
    org: principal.org,
    subjectRefHash: subjectRefHash(principal.org, subjectRef),
    requestedBy: principal.userId,
    legalBasis,
    at: services.clock().toISOString(),
    removed: {
      conversations: conversations.length,
      events: own.filter((key) => key.sk.startsWith(keys.eventPrefix)).length,
      tasks: all((f) => f.tasks).length + handoffTasks.length,
      notifications: all((f) => f.notifications).length + handoffNotifications.length,
      reads: all((f) => f.reads).length,
      handoffs: handoffs.length,
    },
    conversationIds: conversations.map((conversation) => conversation.id),
  };
  // The record goes first: an erasure interrupted halfway is still on record, and running it again finishes it.
  await services.store.putErasure(erasure);
  await services.store.deleteItems([
    ...all((f) => f.notifications),
    ...handoffNotifications,
    ...all((f) => f.tasks),
    ...handoffTasks,
    ...all((f) => f.reads),
    ...own,
    ...handoffs.map((held) => keys.handoff(held.handoff.id)),
  ]);
  return erasure;
}
