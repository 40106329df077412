import ReactWebChat from 'botframework-webchat';
import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { cardWords } from '#functions/teams/cards.ts';
import { createScreeningAdapter, type Phase, type ScreeningAdapter, type Shown } from './adapter.ts';
import { readConfig, type WidgetConfig } from './config.ts';
import {
  CHANNEL,
  exactOrigin,
  type FrameToHost,
  frameParams,
  HostToFrame,
  isWidgetMessage,
  SignInAnswer,
} from './contract.ts';
import { cardForScreenReader } from './screen-reader.ts';
import { canRefresh, currentToken, forget } from './session.ts';
import { answerSignInWindow, createSignIn, type PendingSignIn } from './sign-in.ts';
import { frameCss, widgetCss } from './style.ts';
import { createTasksPanel, type TasksPanel } from './tasks.ts';
import { say, type WidgetWord } from './words.ts';

/**
 * The shelter staff's screening widget, inside its frame (`/widget/frame.html` on the deployment's origin;
 * the host page's `widget.js` only makes the frame, see loader.ts). One script tag on the host mounts it:
 *
 *   <script src="…/widget/widget.js" data-org="demo-shelter" data-locale="es"></script>
 *
 * Made for a shared intake computer: the ID and refresh tokens are the only things kept (sessionStorage of
 * the frame's origin, this tab), out of reach of the host page's scripts; "Quick exit" (or Escape twice) wipes the
 * widget and asks the host's loader to replace the page with a neutral one; a period without activity
 * clears the screen and forgets the sign-in. The frame talks to the host only through contract.ts.
 */

/** Two presses of Escape this close together leave; one press still closes menus and cards as usual. */
const DOUBLE_ESCAPE_MS = 800;

function mountWidget(config: WidgetConfig, host: string): () => void {
  const { locale } = config;
  const t = (key: WidgetWord, values?: Record<string, string | number>) => say(locale, key, values);
  const uid = 'cse-widget';
  const storage = window.sessionStorage;
  // Issue 18: code + PKCE; the provider and client come from the deployment's /auth/config.
  const signIn = createSignIn(config.apiBase, storage);
  document.documentElement.lang = locale;
  document.title = t('region');

  const style = document.createElement('style');
  style.textContent = widgetCss + frameCss;
  document.head.append(style);
  const container = document.body;

  /** The only way out to the host page: the contract's messages, to its exact origin. */
  const toHost = (message: FrameToHost) => window.parent.postMessage(message, host);

  const region = document.createElement('section');
  region.className = 'cse-widget';
  region.lang = locale;
  region.setAttribute('aria-label', t('region'));

  // A div, not <header>: the host page's own styles for header elements must not reach the widget.
  const bar = document.createElement('div');
  bar.className = 'cse-widget__bar';
  const title = document.createElement('h2');
  title.className = 'cse-widget__title';
  title.textContent = t('title');
  const who = document.createElement('span');
  who.className = 'cse-widget__who';
  const signOut = document.createElement('button');
  signOut.type = 'button';
  signOut.className = 'cse-widget__secondary';
  signOut.textContent = t('signOut');
  const exit = document.createElement('button');
  exit.type = 'button';
  exit.className = 'cse-widget__exit';
  exit.textContent = t('quickExit');
  exit.setAttribute('aria-describedby', `${uid}-exit-hint`);
  bar.append(title, exit);
  const info = document.createElement('div');
  info.className = 'cse-widget__info';
  const exitHint = document.createElement('p');
  exitHint.id = `${uid}-exit-hint`;
  exitHint.className = 'cse-widget__hint';
  exitHint.textContent = t('quickExitHint');
  info.append(exitHint, who, signOut);

  const progressRow = document.createElement('div');
  progressRow.className = 'cse-widget__progress';
  const progressText = document.createElement('span');
  progressText.id = `${uid}-progress`;
  const progress = document.createElement('progress');
  progress.setAttribute('aria-labelledby', progressText.id);
  progressRow.append(progressText, progress);
  progressRow.hidden = true;

  const body = document.createElement('div');
  body.className = 'cse-widget__body';

  // Issue 17: two tabs once signed in, the screening and "My tasks". Buttons in a tablist, arrow keys move
  // between them (one tab stop), each controls its panel; the screening's panel keeps Web Chat mounted.
  const tabList = document.createElement('div');
  tabList.className = 'cse-widget__tabs';
  tabList.setAttribute('role', 'tablist');
  tabList.setAttribute('aria-label', t('tabs'));
  tabList.hidden = true;
  const makeTab = (name: 'screening' | 'tasks', label: string) => {
    const tab = document.createElement('button');
    tab.type = 'button';
    tab.id = `${uid}-tab-${name}`;
    tab.className = 'cse-widget__tab';
    tab.setAttribute('role', 'tab');
    tab.setAttribute('aria-controls', `${uid}-panel-${name}`);
    tab.textContent = label;
    const panel = document.createElement('div');
    panel.id = `${uid}-panel-${name}`;
    panel.className = `cse-widget__panel-${name}`;
    panel.setAttribute('role', 'tabpanel');
    panel.setAttribute('aria-labelledby', tab.id);
    return { tab, panel };
  };
  const screeningTab = makeTab('screening', t('tabScreening'));
  const tasksTab = makeTab('tasks', t('tabTasks'));
  // The tasks' panel holds text before its first control: it takes the focus itself.
  tasksTab.panel.tabIndex = 0;
  screeningTab.panel.append(progressRow);
  tabList.append(screeningTab.tab, tasksTab.tab);
  region.append(bar, info, tabList, body);
  container.append(region);

  const screenReaderCards = cardForScreenReader(locale);
  let adapter: ScreeningAdapter | null = null;
  let tasks: TasksPanel | null = null;
  let selected: 'screening' | 'tasks' = 'screening';
  let root: Root | null = null;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let lastEscape = 0;
  let gone = false;

  let toldPhase: Phase | null = null;
  const tellPhase = (phase: Phase | null) => {
    if (phase === toldPhase || gone) return;
    toldPhase = phase;
    toHost({ channel: CHANNEL, type: 'phase', phase });
  };

  const showProgress = (value: { n: number; of: number } | null) => {
    progressRow.hidden = value === null;
    if (!value) return;
    progress.max = value.of;
    progress.value = value.n;
    progressText.textContent = t('progress', value);
  };

  /** Everything the screening put on screen and in memory: Web Chat, its store, the adapter's history. */
  function closeChat() {
    tasks?.end();
    tasks = null;
    tabList.hidden = true;
    tasksTab.tab.textContent = t('tabTasks');
    selected = 'screening';
    cardWatch?.disconnect();
    cardWatch = null;
    delete region.dataset.phase;
    delete region.dataset.version;
    tellPhase(null);
    adapter?.end();
    adapter = null;
    region.classList.remove('cse-widget--chat');
    root?.unmount();
    root = null;
    body.replaceChildren();
    screeningTab.panel.replaceChildren(progressRow);
    tasksTab.panel.replaceChildren();
    showProgress(null);
  }

  function selectTab(name: 'screening' | 'tasks', focus: boolean) {
    selected = name;
    for (const [key, { tab, panel }] of [
      ['screening', screeningTab],
      ['tasks', tasksTab],
    ] as const) {
      const on = key === name;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      panel.hidden = !on;
    }
    region.dataset.tab = name;
    if (focus) (name === 'screening' ? screeningTab : tasksTab).tab.focus();
    if (name === 'tasks') void tasks?.refresh();
  }

  for (const { tab } of [screeningTab, tasksTab]) {
    tab.addEventListener('click', () => selectTab(tab === tasksTab.tab ? 'tasks' : 'screening', false));
  }
  tabList.addEventListener('keydown', (event) => {
    const order = ['screening', 'tasks'] as const;
    const at = order.indexOf(selected);
    const next =
      event.key === 'ArrowRight'
        ? order[(at + 1) % order.length]
        : event.key === 'ArrowLeft'
          ? order[(at + order.length - 1) % order.length]
          : event.key === 'Home'
            ? order[0]
            : event.key === 'End'
              ? order[order.length - 1]
              : undefined;
    if (!next) return;
    event.preventDefault();
    selectTab(next, true);
  });

  function showSignIn(notice: WidgetWord | null) {
    closeChat();
    who.textContent = '';
    signOut.hidden = true;
    const panel = document.createElement('div');
    panel.className = 'cse-widget__panel';
    if (notice) {
      const message = document.createElement('p');
      message.className = 'cse-widget__notice';
      message.setAttribute('role', 'status');
      message.textContent = t(notice);
      panel.append(message);
    }
    const intro = document.createElement('p');
    intro.textContent = t('signInIntro');
    const link = document.createElement('a');
    link.className = 'cse-widget__signin';
    link.textContent = t('signIn');
    panel.append(intro, link);
    body.replaceChildren(panel);
    signIn.available().then((ok) => {
      if (gone || !link.isConnected) return;
      if (!ok) {
        link.replaceWith(Object.assign(document.createElement('p'), { textContent: t('noSignIn') }));
        return;
      }
      // The provider opens in a window of its own (below); the link itself goes nowhere.
      link.href = '#';
      // The state, nonce and PKCE verifier are made on the click, and kept only in this frame's memory.
      link.addEventListener('click', (event) => {
        event.preventDefault();
        pending?.cancel();
        const opened = signIn.open(
          () => {
            if (pending !== opened) return;
            pending = null;
            if (gone) return;
            start();
          },
          () => {
            if (pending !== opened) return;
            pending = null;
            if (!gone) showSignIn('signInFailed');
          },
        );
        pending = opened;
        notify(opened ? 'signingIn' : 'popupBlocked');
      });
    });
    const notify = (word: WidgetWord) => {
      const message = panel.querySelector('.cse-widget__notice') ?? document.createElement('p');
      message.className = 'cse-widget__notice';
      message.setAttribute('role', 'status');
      message.textContent = t(word);
      if (!message.parentNode) panel.prepend(message);
    };
  }
  let pending: PendingSignIn | null = null;

  /** Signing out (or idle, or refused): both tokens forgotten; the refresh token revoked when it is by choice. */
  function signedOut(notice: WidgetWord | null, revoke = false) {
    if (revoke) void signIn.signOut();
    forget(storage);
    stopIdle();
    showSignIn(notice);
  }

  function renderChat(phase: Phase) {
    if (!root || !adapter) return;
    root.render(
      createElement(ReactWebChat, {
        directLine: adapter,
        locale: locale === 'es' ? 'es-ES' : 'en-US',
        userID: 'screener',
        overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: t('placeholder') },
        attachmentForScreenReaderMiddleware: [screenReaderCards],
        ...(config.nonce ? { nonce: config.nonce } : {}),
        styleOptions: {
          accent: '#1a5fb4',
          rootHeight: '100%',
          hideUploadButton: true,
          hideTelephoneKeypadButton: true,
          // During the questions every answer is a button on the card; the box is for the case reference.
          hideSendBox: phase === 'screening',
          sendBoxTextWrap: true,
          adaptiveCardsParserMaxVersion: '1.5',
          richCardWrapTitle: true,
          bubbleMaxWidth: 640,
        },
      }),
    );
  }

  function openChat(name: string) {
    closeChat();
    who.textContent = t('signedInAs', { name });
    signOut.hidden = false;
    const host = document.createElement('div');
    host.className = 'cse-widget__chat';
    screeningTab.panel.replaceChildren(progressRow, host);
    const panel = createTasksPanel({
      base: config.apiBase,
      locale,
      uid,
      refreshMs: config.tasksRefreshMs,
      getToken: signIn.freshToken,
      refreshToken: signIn.refresh,
      onUnauthenticated: () => signedOut('expired'),
      onCount: (open, overdue) => {
        if (panel !== tasks) return;
        tasksTab.tab.textContent = open > 0 ? t('tabTasksCount', { n: open }) : t('tabTasks');
        region.dataset.tasks = String(open);
        region.dataset.overdue = String(overdue);
      },
    });
    tasks = panel;
    tasksTab.panel.replaceChildren(panel.element);
    body.replaceChildren(screeningTab.panel, tasksTab.panel);
    tabList.hidden = false;
    selectTab('screening', false);
    region.classList.add('cse-widget--chat');
    let phase: Phase = 'reference';
    const chat = createScreeningAdapter({
      base: config.apiBase,
      locale,
      getToken: signIn.freshToken,
      refreshToken: signIn.refresh,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      subjectRef: config.subjectRef,
      onUnauthenticated: () => signedOut('expired'),
      onShow: (shown) => {
        if (chat !== adapter) return;
        showProgress(shown.progress);
        if (shown.phase !== phase) {
          phase = shown.phase;
          renderChat(phase);
        }
        whenCardsShown(host, shown);
      },
    });
    adapter = chat;
    host.addEventListener('click', checkDateTime, true);
    root = createRoot(host);
    renderChat(phase);
    restartIdle();
  }

  /**
   * Issue 20: a date/time question's Send is checked here, before Web Chat sends anything. A date without a
   * time (or a time without a date, or neither) is never sent: each missing field says so beside itself
   * (aria-invalid, aria-describedby), the keyboard moves to the first of them, and the card stays where it is.
   * Heard in the capture phase, so the card's own handler never sees the press.
   */
  let fieldErrors = 0;
  function checkDateTime(event: Event) {
    const button = (event.target as Element | null)?.closest?.('button');
    const card = button?.closest('.ac-adaptiveCard');
    if (!button || !card || button.textContent?.trim() !== cardWords(locale).send) return;
    const date = card.querySelector<HTMLInputElement>('input[type="date"]');
    const time = card.querySelector<HTMLInputElement>('input[type="time"]');
    if (!date || !time) return;
    const missing = [
      [date, 'needDate'],
      [time, 'needTime'],
    ].filter(([input]) => !(input as HTMLInputElement).value) as [HTMLInputElement, WidgetWord][];
    for (const input of [date, time]) clearFieldError(input);
    if (missing.length === 0) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    for (const [input, word] of missing) showFieldError(input, t(word));
    missing[0]?.[0].focus({ preventScroll: true });
    missing[0]?.[0].scrollIntoView({ block: 'nearest' });
  }
  function showFieldError(input: HTMLInputElement, message: string) {
    fieldErrors += 1;
    const note = document.createElement('p');
    note.id = `${uid}-field-error-${fieldErrors}`;
    note.className = 'cse-widget__field-error';
    note.textContent = message;
    (input.closest('.ac-input-container') ?? input).after(note);
    input.setAttribute('aria-invalid', 'true');
    const described = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
    input.setAttribute('aria-describedby', [...described, note.id].join(' '));
    input.dataset.fieldError = note.id;
    const fixed = () => {
      if (!input.value) return;
      clearFieldError(input);
      input.removeEventListener('input', fixed);
      input.removeEventListener('change', fixed);
    };
    input.addEventListener('input', fixed);
    input.addEventListener('change', fixed);
  }
  function clearFieldError(input: HTMLInputElement) {
    const id = input.dataset.fieldError;
    if (!id) return;
    document.getElementById(id)?.remove();
    delete input.dataset.fieldError;
    input.removeAttribute('aria-invalid');
    const described = (input.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter((token) => token && token !== id);
    if (described.length > 0) input.setAttribute('aria-describedby', described.join(' '));
    else input.removeAttribute('aria-describedby');
  }

  /**
   * Once the newest card is on screen: move the keyboard to it (the answered card stays above it, and the
   * send box may just have been hidden), and say which version is shown, so tests and assistive tools can
   * tell a fresh question from the last one.
   */
  let cardWatch: MutationObserver | null = null;
  function whenCardsShown(host: HTMLElement, shown: Shown) {
    cardWatch?.disconnect();
    const check = () => {
      const rendered = [...host.querySelectorAll<HTMLElement>('.ac-adaptiveCard')].filter(
        (card) => !card.parentElement?.closest('.ac-adaptiveCard'),
      );
      if (rendered.length < shown.cards) return false;
      cardWatch?.disconnect();
      cardWatch = null;
      const newest = rendered[shown.cards - 1];
      const focused = document.activeElement;
      const ours = !focused || focused === document.body || region.contains(focused);
      const asks = shown.phase === 'screening' || shown.phase === 'resume';
      if (newest && asks && ours && selected === 'screening') {
        newest
          .querySelector<HTMLElement>('input, textarea, select, button:not([disabled])')
          ?.focus({ preventScroll: true });
      }
      if (newest && asks) revealStart(newest);
      region.dataset.phase = shown.phase;
      region.dataset.version = shown.version === null ? '' : String(shown.version);
      tellPhase(shown.phase);
      return true;
    };
    if (check()) return;
    cardWatch = new MutationObserver(check);
    cardWatch.observe(host, { childList: true, subtree: true });
  }

  /**
   * Issue 20: Web Chat keeps the transcript scrolled to its end, so on a phone a card taller than the
   * transcript's view has its question hidden above it, under the widget's fixed header. The question's
   * start is brought into view instead (the answers follow by scrolling down); a card below the view is
   * scrolled up to, the same way. Web Chat's own smooth scroll
   * may still be running, so this holds for a moment, unless the screener scrolls or types meanwhile.
   */
  let revealing: (() => void) | null = null;
  function revealStart(card: HTMLElement) {
    revealing?.();
    let scroller: HTMLElement | null = card.parentElement;
    while (scroller && !/(auto|scroll)/.test(getComputedStyle(scroller).overflowY))
      scroller = scroller.parentElement;
    if (!scroller || !region.contains(scroller)) return;
    const view = scroller;
    const GAP = 8;
    const until = Date.now() + 1500;
    let frame = 0;
    const stop = () => {
      cancelAnimationFrame(frame);
      for (const type of ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const)
        view.removeEventListener(type, stop);
      if (revealing === stop) revealing = null;
    };
    const step = () => {
      if (!card.isConnected || Date.now() > until) return stop();
      // Where the card is in the transcript's view: its start at the top if it is taller than the view,
      // else all of it in view (Web Chat may have stopped following the end once the view was moved).
      const shown = view.getBoundingClientRect();
      const box = card.getBoundingClientRect();
      const top = box.top - shown.top - GAP;
      const overflow = box.bottom - shown.bottom;
      if (top < 0) view.scrollTop += top;
      else if (overflow > 0) view.scrollTop += Math.min(top, overflow);
      frame = requestAnimationFrame(step);
    };
    for (const type of ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const)
      view.addEventListener(type, stop, { passive: true });
    revealing = stop;
    step();
  }

  function restartIdle() {
    clearTimeout(idleTimer);
    if (!currentToken(storage, new Date()) && !canRefresh(storage)) return;
    idleTimer = setTimeout(() => signedOut('idle'), config.idleMs);
  }
  function stopIdle() {
    clearTimeout(idleTimer);
    idleTimer = undefined;
  }
  const onActivity = () => {
    if (idleTimer !== undefined) restartIdle();
  };

  /** Leaves at once: nothing of the screening stays on screen, in memory, in storage, or in Back. */
  function quickExit() {
    if (gone) return;
    closeChat();
    gone = true;
    pending?.cancel();
    pending = null;
    forget(storage);
    stopIdle();
    for (const type of activityEvents) document.removeEventListener(type, onActivity, true);
    document.removeEventListener('keydown', onKey, true);
    window.removeEventListener('message', onHostMessage);
    resizeWatch.disconnect();
    container.replaceChildren();
    style.remove();
    // Cleared first, then the host's loader replaces its page (the frame may not navigate the host itself).
    toHost({ channel: CHANNEL, type: 'exit' });
  }

  /** The host's quick exit (its own Escape twice): only from the embedding page, only that one message. */
  function onHostMessage(event: MessageEvent) {
    if (!isWidgetMessage(event.data)) return;
    // The sign-in window's answer goes to sign-in.ts's own listener, which checks it there.
    if (
      event.source !== window.parent &&
      event.origin === window.location.origin &&
      SignInAnswer.safeParse(event.data).success
    )
      return;
    const ok =
      event.source === window.parent && event.origin === host && HostToFrame.safeParse(event.data).success;
    if (!ok) {
      console.warn('cse-widget: ignored a message that is not the host page’s quick exit');
      return;
    }
    quickExit();
  }

  // The height the widget wants: a fixed one for the chat (it fills the frame), else what its content takes.
  const CHAT_HEIGHT_REM = 44;
  let toldHeight = -1;
  const resizeWatch = new ResizeObserver(() => {
    if (gone) return;
    const chat = region.classList.contains('cse-widget--chat');
    const rem = Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const height = Math.ceil(chat ? CHAT_HEIGHT_REM * rem : region.getBoundingClientRect().height);
    if (height === toldHeight) return;
    toldHeight = height;
    toHost({ channel: CHANNEL, type: 'resize', height: Math.min(height, 20_000) });
  });
  resizeWatch.observe(region);
  window.addEventListener('message', onHostMessage);

  /**
   * Heard before Web Chat (capture), which keeps Escape for leaving a card; one press still does that, and
   * only two in quick succession leave the page. A held key repeats, and is not a double press.
   */
  function onKey(event: KeyboardEvent) {
    if (event.key !== 'Escape' || event.repeat) return;
    const now = Date.now();
    if (now - lastEscape < DOUBLE_ESCAPE_MS) quickExit();
    else lastEscape = now;
  }

  const activityEvents = ['keydown', 'pointerdown', 'wheel', 'touchstart', 'input'] as const;
  for (const type of activityEvents)
    document.addEventListener(type, onActivity, { capture: true, passive: true });
  document.addEventListener('keydown', onKey, true);
  exit.addEventListener('click', quickExit);
  signOut.addEventListener('click', () => signedOut(null, true));

  function start() {
    const session = currentToken(storage, new Date());
    if (session && config.org && session.claims['custom:org'] !== config.org) signedOut('wrongOrg', true);
    else if (session) openChat(session.claims.name ?? session.claims.sub ?? '');
    else if (canRefresh(storage)) {
      // Issue 18: the ID token ran out while the tab was away; the refresh token renews it, if still good.
      void signIn.refresh().then((token) => {
        if (gone) return;
        if (token) start();
        else signedOut('expired');
      });
    } else showSignIn(null);
  }
  start();

  return quickExit;
}

/**
 * The host page's origin, as the loader named it; where the browser says who embeds the frame
 * (`location.ancestorOrigins`, Chromium and Safari), the two must agree. The frame page's CSP
 * (`frame-ancestors`) has already limited who may embed it at all.
 */
function embeddingOrigin(claimed: string | undefined): string | null {
  const host = exactOrigin(claimed);
  const ancestors = window.location.ancestorOrigins;
  if (!host || (ancestors && ancestors.length > 0 && ancestors[0] !== host)) return null;
  return host;
}

function boot() {
  if (window.parent === window) {
    // Top level: either the sign-in window coming back, or someone opened the frame page on its own.
    if (answerSignInWindow()) return;
    const params = frameParams(window.location.search);
    const note = document.createElement('p');
    note.textContent = say(params.locale === 'es' ? 'es' : 'en', 'frameOnly');
    document.body.replaceChildren(note);
    return;
  }
  const params = frameParams(window.location.search);
  const host = embeddingOrigin(params.host);
  if (!host) return;
  const { host: _host, ...options } = params;
  // The same checks as the host's script tag had; the API is this frame's own origin.
  const config = readConfig(options, window.location.href);
  mountWidget(config, host);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot, { once: true });
else boot();
