// A minimal chat page over the HTTP API: one prompt at a time, every answer sent with a client-made
// event id so a retry after a dropped connection can never record an answer twice.

const words = {
  en: {
    question: 'Question {n} of {of}',
    send: 'Send',
    note: 'Note (optional)',
    you: 'You',
    done: 'Screening complete',
    tasks: 'Reporting tasks opened',
    none: 'No reporting task is owed.',
    due: 'due',
    overdue: 'OVERDUE',
    retry: 'Connection problem; retrying…',
    proposal: 'Proposed level',
    determination: 'Your determination',
  },
  es: {
    question: 'Pregunta {n} de {of}',
    send: 'Enviar',
    note: 'Nota (opcional)',
    you: 'Usted',
    done: 'Evaluación completa',
    tasks: 'Tareas de informe abiertas',
    none: 'No se debe ningún informe.',
    due: 'vence',
    overdue: 'VENCIDA',
    retry: 'Problema de conexión; reintentando…',
    proposal: 'Nivel propuesto',
    determination: 'Su determinación',
  },
};

const state = { id: null, version: 0, locale: 'en', prompt: null };
const $ = (selector) => document.querySelector(selector);
const t = (key, values = {}) =>
  words[state.locale][key].replace(/\{(\w+)\}/g, (_, name) => values[name] ?? '');

function say(role, text) {
  const item = document.createElement('li');
  item.className = role;
  item.textContent = text;
  $('#log').append(item);
  item.scrollIntoView({ block: 'nearest' });
}

function button(label, onClick, secondary = false) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = label;
  if (secondary) element.className = 'secondary';
  element.addEventListener('click', onClick);
  return element;
}

// Sign-in: the identity provider sends the ID token back in the URL fragment (never to a server); it is
// kept for this tab only (sessionStorage) and sent as a bearer token. Every API call is checked server-side.
const TOKEN = 'screening.id_token';
const SIGN_IN_STATE = 'screening.sign_in_state';

function takeTokenFromFragment() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get('id_token');
  if (!token) return;
  const expected = sessionStorage.getItem(SIGN_IN_STATE);
  sessionStorage.removeItem(SIGN_IN_STATE);
  history.replaceState(null, '', location.pathname + location.search);
  if (expected && fragment.get('state') === expected) sessionStorage.setItem(TOKEN, token);
}

function claimsOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload));
  } catch {
    return {};
  }
}

async function showSignIn() {
  sessionStorage.removeItem(TOKEN);
  const config = await fetch('/auth/config').then((response) => (response.ok ? response.json() : null));
  const link = $('#sign-in-link');
  if (config?.signInUrl) {
    const stateValue = crypto.randomUUID();
    sessionStorage.setItem(SIGN_IN_STATE, stateValue);
    const url = new URL(config.signInUrl);
    url.searchParams.set('redirect_uri', `${location.origin}${location.pathname}`);
    url.searchParams.set('state', stateValue);
    link.href = url.href;
  }
  $('#sign-in').hidden = false;
  $('#start').hidden = true;
  $('#chat').hidden = true;
  $('#who').hidden = true;
}

function showSignedIn(token) {
  const claims = claimsOf(token);
  $('#who-name').textContent = `${claims.name ?? claims.sub} · ${claims['custom:org'] ?? ''}`;
  $('#who').hidden = false;
  $('#sign-in').hidden = true;
  $('#start').hidden = false;
}

$('#sign-out').addEventListener('click', () => {
  showSignIn();
});

async function request(method, path, body, attempt = 0) {
  try {
    const token = sessionStorage.getItem(TOKEN);
    const response = await fetch(path, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await response.json();
    if (response.status === 401) {
      await showSignIn();
      return { status: response.status, body: json };
    }
    if (response.status >= 500 && attempt < 4) throw new Error('server');
    $('#status').textContent = '';
    return { status: response.status, body: json };
  } catch {
    if (attempt >= 4) throw new Error('unreachable');
    $('#status').textContent = t('retry');
    await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    return request(method, path, body, attempt + 1);
  }
}

async function send(event, echo) {
  // The same event id is reused on every retry of this one action.
  const body = { eventId: crypto.randomUUID(), expectedVersion: state.version, event };
  const result = await request('POST', `/conversations/${state.id}/turns`, body);
  if (result.status === 200) {
    if (echo) say('you', echo);
    return render(result.body);
  }
  const error = result.body.error;
  if (error.code === 'version_conflict' && error.details) {
    state.version = error.details.conversation.version;
    return render({ ...error.details, outcome: null, tasks: [], warnings: [] });
  }
  $('#status').textContent = error.message;
}

function renderOutcome(reply) {
  const { outcome, tasks, warnings } = reply;
  const box = $('#prompt');
  const heading = document.createElement('h2');
  heading.textContent = t('done');
  const summary = document.createElement('p');
  box.append(heading);
  // Only screenings carry a proposal and a determination; every flow carries notices and tasks.
  if (outcome.proposal && outcome.determinationLabel) {
    summary.textContent = `${t('proposal')}: ${outcome.proposal.label} · ${t('determination')}: ${outcome.determinationLabel}`;
    box.append(summary);
  }
  for (const notice of [...outcome.notices, ...warnings.map((warning) => warning.message)]) {
    const p = document.createElement('p');
    p.className = 'warning';
    p.textContent = notice;
    box.append(p);
  }
  const list = document.createElement('div');
  list.setAttribute('aria-label', t('tasks'));
  if (tasks.length === 0) list.textContent = t('none');
  for (const task of tasks) {
    const item = document.createElement('div');
    item.className = task.overdue ? 'task overdue' : 'task';
    item.textContent = `${task.requirementId} · ${task.title} · ${task.citation} · ${t('due')} ${new Date(task.dueAt).toLocaleString(state.locale)}${task.overdue ? ` · ${t('overdue')}` : ''}`;
    list.append(item);
  }
  box.append(list);
}

function renderPrompt(prompt) {
  const box = $('#prompt');
  const progress = document.createElement('p');
  progress.className = 'progress';
  progress.textContent = `${prompt.section} · ${t('question', prompt.progress)}`;
  const question = document.createElement('p');
  question.id = 'question';
  question.textContent = prompt.text;
  box.append(progress, question);
  if (prompt.help) {
    const help = document.createElement('p');
    help.className = 'help';
    help.textContent = prompt.help;
    box.append(help);
  }
  let note;
  if (prompt.allowsNote) {
    note = document.createElement('input');
    note.placeholder = t('note');
    note.setAttribute('aria-label', t('note'));
    note.maxLength = 1000;
  }
  const noteValue = () => (note?.value.trim() ? { note: note.value.trim() } : {});
  if (prompt.kind === 'multichoice') {
    const form = document.createElement('form');
    const group = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = prompt.text;
    legend.className = 'visually-hidden';
    group.append(legend);
    for (const choice of prompt.choices) {
      const label = document.createElement('label');
      const tick = document.createElement('input');
      tick.type = 'checkbox';
      tick.value = choice.id;
      label.append(tick, ` ${choice.label}`);
      group.append(label);
    }
    form.append(
      group,
      button(t('send'), () => form.requestSubmit()),
    );
    form.addEventListener('submit', (submitted) => {
      submitted.preventDefault();
      const chosen = [...group.querySelectorAll('input:checked')];
      if (chosen.length === 0) return;
      send(
        {
          type: 'answer.given',
          promptId: prompt.id,
          value: chosen.map((input) => input.value),
          ...noteValue(),
        },
        chosen.map((input) => input.parentElement.textContent.trim()).join(', '),
      );
    });
    box.append(form);
  } else if (prompt.kind === 'choice') {
    const choices = document.createElement('div');
    choices.className = 'choices';
    for (const choice of prompt.choices) {
      choices.append(
        button(choice.label, () =>
          send({ type: 'answer.given', promptId: prompt.id, value: choice.id, ...noteValue() }, choice.label),
        ),
      );
    }
    box.append(choices);
  } else {
    const form = document.createElement('form');
    const input = document.createElement('input');
    input.required = true;
    input.setAttribute('aria-labelledby', 'question');
    if (prompt.kind === 'datetime') input.type = 'datetime-local';
    else input.maxLength = 1000;
    form.append(
      input,
      button(t('send'), () => form.requestSubmit()),
    );
    form.addEventListener('submit', (submitted) => {
      submitted.preventDefault();
      const value = prompt.kind === 'datetime' ? new Date(input.value).toISOString() : input.value;
      send({ type: 'answer.given', promptId: prompt.id, value }, input.value);
    });
    box.append(form);
  }
  if (note) box.append(note);
  const nav = document.createElement('div');
  nav.className = 'nav';
  if (prompt.allowsUnknown)
    nav.append(
      button(
        prompt.actions.unknown,
        () => send({ type: 'answer.unknown', promptId: prompt.id }, prompt.actions.unknown),
        true,
      ),
    );
  if (prompt.skippable)
    nav.append(
      button(
        prompt.actions.skip,
        () => send({ type: 'answer.skipped', promptId: prompt.id }, prompt.actions.skip),
        true,
      ),
    );
  if (prompt.canGoBack)
    nav.append(button(prompt.actions.back, () => send({ type: 'nav.back' }, prompt.actions.back), true));
  nav.append(button(prompt.actions.pause, () => send({ type: 'nav.pause' }, prompt.actions.pause), true));
  box.append(nav);
  box.querySelector('button, input')?.focus();
}

function render(reply) {
  state.version = reply.conversation.version;
  state.prompt = reply.prompt;
  const box = $('#prompt');
  box.replaceChildren();
  // Which version is on screen, so assistive tooling and tests can tell a fresh prompt from the last one.
  box.dataset.version = String(reply.conversation.version);
  if (reply.prompt) {
    say('assistant', reply.prompt.text);
    renderPrompt(reply.prompt);
  } else if (reply.paused) {
    say('assistant', reply.paused.text);
    box.append(button(reply.paused.resume, () => send({ type: 'nav.resume' }, reply.paused.resume)));
  } else if (reply.outcome) {
    renderOutcome(reply);
  }
}

$('#start').addEventListener('submit', async (submitted) => {
  submitted.preventDefault();
  state.locale = $('#locale').value;
  document.documentElement.lang = state.locale;
  const result = await request('POST', '/conversations', {
    flow: $('#flow').value,
    locale: state.locale,
    subjectRef: $('#subject').value.trim(),
  });
  if (result.status !== 201) {
    $('#status').textContent = result.body.error.message;
    return;
  }
  state.id = result.body.conversation.id;
  $('#start').hidden = true;
  $('#chat').hidden = false;
  render(result.body);
});

takeTokenFromFragment();
const signedIn = sessionStorage.getItem(TOKEN);
if (signedIn) showSignedIn(signedIn);
else showSignIn();
