import { createHash } from 'node:crypto';
import type { ClientEvent } from '#flows/events.ts';
import type { Locale } from '#flows/i18n.ts';
import { SubjectRef } from '../api/schemas.ts';
import { currentPrincipal, type UserDirectory } from '../auth/user-directory.ts';
import {
  createConversation,
  getConversation,
  postTurn,
  unfinishedConversations,
} from '../domain/conversations.ts';
import { DomainError } from '../domain/errors.ts';
import { hasRole, type Principal } from '../domain/principal.ts';
import type { Services } from '../domain/services.ts';
import { supervisorBoard } from '../domain/supervision.ts';
import { completeTask, listTasks } from '../domain/tasks.ts';
import type { UnfinishedConversation } from '../domain/views.ts';
import { RateLimitedError, refusalOf } from '../http/errors.ts';
import type { RateLimiter } from '../limits/rate-limiter.ts';
import { boardCard } from './board-card.ts';
import {
  CardSubmit,
  type CompleteTaskSubmit,
  clientEventOf,
  type ResumeSubmit,
  type TurnSubmit,
  validTimeZone,
  zonedToUtc,
} from './card-actions.ts';
import {
  type Attachment,
  flowName,
  outcomeCard,
  pausedCard,
  promptCard,
  taskCard,
  unfinishedCard,
} from './cards.ts';
import { parseCommand } from './commands.ts';
import type { TeamsStore } from './teams-store.ts';
import { botSays, localeOf, refusalSays } from './wording.ts';

/** What the bot sends back: plain Bot Framework message activities. */
export interface OutgoingMessage {
  type: 'message';
  text?: string;
  textFormat?: 'markdown';
  attachments?: Attachment[];
}

export interface BotDeps {
  services: Services;
  teams: TeamsStore;
  rateLimiter: RateLimiter;
  /** Issue 18: the user pool, asked (through a short cache) at every activity: a link is not access. */
  directory: UserDirectory;
}

/** The parts of an incoming activity the bot reads (validated by the handler before it gets here). */
export interface IncomingActivity {
  id: string;
  type: string;
  text?: string | undefined;
  value?: unknown;
  locale?: string | undefined;
  localTimezone?: string | undefined;
  from: { aadObjectId?: string | undefined };
  conversation: { tenantId?: string | undefined };
  channelData?: { tenant?: { id?: string | undefined } | undefined } | undefined;
}

const say = (text: string): OutgoingMessage => ({ type: 'message', text, textFormat: 'markdown' });
const cards = (...attachments: Attachment[]): OutgoingMessage => ({ type: 'message', attachments });

/** Activity ids carry characters event ids may not (`1:abc`); a digest keeps them unique and valid. */
export const eventIdOf = (activityId: string) =>
  `teams-${createHash('sha256').update(activityId).digest('base64url').slice(0, 40)}`;

interface ReplyState {
  conversation: { id: string; version: number; locale: Locale };
  prompt: Parameters<typeof promptCard>[0] | null;
  paused: Parameters<typeof pausedCard>[0] | null;
  outcome: Record<string, unknown> | null;
  tasks: Parameters<typeof taskCard>[0][];
  warnings: Array<{ message: string }>;
}

/** A conversation's reply as a card: the next prompt, the paused notice, or the outcome with its tasks. */
export function replyCard(reply: ReplyState): OutgoingMessage {
  const target = { conversationId: reply.conversation.id, expectedVersion: reply.conversation.version };
  const { locale } = reply.conversation;
  if (reply.prompt) return cards(promptCard(reply.prompt, target, locale));
  if (reply.paused) return cards(pausedCard(reply.paused, target));
  return cards(
    outcomeCard(
      reply.outcome ?? {},
      reply.tasks,
      reply.warnings.map((warning) => warning.message),
      locale,
    ),
  );
}

/** What to say when a date-and-time answer is missing or still to come, in the card's own terms. */
function dateTimeProblem(
  locale: Locale,
  code: 'invalid_datetime' | 'datetime_in_future',
  prompt: ReplyState['prompt'] | undefined,
): string {
  const unknown = prompt?.allowsUnknown ? prompt.actions.unknown : undefined;
  if (code === 'datetime_in_future')
    return unknown
      ? botSays(locale, 'futureDateTimeOrUnknown', { unknown })
      : botSays(locale, 'futureDateTime');
  return unknown ? botSays(locale, 'pickDateTimeOrUnknown', { unknown }) : botSays(locale, 'pickDateTime');
}

async function onTurn(
  deps: BotDeps,
  principal: Principal,
  activity: IncomingActivity,
  submit: TurnSubmit,
  locale: Locale,
): Promise<OutgoingMessage[]> {
  const event = clientEventOf(submit, submit.promptKind, validTimeZone(activity.localTimezone));
  try {
    const reply = await postTurn(deps.services, principal, submit.conversationId, {
      eventId: eventIdOf(activity.id),
      expectedVersion: submit.expectedVersion,
      event,
    });
    return [replyCard(reply as unknown as ReplyState)];
  } catch (error) {
    // Issue 19: a date or time left blank, or still to come, is said in the user's language and the card's
    // terms (the flow's own refusal is for API clients, with an ISO example).
    if (
      error instanceof DomainError &&
      (error.code === 'invalid_datetime' || error.code === 'datetime_in_future')
    ) {
      // In the card's language (the conversation's), as the Unknown button's label is.
      const details = error.details as Partial<ReplyState> | undefined;
      return [say(dateTimeProblem(details?.conversation?.locale ?? locale, error.code, details?.prompt))];
    }
    // A press on an old card: say so and show the conversation as it stands.
    if (error instanceof DomainError && error.code === 'version_conflict') {
      const details = error.details as ReplyState;
      const locale = details.conversation.locale;
      return [
        say(botSays(locale, 'staleCard')),
        replyCard({ ...details, outcome: null, tasks: [], warnings: [] }),
      ];
    }
    throw error;
  }
}

async function onCompleteTask(
  deps: BotDeps,
  principal: Principal,
  activity: IncomingActivity,
  submit: CompleteTaskSubmit,
  locale: Locale,
): Promise<OutgoingMessage[]> {
  const reportedAt = zonedToUtc(submit.date ?? '', submit.time ?? '', validTimeZone(activity.localTimezone));
  // The card asks for both (isRequired); a client that sends neither is asked again, in the card's terms.
  if (!reportedAt) return [say(botSays(locale, 'pickReportedAt'))];
  try {
    const task = await completeTask(deps.services, principal, submit.taskId, {
      agency: submit.agency.trim(),
      referenceNumber: submit.referenceNumber.trim(),
      reportedAt,
    });
    return [say(botSays(locale, 'taskDone')), cards(taskCard(task, locale))];
  } catch (error) {
    if (error instanceof DomainError && error.code === 'evidence_in_future')
      return [say(botSays(locale, 'reportedInFuture'))];
    if (error instanceof DomainError && error.code === 'evidence_before_information')
      return [say(botSays(locale, 'reportedBeforeInformation'))];
    throw error;
  }
}

/** The conversation the Teams chat answers to next: card presses and a bare `resume` go on from it. */
async function makeCurrent(deps: BotDeps, userId: string, conversationId: string) {
  const contact = await deps.teams.getContact(userId);
  if (contact && contact.currentConversationId !== conversationId)
    await deps.teams.putContact({ ...contact, currentConversationId: conversationId });
}

/**
 * Issue 17: picks an unfinished conversation up at the very prompt it stopped at, whichever channel
 * started it. A paused one is resumed first (the flow's own `nav.resume`), so the prompt it was paused at
 * is shown again; if it moved on since the list was read, it is shown as it stands now.
 */
async function resumeAt(
  deps: BotDeps,
  principal: Principal,
  activity: IncomingActivity,
  unfinished: UnfinishedConversation,
): Promise<OutgoingMessage> {
  let reply: ReplyState | undefined;
  if (unfinished.status === 'paused') {
    try {
      reply = (await postTurn(deps.services, principal, unfinished.id, {
        eventId: eventIdOf(`${activity.id}#resume`),
        expectedVersion: unfinished.version,
        event: { type: 'nav.resume' } satisfies ClientEvent,
      })) as unknown as ReplyState;
    } catch (error) {
      // Resumed or answered elsewhere since the list was read: fall through to where it stands.
      if (!(error instanceof DomainError) || (error.kind !== 'conflict' && error.kind !== 'unprocessable'))
        throw error;
    }
  }
  reply ??= (await getConversation(deps.services, principal, unfinished.id, {
    route: 'teams',
    requestId: activity.id,
  })) as unknown as ReplyState;
  await makeCurrent(deps, principal.userId, unfinished.id);
  return replyCard(reply);
}

const resuming = (unfinished: UnfinishedConversation, locale: Locale) =>
  say(
    botSays(locale, 'resuming', {
      flow: flowName(unfinished.flow, locale),
      ref: unfinished.subjectRef,
    }),
  );

/**
 * `resume`: the most recently touched unfinished conversation (chat page, widget, tablet or Teams), at
 * its prompt, after a list of the others to pick from (`resume <n>` or a button). `resume <n>` takes the
 * n-th of that same list. With nothing unfinished, the Teams chat's own last conversation is shown as it
 * stands (its outcome, say), or there is nothing to resume.
 */
async function onResume(
  deps: BotDeps,
  principal: Principal,
  activity: IncomingActivity,
  locale: Locale,
  pick: number | undefined,
): Promise<OutgoingMessage[]> {
  const unfinished = await unfinishedConversations(deps.services, principal);
  if (pick !== undefined) {
    const chosen = unfinished[pick - 1];
    if (!chosen) return [say(botSays(locale, 'noSuchUnfinished', { n: pick }))];
    return [resuming(chosen, locale), await resumeAt(deps, principal, activity, chosen)];
  }
  const [latest, ...others] = unfinished;
  if (!latest) {
    const contact = await deps.teams.getContact(principal.userId);
    if (!contact?.currentConversationId) return [say(botSays(locale, 'nothingToResume'))];
    const current = await getConversation(deps.services, principal, contact.currentConversationId, {
      route: 'teams',
      requestId: activity.id,
    });
    return [replyCard(current as unknown as ReplyState)];
  }
  const list = others.map((conversation, index) => ({ number: index + 2, conversation }));
  return [
    ...(list.length > 0 ? [cards(unfinishedCard(list, locale))] : []),
    resuming(latest, locale),
    await resumeAt(deps, principal, activity, latest),
  ];
}

/** A "Resume" button on the list: that conversation, if it is still unfinished and the caller's. */
async function onResumeSubmit(
  deps: BotDeps,
  principal: Principal,
  activity: IncomingActivity,
  submit: ResumeSubmit,
  locale: Locale,
): Promise<OutgoingMessage[]> {
  const unfinished = await unfinishedConversations(deps.services, principal);
  const chosen = unfinished.find((conversation) => conversation.id === submit.conversationId);
  if (chosen) return [resuming(chosen, locale), await resumeAt(deps, principal, activity, chosen)];
  // Finished since the list was shown (or never the caller's: the read below refuses that as not found).
  const current = await getConversation(deps.services, principal, submit.conversationId, {
    route: 'teams',
    requestId: activity.id,
  });
  return [say(botSays(locale, 'alreadyFinished')), replyCard(current as unknown as ReplyState)];
}

async function onText(
  deps: BotDeps,
  principal: Principal,
  activity: IncomingActivity,
  locale: Locale,
): Promise<OutgoingMessage[]> {
  const command = parseCommand(activity.text);
  switch (command.kind) {
    case 'help':
      return [say(botSays(locale, 'help'))];
    case 'tasks': {
      const { tasks } = await listTasks(deps.services, principal, { status: 'open', limit: 10 });
      if (tasks.length === 0) return [say(botSays(locale, 'noTasks'))];
      return [say(botSays(locale, 'tasksHeading')), cards(...tasks.map((task) => taskCard(task, locale)))];
    }
    case 'resume':
      return onResume(deps, principal, activity, locale, command.pick);
    case 'board': {
      if (!hasRole(principal, 'supervisor')) return [say(botSays(locale, 'boardSupervisorsOnly'))];
      const board = await supervisorBoard(deps.services, principal);
      return [cards(boardCard(board, principal.unit, locale, deps.services.clock()))];
    }
    case 'start': {
      if (command.subjectRef === undefined)
        return [say(botSays(locale, 'needReference', { command: command.word }))];
      const subjectRef = SubjectRef.safeParse(command.subjectRef);
      if (!subjectRef.success) return [say(botSays(locale, 'badReference'))];
      const reply = await createConversation(deps.services, principal, {
        flow: command.flow,
        locale,
        subjectRef: subjectRef.data,
      });
      const contact = await deps.teams.getContact(principal.userId);
      if (contact) await deps.teams.putContact({ ...contact, currentConversationId: reply.conversation.id });
      return [replyCard(reply as unknown as ReplyState)];
    }
    default:
      return [say(botSays(locale, 'unknownCommand'))];
  }
}

/**
 * One incoming activity, already authenticated as coming from Bot Framework: who sent it (a linked Teams
 * user), whether it was seen before (a retry advances nothing), and what to answer.
 */
export async function handleActivity(
  deps: BotDeps,
  activity: IncomingActivity,
  reference: Record<string, unknown>,
  now: Date,
): Promise<OutgoingMessage[]> {
  if (activity.type !== 'message') return [];
  const locale = localeOf(activity.locale);
  const tenantId = activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
  const linked =
    tenantId && activity.from.aadObjectId
      ? await deps.teams.principalOf(tenantId, activity.from.aadObjectId)
      : null;
  if (!linked) return [say(botSays(locale, 'notLinked'))];
  const principal = currentPrincipal(linked, await deps.directory.standingOf(linked.userId));
  if (!principal) return [say(botSays(locale, 'accessEnded'))];
  if (!(await deps.teams.firstSight(activity.id, now))) return [];
  try {
    await deps.rateLimiter.admit(principal.userId);
    const contact = await deps.teams.getContact(principal.userId);
    await deps.teams.putContact({
      kind: 'teamsContact',
      userId: principal.userId,
      org: principal.org,
      unit: principal.unit,
      roles: principal.roles,
      locale,
      reference,
      ...(contact?.currentConversationId ? { currentConversationId: contact.currentConversationId } : {}),
      updatedAt: now.toISOString(),
    });
    if (activity.value !== undefined && activity.value !== null) {
      const submit = CardSubmit.safeParse(activity.value);
      if (!submit.success) return [say(botSays(locale, 'unknownCommand'))];
      switch (submit.data.kind) {
        case 'turn':
          return await onTurn(deps, principal, activity, submit.data, locale);
        case 'completeTask':
          return await onCompleteTask(deps, principal, activity, submit.data, locale);
        case 'resume':
          return await onResumeSubmit(deps, principal, activity, submit.data, locale);
      }
    }
    return await onText(deps, principal, activity, locale);
  } catch (error) {
    if (error instanceof RateLimitedError)
      return [say(botSays(locale, 'tooMany', { seconds: error.headers['retry-after'] ?? '60' }))];
    // The API's own refusals (not found, a choice not offered…) are said to the user as the API says them.
    const refusal = refusalOf(error);
    if (refusal) return [say(refusalSays(locale, refusal.code, refusal.message))];
    throw error;
  }
}
