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
import { say } from './words.ts';

/**
 * The shelter staff's screening widget, as the host page sees it: one script tag,
 *
 *   <script src="…/widget/widget.js" data-org="demo-shelter" data-locale="es"></script>
 *
 * and this small loader, which only makes a sandboxed iframe of the deployment's `/widget/frame.html`
 * (frame.ts: Web Chat, sign-in, the token) and keeps the host's side of the contract in contract.ts. Issue
 * 18: nothing of the screening or the sign-in is in the host page's reach; its scripts see an iframe of
 * another origin, its size and phase, and the request to leave.
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
  const iframe = document.createElement('iframe');
  iframe.className = 'cse-widget-frame';
  iframe.title = say(config.locale, 'region');
  iframe.setAttribute('sandbox', FRAME_SANDBOX);
  iframe.referrerPolicy = 'no-referrer';
  // Set through the CSSOM, which a host page's CSP without 'unsafe-inline' styles still allows.
  Object.assign(iframe.style, {
    display: 'block',
    boxSizing: 'border-box',
    width: '100%',
    maxWidth: '44rem',
    height: '14rem',
    border: '0',
  });
  iframe.src = frameUrl(deployment, {
    org: config.org,
    locale: config.locale,
    idleMinutes: String(config.idleMs / 60_000),
    subjectRef: config.subjectRef ?? '',
    tasksRefreshSeconds: String(config.tasksRefreshMs / 1000),
    host: host ?? '',
  });

  const target = config.target ? document.getElementById(config.target) : null;
  if (target) target.append(iframe);
  // After the script tag when it sits in the body; a script in <head> cannot hold a visible widget.
  else if (anchor?.parentNode && anchor.closest('body')) anchor.after(iframe);
  else document.body.append(iframe);

  let leaving = false;
  let left = false;
  let lastEscape = 0;

  /** The frame has cleared itself (or did not answer in time): remove it, and replace the page (no Back). */
  function leave() {
    if (left) return;
    left = true;
    window.removeEventListener('message', onMessage);
    document.removeEventListener('keydown', onKey, true);
    iframe.remove();
    window.location.replace(config.exitUrl);
  }

  /** The host's own quick exit: hidden at once, the frame told to clear itself, then leave. */
  function quickExit() {
    if (leaving) return;
    leaving = true;
    iframe.style.visibility = 'hidden';
    const message: HostToFrame = { channel: CHANNEL, type: 'quick-exit' };
    iframe.contentWindow?.postMessage(message, deployment);
    setTimeout(leave, EXIT_WAIT_MS);
  }

  function onMessage(event: MessageEvent) {
    if (!isWidgetMessage(event.data)) return;
    const parsed =
      event.source === iframe.contentWindow && event.origin === deployment
        ? FrameToHost.safeParse(event.data)
        : null;
    if (!parsed?.success) {
      console.warn('cse-widget: ignored a message that is not from the widget’s frame');
      return;
    }
    const message = parsed.data;
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
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount, { once: true });
  else mount();
}
