import { readConfig, type WidgetConfig } from './config.ts';
import {
  CHANNEL,
  exactOrigin,
  FRAME_SANDBOX,
  FrameToHost,
  frameUrl,
  type HostToFrame,
  isWidgetMessage,
} from './contract.ts';
import { createLauncher } from './launcher.ts';
import { rememberWhileOpen, takeWasOpen } from './reopen.ts';
import { say } from './words.ts';

/**
 * The shelter staff's screening widget, as the host page sees it: one script tag,
 *
 *   <script src="…/widget/widget.js" data-org="demo-shelter" data-locale="es"></script>
 *
 * and this small loader, which paints a "Start a screening" button at once (launcher.ts) and, only when it
 * is pressed, makes a sandboxed iframe of the deployment's `/widget/frame.html` (frame.ts: Web Chat, sign-in,
 * the token), then keeps the host's side of the contract in contract.ts. Issue 20: the host page pays for
 * the loader alone (a few kilobytes) until the chat is asked for. Issue 18: nothing of the screening or the
 * sign-in is in the host page's reach; its scripts see an iframe of another origin, its size and phase,
 * and the request to leave.
 */

/** Two presses of Escape this close together leave, as inside the frame. */
const DOUBLE_ESCAPE_MS = 800;
/** How long the host's own quick exit waits for the frame to say it has cleared itself before leaving anyway. */
const EXIT_WAIT_MS = 1500;
/** The chat's smallest height when the host's window is short; the widget scrolls inside below that. */
const MIN_CHAT_PX = 448;

function mountLoader(config: WidgetConfig, anchor: Element | null): () => void {
  const deployment = new URL(config.apiBase).origin;
  const host = exactOrigin(window.location.origin);
  const launcher = createLauncher(config.locale);

  const target = config.target ? document.getElementById(config.target) : null;
  if (target) target.append(launcher.element);
  // After the script tag when it sits in the body; a script in <head> cannot hold a visible widget.
  else if (anchor?.parentNode && anchor.closest('body')) anchor.after(launcher.element);
  else document.body.append(launcher.element);

  let iframe: HTMLIFrameElement | null = null;
  let leaving = false;
  let left = false;
  let lastEscape = 0;

  /**
   * Makes the frame (only now is frame.html, and so Web Chat, asked for). It is laid out but hidden while it
   * loads, so nothing half-drawn shows and nothing in it takes the keyboard; the launcher says it is opening.
   * `focus`: pressed by the screener, so the keyboard follows into the chat; not after a reload.
   */
  function openFrame(focus: boolean): void {
    if (iframe) return;
    launcher.loading();
    const frame = document.createElement('iframe');
    iframe = frame;
    frame.className = 'cse-widget-frame';
    frame.title = say(config.locale, 'region');
    frame.setAttribute('sandbox', FRAME_SANDBOX);
    frame.referrerPolicy = 'no-referrer';
    // Set through the CSSOM, which a host page's CSP without 'unsafe-inline' styles still allows.
    Object.assign(frame.style, {
      display: 'block',
      boxSizing: 'border-box',
      width: '100%',
      maxWidth: '44rem',
      height: '14rem',
      border: '0',
      visibility: 'hidden',
    });
    // `load` comes after frame.ts has drawn the widget (it runs at DOMContentLoaded, before `load`).
    frame.addEventListener(
      'load',
      () => {
        if (leaving || left) return;
        frame.style.visibility = 'visible';
        // The keyboard goes into the frame before the focused button is hidden, so it is never lost.
        if (focus) frame.focus();
        launcher.opened();
      },
      { once: true },
    );
    frame.src = frameUrl(deployment, {
      org: config.org,
      locale: config.locale,
      idleMinutes: String(config.idleMs / 60_000),
      subjectRef: config.subjectRef ?? '',
      tasksRefreshSeconds: String(config.tasksRefreshMs / 1000),
      host: host ?? '',
    });
    launcher.element.append(frame);
  }

  launcher.button.addEventListener('click', () => openFrame(true));
  rememberWhileOpen(() => iframe !== null && !leaving && !left);
  if (takeWasOpen()) openFrame(false);

  /** The frame has cleared itself (or did not answer in time): remove it, and replace the page (no Back). */
  function leave() {
    if (left) return;
    left = true;
    window.removeEventListener('message', onMessage);
    document.removeEventListener('keydown', onKey, true);
    launcher.element.remove();
    window.location.replace(config.exitUrl);
  }

  /** The host's own quick exit: hidden at once, the frame told to clear itself, then leave. */
  function quickExit() {
    if (leaving) return;
    leaving = true;
    launcher.element.style.visibility = 'hidden';
    // Without a frame (the button only) there is nothing to clear: leave at once.
    if (!iframe) return leave();
    const message: HostToFrame = { channel: CHANNEL, type: 'quick-exit' };
    iframe.contentWindow?.postMessage(message, deployment);
    setTimeout(leave, EXIT_WAIT_MS);
  }

  function onMessage(event: MessageEvent) {
    if (!isWidgetMessage(event.data)) return;
    const parsed =
      iframe && event.source === iframe.contentWindow && event.origin === deployment
        ? FrameToHost.safeParse(event.data)
        : null;
    if (!parsed?.success) {
      console.warn('cse-widget: ignored a message that is not from the widget’s frame');
      return;
    }
    const message = parsed.data;
    if (!iframe) return; // (parsed only when there is one)
    if (message.type === 'resize') {
      const height = message.height;
      iframe.style.height = `max(min(85vh, ${height}px), ${Math.min(height, MIN_CHAT_PX)}px)`;
    } else if (message.type === 'phase') {
      if (message.phase === null) delete iframe.dataset.phase;
      else iframe.dataset.phase = message.phase;
    } else {
      leave();
    }
  }

  /** Escape twice while the keyboard is on the host page (inside the frame, the frame hears it). */
  function onKey(event: KeyboardEvent) {
    if (event.key !== 'Escape' || event.repeat) return;
    const now = Date.now();
    if (now - lastEscape < DOUBLE_ESCAPE_MS) quickExit();
    else lastEscape = now;
  }

  window.addEventListener('message', onMessage);
  document.addEventListener('keydown', onKey, true);
  return quickExit;
}

// Runs when the script tag loads: `currentScript` is only set during this first, synchronous run.
const script = document.currentScript as HTMLScriptElement | null;
if (script) {
  const config = readConfig(
    { ...script.dataset },
    script.src,
    document.documentElement.lang,
    document.baseURI,
  );
  const mount = () => mountLoader(config, script);
  // Issue 20: a script tag in the body paints its button right after itself, while the rest of the host
  // page is still arriving; a target element (which may come later in the page) or a script in <head> waits.
  const now = document.readyState !== 'loading' || (!config.target && script.closest('body') !== null);
  if (now) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}
