import type { ClientEvent } from '#flows/events.ts';
import type { Locale } from '#flows/i18n.ts';
import type { Prompt } from '#flows/prompt.ts';
import type { ConversationResponse } from '#functions/api/responses.ts';
import { CardSubmit, clientEventOf, type TurnSubmit, validTimeZone } from '#functions/teams/card-actions.ts';
import { type Attachment, outcomeCard, pausedCard, promptCard } from '#functions/teams/cards.ts';
import { type ApiClient, createApiClient, EndedError } from './api.ts';
import { type Observable, once, ReplayChannel, StateChannel, Observable as Stream } from './observable.ts';
import { reasonFor, say, type WidgetWord } from './words.ts';

/**
 * A chat adapter in Web Chat's contract (`activity$`, `connectionStatus$`, `postActivity`, `end`) that
 * talks to this project's own HTTP API instead of Azure Direct Line. The screener types a case reference,
 * then answers Adaptive Cards (the same cards the Teams bot sends); each press becomes one turn with its
 * own event id, retried with that id until the API answers, so an answer is never stored twice.
 */

/** Web Chat's (and DirectLineJS's) connection states. */
export const ConnectionStatus = {
  Uninitialized: 0,
  Connecting: 1,
  Online: 2,
  ExpiredToken: 3,
  FailedToConnect: 4,
  Ended: 5,
} as const;
export type ConnectionStatus = (typeof ConnectionStatus)[keyof typeof ConnectionStatus];

/** The fields of a Bot Framework activity that the widget reads or writes. */
export interface ChatActivity {
  type: string;
  id?: string;
  timestamp?: string;
  from?: { id?: string; name?: string; role?: string };
  text?: string;
  locale?: string;
  attachments?: Attachment[];
  value?: unknown;
  channelData?: Record<string, unknown>;
}

/** Same rule as the API's `SubjectRef` (functions/api/schemas.ts): a reference, never a name. */
export const CASE_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** `resume`: an unfinished screening for the case reference is on offer (continue it, or start anew). */
export type Phase = 'reference' | 'resume' | 'screening' | 'done';

export interface ScreeningAdapterOptions {
  /** The API's origin (the widget script's, unless the host page says otherwise). */
  base: string;
  locale: Locale;
  getToken: () => string | null | Promise<string | null>;
  /** Issue 18: a new token after a 401 (refresh token grant), tried once per request before giving up. */
  refreshToken?: () => Promise<string | null>;
  /** The user's zone, for the date and time inputs; California's by default. */
  timeZone?: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  newId?: () => string;
  now?: () => Date;
  /** The API refused the token (expired, or signed out elsewhere). */
  onUnauthenticated?: () => void;
  /** After each card or change of phase: what the screen should now show around the transcript. */
  onShow?: (shown: Shown) => void;
  /**
   * A case reference the widget already holds (the host page's `data-subject-ref`): its unfinished
   * screening, if any, is offered at once; otherwise a button starts one.
   */
  subjectRef?: string | null;
}

export interface Shown {
  phase: Phase;
  /** The conversation version the newest card answers to; null before a screening and after it. */
  version: number | null;
  progress: { n: number; of: number } | null;
  /** How many cards have been sent so far, so the page can tell when the newest one is on screen. */
  cards: number;
}

export interface ScreeningAdapter {
  activity$: Observable<ChatActivity>;
  connectionStatus$: Observable<ConnectionStatus>;
  postActivity(activity: ChatActivity): Observable<string>;
  end(): void;
}

type Reply = Pick<ConversationResponse, 'prompt' | 'paused' | 'outcome' | 'tasks' | 'warnings'> & {
  conversation: { id: string; version: number };
};

const BOT = { id: 'screening-assistant', role: 'bot' } as const;

/** The widget's own card presses (not turns): continue an unfinished screening, or start a new one. */
type OfferSubmit =
  | { kind: 'widget.resume'; conversationId: string; offer: number }
  | { kind: 'widget.new'; subjectRef: string; offer: number };

function offerSubmitOf(value: unknown): OfferSubmit | null {
  const raw = value as Partial<Record<string, unknown>> | null;
  if (!raw || typeof raw !== 'object' || typeof raw.offer !== 'number') return null;
  if (raw.kind === 'widget.resume' && typeof raw.conversationId === 'string')
    return { kind: raw.kind, conversationId: raw.conversationId, offer: raw.offer };
  if (raw.kind === 'widget.new' && typeof raw.subjectRef === 'string' && CASE_REFERENCE.test(raw.subjectRef))
    return { kind: raw.kind, subjectRef: raw.subjectRef, offer: raw.offer };
  return null;
}

/** The CSE screening and its partner variant (what a shelter's screening is stored as). */
const SCREENING_FLOW = /^(partner-)?cse-screening$/;

/** An unfinished conversation as `GET /conversations?status=unfinished` lists it. */
interface Unfinished {
  id: string;
  flow: string;
  subjectRef: string;
  status: 'active' | 'paused';
  version: number;
  updatedAt: string;
  position: { section: string; progress: { n: number; of: number } } | null;
}

function formatWhen(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'es' ? 'es-US' : 'en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

const offerCard = (body: unknown[], actions: unknown[]): Attachment => ({
  contentType: 'application/vnd.microsoft.card.adaptive',
  content: {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions,
  },
});
const offerText = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'TextBlock',
  text,
  wrap: true,
  ...extra,
});
const offerButton = (title: string, data: Record<string, unknown>, positive = false) => ({
  type: 'Action.Submit',
  title,
  // The title rides along so the press is echoed in the screener's words.
  data: { ...data, label: title },
  ...(positive ? { style: 'positive' } : {}),
});

/** Each Action.Submit also carries its own title, so the screener's answer can be echoed in their words. */
function withLabels(attachment: Attachment): Attachment {
  const content = attachment.content as { actions?: Array<{ type?: string; title?: string; data?: object }> };
  const actions = content.actions?.map((action) =>
    action.type === 'Action.Submit' && action.data
      ? { ...action, data: { ...action.data, label: action.title } }
      : action,
  );
  return { ...attachment, content: { ...content, ...(actions ? { actions } : {}) } };
}

/** What the screener chose, in words, for the transcript (the card press itself carries only ids). */
function describe(submit: TurnSubmit, label: unknown, prompt: Prompt | undefined): string {
  if (submit.event !== 'answer' || prompt?.kind === 'choice') return typeof label === 'string' ? label : '';
  if (prompt?.kind === 'multichoice') {
    const chosen = (submit.value ?? '').split(',');
    return (prompt.choices ?? [])
      .filter((choice) => chosen.includes(choice.id))
      .map((choice) => choice.label)
      .join(', ');
  }
  if (prompt?.kind === 'datetime') return [submit.date, submit.time].filter(Boolean).join(' ');
  return (submit.value ?? '').trim();
}

export function createScreeningAdapter(options: ScreeningAdapterOptions): ScreeningAdapter {
  const { locale } = options;
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? (() => crypto.randomUUID());
  const timeZone = validTimeZone(options.timeZone);
  const abort = new AbortController();
  const activities = new ReplayChannel<ChatActivity>();
  const status = new StateChannel<ConnectionStatus>(ConnectionStatus.Uninitialized);

  const api: ApiClient = createApiClient({
    base: options.base,
    getToken: options.getToken,
    ...(options.refreshToken ? { refreshToken: options.refreshToken } : {}),
    signal: abort.signal,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    // Web Chat shows "reconnecting" while a request is being retried, and sends nothing new meanwhile.
    onTrouble: () => status.next(ConnectionStatus.Connecting),
    onRecovered: () => status.next(ConnectionStatus.Online),
  });

  let ended = false;
  let started = false;
  let sequence = 0;
  let lastTime = 0;
  let phase: Phase = 'reference';
  let conversation: { id: string; version: number } | null = null;
  /** The offer on screen (continue or start anew); a press on an older one is stale. */
  let offer: { serial: number; unfinished: Unfinished | null; subjectRef: string } | null = null;
  let offers = 0;
  /** The prompt each card showed, by conversation and version, to put a press into words. */
  const shown = new Map<string, Prompt>();
  /** Turns run one after another, in the order they were sent. */
  let queue: Promise<void> = Promise.resolve();

  let cards = 0;
  let progress: Shown['progress'] = null;
  const report = () => options.onShow?.({ phase, version: conversation?.version ?? null, progress, cards });

  /** Web Chat orders the transcript by sequence id; time alone can tie within a millisecond. */
  const stamp = () => {
    sequence += 1;
    lastTime = Math.max(lastTime + 1, now().getTime());
    return { timestamp: new Date(lastTime).toISOString(), sequence };
  };

  const emitBot = (fields: Pick<ChatActivity, 'text' | 'attachments'>) => {
    if (ended) return;
    const { timestamp, sequence: seq } = stamp();
    activities.next({
      type: 'message',
      id: `bot-${seq}`,
      timestamp,
      from: { ...BOT, name: say(locale, 'botName') },
      locale,
      ...fields,
      channelData: { 'webchat:sequence-id': seq },
    });
  };
  const botSays = (key: WidgetWord, values: Record<string, string> = {}) =>
    emitBot({ text: say(locale, key, values) });

  const emitCard = (attachment: Attachment) => {
    cards += 1;
    emitBot({ attachments: [attachment] });
  };

  const show = (reply: Reply) => {
    offer = null;
    const target = { conversationId: reply.conversation.id, expectedVersion: reply.conversation.version };
    phase = 'screening';
    if (reply.prompt) {
      conversation = { ...reply.conversation };
      shown.set(`${target.conversationId}:${target.expectedVersion}`, reply.prompt);
      progress = reply.prompt.progress;
      // Issue 20: the widget runs only the CSE screening, a checklist the screener fills in about the youth
      // (never read to them): a professional's "Skip", not the youth's "Prefer not to say / skip".
      emitCard(withLabels(promptCard(reply.prompt, target, locale, { audience: 'professional' })));
      report();
    } else if (reply.paused) {
      conversation = { ...reply.conversation };
      emitCard(withLabels(pausedCard(reply.paused, target)));
      report();
    } else {
      conversation = null;
      shown.clear();
      progress = null;
      phase = 'done';
      emitCard(
        outcomeCard(
          reply.outcome ?? {},
          reply.tasks,
          reply.warnings.map((warning) => warning.message),
          locale,
        ),
      );
      botSays('another');
      report();
    }
  };

  /** A refusal that is not about the connection: say so in the screener's language, keep the state. */
  const refused = (status: number, body: { error?: { code?: string } } | null) => {
    if (status === 401) {
      options.onUnauthenticated?.();
      return;
    }
    if (status === 403) return botSays('forbidden');
    // Issue 20: plain words for what went wrong, in the screener's language; never the API's code.
    botSays('problem', { reason: reasonFor(locale, status, body?.error?.code) });
  };

  async function start(subjectRef: string) {
    const reply = await api.send('POST', '/conversations', { flow: 'cse-screening', locale, subjectRef });
    if (reply.status !== 201) return refused(reply.status, reply.body);
    show(reply.body as Reply);
  }

  /**
   * Issue 17: before starting at question 1, asks whether this case reference already has an unfinished
   * screening of this user's (from this widget, the chat page, Teams…), and offers to continue it.
   * `held`: the reference came with the page, not from the screener, so nothing starts without a press.
   */
  async function offerOrStart(subjectRef: string, held = false) {
    // No `flow` filter: a partner's screening is stored as its variant (`partner-cse-screening`), which the
    // API's filter does not match to the `cse-screening` the widget asks for; the screenings are picked here.
    const query = new URLSearchParams({ status: 'unfinished', subjectRef });
    const reply = await api.send('GET', `/conversations?${query}`);
    if (reply.status === 401) return options.onUnauthenticated?.();
    // A list that cannot be read must not stand between the screener and a new screening.
    const listed: Unfinished[] = reply.status === 200 ? (reply.body?.conversations ?? []) : [];
    const found = listed.find((candidate) => SCREENING_FLOW.test(candidate.flow));
    if (!found && !held) return start(subjectRef);
    offers += 1;
    const serial = offers;
    offer = { serial, unfinished: found ?? null, subjectRef };
    phase = 'resume';
    if (!found) {
      emitCard(
        offerCard(
          [offerText(say(locale, 'heldReference', { ref: subjectRef }))],
          [
            offerButton(
              say(locale, 'startFor', { ref: subjectRef }),
              { kind: 'widget.new', subjectRef, offer: serial },
              true,
            ),
          ],
        ),
      );
      return report();
    }
    const where =
      found.status === 'paused' || !found.position
        ? say(locale, 'unfinishedPaused')
        : say(locale, 'unfinishedAt', {
            n: String(found.position.progress.n),
            of: String(found.position.progress.of),
            section: found.position.section,
          });
    emitCard(
      offerCard(
        [
          offerText(
            say(locale, 'unfinishedFound', { ref: subjectRef, when: formatWhen(found.updatedAt, locale) }),
          ),
          offerText(where, { weight: 'Bolder' }),
        ],
        [
          offerButton(
            say(locale, 'continueScreening'),
            { kind: 'widget.resume', conversationId: found.id, offer: serial },
            true,
          ),
          offerButton(say(locale, 'startNew'), { kind: 'widget.new', subjectRef, offer: serial }),
        ],
      ),
    );
    report();
  }

  /** Picks the unfinished screening up at the very prompt it stopped at; a paused one is resumed first. */
  async function resume(unfinished: Unfinished) {
    botSays('resuming', { ref: unfinished.subjectRef });
    if (unfinished.status === 'paused') {
      const request = {
        eventId: newId(),
        expectedVersion: unfinished.version,
        event: { type: 'nav.resume' } satisfies ClientEvent,
      };
      const resumed = await api.send(
        'POST',
        `/conversations/${encodeURIComponent(unfinished.id)}/turns`,
        request,
      );
      if (resumed.status === 200) return show(resumed.body as Reply);
      if (resumed.status === 401) return options.onUnauthenticated?.();
      // Moved on elsewhere since the list was read: show where it stands now.
    }
    const reply = await api.send('GET', `/conversations/${encodeURIComponent(unfinished.id)}`);
    if (reply.status !== 200) return refused(reply.status, reply.body);
    // The answers given so far stay on the server; only where the screening stands comes back on screen.
    const { conversation: current, prompt, paused, outcome, tasks, warnings } = reply.body as Reply;
    show({
      conversation: { id: current.id, version: current.version },
      prompt,
      paused,
      outcome,
      tasks,
      warnings,
    } as Reply);
  }

  async function turn(event: ClientEvent) {
    if (!conversation) return;
    const request = { eventId: newId(), expectedVersion: conversation.version, event };
    const reply = await api.send('POST', `/conversations/${conversation.id}/turns`, request);
    if (reply.status === 200) return show(reply.body as Reply);
    const error = reply.body?.error;
    if (reply.status === 409 && error?.code === 'version_conflict' && error.details?.conversation) {
      // Someone at the same desk moved this screening on: show where it stands now.
      botSays('stale');
      return show({ ...error.details, outcome: null, tasks: [], warnings: [] } as Reply);
    }
    refused(reply.status, reply.body);
  }

  async function handle(activity: ChatActivity) {
    if (activity.type !== 'message') return;
    if (activity.value !== undefined) {
      const chosen = offerSubmitOf(activity.value);
      if (chosen) {
        const current = offer;
        if (!current || current.serial !== chosen.offer) return botSays('staleOffer');
        offer = null;
        if (chosen.kind === 'widget.new') return start(current.subjectRef);
        if (current.unfinished?.id !== chosen.conversationId) return botSays('staleOffer');
        return resume(current.unfinished);
      }
      const parsed = CardSubmit.safeParse(activity.value);
      if (!parsed.success || parsed.data.kind !== 'turn') return;
      const submit = parsed.data;
      const current =
        conversation?.id === submit.conversationId && conversation.version === submit.expectedVersion;
      // A second press on a card already answered (a double click, or an old card up the transcript).
      if (!current) return botSays('stale');
      // Issue 20: a date without a time (or neither) is never sent; the frame says so on the card's fields,
      // and this is the last guard for a press that got past it.
      if (
        submit.promptKind === 'datetime' &&
        submit.event === 'answer' &&
        (!submit.date?.trim() || !submit.time?.trim())
      )
        return botSays(submit.date?.trim() ? 'needTime' : 'needDate');
      return turn(clientEventOf(submit, submit.promptKind, timeZone));
    }
    const text = (activity.text ?? '').trim();
    if (!text) return;
    if (phase === 'screening') {
      const prompt = conversation ? shown.get(`${conversation.id}:${conversation.version}`) : undefined;
      if (prompt?.kind === 'text') return turn({ type: 'answer.given', promptId: prompt.id, value: text });
      return botSays('useButtons');
    }
    if (!CASE_REFERENCE.test(text)) return botSays('badReference');
    offer = null;
    return offerOrStart(text);
  }

  function begin() {
    if (started) return;
    started = true;
    status.next(ConnectionStatus.Connecting);
    // There is no socket to open: the API is reached per request, so "online" is immediate.
    queueMicrotask(() => {
      if (ended) return;
      status.next(ConnectionStatus.Online);
      botSays('welcome');
      botSays('askReference');
      report();
      const held = options.subjectRef;
      if (held && CASE_REFERENCE.test(held)) {
        queue = queue
          .then(() => offerOrStart(held, true))
          .catch((error: unknown) => {
            if (!(error instanceof EndedError)) botSays('problem', { reason: say(locale, 'reasonOther') });
          });
      }
    });
  }

  const activity$ = new Stream<ChatActivity>((sink) => {
    begin();
    const subscription = activities.observable.subscribe(sink);
    return () => subscription.unsubscribe();
  });

  return {
    activity$,
    connectionStatus$: status.observable,
    postActivity(activity) {
      return once(async () => {
        if (ended) throw new EndedError();
        const submit = activity.value === undefined ? null : CardSubmit.safeParse(activity.value);
        const turnSubmit = submit?.success && submit.data.kind === 'turn' ? submit.data : null;
        // The schema drops keys it does not know, so the button's title is read from the raw value.
        const label = (activity.value as { label?: unknown } | undefined)?.label;
        const offered = offerSubmitOf(activity.value);
        const text = offered
          ? typeof label === 'string'
            ? label
            : ''
          : turnSubmit
            ? describe(
                turnSubmit,
                label,
                shown.get(`${turnSubmit.conversationId}:${turnSubmit.expectedVersion}`),
              )
            : (activity.text ?? '');
        const { timestamp, sequence: seq } = stamp();
        const id = `user-${seq}`;
        const { postBack: _hidden, ...channelData } = activity.channelData ?? {};
        // The echo is Web Chat's receipt: the widget now holds the action and retries it until the API
        // has it. A card press is echoed as the words chosen, so the transcript reads as a conversation.
        activities.next({
          ...activity,
          id,
          timestamp,
          text,
          channelData: { ...channelData, 'webchat:sequence-id': seq },
        });
        queue = queue
          .then(() => handle(activity))
          .catch((error: unknown) => {
            if (!(error instanceof EndedError)) botSays('problem', { reason: say(locale, 'reasonOther') });
          });
        return id;
      });
    },
    end() {
      if (ended) return;
      ended = true;
      abort.abort();
      conversation = null;
      offer = null;
      shown.clear();
      status.next(ConnectionStatus.Ended);
      status.end();
      activities.end();
    },
  };
}
