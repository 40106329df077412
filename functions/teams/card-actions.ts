import * as z from 'zod/mini';
import type { ClientEvent } from '#flows/events.ts';
import { PromptKind } from '#flows/prompt.ts';

/** What Input.Date and Input.Time submit (`2026-11-28`, `09:30`), or nothing when left blank. */
const DATE_INPUT = /^(\d{4}-\d{2}-\d{2})?$/;
const TIME_INPUT = /^(\d{2}:\d{2}(:\d{2})?)?$/;

/** What a card button submits (its `data`, merged by Teams with the card's input values). */
export const TurnSubmit = z.object({
  kind: z.literal('turn'),
  conversationId: z.uuid(),
  expectedVersion: z.int().check(z.gte(0), z.lte(100_000)),
  promptId: z.optional(z.string().check(z.maxLength(64))),
  promptKind: z.optional(PromptKind),
  event: z.enum(['answer', 'unknown', 'skip', 'back', 'pause', 'resume']),
  value: z.optional(z.string().check(z.maxLength(2000))),
  note: z.optional(z.string().check(z.maxLength(1000))),
  // Empty when the user left the date or time input blank: the bot asks for it in the card's terms.
  date: z.optional(z.string().check(z.regex(DATE_INPUT))),
  time: z.optional(z.string().check(z.regex(TIME_INPUT))),
});
export type TurnSubmit = z.infer<typeof TurnSubmit>;

export const CompleteTaskSubmit = z.object({
  kind: z.literal('completeTask'),
  taskId: z.string().check(z.maxLength(120)),
  agency: z.string().check(z.maxLength(200)),
  referenceNumber: z.string().check(z.maxLength(100)),
  date: z.optional(z.string().check(z.regex(DATE_INPUT))),
  time: z.optional(z.string().check(z.regex(TIME_INPUT))),
});
export type CompleteTaskSubmit = z.infer<typeof CompleteTaskSubmit>;

/** Issue 17: "Resume" on the list of unfinished conversations picks that one up where it was left. */
export const ResumeSubmit = z.object({
  kind: z.literal('resume'),
  conversationId: z.uuid(),
});
export type ResumeSubmit = z.infer<typeof ResumeSubmit>;

export const CardSubmit = z.discriminatedUnion('kind', [TurnSubmit, CompleteTaskSubmit, ResumeSubmit]);
export type CardSubmit = z.infer<typeof CardSubmit>;

/** California's screeners work in Pacific time; Teams tells us the user's zone when it knows it. */
export const DEFAULT_TIME_ZONE = 'America/Los_Angeles';

const DAY_MS = 24 * 60 * 60_000;

function offsetMinutes(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  return (
    (Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) -
      instant) /
    60_000
  );
}

/** A wall-clock date and time in a zone (what Input.Date and Input.Time give) as a UTC instant. */
export function zonedToUtc(date: string, time: string, timeZone: string): string {
  if (!DATE_INPUT.test(date) || !TIME_INPUT.test(time) || date === '' || time === '') return '';
  const wall = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}Z`);
  if (Number.isNaN(wall)) return '';
  // The zone's offsets a day either side bound every instant this wall time can be (a zone changes at most
  // once a day). Resolved as Temporal's 'compatible' does: a time that happens twice (autumn) is the earlier;
  // a time that never happens (the spring gap) is read with the offset before the change, so 02:30 on a
  // spring-forward night is 03:30 daylight time, not 01:30.
  const before = offsetMinutes(wall - DAY_MS, timeZone);
  const after = offsetMinutes(wall + DAY_MS, timeZone);
  const real = [before, after]
    .map((offset) => wall - offset * 60_000)
    .filter((instant) => wall - offsetMinutes(instant, timeZone) * 60_000 === instant)
    .sort((a, b) => a - b);
  return new Date(real[0] ?? wall - before * 60_000).toISOString();
}

export function validTimeZone(zone: unknown): string {
  if (typeof zone !== 'string') return DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

/** The API's event for a card press; the prompt's kind says how the submitted input is read. */
export function clientEventOf(
  submit: TurnSubmit,
  kind: PromptKind | undefined,
  timeZone: string,
): ClientEvent {
  const promptId = submit.promptId ?? '';
  switch (submit.event) {
    case 'unknown':
      return { type: 'answer.unknown', promptId } as ClientEvent;
    case 'skip':
      return { type: 'answer.skipped', promptId } as ClientEvent;
    case 'back':
      return { type: 'nav.back' } as ClientEvent;
    case 'pause':
      return { type: 'nav.pause' } as ClientEvent;
    case 'resume':
      return { type: 'nav.resume' } as ClientEvent;
    default: {
      const note = submit.note?.trim() ? { note: submit.note.trim() } : {};
      const value =
        kind === 'multichoice'
          ? (submit.value ?? '').split(',').filter((choice) => choice.length > 0)
          : kind === 'datetime'
            ? zonedToUtc(submit.date ?? '', submit.time ?? '', timeZone)
            : (submit.value ?? '').trim();
      return { type: 'answer.given', promptId, value, ...note } as ClientEvent;
    }
  }
}
