import type { Locale } from '#flows/i18n.ts';
import { say } from './words.ts';

/**
 * Issue 20: what the host page shows before the chat is asked for: one real <button> ("Start a screening")
 * and a polite status line. It paints with the loader's few kilobytes; the frame (Web Chat, React, about
 * 2 MB) is only made when the button is pressed (widget.ts).
 *
 * Every style is set through the CSSOM (`element.style`), which a host page's CSP without 'unsafe-inline'
 * still allows, where a <style> element or a `style` attribute would be refused. Pseudo-classes cannot be
 * written that way, so the focus ring and the hover colour follow focus and pointer events instead.
 */

export interface Launcher {
  /** The wrapper: the button, the status line and, once opened, the frame. */
  element: HTMLDivElement;
  button: HTMLButtonElement;
  /** Says the assistant is opening; the button stays (and keeps the focus) but does nothing more. */
  loading(): void;
  /** The frame is shown: the button goes, and the status line is emptied. */
  opened(): void;
}

const ACCENT = '#1a5fb4';
const ACCENT_DARK = '#144a8c';
/** Also the launcher's `elementtiming` name: `npm run bench` reads when its text was first painted. */
export const LAUNCHER_CLASS = 'cse-widget-launch';

export function createLauncher(locale: Locale): Launcher {
  const element = document.createElement('div');
  element.className = 'cse-widget-launcher';
  // The host page may be in another language than the widget (data-locale); screen readers follow this.
  element.lang = locale;
  Object.assign(element.style, { display: 'block', maxWidth: '44rem', margin: '0.5rem 0' });

  const button = document.createElement('button');
  button.type = 'button';
  button.className = LAUNCHER_CLASS;
  button.textContent = say(locale, 'launch');
  button.setAttribute('elementtiming', LAUNCHER_CLASS);
  // Host styles for `button` would otherwise reach it; these inline values win over any selector.
  Object.assign(button.style, {
    display: 'inline-block',
    boxSizing: 'border-box',
    minHeight: '44px',
    margin: '0',
    padding: '0.6rem 1.25rem',
    border: `2px solid ${ACCENT}`,
    borderRadius: '6px',
    background: ACCENT,
    color: '#fff',
    font: '600 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    cursor: 'pointer',
    outlineOffset: '2px',
  });
  // A ring of its own colour, 3 px, outside the button: visible on light host pages (3:1 against white).
  const ring = () => {
    button.style.outline = button.matches(':focus-visible') ? `3px solid ${ACCENT}` : '';
  };
  button.addEventListener('focus', ring);
  button.addEventListener('blur', ring);
  button.addEventListener('pointerenter', () => {
    button.style.background = ACCENT_DARK;
  });
  button.addEventListener('pointerleave', () => {
    button.style.background = ACCENT;
  });

  // Present (and empty) from the start, so the "opening" words are announced when they come.
  const status = document.createElement('p');
  status.className = 'cse-widget-launcher__status';
  status.setAttribute('role', 'status');
  Object.assign(status.style, { margin: '0.5rem 0 0', font: 'inherit' });

  element.append(button, status);

  return {
    element,
    button,
    loading() {
      button.setAttribute('aria-disabled', 'true');
      button.style.cursor = 'progress';
      status.textContent = say(locale, 'launching');
    },
    opened() {
      // `hidden` alone would lose to the inline `display` above.
      button.hidden = true;
      button.style.display = 'none';
      status.textContent = '';
      status.style.margin = '0';
    },
  };
}
