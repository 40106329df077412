/**
 * Issue 20: a reload of the host page while the widget is open brings it back open, without another press
 * (the screener was working in it; the frame then asks to sign in again or, with its token still in the
 * frame's own storage, offers the unfinished screening). A first visit, or a move to another page, shows
 * the button.
 *
 * The only trace on the host page is one boolean, written to its sessionStorage as the page goes
 * (`pagehide`) and taken back as soon as the next page has read it. So while any page is showing, the host's
 * storage holds nothing of the widget at all, and the flag dies with the tab. Nothing of the screening, the
 * sign-in or the case is ever in it. Quick exit never writes it.
 */

const KEY = 'cse-widget.was-open';

/** Navigation types after which the same page is shown again (rather than one newly visited). */
const RETURNING = new Set(['reload', 'back_forward']);

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage refused (a sandboxed host page, a browser setting): the button shows, as on a first visit.
    return null;
  }
}

/** Whether the widget was open when this page was last left by a reload (or Back/Forward). Read once. */
export function takeWasOpen(): boolean {
  const store = storage();
  if (!store) return false;
  let was: boolean;
  try {
    was = store.getItem(KEY) === '1';
    store.removeItem(KEY);
  } catch {
    return false;
  }
  const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  return was && RETURNING.has(navigation?.type ?? '');
}

/**
 * Keeps the flag across the page's unloading while `isOpen()` says so. A page restored from the
 * back/forward cache is still running: the flag is taken back there, as a new page would.
 */
export function rememberWhileOpen(isOpen: () => boolean): void {
  window.addEventListener('pagehide', () => {
    if (!isOpen()) return;
    try {
      storage()?.setItem(KEY, '1');
    } catch {
      // Full or refused: the page comes back with its button, which is safe.
    }
  });
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    try {
      storage()?.removeItem(KEY);
    } catch {
      // As above.
    }
  });
}
