// Dates and durations as people read them, in the page's language and the user's regional format.
import { t, ui } from './words.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The user's own regional variant of the language shown (en-GB, es-MX…), else the US one (California). */
export function regionalTag(locale = ui.locale) {
  const own = (navigator.languages ?? [navigator.language]).find((tag) =>
    tag.toLowerCase().startsWith(locale),
  );
  return own ?? `${locale}-US`;
}

/** "3 Dec 2026, 08:11" (en-GB), "Dec 3, 2026, 08:11 AM" (en-US), "3 dic 2026, 8:11" (es). */
export function formatDateTime(iso, locale = ui.locale) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(regionalTag(locale), {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(date);
}

/** A calendar day given as YYYY-MM-DD (a week's Monday): "30 Nov 2026", read in UTC so it never shifts. */
export function formatDay(ymd, locale = ui.locale) {
  return new Intl.DateTimeFormat(regionalTag(locale), {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${ymd}T00:00:00Z`));
}

/** A length of time in words: minutes under 90 minutes, hours under two days, then days. */
export function formatDuration(ms, locale = ui.locale) {
  const abs = Math.abs(ms);
  const [value, unit] =
    abs < 90 * 60_000
      ? [Math.max(1, Math.round(abs / 60_000)), 'minute']
      : abs < 2 * DAY
        ? [Math.round(abs / HOUR), 'hour']
        : [Math.round(abs / DAY), 'day'];
  return new Intl.NumberFormat(regionalTag(locale), { style: 'unit', unit, unitDisplay: 'long' }).format(
    value,
  );
}

/**
 * How urgent a task is, in words and as a tone for colour ("Overdue by 6 hours", "Due in 3 hours"). The
 * server's `overdue` decides which side of the deadline a task is on, so a skewed device clock can never
 * show an overdue report as not yet due; the device clock only sizes the amount.
 */
export function dueWords(task, now = Date.now(), locale = ui.locale) {
  const left = Date.parse(task.dueAt) - now;
  if (task.overdue) {
    return {
      tone: 'overdue',
      text:
        left < 0
          ? t('overdueBy', { amount: formatDuration(left, locale) }, locale)
          : t('overdueNow', {}, locale),
    };
  }
  if (left <= 60_000) return { tone: 'soon', text: t('dueNow', {}, locale) };
  return {
    tone: left <= DAY ? 'soon' : 'later',
    text: t('dueIn', { amount: formatDuration(left, locale) }, locale),
  };
}

/** 0.857 → "86 %" in the user's format; null → null (nothing was due). */
export function formatRate(rate, locale = ui.locale) {
  if (rate === null || rate === undefined) return null;
  return new Intl.NumberFormat(regionalTag(locale), { style: 'percent', maximumFractionDigits: 0 }).format(
    rate,
  );
}

/** The value a datetime-local input needs for an instant, in the device's time zone. */
export function toLocalInputValue(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value as an ISO instant with an offset (the API refuses a bare local time). */
export function fromLocalInputValue(value) {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
