// The chat page: sign-in, the three views (Screening, My tasks, and the Board for supervisors) and the
// polling that keeps tasks and notifications fresh while the page is in view.
import { initConnectionBar, onSignedOut } from './api.js';
import { claimsOf, completeSignIn, currentToken, forgetToken, rolesOf, signInHref, signOut } from './auth.js';
import { initBoard, refreshBoard, rerenderBoard } from './board.js';
import { $ } from './dom.js';
import { inboxShown, initInbox, refreshInbox, rerenderInbox, unseenCount } from './inbox.js';
import { initScreening, openConversation, showHome, showScreening } from './screening.js';
import { applyWords, setLocale, t, ui } from './words.js';

/** How often tasks and notifications are read again while the page is visible. */
const POLL_MS = 20_000;
const VIEWS = { screening: 'screeningHeading', tasks: 'tasksHeading', board: 'boardHeading' };

const session = { signedIn: false, supervisor: false, view: null, poller: null };

function viewFromHash() {
  const [name, id] = location.hash.replace(/^#/, '').split('/');
  if (name === 'tasks') return { name: 'tasks' };
  if (name === 'board' && session.supervisor) return { name: 'board' };
  return { name: 'screening', conversationId: id ? decodeURIComponent(id) : null };
}

function showView(name) {
  for (const view of Object.keys(VIEWS)) $(`#view-${view}`).hidden = view !== name;
  for (const link of document.querySelectorAll('#views a')) {
    if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${t(VIEWS[name])} · ${t('appName')}`;
  const switched = session.view !== null && session.view !== name;
  session.view = name;
  // After a switch, focus goes to the new view's heading so a screen reader says where the user is.
  if (switched) $(`#view-${name} h1`).focus();
}

async function route() {
  if (!session.signedIn) return;
  const view = viewFromHash();
  showView(view.name);
  if (view.name === 'tasks') {
    inboxShown();
    return refreshInbox();
  }
  if (view.name === 'board') return refreshBoard();
  if (view.conversationId) {
    // The id stays in this tab's storage; the address goes back to the plain view.
    history.replaceState(null, '', '#screening');
    return openConversation(view.conversationId);
  }
  return showScreening();
}

function updateBadge() {
  const count = unseenCount();
  const badge = $('#tasks-badge');
  badge.hidden = count === 0;
  badge.textContent = count === 0 ? '' : t('newCount', { count });
}

async function poll() {
  if (!session.signedIn || document.visibilityState !== 'visible') return;
  await refreshInbox({ background: true });
  if (session.view === 'board') await refreshBoard({ background: true });
}

function startPolling() {
  clearInterval(session.poller);
  session.poller = setInterval(poll, POLL_MS);
}

async function showSignIn({ expired = false } = {}) {
  session.signedIn = false;
  clearInterval(session.poller);
  forgetToken();
  for (const view of Object.keys(VIEWS)) $(`#view-${view}`).hidden = true;
  $('#views').hidden = true;
  $('#who').hidden = true;
  $('#sign-in').hidden = false;
  $('#sign-in-again').hidden = !expired;
  document.title = t('appName');
  // The link is offered only once it carries this attempt's state: an older one would be refused.
  const link = $('#sign-in-link');
  link.hidden = true;
  $('#sign-in-unavailable').hidden = true;
  // After an expired session the user comes back to the view they were in (and the same question).
  const href = await signInHref(expired ? location.hash || '#screening' : '');
  if (session.signedIn) return;
  if (href) {
    link.href = href;
    link.hidden = false;
  } else {
    $('#sign-in-unavailable').hidden = false;
  }
  if (expired) $('#sign-in-heading').focus?.();
}

function showSignedIn(token) {
  const claims = claimsOf(token);
  session.signedIn = true;
  session.supervisor = rolesOf(claims).includes('supervisor');
  $('#who-name').textContent = `${claims.name ?? claims.sub} · ${claims['custom:org'] ?? ''}`;
  $('#who').hidden = false;
  $('#sign-in').hidden = true;
  $('#views').hidden = false;
  $('#nav-board').hidden = !session.supervisor;
  initScreening(claims.sub);
  startPolling();
  route().then(() => (session.view === 'tasks' ? undefined : refreshInbox({ background: true })));
}

function switchLocale() {
  setLocale(ui.locale === 'en' ? 'es' : 'en');
  showWords();
  rerenderInbox();
  if (session.view === 'board') rerenderBoard();
  if (session.view === 'screening' && !$('#start').hidden) showHome();
  if (session.view) document.title = `${t(VIEWS[session.view])} · ${t('appName')}`;
  updateBadge();
}

function showWords() {
  document.documentElement.lang = ui.locale;
  applyWords();
  const other = ui.locale === 'en' ? 'es' : 'en';
  $('#switch-locale').textContent = t('switchTo');
  $('#switch-locale').lang = other;
}

showWords();
initConnectionBar();
initInbox(updateBadge);
initBoard();
onSignedOut(() => showSignIn({ expired: true }));
$('#switch-locale').addEventListener('click', switchLocale);
$('#sign-out').addEventListener('click', async () => {
  await signOut();
  showSignIn();
});
window.addEventListener('hashchange', route);
// Coming back to the tab refreshes at once instead of waiting for the next poll.
document.addEventListener('visibilitychange', poll);

await completeSignIn();
const token = currentToken();
if (token) showSignedIn(token);
else showSignIn();
