import type { Locale } from '#flows/i18n.ts';
import { isQueueOwner, isSupervisorsOwner } from '../domain/routing.ts';
import type { OnTime, SupervisorBoard } from '../domain/supervision.ts';
import { type Attachment, card, text } from './cards.ts';

/**
 * Issue 17: the supervisors' board in Teams, as one Adaptive Card 1.5: the unit's on-time rate over the
 * last 30 and 90 days, what is overdue now (the longest overdue first, with how long in words), and the
 * open work by requirement and by owner. The page on the web has the chart, reassigning and the CSV.
 */

const words = {
  en: {
    heading: 'Deadlines of unit {unit}',
    summary: '{open} open · {overdue} overdue · {done} done',
    onTimeHeading: 'Deadlines met on time',
    last30: 'Last 30 days',
    last90: 'Last 90 days',
    rate: '{rate} on time ({onTime} of {due} due)',
    noneDue: 'No deadlines due yet',
    overdueHeading: 'Overdue now: {count}',
    nothingOverdue: 'Nothing is overdue.',
    overdueBy: 'overdue by {duration}',
    more: 'and {count} more overdue',
    byRequirement: 'By requirement',
    requirementCounts: '{open} open · {overdue} overdue · {done} done',
    byOwner: 'Open tasks by owner',
    ownerCounts: '{open} open · {overdue} overdue',
    noOpen: 'No open tasks.',
    queue: 'Unit queue ({unit})',
    supervisors: 'Supervisors ({unit})',
    minutes: '{n} min',
    hours: '{n} h',
    day: '1 day',
    days: '{n} days',
  },
  es: {
    heading: 'Plazos de la unidad {unit}',
    summary: '{open} abiertas · {overdue} vencidas · {done} hechas',
    onTimeHeading: 'Plazos cumplidos a tiempo',
    last30: 'Últimos 30 días',
    last90: 'Últimos 90 días',
    rate: '{rate} a tiempo ({onTime} de {due} vencidos)',
    noneDue: 'Aún no vence ningún plazo',
    overdueHeading: 'Vencidas ahora: {count}',
    nothingOverdue: 'No hay nada vencido.',
    overdueBy: 'vencida hace {duration}',
    more: 'y {count} vencidas más',
    byRequirement: 'Por requisito',
    requirementCounts: '{open} abiertas · {overdue} vencidas · {done} hechas',
    byOwner: 'Tareas abiertas por responsable',
    ownerCounts: '{open} abiertas · {overdue} vencidas',
    noOpen: 'No hay tareas abiertas.',
    queue: 'Cola de la unidad ({unit})',
    supervisors: 'Supervisores ({unit})',
    minutes: '{n} min',
    hours: '{n} h',
    day: '1 día',
    days: '{n} días',
  },
} as const;

type BoardWord = keyof (typeof words)['en'];

const say = (locale: Locale, word: BoardWord, values: Record<string, string | number | null> = {}) =>
  words[locale][word].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));

/** How many overdue tasks the card names; the rest are counted. */
export const TOP_OVERDUE = 5;
/** Owners listed; a unit with more is better read on the web board. */
const OWNERS_SHOWN = 10;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A length of time in words, rounded down: "45 min", "6 h", "3 days"; hours up to two days. */
export function durationWords(ms: number, locale: Locale): string {
  if (ms < HOUR) return say(locale, 'minutes', { n: Math.max(1, Math.floor(ms / MINUTE)) });
  if (ms < 2 * DAY) return say(locale, 'hours', { n: Math.floor(ms / HOUR) });
  const days = Math.floor(ms / DAY);
  return days === 1 ? say(locale, 'day') : say(locale, 'days', { n: days });
}

/** A rate only where something was due: a window with no deadline in it has no rate, not 0 % or 100 %. */
function onTimeWords(window: OnTime, locale: Locale): string {
  if (window.due === 0 || window.rate === null) return say(locale, 'noneDue');
  const rate = new Intl.NumberFormat(locale === 'es' ? 'es-US' : 'en-US', { style: 'percent' }).format(
    window.rate,
  );
  return say(locale, 'rate', { rate, onTime: window.onTime, due: window.due });
}

/** An owner as a supervisor reads it: a worker's id, or the unit's queue or supervisors. */
export function ownerWords(owner: string, locale: Locale): string {
  const unit = owner.slice(owner.indexOf(':') + 1);
  if (isQueueOwner(owner)) return say(locale, 'queue', { unit });
  if (isSupervisorsOwner(owner)) return say(locale, 'supervisors', { unit });
  return owner;
}

const facts = (entries: Array<[string, string]>) => ({
  type: 'FactSet',
  facts: entries.map(([title, value]) => ({ title, value })),
});

const section = (heading: string, items: unknown[]) => ({
  type: 'Container',
  separator: true,
  spacing: 'Medium',
  items: [text(heading, { weight: 'Bolder' }), ...items],
});

export function boardCard(board: SupervisorBoard, unit: string, locale: Locale, now: Date): Attachment {
  const overdue = board.tasks.filter((task) => task.overdue);
  const top = overdue.slice(0, TOP_OVERDUE);
  const owners = board.byOwner.slice(0, OWNERS_SHOWN);
  return card([
    text(say(locale, 'heading', { unit }), { weight: 'Bolder', size: 'Medium' }),
    text(say(locale, 'summary', board.summary), { isSubtle: true, spacing: 'None' }),
    section(say(locale, 'onTimeHeading'), [
      facts([
        [say(locale, 'last30'), onTimeWords(board.onTime.last30, locale)],
        [say(locale, 'last90'), onTimeWords(board.onTime.last90, locale)],
      ]),
    ]),
    section(
      say(locale, 'overdueHeading', { count: overdue.length }),
      overdue.length === 0
        ? [text(say(locale, 'nothingOverdue'))]
        : [
            ...top.map((task) => ({
              type: 'Container',
              spacing: 'Small',
              items: [
                text(`${task.requirementId} · ${task.title}`, { weight: 'Bolder' }),
                text(
                  `${task.subjectRef} · ${ownerWords(task.owner, locale)} · ${say(locale, 'overdueBy', {
                    duration: durationWords(now.getTime() - Date.parse(task.dueAt), locale),
                  })}`,
                  { color: 'Attention', spacing: 'None' },
                ),
              ],
            })),
            ...(overdue.length > top.length
              ? [text(say(locale, 'more', { count: overdue.length - top.length }), { isSubtle: true })]
              : []),
          ],
    ),
    section(say(locale, 'byRequirement'), [
      board.byRequirement.length === 0
        ? text(say(locale, 'noOpen'))
        : facts(board.byRequirement.map((row) => [row.requirementId, say(locale, 'requirementCounts', row)])),
    ]),
    section(say(locale, 'byOwner'), [
      owners.length === 0
        ? text(say(locale, 'noOpen'))
        : facts(owners.map((row) => [ownerWords(row.owner, locale), say(locale, 'ownerCounts', row)])),
    ]),
  ]);
}
