import type { ClientEvent } from '#flows/events.ts';
import type { Locale } from '#flows/i18n.ts';
import { claimsOf } from '../widget/session.ts';
import { type ApiResult, callApi, serverHalf, stillValid } from './api.ts';
import { beginSignIn, completeSignIn, provider, refreshTokens, type Tokens, takeCallback } from './auth.ts';
import {
  expireCachedHalf,
  type Factors,
  isAcceptablePin,
  readDevice,
  setUpDevice,
  unlockDevice,
} from './device.ts';
import { button, el, field } from './dom.ts';
import { indexedDbStorage } from './idb-storage.ts';
import {
  answer,
  type InterviewSession,
  openInterview,
  presentInterview,
  type ServerConversation,
  type ServerConversationDetail,
  type SyncProblem,
  sectionsOf,
  startOnDevice,
  takeOver,
} from './interview.ts';
import { startInactivityLock } from './lock.ts';
import { platformPrf } from './prf.ts';
import { actionLabels, pausedCard, promptCard } from './prompt-view.ts';
import { type SyncReport, sendQueue } from './sync.ts';
import type { Vault } from './vault.ts';
import { type Say, wordsFor } from './words.ts';

/**
 * The interviewer's tablet app (issue 8). Everything the youth says is saved sealed on the tablet the moment
 * it is given and sent when there is a connection; the PIN's key, the sign-in token and the interview live
 * in memory only while the tablet is unlocked.
 */

const storage = indexedDbStorage();
const LANGUAGE = 'tablet.language';
const RETRY_MS = 15_000;

// Back from signing in (issue 18: `?code=…&state=…`): the code leaves the address bar at once, and the query
// the app was opened with goes back on it before anything reads it.
const callback = takeCallback();
/** Refreshed this long before it expires, when online, so a sync or an interview never meets the expiry. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** Minutes of inactivity before the tablet locks; a page may ask for less (never more) with `?lockAfter=`. */
const DEFAULT_LOCK_SECONDS = 180;
const lockSeconds = (() => {
  const asked = Number(new URLSearchParams(location.search).get('lockAfter'));
  return Number.isFinite(asked) && asked >= 5 ? Math.min(asked, DEFAULT_LOCK_SECONDS) : DEFAULT_LOCK_SECONDS;
})();

interface Unlocked {
  vault: Vault<InterviewSession>;
  token: string | null;
  session: InterviewSession | null;
  pending: number;
  /** The server's last reply for an interview that finished and was sent (shown, never stored). */
  sent: ServerConversation | null;
  /** The sync running for this unlock, if any; a lock abandons it with the key. */
  syncing?: Promise<void> | undefined;
  /** An answer is being saved: further taps wait rather than race it for the same version. */
  saving?: boolean;
  /** The token refresh in flight, if any: one at a time, as a rotated refresh token works once. */
  refreshing?: Promise<string | null> | undefined;
}

let unlocked: Unlocked | null = null;
/** Tokens of a sign-in that just came back, in memory only until the PIN's key seals them. */
let incoming: Tokens | null = null;
let lastSyncOffline = false;
let retryTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Every change to what the tablet has saved runs one at a time, in order: an answer, a sync's result, a
 * retry. Two quick taps, or a sync returning while an answer is being sealed, can then never both start
 * from the same state.
 */
let writes: Promise<unknown> = Promise.resolve();
function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const run = writes.then(work, work);
  writes = run.catch(() => undefined);
  return run;
}

const screen = document.getElementById('screen') as HTMLElement;
const $ = (id: string) => document.getElementById(id) as HTMLElement;

/**
 * Issue 20: the interviewer's language, for every screen of theirs (set-up, lock, wipe, header, their own
 * questions, the outcome). Their choice is kept on the tablet (it says nothing about anyone); until they
 * choose, the browser's language. The youth's questions follow the interview's language instead.
 */
function uiLocale(): Locale {
  const chosen = localStorage.getItem(LANGUAGE);
  if (chosen === 'en' || chosen === 'es') return chosen;
  return navigator.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

const say = (): Say => wordsFor(uiLocale());

function show(...content: (Node | null)[]): void {
  const locale = uiLocale();
  document.documentElement.lang = locale;
  $('app-name').textContent = say().t('appName');
  document.title = say().t('appName');
  $('wipe').textContent = say().t('wipe');
  $('lock').textContent = say().t('lockNow');
  $('lock').hidden = unlocked === null;
  screen.replaceChildren(...content.filter((node): node is Node => node !== null));
  showProgress(null);
  updateStatus();
}

function updateStatus(): void {
  const words = say();
  const network = $('network');
  const offline = !navigator.onLine || lastSyncOffline;
  network.hidden = false;
  network.dataset.state = offline ? 'offline' : 'online';
  network.textContent = words.t(offline ? 'offline' : 'online');
  const queue = $('queue');
  queue.hidden = unlocked === null;
  if (unlocked) {
    queue.dataset.state = unlocked.pending > 0 ? 'pending' : 'sent';
    queue.dataset.pending = String(unlocked.pending);
    queue.textContent =
      unlocked.pending > 0 ? words.t('pending', { n: unlocked.pending }) : words.t('allSent');
  }
}

/** Shows why a form was not accepted, in the form's alert line. */
function fail(line: HTMLElement, message: string): void {
  line.textContent = message;
}

function languageToggle(): HTMLElement {
  const other: Locale = uiLocale() === 'en' ? 'es' : 'en';
  return button(
    other === 'es' ? 'Español' : 'English',
    () => {
      localStorage.setItem(LANGUAGE, other);
      void route();
    },
    { class: 'secondary', lang: other },
  );
}

// ---- Sign-in -------------------------------------------------------------------------------------------

/**
 * The sign-in link: following it sends the whole page to the provider's authorization endpoint (code + PKCE,
 * state, nonce, made fresh at the click). Without a reachable provider it says sign-in is not available.
 */
async function signInLink(label: string): Promise<HTMLElement> {
  const found = await provider();
  if (!found?.as.authorization_endpoint) return el('p', { class: 'notice' }, say().t('noSignIn'));
  const link = el('a', { href: found.as.authorization_endpoint, class: 'button-link', id: 'sign-in' }, label);
  link.addEventListener('click', (event) => {
    event.preventDefault();
    void beginSignIn();
  });
  return el('p', {}, link);
}

async function showSignIn(): Promise<void> {
  const words = say();
  show(
    el(
      'section',
      { class: 'panel' },
      el('h2', {}, words.t('signIn')),
      el('p', {}, words.t('signInIntro')),
      await signInLink(words.t('signIn')),
      el('div', { class: 'row' }, languageToggle()),
    ),
  );
}

function showChoosePin(tokens: Tokens): void {
  const token = tokens.idToken;
  const words = say();
  // Never offered to a password manager: the PIN opens this tablet only.
  const pin = el('input', { type: 'password', inputmode: 'numeric', autocomplete: 'off' });
  const again = el('input', { type: 'password', inputmode: 'numeric', autocomplete: 'off' });
  const error = el('p', { class: 'error', role: 'alert' });
  const form = el(
    'form',
    { class: 'panel' },
    el('h2', {}, words.t('choosePin')),
    el('p', {}, words.t('choosePinHelp')),
    field('pin', words.t('pin'), pin),
    field('pin-again', words.t('pinAgain'), again),
    error,
    el('div', { class: 'row' }, el('button', { type: 'submit' }, words.t('savePin'))),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!isAcceptablePin(pin.value)) return fail(error, words.t('pinTooShort'));
    if (pin.value !== again.value) return fail(error, words.t('pinsDiffer'));
    const set = await setUpDevice<InterviewSession>(
      storage,
      claimsOf(token).sub ?? '',
      pin.value,
      await factorsWith(token),
    );
    if (!set.ok) return fail(error, words.t('setUpNeedsServer'));
    const vault = set.vault;
    await vault.saveTokens(token, incoming?.refreshToken);
    incoming = null;
    unlocked = { vault, token, session: null, pending: 0, sent: null };
    lock.start();
    await route();
  });
  show(form);
  pin.focus();
}

// ---- Lock and unlock -----------------------------------------------------------------------------------

/**
 * Issue 18: the second factor: the platform authenticator's PRF where there is one, else the server's half,
 * which needs a fresh sign-in (the stored token is sealed in the vault it would open).
 */
async function factorsWith(token: string | null): Promise<Factors> {
  const usable = token !== null && stillValid(token, new Date());
  return { server: usable ? serverHalf(token) : undefined, prf: await platformPrf() };
}

// ---- Keeping the sign-in fresh (issue 18) ----------------------------------------------------------------

const expiresSoon = (token: string | null) => {
  const exp = token ? claimsOf(token).exp : undefined;
  return typeof exp !== 'number' || exp * 1000 - Date.now() < REFRESH_MARGIN_MS;
};

/**
 * The token to send: refreshed first (one refresh at a time) when it expires within five minutes, or when
 * `force` (after a 401). Offline nothing changes: the current token, whatever it is still worth.
 */
function freshToken(state: Unlocked, force = false): Promise<string | null> {
  if (!force && !expiresSoon(state.token)) return Promise.resolve(state.token);
  if (!navigator.onLine) return Promise.resolve(state.token);
  state.refreshing ??= refreshFor(state).finally(() => {
    state.refreshing = undefined;
  });
  return state.refreshing;
}

async function refreshFor(state: Unlocked): Promise<string | null> {
  const before = state.token;
  const [refreshToken, device] = await Promise.all([state.vault.refreshToken(), readDevice(storage)]);
  if (!refreshToken || !device) return state.token;
  const result = await refreshTokens(refreshToken, device.owner);
  // Wiped meanwhile: nothing goes back on the disk.
  if (!(await readDevice(storage))) return null;
  if (result.kind === 'offline') return state.token;
  if (result.kind === 'refused') {
    // Expired, revoked or spent: no use keeping it. The ID token stays while it is valid.
    if (state.token) await state.vault.saveTokens(state.token);
    else await state.vault.forgetToken();
    return state.token;
  }
  // Sealed even if the tablet locked meanwhile: the old refresh token is spent, the rotated one is needed.
  await state.vault.saveTokens(result.tokens.idToken, result.tokens.refreshToken);
  state.token = result.tokens.idToken;
  // A screen that asked for a new sign-in (the token had expired) is drawn again without it.
  if (unlocked === state && !stillValid(before, new Date())) void route();
  return state.token;
}

/** An API call as the signed-in interviewer: with a fresh token, and once more after a refresh on a 401. */
async function callAs<T>(
  state: Unlocked,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  const token = await freshToken(state);
  const result = await callApi<T>(method, path, token, body);
  if (result.kind !== 'refused' || result.status !== 401 || unlocked !== state) return result;
  const again = await freshToken(state, true);
  return again && again !== token ? callApi<T>(method, path, again, body) : result;
}

/** Before expiry, while online: the token is renewed in the background, so nothing meets its expiry. */
setInterval(() => {
  if (unlocked && navigator.onLine && expiresSoon(unlocked.token)) void freshToken(unlocked);
}, 60_000);

/** The offline window's end deletes the cached half, even while the app stays open. */
void expireCachedHalf(storage, Date.now());
setInterval(() => void expireCachedHalf(storage, Date.now()), 60_000);

async function showUnlock(message?: string, withSignIn = false): Promise<void> {
  const words = say();
  const pin = el('input', {
    type: 'password',
    inputmode: 'numeric',
    autocomplete: 'off',
    'aria-describedby': 'pin-error',
  });
  const error = el('p', { class: 'error', role: 'alert', id: 'pin-error' }, message ?? '');
  const submit = el('button', { type: 'submit' }, words.t('unlock'));
  const form = el(
    'form',
    { class: 'panel' },
    el('h2', {}, words.t('unlockTitle')),
    el('p', {}, words.t('unlockHelp')),
    field('pin', words.t('pin'), pin),
    error,
    el('div', { class: 'row' }, submit, languageToggle()),
    ...(withSignIn ? [await signInLink(words.t('signIn'))] : []),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    // Deriving the key takes a second or two; one try at a time.
    if (submit.disabled) return;
    submit.disabled = true;
    const result = await unlockDevice<InterviewSession>(
      storage,
      pin.value,
      Date.now(),
      await factorsWith(incoming?.idToken ?? null),
    ).finally(() => {
      submit.disabled = false;
    });
    pin.value = '';
    pin.setAttribute('aria-invalid', String(!result.ok));
    if (!result.ok) {
      switch (result.reason) {
        case 'not_set_up':
          return void (await route());
        case 'needs_server':
          return void (await showUnlock(words.t('needsServer'), true));
        case 'locked':
          error.textContent = words.t('deviceLocked');
          return;
        case 'no_authenticator':
          error.textContent = words.t('noAuthenticator');
          return;
        case 'wait':
          error.textContent = words.t('wait', { seconds: result.seconds });
          return;
        case 'wrong_pin':
          error.textContent =
            result.attemptsLeft === undefined
              ? words.t('wrongPin')
              : words.t('wrongPinCounted', { n: result.attemptsLeft });
          return;
      }
    }
    const vault = result.vault;
    const device = await readDevice(storage);
    let token = await vault.token();
    if (incoming) {
      if (claimsOf(incoming.idToken).sub === device?.owner) {
        token = incoming.idToken;
        await vault.saveTokens(incoming.idToken, incoming.refreshToken);
      }
      incoming = null;
    }
    unlocked = {
      vault,
      token: token ?? null,
      session: (await vault.session()) ?? null,
      pending: (await vault.pending()).length,
      sent: null,
    };
    lock.start();
    await route();
    scheduleSync(0);
  });
  show(form);
  pin.focus();
}

/** Locking forgets the key, the token and the interview from memory and from the screen. */
function lockNow(): void {
  if (!unlocked) return;
  unlocked = null;
  lock.stop();
  clearTimeout(retryTimer);
  void showUnlock();
}

const lock = startInactivityLock(lockSeconds * 1000, lockNow);
$('lock').addEventListener('click', lockNow);

// ---- Quick wipe ----------------------------------------------------------------------------------------

$('wipe').addEventListener('click', async () => {
  const words = say();
  const dialog = $('wipe-dialog') as HTMLDialogElement;
  $('wipe-title').textContent = words.t('wipeTitle');
  // Counting queued records needs no PIN: their names say what they are, their contents stay sealed.
  const pending = (await storage.keys()).filter((key) => key.startsWith('q:')).length;
  $('wipe-body').textContent = words.t('wipeBody', {
    pending: pending > 0 ? words.t('wipePending', { n: pending }) : words.t('wipeNothing'),
  });
  $('wipe-cancel').textContent = words.t('cancel');
  $('wipe-confirm').textContent = words.t('wipeConfirm');
  dialog.returnValue = '';
  dialog.showModal();
});

($('wipe-dialog') as HTMLDialogElement).addEventListener('close', async () => {
  if (($('wipe-dialog') as HTMLDialogElement).returnValue !== 'wipe') return;
  unlocked = null;
  incoming = null;
  lock.stop();
  clearTimeout(retryTimer);
  await storage.clear();
  sessionStorage.clear();
  await route();
});

// ---- Home: starting an interview -----------------------------------------------------------------------

/**
 * Issue 20: an interview starts on the tablet itself, connection or not, and whether or not the sign-in is
 * still fresh: the start is sealed and queued with the first answers, and sent with them.
 */
async function showHome(state: Unlocked): Promise<void> {
  const words = say();
  void freshToken(state);
  const signIn = stillValid(state.token, new Date())
    ? null
    : el(
        'section',
        { class: 'panel' },
        el('p', {}, words.t('signInToSend')),
        await signInLink(words.t('signIn')),
      );
  if (unlocked !== state) return;
  const reference = el('input', { autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' });
  const flow = el('select', {});
  for (const id of ['runaway-return', 'cse-screening'])
    flow.append(el('option', { value: id }, words.flowName(id)));
  const language = el('select', {});
  language.append(
    el('option', { value: 'en', lang: 'en' }, 'English'),
    el('option', { value: 'es', lang: 'es' }, 'Español'),
  );
  language.value = uiLocale();
  const error = el('p', { class: 'error', role: 'alert' });
  const form = el(
    'form',
    { class: 'panel' },
    el('h2', {}, words.t('startTitle')),
    el('p', {}, words.t('startWorksOffline')),
    field('case-reference', words.t('caseReference'), reference),
    field('flow', words.t('interviewKind'), flow),
    field('language', words.t('language'), language),
    error,
    el('div', { class: 'row' }, el('button', { type: 'submit' }, words.t('start')), languageToggle()),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const subjectRef = reference.value.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/.test(subjectRef)) return fail(error, words.t('badReference'));
    const started = await startOnDevice({
      flowId: flow.value,
      locale: language.value === 'es' ? 'es' : 'en',
      subjectRef,
      now: new Date(),
      conversationId: crypto.randomUUID(),
    });
    if (!started.ok) return fail(error, words.t('notOnTablet'));
    await exclusive(async () => {
      if (unlocked !== state || state.session) return;
      // The start and the interview it opens are sealed in one write: a crash now loses nothing.
      await state.vault.append(started.queued, started.session);
      state.session = started.session;
      state.pending += 1;
      state.sent = null;
    });
    await route();
    document.getElementById('question')?.focus();
    scheduleSync(0);
  });
  // The list is the server's: it needs a connection and a sign-in the server still accepts.
  const unfinished = signIn ? null : unfinishedSection(state);
  show(form, signIn, unfinished);
  reference.focus();
}

// ---- Unfinished conversations (issue 17) ---------------------------------------------------------------

interface UnfinishedConversation {
  id: string;
  flow: string;
  subjectRef: string;
  status: 'active' | 'paused';
  updatedAt: string;
  position: { section: string; progress: { n: number; of: number } } | null;
}

/**
 * The server's list of this interviewer's unfinished conversations, whichever channel started them; each
 * continues here at the same prompt. It needs a connection, and says so plainly when there is none.
 */
function unfinishedSection(state: Unlocked): HTMLElement {
  const words = say();
  const status = el('p', { id: 'unfinished-status', role: 'status' }, words.t('unfinishedLoading'));
  const list = el('ul', { class: 'unfinished', 'aria-labelledby': 'unfinished-title' });
  const error = el('p', { class: 'error', role: 'alert', id: 'unfinished-error' });
  const section = el(
    'section',
    { class: 'panel', id: 'unfinished', 'aria-labelledby': 'unfinished-title' },
    el('h2', { id: 'unfinished-title' }, words.t('unfinishedTitle')),
    el('p', {}, words.t('unfinishedIntro')),
    status,
    list,
    error,
  );
  const offline = () => {
    section.dataset.state = 'offline';
    status.textContent = words.t('unfinishedOffline');
  };
  if (!navigator.onLine) {
    offline();
    return section;
  }
  void callAs<{ conversations: UnfinishedConversation[] }>(
    state,
    'GET',
    '/conversations?status=unfinished',
  ).then((reply) => {
    // Locked, or another screen, while the list was on its way: nothing of it goes on screen.
    if (unlocked !== state || !section.isConnected) return;
    if (reply.kind === 'offline') {
      lastSyncOffline = true;
      updateStatus();
      return offline();
    }
    if (reply.kind !== 'ok') {
      section.dataset.state = 'failed';
      status.textContent = words.t('unfinishedFailed', { code: reply.code });
      return;
    }
    const conversations = reply.body.conversations;
    section.dataset.state = 'listed';
    status.textContent = conversations.length === 0 ? words.t('unfinishedNone') : '';
    list.replaceChildren(
      ...conversations.map((conversation) => {
        const where =
          conversation.status === 'paused' || !conversation.position
            ? words.t('unfinishedPaused')
            : words.t('unfinishedAt', {
                n: conversation.position.progress.n,
                of: conversation.position.progress.of,
                section: conversation.position.section,
              });
        const titleId = `unfinished-${conversation.id}`;
        const resume = button(
          words.t('resumeOne'),
          () => void resumeConversation(state, conversation.id, error),
          {
            'aria-describedby': titleId,
          },
        );
        return el(
          'li',
          { 'data-conversation': conversation.id },
          el(
            'p',
            { id: titleId },
            el('strong', {}, `${conversation.subjectRef} · ${words.flowName(conversation.flow)}`),
            el('br', {}),
            `${where} · ${words.t('unfinishedChanged', { when: formatWhen(conversation.updatedAt) })}`,
          ),
          resume,
        );
      }),
    );
  });
  return section;
}

/** Takes the conversation over from the server's record and opens it at the prompt it stopped at. */
async function resumeConversation(state: Unlocked, id: string, error: HTMLElement): Promise<void> {
  const words = say();
  if (state.session) return;
  const reply = await callAs<ServerConversationDetail>(
    state,
    'GET',
    `/conversations/${encodeURIComponent(id)}`,
  );
  if (unlocked !== state) return;
  if (reply.kind !== 'ok') {
    if (reply.kind === 'offline') {
      lastSyncOffline = true;
      updateStatus();
    }
    error.textContent = words.t('resumeFailed', {
      code: reply.kind === 'offline' ? words.t('noConnection') : reply.code,
    });
    return;
  }
  if (reply.body.conversation.status === 'completed') {
    error.textContent = words.t('resumeFailed', { code: 'completed' });
    return;
  }
  const taken = takeOver(
    reply.body,
    { wentBack: words.t('wentBack'), paused: words.t('paused'), resumed: words.t('resumed') },
    {
      interviewerLocale: uiLocale(),
      actions: (prompt, locale, youth) => actionLabels(prompt, wordsFor(locale), youth),
    },
  );
  if (!taken.ok) {
    error.textContent = words.t('notOnTablet');
    return;
  }
  await exclusive(async () => {
    if (unlocked !== state || state.session) return;
    await state.vault.saveSession(taken.session);
    state.session = taken.session;
    state.sent = null;
  });
  await route();
  document.getElementById('question')?.focus();
}

// ---- The interview -------------------------------------------------------------------------------------

/** The sections, in the language of the screen they stand beside (the youth's or the interviewer's). */
function outline(session: InterviewSession, current: string | null, locale: Locale) {
  const words = wordsFor(locale);
  const sections = sectionsOf(session, locale);
  const at = current === null ? sections.length : sections.indexOf(current);
  const list = el('ol', {});
  sections.forEach((name, index) => {
    list.append(
      el('li', { 'aria-current': index === at ? 'step' : undefined, 'data-done': String(index < at) }, name),
    );
  });
  return el(
    'aside',
    { class: 'outline', 'aria-label': words.t('sections'), lang: locale },
    el('h2', {}, words.t('sections')),
    list,
  );
}

function transcript(session: InterviewSession): HTMLElement {
  const log = el('ol', { class: 'log', id: 'transcript' });
  for (const entry of session.transcript) {
    log.append(
      el(
        'li',
        // Each line in the language it was said in (the youth's or the interviewer's), for screen readers.
        { lang: entry.locale ?? session.locale },
        el('span', { class: 'q' }, entry.question),
        el('span', { class: 'a' }, entry.answer),
      ),
    );
  }
  return log;
}

function problemNotice(state: Unlocked, session: InterviewSession): HTMLElement | null {
  const words = say();
  const problem = session.problem;
  if (!problem) return null;
  if (problem.code === 'possible_duplicate') return duplicateNotice(state, problem);
  const text = problem.atStart
    ? words.t('startRefused', { code: problem.code })
    : problem.code === 'state_mismatch' || problem.code === 'version_conflict'
      ? words.t('conflict', { n: problem.index ?? '?' })
      : words.t('rejected', { code: problem.code });
  return el(
    'div',
    { class: 'notice', role: 'alert', id: 'problem', 'data-code': problem.code },
    el('p', {}, text),
    button(words.t('conflictRetry'), () => clearProblem(state)),
  );
}

/** Clears the refusal and sends again; `amend` first changes what is queued (under the same turn). */
function clearProblem(
  state: Unlocked,
  amend?: (session: InterviewSession) => Promise<unknown>,
): Promise<void> {
  return exclusive(async () => {
    if (!state.session) return;
    await amend?.(state.session);
    const cleared = { ...state.session, problem: null };
    await state.vault.saveSession(cleared);
    state.session = cleared;
    await route();
    scheduleSync(0);
  });
}

/**
 * Issue 20: the county already has an interview about this youth from about the same time (another tablet,
 * or a colleague online). It is shown as the server described it, and nothing is merged: the interviewer
 * either leaves it on the tablet while they check, or says it is a separate interview and sends it as one.
 */
function duplicateNotice(state: Unlocked, problem: SyncProblem): HTMLElement {
  const words = say();
  const others = problem.others ?? [];
  const statusWord = (status: string) =>
    status === 'completed'
      ? words.t('statusCompleted')
      : status === 'paused'
        ? words.t('statusPaused')
        : words.t('statusActive');
  return el(
    'div',
    { class: 'notice', role: 'alert', id: 'problem', 'data-code': problem.code },
    el('p', {}, words.t('duplicate')),
    el(
      'ul',
      { class: 'duplicates' },
      ...others.map((other) =>
        el(
          'li',
          { 'data-conversation': other.id },
          words.t('duplicateOther', {
            when: formatWhen(other.startedAt),
            who: words.t(other.yours ? 'duplicateYours' : 'duplicateColleague'),
            where: words.t(other.onDevice ? 'duplicateOnDevice' : 'duplicateOnline'),
            status: statusWord(other.status),
            answers:
              other.answers === 1 ? words.t('oneAnswer') : words.t('manyAnswers', { n: other.answers }),
          }),
        ),
      ),
    ),
    button(words.t('sendSeparate'), () =>
      clearProblem(state, (session) =>
        state.vault.markSeparate(
          session.conversationId,
          others.map((other) => other.id),
        ),
      ),
    ),
  );
}

/** The tablet's own words for the flow's refusals an interviewer can meet; others in general terms. */
function refusalText(code: string): string {
  const words = say();
  switch (code) {
    case 'datetime_in_future':
      return words.t('refusedFuture');
    case 'invalid_datetime':
      return words.t('refusedDate');
    case 'empty_answer':
      return words.t('refusedEmpty');
    default:
      return words.t('refusedOther');
  }
}

/** How the prompt on screen was shown (language, labels), so the transcript says what the tablet said. */
function shownAs(session: InterviewSession) {
  const presented = presentInterview(session, uiLocale());
  if (!presented?.shown.prompt) return undefined;
  return {
    locale: presented.locale,
    actions: actionLabels(presented.shown.prompt, wordsFor(presented.locale), presented.youth),
  };
}

function onEvent(state: Unlocked, event: ClientEvent): Promise<void> {
  // A second tap while the first answer is being sealed would build on the same state; it waits its turn.
  if (state.saving) return Promise.resolve();
  state.saving = true;
  const buttons = [...document.querySelectorAll<HTMLButtonElement>('.prompt button')].map(
    (button) => [button, button.disabled] as const,
  );
  for (const [button] of buttons) button.disabled = true;
  return exclusive(async () => {
    const session = state.session;
    if (!session || unlocked !== state) return;
    const words = say();
    const result = await answer(session, event, {
      now: new Date(),
      eventId: crypto.randomUUID(),
      wording: { wentBack: words.t('wentBack'), paused: words.t('paused'), resumed: words.t('resumed') },
      shown: shownAs(session),
    });
    if (!result.ok) {
      for (const [button, disabled] of buttons) button.disabled = disabled;
      const error = document.getElementById('answer-error');
      if (error) error.textContent = words.t('notAccepted', { message: refusalText(result.rejection.code) });
      return;
    }
    // Saved (sealed, with the state it leads to) before anything else happens: a crash now loses nothing.
    await state.vault.append(result.queued, result.session);
    state.session = result.session;
    state.pending += 1;
    if (unlocked !== state) return;
    await route();
    document.getElementById('question')?.focus();
    scheduleSync(0);
  }).finally(() => {
    state.saving = false;
  });
}

async function showInterview(state: Unlocked, session: InterviewSession): Promise<void> {
  const words = say();
  const presented = presentInterview(session, uiLocale());
  if (!presented) return show(el('p', { class: 'notice' }, words.t('notOnTablet')));
  // The prompt, pause or outcome as shown: the youth's in the interview's language, the rest in the interviewer's.
  const view = presented.shown;
  const promptWords = wordsFor(presented.locale);
  const current =
    view.status === 'active' ? (view.prompt?.section ?? null) : view.status === 'paused' ? '' : null;
  void freshToken(state);
  const signIn = stillValid(state.token, new Date()) ? null : await signInLink(words.t('signInAgain'));
  // Locked while the sign-in settings were fetched: nothing of the interview goes back on screen.
  if (unlocked !== state) return;
  const handle = (event: ClientEvent) => void onEvent(state, event);
  let body: HTMLElement;
  if (view.status === 'completed') {
    const duties = (view.outcome?.duties ?? []).map((duty) =>
      el('li', {}, `${duty.title}: `, el('strong', {}, words.t('due', { when: formatWhen(duty.dueAt) }))),
    );
    body = el(
      'section',
      { class: 'prompt', 'data-prompt': 'finished', 'aria-labelledby': 'question' },
      el('h2', { id: 'question', tabindex: '-1' }, words.t('finishedOffline')),
      el('h3', {}, words.t('duties')),
      duties.length > 0 ? el('ul', { class: 'duties' }, ...duties) : el('p', {}, words.t('noDuties')),
    );
  } else if (view.status === 'paused' && view.paused) {
    body = pausedCard(view.paused, handle);
  } else {
    body = promptCard(view.prompt!, promptWords, handle, presented.youth);
    body.lang = presented.locale;
  }
  show(
    el(
      'div',
      {
        class: 'interview',
        'data-conversation': session.conversationId,
        'data-version': String(session.version),
      },
      outline(session, current, presented.locale),
      el(
        'div',
        { class: 'conversation' },
        problemNotice(state, session),
        signIn,
        // The question first, so it and its answers fill the first screen; what was said so far below.
        body,
        el('p', { class: 'error', role: 'alert', id: 'answer-error' }),
        transcript(session),
      ),
    ),
  );
  // Issue 20: the progress stays in the header, in view however long the question is.
  showProgress(view.prompt?.progress ?? null);
  // A new question starts at the top of the page (below the header), not where the last one was scrolled to.
  const shownAt = `${session.conversationId}#${session.version}`;
  if (shownAt !== lastShown) window.scrollTo(0, 0);
  lastShown = shownAt;
}

/** The interview shown last (conversation and version): a new question scrolls back to the top. */
let lastShown = '';

/** The progress of the question on screen, in the header; hidden on every other screen. */
function showProgress(progress: { n: number; of: number } | null): void {
  const box = $('progress');
  box.hidden = progress === null;
  if (!progress) return;
  $('progress-text').textContent = say().t('progress', progress);
  const bar = $('progress-bar') as HTMLProgressElement;
  bar.max = progress.of;
  bar.value = progress.n - 1;
}

function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString(uiLocale() === 'es' ? 'es-US' : 'en-US', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

function showSent(state: Unlocked, reply: ServerConversation): void {
  const words = say();
  const tasks = reply.tasks.map((task) =>
    el('li', {}, `${task.title}: `, el('strong', {}, words.t('due', { when: formatWhen(task.dueAt) }))),
  );
  show(
    el(
      'section',
      { class: 'panel', id: 'sent', 'data-conversation': reply.conversation.id },
      el('h2', { tabindex: '-1', id: 'question' }, words.t('finishedSent')),
      el('h3', {}, words.t('tasks')),
      tasks.length > 0 ? el('ul', { class: 'duties' }, ...tasks) : el('p', {}, words.t('noDuties')),
      el(
        'div',
        { class: 'row' },
        button(words.t('newInterview'), () => {
          state.sent = null;
          void route();
        }),
      ),
    ),
  );
}

// ---- Sync ----------------------------------------------------------------------------------------------

function scheduleSync(delay: number): void {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => void syncOnce(), delay);
}

function syncOnce(): Promise<void> {
  const state = unlocked;
  if (!state) return Promise.resolve();
  state.syncing ??= syncFor(state).finally(() => {
    state.syncing = undefined;
  });
  return state.syncing;
}

const finished = (session: InterviewSession | null) =>
  session !== null && openInterview(session)?.view.status === 'completed';

async function syncFor(state: Unlocked): Promise<void> {
  if (state.session?.problem) return;
  const token = await freshToken(state);
  if (unlocked !== state || !stillValid(token, new Date())) return;
  if (state.pending > 0) {
    // Stops between batches once the tablet is locked: the key and token leave with the unlock.
    const stillWanted = () => unlocked === state;
    let report = await sendQueue(state.vault, token, stillWanted);
    // A 401: the token is renewed once and the queue goes on from where it stopped (nothing was lost).
    if (report.kind === 'signed_out' && unlocked === state) {
      const again = await freshToken(state, true);
      if (again && again !== token && stillValid(again, new Date()))
        report = await sendQueue(state.vault, again, stillWanted);
    }
    if (unlocked !== state) return;
    await exclusive(() => settle(state, report));
    return;
  }
  // Everything was sent, but the tablet stopped before it forgot the finished interview (locked, reloaded):
  // the server's record says whether it has all of it.
  if (finished(state.session)) {
    const session = state.session!;
    const reply = await callAs<ServerConversation>(
      state,
      'GET',
      `/conversations/${encodeURIComponent(session.conversationId)}`,
    );
    if (unlocked !== state || reply.kind !== 'ok') return;
    if (
      reply.body.conversation.status === 'completed' &&
      reply.body.conversation.version === session.version
    ) {
      await exclusive(() => forgetSent(state, reply.body));
    }
  }
}

/** Confirmed whole by the county's records: the tablet keeps nothing of the interview. */
async function forgetSent(state: Unlocked, reply: ServerConversation): Promise<void> {
  await state.vault.forgetSession();
  state.session = null;
  state.sent = reply;
  if (unlocked === state) await route();
}

async function settle(state: Unlocked, report: SyncReport): Promise<void> {
  lastSyncOffline = report.kind === 'offline';
  state.pending = (await state.vault.pending()).length;
  switch (report.kind) {
    case 'sent': {
      const session = state.session;
      if (
        session &&
        report.reply.conversation.id === session.conversationId &&
        state.pending === 0 &&
        report.reply.conversation.status === 'completed'
      ) {
        await forgetSent(state, report.reply);
        return;
      }
      break;
    }
    case 'signed_out':
      state.token = null;
      await state.vault.forgetToken();
      await route();
      return;
    case 'refused':
      if (state.session) {
        state.session = {
          ...state.session,
          problem: {
            code: report.code,
            message: report.message,
            ...(report.index === undefined ? {} : { index: report.index }),
            ...(report.atStart ? { atStart: true } : {}),
            ...(report.others ? { others: report.others } : {}),
          },
        };
        await state.vault.saveSession(state.session);
      }
      await route();
      return;
    case 'offline':
    case 'later':
      scheduleSync(RETRY_MS);
      break;
    case 'idle':
      break;
  }
  // An answer given while this sync was on its way may have missed it: it goes in the next one.
  if ((report.kind === 'sent' || report.kind === 'idle') && state.pending > 0) scheduleSync(0);
  updateStatus();
}

window.addEventListener('online', () => {
  updateStatus();
  scheduleSync(0);
});
window.addEventListener('offline', updateStatus);

// ---- Routing -------------------------------------------------------------------------------------------

async function route(): Promise<void> {
  const device = await readDevice(storage);
  if (!unlocked) {
    if (!device) return incoming ? showChoosePin(incoming) : showSignIn();
    if (incoming && claimsOf(incoming.idToken).sub !== device.owner) {
      incoming = null;
      return showUnlock(say().t('otherOwner'));
    }
    return showUnlock();
  }
  if (unlocked.session) return showInterview(unlocked, unlocked.session);
  if (unlocked.sent) return showSent(unlocked, unlocked.sent);
  return showHome(unlocked);
}

void (async () => {
  if (callback) incoming = await completeSignIn(callback);
  await route();
})();

if ('serviceWorker' in navigator) {
  // The worker caches the app itself and nothing else; answers never pass through it.
  void navigator.serviceWorker.register('sw.js', { scope: './' });
}
