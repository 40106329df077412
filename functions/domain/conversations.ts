import type { CatalogEntry } from '#flows/catalog.ts';
import { type ConversationView, type Rejection, replay, restore, start, step, view } from '#flows/engine.ts';
import type { ConversationEvent } from '#flows/events.ts';
import type { ConversationDetail, ConversationResponse } from '../api/responses.ts';
import type { CreateConversationRequest, TurnRequest } from '../api/schemas.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../http/errors.ts';
import type { Principal } from '../http/principal.ts';
import { DuplicateEventError, StaleVersionError } from '../storage/errors.ts';
import type { ConversationRecord, EventRecord, OutcomeRecord, TaskRecord } from '../storage/records.ts';
import { revealSensitive, sealSensitiveAnswer } from './sensitive.ts';
import type { Services } from './services.ts';
import { getTasksOfConversation, overdueWarnings, tasksClosedBy, tasksForDuties, taskView } from './tasks.ts';

function summaryOf(conversation: ConversationRecord) {
  const {
    kind: _kind,
    org: _org,
    owner: _owner,
    state: _state,
    dataKey: _dataKey,
    ...summary
  } = conversation;
  return summary;
}

function entryOf(services: Services, conversation: ConversationRecord): CatalogEntry {
  const entry = services.catalog.exact(conversation.flow, conversation.flowVersion, conversation.instrument);
  // A stored conversation whose flow version is no longer deployed is an operations error, not bad input.
  if (!entry) throw new Error('flow version of a stored conversation is not deployed');
  return entry;
}

async function loadOwned(services: Services, principal: Principal, id: string): Promise<ConversationRecord> {
  const conversation = await services.store.getConversation(id);
  // Another organisation's conversation is reported exactly like a missing one.
  if (!conversation || conversation.org !== principal.org) throw new NotFoundError('conversation');
  return conversation;
}

function respond(
  conversation: ConversationRecord,
  current: ConversationView,
  tasks: TaskRecord[],
  now: Date,
  replayed: boolean,
): ConversationResponse {
  return {
    conversation: summaryOf(conversation),
    prompt: current.prompt,
    paused: current.paused,
    outcome: current.outcome as Record<string, unknown> | null,
    tasks: tasks.map((task) => taskView(task, now)),
    warnings: overdueWarnings(tasks, now, conversation.locale),
    replayed,
  };
}

function currentView(services: Services, conversation: ConversationRecord): ConversationView {
  const { flow } = entryOf(services, conversation);
  return view(flow, restore(flow, conversation.state), conversation.locale);
}

export async function createConversation(
  services: Services,
  principal: Principal,
  request: CreateConversationRequest,
): Promise<ConversationResponse> {
  const entry = services.catalog.current(request.flow, request.instrument);
  if (!entry) {
    throw new UnprocessableError('unknown_flow', 'There is no such flow or instrument version.', {
      flows: services.catalog.flowIds(),
    });
  }
  const now = services.clock();
  const at = now.toISOString();
  const started = start(entry.flow, { locale: request.locale, startedAt: at });
  const firstView = view(entry.flow, started.snapshot, request.locale);
  const conversation: ConversationRecord = {
    kind: 'conversation',
    id: services.newId(),
    flow: entry.flow.id,
    flowVersion: entry.flow.version,
    instrument: entry.instrument,
    locale: request.locale,
    subjectRef: request.subjectRef,
    org: principal.org,
    owner: principal.userId,
    status: firstView.status,
    version: 0,
    state: started.state,
    createdAt: at,
    updatedAt: at,
  };
  await services.store.createConversation(conversation);
  return respond(conversation, firstView, [], now, false);
}

function sameAction(recorded: ConversationEvent, request: TurnRequest['event']): boolean {
  const { at: _at, ...action } = recorded;
  const canonical = (value: object) =>
    JSON.stringify(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
  return canonical(action) === canonical(request);
}

/**
 * A retried event id gets the reply it got the first time, rebuilt by replaying the stored events up to
 * it (the flow is deterministic), and nothing is written. The same id with a different action is refused.
 */
async function replyToRetry(
  services: Services,
  conversation: ConversationRecord,
  recorded: EventRecord,
  request: TurnRequest,
): Promise<ConversationResponse> {
  // A sealed answer is compared as it was typed: the retry carries plaintext, the store holds a token.
  const asTyped = await revealSensitive(services.keys, conversation, recorded.event);
  if (!sameAction(asTyped, request.event)) {
    throw new UnprocessableError('event_id_reused', 'This event id was already used for a different action.');
  }
  const { flow } = entryOf(services, conversation);
  const events = (await services.store.listEvents(conversation.id)).filter(
    (event) => event.seq <= recorded.seq,
  );
  const rebuilt = replay(
    flow,
    { locale: conversation.locale, startedAt: conversation.createdAt },
    events.map((event) => event.event),
  );
  const then = new Date(recorded.event.at);
  const thenView = view(flow, rebuilt.snapshot, conversation.locale);
  const asThen: ConversationRecord = {
    ...conversation,
    status: thenView.status,
    version: recorded.seq,
    updatedAt: recorded.event.at,
  };
  const tasks = thenView.outcome
    ? tasksForDuties(services, conversation, thenView.outcome.duties, recorded.event.at, recorded.actor)
    : [];
  return revealSensitive(services.keys, conversation, respond(asThen, thenView, tasks, then, true));
}

function rejectionError(rejection: Rejection, details: unknown) {
  switch (rejection.code) {
    case 'prompt_mismatch':
    case 'conversation_completed':
      return new ConflictError(rejection.code, rejection.message, details);
    default:
      return new UnprocessableError(rejection.code, rejection.message, details);
  }
}

function conflictDetails(services: Services, conversation: ConversationRecord) {
  const current = currentView(services, conversation);
  return { conversation: summaryOf(conversation), prompt: current.prompt, paused: current.paused };
}

export async function postTurn(
  services: Services,
  principal: Principal,
  conversationId: string,
  request: TurnRequest,
): Promise<ConversationResponse> {
  const { store } = services;
  const conversation = await loadOwned(services, principal, conversationId);
  if (conversation.version !== request.expectedVersion) {
    const recorded = await store.getEvent(conversationId, request.eventId);
    if (recorded) return replyToRetry(services, conversation, recorded, request);
    throw new ConflictError(
      'version_conflict',
      'The conversation has moved on since you last saw it. Here is where it stands now.',
      conflictDetails(services, conversation),
    );
  }
  const { flow } = entryOf(services, conversation);
  const now = services.clock();
  const at = now.toISOString();
  const typed = { ...request.event, at } as ConversationEvent;
  const before = restore(flow, conversation.state);
  // Checked as typed, so a sensitive answer is validated before it becomes an opaque token.
  const checked = step(flow, before, typed);
  if (!checked.ok) {
    const recorded = await store.getEvent(conversationId, request.eventId);
    if (recorded) return replyToRetry(services, conversation, recorded, request);
    throw rejectionError(checked.rejection, conflictDetails(services, conversation));
  }
  const prompt = view(flow, before, conversation.locale).prompt;
  const sealed = await sealSensitiveAnswer(services.keys, conversation, prompt, typed);
  const event = sealed.event;
  const result = event === typed ? checked : step(flow, before, event);
  if (!result.ok) throw new Error('a sealed answer was refused where its plaintext was accepted');
  const nextView = view(flow, result.snapshot, conversation.locale);
  const updated: ConversationRecord = {
    ...conversation,
    status: nextView.status,
    version: conversation.version + 1,
    state: result.state,
    ...(sealed.dataKey ? { dataKey: sealed.dataKey } : {}),
    updatedAt: at,
  };
  const eventRecord: EventRecord = {
    kind: 'event',
    conversationId,
    eventId: request.eventId,
    seq: updated.version,
    event,
    actor: principal.userId,
  };
  const tasks = nextView.outcome
    ? tasksForDuties(services, updated, nextView.outcome.duties, at, principal.userId)
    : [];
  const outcome: OutcomeRecord | undefined = nextView.outcome
    ? {
        kind: 'outcome',
        conversationId,
        org: updated.org,
        flow: updated.flow,
        facts: nextView.outcome.facts,
        outcome: nextView.outcome as unknown as Record<string, unknown>,
        completedAt: at,
      }
    : undefined;
  const closes = nextView.outcome
    ? await tasksClosedBy(services, updated, nextView.outcome.closesTaskTypes ?? [], at, principal.userId)
    : [];
  try {
    await store.commitTurn({
      conversation: updated,
      expectedVersion: request.expectedVersion,
      event: eventRecord,
      ...(outcome ? { outcome, tasks, closes } : {}),
    });
  } catch (error) {
    if (error instanceof DuplicateEventError || error instanceof StaleVersionError) {
      // Lost a race: either this very event landed first (a concurrent retry) or another turn did.
      const recorded = await store.getEvent(conversationId, request.eventId);
      if (recorded) return replyToRetry(services, conversation, recorded, request);
      const latest = await loadOwned(services, principal, conversationId);
      throw new ConflictError(
        'version_conflict',
        'The conversation has moved on since you last saw it. Here is where it stands now.',
        conflictDetails(services, latest),
      );
    }
    throw error;
  }
  return revealSensitive(services.keys, updated, respond(updated, nextView, tasks, now, false));
}

export async function getConversation(
  services: Services,
  principal: Principal,
  conversationId: string,
): Promise<ConversationDetail> {
  const conversation = await loadOwned(services, principal, conversationId);
  const current = currentView(services, conversation);
  const [events, tasks] = await Promise.all([
    services.store.listEvents(conversationId),
    current.outcome
      ? getTasksOfConversation(
          services,
          conversationId,
          current.outcome.duties.map((duty) => duty.ruleId),
        )
      : Promise.resolve([]),
  ]);
  const now = services.clock();
  return revealSensitive(services.keys, conversation, {
    ...respond(conversation, current, tasks, now, false),
    warnings: [],
    events: events.map(({ seq, eventId, actor, event }) => ({
      seq,
      eventId,
      actor,
      type: event.type,
      at: event.at,
      ...('promptId' in event ? { promptId: event.promptId } : {}),
      ...('value' in event ? { value: event.value } : {}),
      ...('note' in event && event.note !== undefined ? { note: event.note } : {}),
    })),
  });
}
