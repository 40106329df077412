import type { CatalogEntry } from '#flows/catalog.ts';
import { type ConversationView, type Rejection, replay, restore, start, step, view } from '#flows/engine.ts';
import type { ConversationEvent } from '#flows/events.ts';
import { genesisHash, linkEvent } from '../audit/chain.ts';
import { DuplicateEventError, StaleVersionError } from '../storage/errors.ts';
import type {
  ConversationRecord,
  EventRecord,
  HandoffRecord,
  OrgProfileRecord,
  OutcomeRecord,
  TaskRecord,
} from '../storage/records.ts';
import type { TurnWrite } from '../storage/store.ts';
import { actionableOr404, mayAnswer, maySee, type Owned, requireCaseRole, requireFlow } from './access.ts';
import { ConflictError, UnprocessableError } from './errors.ts';
import {
  handoffWarnings,
  type PreparedHandoff,
  partnerHandoffOf,
  prepareHandoff,
  statusView,
} from './handoffs.ts';
import type { Principal } from './principal.ts';
import { hasRole } from './principal.ts';
import type { CreateConversationRequest, TurnRequest } from './requests.ts';
import { expiryOf } from './retention.ts';
import { revealSensitive, sealTypedText } from './sensitive.ts';
import type { Services } from './services.ts';
import {
  getTasksOfConversation,
  overdueWarnings,
  settleOnReturn,
  sourceOfConversation,
  standInWarnings,
  taskIdOf,
  tasksForDuties,
  taskView,
} from './tasks.ts';
import { trainingWarnings } from './training.ts';
import type { ConversationDetail, ConversationResponse, UnfinishedConversation, Warning } from './views.ts';

function summaryOf(conversation: ConversationRecord) {
  const {
    kind: _kind,
    org: _org,
    unit: _unit,
    owner: _owner,
    state: _state,
    dataKey: _dataKey,
    chain: _chain,
    expiresAt: _expiresAt,
    answeredAt: _answeredAt,
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

export async function loadVisible(
  services: Services,
  principal: Principal,
  id: string,
  allowed: (principal: Principal, record: Owned) => boolean,
): Promise<ConversationRecord> {
  requireCaseRole(principal);
  return actionableOr404(await services.store.getConversation(id), allowed, principal, 'conversation');
}

/** Where a read is recorded: the route and the request, so an access log line can be matched to it. */
export interface ReadContext {
  route: string;
  requestId: string;
}

function respond(
  conversation: ConversationRecord,
  current: ConversationView,
  tasks: TaskRecord[],
  now: Date,
  replayed: boolean,
  extra: { warnings?: Warning[]; handoff?: HandoffRecord | null } = {},
): ConversationResponse {
  return {
    conversation: summaryOf(conversation),
    prompt: current.prompt,
    paused: current.paused,
    outcome: current.outcome as Record<string, unknown> | null,
    tasks: tasks.map((task) => taskView(task, now)),
    warnings: [
      ...overdueWarnings(tasks, now, conversation.locale),
      ...standInWarnings(tasks, conversation.locale),
      ...(extra.warnings ?? []),
    ],
    ...(extra.handoff ? { handoff: statusView(extra.handoff) } : {}),
    replayed,
  };
}

/** R-HANDOFF-1: the status of the hand-off a partner's completed screening made, if it made one. */
async function handoffOf(services: Services, conversation: ConversationRecord, current: ConversationView) {
  return partnerHandoffOf(current.outcome as Record<string, unknown> | null)
    ? services.store.getHandoff(conversation.id)
    : null;
}

/**
 * A partner organisation's request for the CSE screening is its own variant (R-HANDOFF-1): it never asks
 * what only the county can know (child welfare status, § 602 matters).
 */
export function flowFor(principal: Principal, flowId: string): string {
  return flowId === 'cse-screening' && hasRole(principal, 'shelter_staff') ? 'partner-cse-screening' : flowId;
}

function currentView(services: Services, conversation: ConversationRecord): ConversationView {
  const { flow } = entryOf(services, conversation);
  return view(flow, restore(flow, conversation.state), conversation.locale);
}

/** Issue 16: which flow takes which link, and what the linked conversation must be. */
const LINKABLE = { flow: 'runaway-return', missingReport: 'missing-from-care' } as const;

/**
 * A return interview's link to the missing-from-care report it answers, checked before anything is
 * written: a conversation of the caller's organisation, of that flow, about the same case reference. Any
 * other is refused alike, so an id reveals nothing about another organisation or another youth's case.
 */
export async function checkedLinks(
  services: Services,
  principal: Principal,
  flowId: string,
  request: Pick<CreateConversationRequest, 'links' | 'subjectRef'>,
): Promise<{ missingReport: string } | undefined> {
  if (!request.links) return undefined;
  if (flowId !== LINKABLE.flow) {
    throw new UnprocessableError(
      'links_not_allowed',
      'Only a runaway-return interview is linked, to the youth’s missing-from-care report.',
    );
  }
  const report = await services.store.getConversation(request.links.missingReport);
  if (
    !report ||
    report.org !== principal.org ||
    report.flow !== LINKABLE.missingReport ||
    report.subjectRef !== request.subjectRef
  ) {
    throw new UnprocessableError(
      'missing_report_not_found',
      'There is no missing-from-care report with that id about this case reference in your organisation.',
    );
  }
  return { missingReport: report.id };
}

/**
 * A new conversation record at its flow's first step, with its genesis hash. `startedAt` is the flow's start
 * and the record's `createdAt`: the server's clock online, a device's bounded claim for a device's start.
 */
export async function newConversation(
  services: Services,
  principal: Principal,
  input: {
    id: string;
    entry: CatalogEntry;
    locale: ConversationRecord['locale'];
    subjectRef: string;
    startedAt: string;
    links: { missingReport: string } | undefined;
    /** Issue 20: when the server received a device's start. */
    deviceStart?: { receivedAt: string };
    now: Date;
  },
): Promise<{ conversation: ConversationRecord; firstView: ConversationView }> {
  const { entry, locale, startedAt, now } = input;
  const started = start(entry.flow, { locale, startedAt });
  const firstView = view(entry.flow, started.snapshot, locale);
  const created = {
    id: input.id,
    flow: entry.flow.id,
    flowVersion: entry.flow.version,
    instrument: entry.instrument,
    subjectRef: input.subjectRef,
    org: principal.org,
    unit: principal.unit,
    owner: principal.userId,
    createdAt: startedAt,
    ...(input.links ? { links: input.links } : {}),
    ...(input.deviceStart ? { deviceStart: input.deviceStart } : {}),
  };
  const conversation: ConversationRecord = {
    kind: 'conversation',
    ...created,
    locale,
    status: firstView.status,
    version: 0,
    state: started.state,
    chain: { seq: 0, hash: genesisHash(created, await services.chain.load()) },
    updatedAt: now.toISOString(),
    // A device's first answer may claim no earlier time than the start it claimed.
    ...(input.deviceStart ? { answeredAt: startedAt } : {}),
    ...expiryOf(services, firstView.status, now),
  };
  return { conversation, firstView };
}

export async function createConversation(
  services: Services,
  principal: Principal,
  request: CreateConversationRequest,
): Promise<ConversationResponse> {
  requireCaseRole(principal);
  const entry = services.catalog.current(flowFor(principal, request.flow), request.instrument);
  if (!entry) {
    throw new UnprocessableError('unknown_flow', 'There is no such flow or instrument version.', {
      flows: services.catalog.flowIds(),
    });
  }
  const now = services.clock();
  requireFlow(principal, entry.flow.id);
  const links = await checkedLinks(services, principal, entry.flow.id, request);
  const { conversation, firstView } = await newConversation(services, principal, {
    id: services.newId(),
    entry,
    locale: request.locale,
    subjectRef: request.subjectRef,
    startedAt: now.toISOString(),
    links,
    now,
  });
  // R-TRAIN-1: the training check is read alongside the write and only ever warns.
  const [, profile, training] = await Promise.all([
    services.store.createConversation(conversation),
    services.store.getOrgProfile(principal.org),
    services.store.listTraining(principal.org, principal.userId),
  ]);
  return respond(conversation, firstView, [], now, false, {
    warnings: trainingWarnings(principal, profile, training, now, request.locale),
  });
}

export function sameAction(recorded: ConversationEvent, request: TurnRequest['event']): boolean {
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
  const [asTyped] = await Promise.all([
    revealSensitive(services.keys, conversation, recorded.event),
    services.chain.load(),
  ]);
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
  const [profile, handoff] = thenView.outcome
    ? await Promise.all([
        services.store.getOrgProfile(conversation.org),
        handoffOf(services, conversation, thenView),
      ])
    : [null, null];
  const tasks = thenView.outcome
    ? tasksForDuties(
        services,
        sourceOfConversation(conversation, profile),
        thenView.outcome.duties,
        recorded.event.at,
        recorded.actor,
      )
    : [];
  return revealSensitive(
    services.keys,
    conversation,
    respond(asThen, thenView, tasks, then, true, { handoff }),
  );
}

export function rejectionError(rejection: Rejection, details: unknown) {
  switch (rejection.code) {
    case 'prompt_mismatch':
    case 'conversation_completed':
      return new ConflictError(rejection.code, rejection.message, details);
    default:
      return new UnprocessableError(rejection.code, rejection.message, details);
  }
}

export function conflictDetails(services: Services, conversation: ConversationRecord) {
  const current = currentView(services, conversation);
  return { conversation: summaryOf(conversation), prompt: current.prompt, paused: current.paused };
}

/** A checked turn, ready to write: the records it changes and the views after it. */
export interface PreparedTurn {
  /** The view after the step as the answer was typed, before sealing: what a device running the flow sees. */
  asTyped: ConversationView;
  updated: ConversationRecord;
  nextView: ConversationView;
  /** The conversation's own tasks (a hand-off's county tasks are written but never shown to the partner). */
  tasks: TaskRecord[];
  handoff: PreparedHandoff | null;
  warnings: Warning[];
  write: TurnWrite;
}

/**
 * One event applied to a loaded conversation at `at`, the server's receipt (the event's time, for order,
 * audit and the flow's own checks), with `now` (the server's clock) for the expiry, and for a synced event
 * the device's `claimedAt`, kept on the event (issue 16): checked as typed, sensitive answers sealed,
 * chained, tasks and outcome built on the final event. Nothing is written; the caller commits `write` in
 * one transaction.
 */
export async function prepareTurn(
  services: Services,
  principal: Principal,
  conversation: ConversationRecord,
  request: TurnRequest,
  at: string,
  now: Date,
  claimedAt?: string,
): Promise<{ ok: true; turn: PreparedTurn } | { ok: false; rejection: Rejection }> {
  const conversationId = conversation.id;
  const { flow } = entryOf(services, conversation);
  const typed = { ...request.event, at } as ConversationEvent;
  const before = restore(flow, conversation.state);
  // Checked as typed, so typed text is validated before it becomes an opaque token.
  const checked = step(flow, before, typed);
  if (!checked.ok) return checked;
  const prompt = view(flow, before, conversation.locale).prompt;
  const [sealed, chainKey] = await Promise.all([
    sealTypedText(services.keys, conversation, prompt, typed),
    services.chain.load(),
  ]);
  const event = sealed.event;
  const result = event === typed ? checked : step(flow, before, event);
  if (!result.ok) throw new Error('a sealed answer was refused where its plaintext was accepted');
  const nextView = view(flow, result.snapshot, conversation.locale);
  const asTyped = event === typed ? nextView : view(flow, checked.snapshot, conversation.locale);
  const seq = conversation.version + 1;
  const link = linkEvent(
    conversation.chain,
    {
      conversationId,
      eventId: request.eventId,
      seq,
      event,
      actor: principal.userId,
      ...(claimedAt ? { claimedAt } : {}),
    },
    chainKey,
  );
  const { expiresAt: _previousExpiry, ...unexpiring } = conversation;
  const updated: ConversationRecord = {
    ...unexpiring,
    status: nextView.status,
    version: seq,
    state: result.state,
    ...(sealed.dataKey ? { dataKey: sealed.dataKey } : {}),
    chain: { seq, hash: link.hash },
    updatedAt: at,
    answeredAt: claimedAt ?? at,
    ...expiryOf(services, nextView.status, now),
  };
  const eventRecord: EventRecord = {
    kind: 'event',
    conversationId,
    eventId: request.eventId,
    seq,
    event,
    actor: principal.userId,
    ...(claimedAt ? { claimedAt } : {}),
    ...link,
  };
  const routing = nextView.outcome
    ? await routingOf(services, updated, nextView, now, principal.userId)
    : null;
  const tasks = routing?.tasks ?? [];
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
  const closesTaskTypes = nextView.outcome?.closesTaskTypes ?? [];
  const settlement =
    closesTaskTypes.length > 0
      ? settleOnReturn(
          services,
          principal,
          updated,
          await linkedTasks(services, updated, closesTaskTypes),
          at,
        )
      : null;
  const write: TurnWrite = {
    conversation: updated,
    expectedVersion: request.expectedVersion,
    event: eventRecord,
    ...(outcome
      ? {
          outcome,
          tasks: [...tasks, ...(routing?.handoff?.tasks ?? [])],
          closes: settlement?.closes ?? [],
          notifications: settlement?.notifications ?? [],
        }
      : {}),
    ...(routing?.handoff ? { handoff: routing.handoff.handoff } : {}),
  };
  const handoff = routing?.handoff ?? null;
  const warnings = [...(routing?.warnings ?? []), ...(settlement?.warnings ?? [])];
  return { ok: true, turn: { asTyped, updated, nextView, tasks, handoff, warnings, write } };
}

/**
 * Issue 16: the tasks of the given types that the linked missing-from-care report opened (null: no link).
 * The link was checked when the interview started; it is read again here, since the report may have been
 * lawfully erased since, and its tasks are found by id from its own outcome, never by case reference.
 */
async function linkedTasks(
  services: Services,
  conversation: ConversationRecord,
  taskTypes: readonly string[],
): Promise<TaskRecord[] | null> {
  const reportId = conversation.links?.missingReport;
  if (reportId === undefined) return null;
  const report = await services.store.getConversation(reportId);
  if (
    !report ||
    report.org !== conversation.org ||
    report.flow !== LINKABLE.missingReport ||
    report.subjectRef !== conversation.subjectRef
  )
    return [];
  const outcome = currentView(services, report).outcome;
  if (!outcome) return [];
  const tasks = await Promise.all(
    outcome.duties
      .filter((duty) => taskTypes.includes(duty.taskType))
      .map((duty) => services.store.getTask(taskIdOf(report.id, duty.ruleId))),
  );
  return tasks.filter((task): task is TaskRecord => task !== null && task.org === conversation.org);
}

/**
 * The final turn's tasks, routed through the organisation's profile (R-ROUTE-1), and for a partner's
 * concern the hand-off to its county with the county's tasks (R-HANDOFF-1). Reads the profiles only here:
 * ordinary turns stay one read and one write.
 */
async function routingOf(
  services: Services,
  conversation: ConversationRecord,
  nextView: ConversationView,
  now: Date,
  openedBy: string,
): Promise<{ tasks: TaskRecord[]; handoff: PreparedHandoff | null; warnings: Warning[] }> {
  const outcome = nextView.outcome!;
  const profile = await services.store.getOrgProfile(conversation.org);
  const at = conversation.updatedAt;
  const tasks = tasksForDuties(
    services,
    sourceOfConversation(conversation, profile),
    outcome.duties,
    at,
    openedBy,
  );
  const concern = partnerHandoffOf(outcome as unknown as Record<string, unknown>);
  const county = concern ? await countyOf(services, profile) : null;
  const handoff =
    concern && profile && county
      ? prepareHandoff(services, conversation, profile, county, concern, services.catalog.dutyRules(), now)
      : null;
  return { tasks, handoff, warnings: handoffWarnings(handoff, concern, conversation.locale) };
}

async function countyOf(
  services: Services,
  partner: OrgProfileRecord | null,
): Promise<OrgProfileRecord | null> {
  if (partner?.type !== 'partner' || !partner.handoffTo) return null;
  const county = await services.store.getOrgProfile(partner.handoffTo);
  return county?.type === 'county' ? county : null;
}

/** The reply to a written turn, sensitive answers shown to the caller as typed. */
export function turnReply(services: Services, turn: PreparedTurn, now: Date): Promise<ConversationResponse> {
  return revealSensitive(
    services.keys,
    turn.updated,
    respond(turn.updated, turn.nextView, turn.tasks, now, false, {
      warnings: turn.warnings,
      handoff: turn.handoff?.handoff ?? null,
    }),
  );
}

/** The reply for where a conversation stands now, with the tasks its outcome opened. */
export async function standingReply(
  services: Services,
  conversation: ConversationRecord,
  now: Date,
): Promise<ConversationResponse> {
  const current = currentView(services, conversation);
  const [tasks, handoff] = current.outcome
    ? await Promise.all([
        getTasksOfConversation(
          services,
          conversation.id,
          current.outcome.duties.map((duty) => duty.ruleId),
        ),
        handoffOf(services, conversation, current),
      ])
    : [[], null];
  return revealSensitive(services.keys, conversation, {
    ...respond(conversation, current, tasks, now, false, { handoff }),
    // Overdue-on-creation warnings belong to the reply that opened the tasks, not to later reads.
    warnings: [],
  });
}

export async function postTurn(
  services: Services,
  principal: Principal,
  conversationId: string,
  request: TurnRequest,
): Promise<ConversationResponse> {
  const { store } = services;
  const conversation = await loadVisible(services, principal, conversationId, mayAnswer);
  if (conversation.version !== request.expectedVersion) {
    const recorded = await store.getEvent(conversationId, request.eventId);
    if (recorded) return replyToRetry(services, conversation, recorded, request);
    throw new ConflictError(
      'version_conflict',
      'The conversation has moved on since you last saw it. Here is where it stands now.',
      conflictDetails(services, conversation),
    );
  }
  const now = services.clock();
  const prepared = await prepareTurn(services, principal, conversation, request, now.toISOString(), now);
  if (!prepared.ok) {
    const recorded = await store.getEvent(conversationId, request.eventId);
    if (recorded) return replyToRetry(services, conversation, recorded, request);
    throw rejectionError(prepared.rejection, conflictDetails(services, conversation));
  }
  try {
    await store.commitTurn(prepared.turn.write);
  } catch (error) {
    if (error instanceof DuplicateEventError || error instanceof StaleVersionError) {
      // Lost a race: either this very event landed first (a concurrent retry) or another turn did. The
      // conversation is read again: the winner may have created the data key its sealed answer needs, and
      // without it the stored answer could not be compared with the retry's (refused as event_id_reused).
      const latest = await loadVisible(services, principal, conversationId, mayAnswer);
      const recorded = await store.getEvent(conversationId, request.eventId);
      if (recorded) return replyToRetry(services, latest, recorded, request);
      throw new ConflictError(
        'version_conflict',
        'The conversation has moved on since you last saw it. Here is where it stands now.',
        conflictDetails(services, latest),
      );
    }
    throw error;
  }
  return turnReply(services, prepared.turn, now);
}

export async function getConversation(
  services: Services,
  principal: Principal,
  conversationId: string,
  context: ReadContext,
): Promise<ConversationDetail> {
  const conversation = await loadVisible(services, principal, conversationId, maySee);
  const current = currentView(services, conversation);
  const now = services.clock();
  const [events, tasks, handoff] = await Promise.all([
    services.store.listEvents(conversationId),
    current.outcome
      ? getTasksOfConversation(
          services,
          conversationId,
          current.outcome.duties.map((duty) => duty.ruleId),
        )
      : Promise.resolve([]),
    handoffOf(services, conversation, current),
    // The read is on record before anything is shown.
    services.store.recordRead({
      kind: 'read',
      conversationId,
      org: conversation.org,
      actor: principal.userId,
      route: context.route,
      at: now.toISOString(),
      requestId: context.requestId,
    }),
  ]);
  return revealSensitive(services.keys, conversation, {
    ...respond(conversation, current, tasks, now, false, { handoff }),
    warnings: [],
    events: events.map(({ seq, eventId, actor, event, claimedAt }) => ({
      seq,
      eventId,
      actor,
      type: event.type,
      at: event.at,
      ...(claimedAt ? { claimedAt } : {}),
      ...('promptId' in event ? { promptId: event.promptId } : {}),
      ...('value' in event ? { value: event.value } : {}),
      ...('note' in event && event.note !== undefined ? { note: event.note } : {}),
    })),
  });
}

/** How many unfinished conversations one read lists: more than anyone should have open at once. */
export const UNFINISHED_LIMIT = 50;

/**
 * Issue 17: the caller's conversations not yet completed, whichever channel started them (chat page,
 * widget, tablet, Teams), most recently touched first, each with where it stands, so any channel can
 * offer to resume it at the same prompt. Only the caller's own: the index partition is theirs.
 */
export async function unfinishedConversations(
  services: Services,
  principal: Principal,
  filter: { subjectRef?: string; flow?: string } = {},
): Promise<UnfinishedConversation[]> {
  requireCaseRole(principal);
  const stored = await services.store.listUnfinishedConversations(
    principal.org,
    principal.userId,
    UNFINISHED_LIMIT,
  );
  return stored
    .filter(
      (conversation) =>
        conversation.owner === principal.userId &&
        (filter.subjectRef === undefined || conversation.subjectRef === filter.subjectRef) &&
        // The flow asked for, as this caller runs it (a shelter's CSE screening is the partner variant).
        (filter.flow === undefined || conversation.flow === flowFor(principal, filter.flow)),
    )
    .map((conversation) => {
      const { prompt } = currentView(services, conversation);
      const { id, flow, locale, subjectRef, version, createdAt, updatedAt } = conversation;
      return {
        id,
        flow,
        locale,
        subjectRef,
        status: conversation.status === 'paused' ? 'paused' : 'active',
        version,
        createdAt,
        updatedAt,
        position: prompt ? { section: prompt.section, progress: prompt.progress } : null,
      };
    });
}
