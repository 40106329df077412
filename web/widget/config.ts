import type { Locale } from '#flows/i18n.ts';

/** What the host page says on the script tag (`data-*`), checked, with safe defaults. */
export interface WidgetConfig {
  org: string;
  locale: Locale;
  /** The id of an element to mount into; otherwise the widget makes its own, after the script tag. */
  target: string | null;
  /** Where quick exit goes: a neutral page, never back through the history. */
  exitUrl: string;
  idleMs: number;
  /** The API's origin: the script's own, unless `data-api` names another. */
  apiBase: string;
  /** A CSP nonce for the styles Web Chat inserts, for hosts that do not allow inline styles. */
  nonce: string | null;
  /**
   * Issue 17: the case reference the host page is about (`data-subject-ref`), when it has one: the widget
   * offers that case's unfinished screening first. Checked like any typed reference; a name is ignored.
   */
  subjectRef: string | null;
  /** How often "My tasks" reads the list again (`data-tasks-refresh-seconds`, 5 s to 10 min; 60 s). */
  tasksRefreshMs: number;
}

export const DEFAULT_TASKS_REFRESH_SECONDS = 60;
const SUBJECT_REF = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

export const DEFAULT_EXIT_URL = 'https://www.google.com';
export const DEFAULT_IDLE_MINUTES = 10;

/** Only plain web addresses (or about:blank): a `javascript:` exit would run on the way out. */
function safeUrl(value: string | undefined, base: string): string | null {
  if (!value) return null;
  if (value === 'about:blank') return value;
  try {
    const url = new URL(value, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

export function readConfig(
  dataset: Record<string, string | undefined>,
  scriptSrc: string,
  pageLang = '',
  /** The host page's address: a relative exit address is the host's own page, not the script's. */
  pageUrl = scriptSrc,
): WidgetConfig {
  const localeHint = (dataset.locale ?? pageLang).toLowerCase();
  const minutes = Number(dataset.idleMinutes);
  // Up to a working shift; a shorter timeout is the host's choice (tests use seconds).
  const idleMinutes =
    Number.isFinite(minutes) && minutes > 0 ? Math.min(minutes, 8 * 60) : DEFAULT_IDLE_MINUTES;
  const apiBase = safeUrl(dataset.api, scriptSrc) ?? new URL(scriptSrc).origin;
  const refreshSeconds = Number(dataset.tasksRefreshSeconds);
  const tasksRefreshSeconds =
    Number.isFinite(refreshSeconds) && refreshSeconds > 0
      ? Math.min(Math.max(refreshSeconds, 5), 600)
      : DEFAULT_TASKS_REFRESH_SECONDS;
  const subjectRef = (dataset.subjectRef ?? '').trim();
  return {
    org: dataset.org ?? '',
    locale: localeHint.startsWith('es') ? 'es' : 'en',
    target: dataset.target || null,
    exitUrl: safeUrl(dataset.exitUrl, pageUrl) ?? DEFAULT_EXIT_URL,
    idleMs: Math.round(idleMinutes * 60_000),
    apiBase: apiBase.replace(/\/+$/, ''),
    nonce: dataset.nonce || null,
    subjectRef: SUBJECT_REF.test(subjectRef) ? subjectRef : null,
    tasksRefreshMs: tasksRefreshSeconds * 1000,
  };
}
