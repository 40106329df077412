import type { AnyMachineSnapshot } from 'xstate';
import { type CatalogEntry, createFlowCatalog, type InstrumentRef } from '#flows/catalog.ts';
import type { DutyRule } from '#flows/duty-rule.ts';
import {
  type ConversationView,
  type FlowOutcome,
  type FlowState,
  restore,
  type StepResult,
  start,
  step,
  view,
} from '#flows/engine.ts';
import type { ClientEvent } from '#flows/events.ts';
import { type Locale, localize } from '#flows/i18n.ts';
import type { Prompt } from '#flows/prompt.ts';
import { sections } from '#flows/runaway-return/wording.ts';
import { viewFingerprint } from '#flows/view-digest.ts';
import type { DuplicateInterview } from './sync.ts';
import type { QueuedEvent, QueuedStart } from './vault.ts';

/**
 * The interview as the tablet runs it (issue 8): the same `flows/` engine the server runs, in the browser,
 * on the exact flow version the server started the conversation with. Pure apart from the clock and the
 * random event ids the caller passes in.
 */

export interface TranscriptEntry {
  question: string;
  answer: string;
  /** Issue 20: the language the line was shown in, where it was not the interview's (the interviewer's). */
  locale?: Locale;
}

/** What the tablet keeps (sealed) about the interview in progress. */
export interface InterviewSession {
  conversationId: string;
  flowId: string;
  flowVersion: string;
  instrument: InstrumentRef;
  locale: Locale;
  subjectRef: string;
  createdAt: string;
  state: FlowState;
  /** The conversation's version once every answer given on this tablet is applied. */
  version: number;
  /** The last answer's time: answers are stamped no earlier, so a record's time never runs backwards. */
  lastAt: string;
  transcript: TranscriptEntry[];
  /** Set when the server refused the queue; syncing stops until the interviewer asks to try again. */
  problem: SyncProblem | null;
}

export interface SyncProblem {
  code: string;
  message: string;
  index?: number;
  /** Issue 20: the server refused the interview's start (nothing of it is on record yet). */
  atStart?: boolean;
  /** Issue 20: the interviews about the same youth this one may duplicate (`possible_duplicate`). */
  others?: DuplicateInterview[];
}

/** The parts of the API's conversation reply the tablet reads. */
export interface ServerConversation {
  conversation: {
    id: string;
    flow: string;
    flowVersion: string;
    instrument: InstrumentRef;
    locale: Locale;
    subjectRef: string;
    status: ConversationView['status'];
    version: number;
    createdAt: string;
  };
  prompt: Prompt | null;
  paused: ConversationView['paused'];
  outcome: Record<string, unknown> | null;
  tasks: { id: string; taskType: string; title: string; dueAt: string; status: string }[];
}

/**
 * The county's duty rules, when the deployment has its own: compiled in by scripts/build-tablet.ts from the
 * same county file the functions get, so the tablet's outcome and deadlines are the server's.
 */
declare const COUNTY_DUTY_RULES: DutyRule[] | null;
const catalog = createFlowCatalog(COUNTY_DUTY_RULES ? { dutyRules: COUNTY_DUTY_RULES } : {});

export function entryFor(session: Pick<InterviewSession, 'flowId' | 'flowVersion' | 'instrument'>) {
  return catalog.exact(session.flowId, session.flowVersion, session.instrument);
}

export function sectionsOf(session: InterviewSession, locale: Locale = session.locale): readonly string[] {
  return entryFor(session)?.flow.sections(locale) ?? [];
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function serverView(reply: ServerConversation): ConversationView {
  return {
    status: reply.conversation.status,
    prompt: reply.prompt,
    paused: reply.paused,
    outcome: reply.outcome as FlowOutcome | null,
  };
}

export type Begun =
  | { ok: true; session: InterviewSession }
  | { ok: false; reason: 'flow_not_on_tablet' | 'disagrees_with_server' };

export type StartedOnDevice =
  | { ok: true; session: InterviewSession; queued: QueuedStart }
  | { ok: false; reason: 'flow_not_on_tablet' };

/**
 * Issue 20: starts an interview on the tablet itself, with or without a connection, on the flow version
 * this app carries. The id is made here; the start is queued ahead of the answers and the server creates
 * the conversation from it on the first sync, checking that its own first screen is the one shown here.
 */
export async function startOnDevice(input: {
  flowId: string;
  locale: Locale;
  subjectRef: string;
  now: Date;
  conversationId: string;
}): Promise<StartedOnDevice> {
  const entry = catalog.current(input.flowId);
  if (!entry) return { ok: false, reason: 'flow_not_on_tablet' };
  const startedAt = input.now.toISOString();
  const started = start(entry.flow, { locale: input.locale, startedAt });
  const first = view(entry.flow, started.snapshot, input.locale);
  return {
    ok: true,
    session: {
      conversationId: input.conversationId,
      flowId: entry.flow.id,
      flowVersion: entry.flow.version,
      instrument: entry.instrument,
      locale: input.locale,
      subjectRef: input.subjectRef,
      createdAt: startedAt,
      state: started.state,
      version: 0,
      lastAt: startedAt,
      transcript: [],
      problem: null,
    },
    queued: {
      kind: 'start',
      conversationId: input.conversationId,
      eventId: `start-${input.conversationId}`,
      start: {
        flow: entry.flow.id,
        flowVersion: entry.flow.version,
        instrument: entry.instrument,
        locale: input.locale,
        subjectRef: input.subjectRef,
        startedAt,
        deviceView: await sha256Hex(viewFingerprint(first)),
      },
    },
  };
}

export interface OpenInterview {
  entry: CatalogEntry;
  snapshot: AnyMachineSnapshot;
  view: ConversationView;
}

/**
 * Issue 20: whose screen a prompt is. In the return interview the youth answers every section but the
 * interviewer's own; a CSE screening is the professional's throughout. The youth's prompts speak the
 * interview's language, everything else the interviewer's.
 */
export function isYouthPrompt(session: Pick<InterviewSession, 'flowId' | 'locale'>, prompt: Prompt): boolean {
  // The flow says who answers (flows/prompt.ts `audience`); the section is the fallback for a prompt without it.
  if (prompt.audience) return prompt.audience === 'youth';
  return (
    session.flowId === 'runaway-return' && prompt.section !== localize(sections.interviewer, session.locale)
  );
}

/** What the tablet puts on screen: the youth's prompts in the interview's language, the rest in the interviewer's. */
export interface ShownInterview {
  /** The state in the interview's language (what the server fingerprints). */
  view: ConversationView;
  /** The prompt (or pause, or outcome) as shown, and the language it is shown in. */
  shown: ConversationView;
  locale: Locale;
  youth: boolean;
}

export function presentInterview(
  session: InterviewSession,
  interviewerLocale: Locale,
): ShownInterview | undefined {
  const open = openInterview(session);
  if (!open) return undefined;
  const youth = open.view.prompt !== null && isYouthPrompt(session, open.view.prompt);
  const locale = youth ? session.locale : interviewerLocale;
  const shown = locale === session.locale ? open.view : view(open.entry.flow, open.snapshot, locale);
  return { view: open.view, shown, locale, youth };
}

export function openInterview(session: InterviewSession): OpenInterview | undefined {
  const entry = entryFor(session);
  if (!entry) return undefined;
  const snapshot = restore(entry.flow, session.state);
  return { entry, snapshot, view: view(entry.flow, snapshot, session.locale) };
}

function answerText(prompt: Prompt, event: ClientEvent, locale: Locale): string {
  switch (event.type) {
    case 'answer.unknown':
      return prompt.actions.unknown;
    case 'answer.skipped':
      return prompt.actions.skip;
    case 'answer.given': {
      const labelOf = (id: string) => prompt.choices?.find((choice) => choice.id === id)?.label ?? id;
      const shown =
        typeof event.value !== 'string'
          ? event.value.map(labelOf).join('; ')
          : prompt.kind === 'choice'
            ? labelOf(event.value)
            : prompt.kind === 'datetime'
              ? new Date(event.value).toLocaleString(locale === 'es' ? 'es-US' : 'en-US', {
                  dateStyle: 'medium',
                  timeStyle: 'short',
                })
              : event.value;
      return event.note ? `${shown} (${event.note})` : shown;
    }
    default:
      return '';
  }
}

export type Answered =
  | { ok: true; session: InterviewSession; queued: QueuedEvent; view: ConversationView }
  | { ok: false; rejection: Extract<StepResult, { ok: false }>['rejection'] };

/**
 * Applies one action on the tablet and says what to queue: the same check and transition the server will
 * make, plus the fingerprint of what the tablet shows afterwards, which the server compares with its own.
 */
export async function answer(
  session: InterviewSession,
  event: ClientEvent,
  context: {
    now: Date;
    eventId: string;
    wording: { wentBack: string; paused: string; resumed: string };
    /** Issue 20: the transcript line as the prompt was shown: its language and the tablet's own labels. */
    shown?: { locale: Locale; actions?: Partial<Prompt['actions']> };
  },
): Promise<Answered> {
  const open = openInterview(session);
  if (!open) return { ok: false, rejection: { code: 'event_not_accepted', message: 'flow not on tablet' } };
  // The device clock may lag the server's; never stamp before the record's last time.
  const answeredAt = new Date(Math.max(context.now.getTime(), Date.parse(session.lastAt))).toISOString();
  const result = step(open.entry.flow, open.snapshot, { ...event, at: answeredAt });
  if (!result.ok) return result;
  const after = view(open.entry.flow, result.snapshot, session.locale);
  const shownLocale = context.shown?.locale ?? session.locale;
  const asShown =
    shownLocale === session.locale ? open.view : view(open.entry.flow, open.snapshot, shownLocale);
  const prompt = asShown.prompt && {
    ...asShown.prompt,
    actions: { ...asShown.prompt.actions, ...context.shown?.actions },
  };
  const line: TranscriptEntry | undefined =
    event.type === 'nav.back'
      ? { question: prompt?.text ?? '', answer: context.wording.wentBack }
      : event.type === 'nav.pause'
        ? { question: prompt?.text ?? '', answer: context.wording.paused }
        : event.type === 'nav.resume'
          ? { question: asShown.paused?.text ?? '', answer: context.wording.resumed }
          : prompt
            ? { question: prompt.text, answer: answerText(prompt, event, shownLocale), locale: shownLocale }
            : undefined;
  return {
    ok: true,
    view: after,
    session: {
      ...session,
      state: result.state,
      version: session.version + 1,
      lastAt: answeredAt,
      transcript: line ? [...session.transcript, line] : session.transcript,
    },
    queued: {
      conversationId: session.conversationId,
      eventId: context.eventId,
      expectedVersion: session.version,
      event: event as unknown as Record<string, unknown>,
      answeredAt,
      deviceView: await sha256Hex(viewFingerprint(after)),
    },
  };
}

/** An answer as `GET /conversations/{id}` lists it (sensitive text shown as typed). */
export interface RecordedAnswer {
  seq: number;
  type: string;
  at: string;
  claimedAt?: string;
  promptId?: string;
  value?: string | string[];
  note?: string;
}

export type ServerConversationDetail = ServerConversation & { events: RecordedAnswer[] };

/**
 * Issue 17: takes over a conversation that was started or left elsewhere (the chat page, the widget, Teams,
 * another tablet) by replaying its recorded events through this app's copy of the flow, so it carries on
 * offline from the very prompt it stopped at. Refused when the flow is not on this tablet, or when the
 * replay does not show exactly what the server shows.
 */
export function takeOver(
  reply: ServerConversationDetail,
  wording: { wentBack: string; paused: string; resumed: string },
  /**
   * Issue 20: how the tablet shows each line: the youth's in the interview's language, the interviewer's
   * own in theirs, with the tablet's labels for skipping and not being sure.
   */
  shown?: {
    interviewerLocale: Locale;
    actions: (prompt: Prompt, locale: Locale, youth: boolean) => Partial<Prompt['actions']>;
  },
): Begun {
  const { conversation } = reply;
  const entry = catalog.exact(conversation.flow, conversation.flowVersion, conversation.instrument);
  if (!entry) return { ok: false, reason: 'flow_not_on_tablet' };
  let current = start(entry.flow, { locale: conversation.locale, startedAt: conversation.createdAt });
  let snapshot = current.snapshot;
  const transcript: TranscriptEntry[] = [];
  const events = [...reply.events].sort((a, b) => a.seq - b.seq);
  const asShown = (prompt: Prompt, locale: Locale, youth: boolean): Prompt => {
    const inLocale =
      locale === conversation.locale ? prompt : (view(entry.flow, snapshot, locale).prompt ?? prompt);
    return { ...inLocale, actions: { ...inLocale.actions, ...shown?.actions(inLocale, locale, youth) } };
  };
  for (const recorded of events) {
    const before = view(entry.flow, snapshot, conversation.locale);
    const event = {
      type: recorded.type,
      at: recorded.at,
      ...(recorded.promptId === undefined ? {} : { promptId: recorded.promptId }),
      ...(recorded.value === undefined ? {} : { value: recorded.value }),
      ...(recorded.note === undefined ? {} : { note: recorded.note }),
    } as unknown as Parameters<typeof step>[2];
    const result = step(entry.flow, snapshot, event);
    if (!result.ok) return { ok: false, reason: 'disagrees_with_server' };
    const youth =
      before.prompt !== null && isYouthPrompt({ flowId: conversation.flow, ...conversation }, before.prompt);
    const locale = youth || !shown ? conversation.locale : shown.interviewerLocale;
    const prompt = before.prompt && asShown(before.prompt, locale, youth);
    const line: TranscriptEntry | undefined =
      event.type === 'nav.back'
        ? { question: prompt?.text ?? '', answer: wording.wentBack }
        : event.type === 'nav.pause'
          ? { question: prompt?.text ?? '', answer: wording.paused }
          : event.type === 'nav.resume'
            ? { question: before.paused?.text ?? '', answer: wording.resumed }
            : prompt
              ? { question: prompt.text, answer: answerText(prompt, event as ClientEvent, locale), locale }
              : undefined;
    if (line) transcript.push(line);
    current = result;
    snapshot = result.snapshot;
  }
  const local = view(entry.flow, snapshot, conversation.locale);
  if (viewFingerprint(local) !== viewFingerprint(serverView(reply)))
    return { ok: false, reason: 'disagrees_with_server' };
  const last = events.at(-1);
  return {
    ok: true,
    session: {
      conversationId: conversation.id,
      flowId: conversation.flow,
      flowVersion: conversation.flowVersion,
      instrument: conversation.instrument,
      locale: conversation.locale,
      subjectRef: conversation.subjectRef,
      createdAt: conversation.createdAt,
      state: current.state,
      version: conversation.version,
      // The next answer may not be stamped before the record's last one (the sync refuses it).
      lastAt: last ? (last.claimedAt ?? last.at) : conversation.createdAt,
      transcript,
      problem: null,
    },
  };
}
