import type { ClientEvent } from '#flows/events.ts';
import type { PausedPrompt, Prompt } from '#flows/prompt.ts';
import { button, el, field } from './dom.ts';
import type { Say } from './words.ts';

/** `2026-11-28T09:30` from a datetime-local field, as an instant with the tablet's own offset. */
export function withLocalOffset(local: string): string | undefined {
  const date = new Date(local);
  if (Number.isNaN(date.getTime())) return undefined;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${local.slice(0, 16)}:00${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/**
 * Issue 20: the labels of a prompt's ways out, one term per idea. The youth's questions say "Skip" and
 * "Not sure" (the words their help and the interviewer's reasons use); the interviewer's say "Skip" and the
 * flow's "Unknown".
 */
export function actionLabels(prompt: Prompt, say: Say, youth: boolean): Prompt['actions'] {
  return {
    ...prompt.actions,
    skip: say.t(youth ? 'youthSkip' : 'skip'),
    unknown: youth ? say.t('youthNotSure') : prompt.actions.unknown,
  };
}

/** A sentence telling the youth they may skip or be unsure: the buttons say it on every question. */
const DECLINE_REMINDER = /^(You can skip|Puedes saltar)/;

/**
 * Issue 20: the help the youth reads, without the reminder that any question may be skipped or answered
 * "not sure" except on the first question: said once at the start, not again and again.
 */
export function helpShown(prompt: Prompt, youth: boolean): string | undefined {
  if (!prompt.help || !youth || prompt.progress.n === 1) return prompt.help;
  const kept = prompt.help
    .split(/(?<=[.!?])\s+/)
    .filter((sentence) => !DECLINE_REMINDER.test(sentence))
    .join(' ');
  return kept === '' ? undefined : kept;
}

/** The flow's own "I'd rather not say" choice is this question's way to decline: no second "Skip" beside it. */
const offersRatherNotSay = (prompt: Prompt) =>
  (prompt.choices ?? []).some((choice) => choice.id === 'rather_not_say');

/**
 * One question as a card of large touch targets. Every question offers its way out ("unknown", "prefer
 * not to say", back, pause) wherever the flow allows it; the card only says what was chosen.
 */
export function promptCard(
  prompt: Prompt,
  say: Say,
  onEvent: (event: ClientEvent) => void,
  youth = false,
): HTMLElement {
  const promptId = prompt.id;
  const actions = actionLabels(prompt, say, youth);
  const help = helpShown(prompt, youth);
  const note = prompt.allowsNote ? el('textarea', { rows: '2', maxlength: '1000' }) : null;
  const withNote = (event: Extract<ClientEvent, { type: 'answer.given' }>): ClientEvent =>
    note && note.value.trim() !== '' ? { ...event, note: note.value.trim() } : event;
  const heading = el('h2', { id: 'question', tabindex: '-1' }, prompt.text);
  const card = el(
    'section',
    { class: 'prompt', 'aria-labelledby': 'question', 'data-prompt': promptId },
    el('p', { class: 'section' }, prompt.section),
    heading,
    help ? el('p', { class: 'help' }, help) : null,
  );

  switch (prompt.kind) {
    case 'choice': {
      const group = el('div', { role: 'group', 'aria-labelledby': 'question' });
      for (const choice of prompt.choices ?? []) {
        group.append(
          button(
            choice.label,
            () => onEvent(withNote({ type: 'answer.given', promptId, value: choice.id })),
            {
              class: 'choice',
            },
          ),
        );
      }
      card.append(group);
      break;
    }
    case 'multichoice': {
      const chosen = new Set<string>();
      const group = el('div', { role: 'group', 'aria-labelledby': 'question' });
      const done = button(
        say.t('done'),
        () => onEvent(withNote({ type: 'answer.given', promptId, value: [...chosen] })),
        { disabled: true },
      );
      for (const choice of prompt.choices ?? []) {
        const toggle = button(
          choice.label,
          () => {
            if (chosen.has(choice.id)) chosen.delete(choice.id);
            else chosen.add(choice.id);
            toggle.setAttribute('aria-pressed', String(chosen.has(choice.id)));
            done.disabled = chosen.size === 0;
          },
          { class: 'choice', 'aria-pressed': 'false' },
        );
        group.append(toggle);
      }
      card.append(group, done);
      break;
    }
    case 'text': {
      const input = el('textarea', { rows: '3', maxlength: '1000', 'aria-labelledby': 'question' });
      input.id = 'answer';
      const save = button(say.t('send'), () => {
        const value = input.value.trim();
        if (value !== '') onEvent({ type: 'answer.given', promptId, value });
      });
      card.append(input, el('div', { class: 'row' }, save));
      break;
    }
    case 'datetime': {
      const input = el('input', { type: 'datetime-local' });
      const save = button(say.t('send'), () => {
        const value = withLocalOffset(input.value);
        if (value) onEvent(withNote({ type: 'answer.given', promptId, value }));
      });
      card.append(field('answer', say.t('when'), input), el('div', { class: 'row' }, save));
      break;
    }
  }
  if (note) card.append(field('note', say.t('note'), note));

  const nav = el('div', { class: 'nav' });
  if (prompt.allowsUnknown)
    nav.append(
      button(actions.unknown, () => onEvent({ type: 'answer.unknown', promptId }), {
        class: 'secondary',
      }),
    );
  if (prompt.skippable && !(youth && offersRatherNotSay(prompt)))
    nav.append(
      button(actions.skip, () => onEvent({ type: 'answer.skipped', promptId }), {
        class: 'secondary',
      }),
    );
  if (prompt.canGoBack)
    nav.append(button(prompt.actions.back, () => onEvent({ type: 'nav.back' }), { class: 'secondary' }));
  nav.append(button(prompt.actions.pause, () => onEvent({ type: 'nav.pause' }), { class: 'secondary' }));
  card.append(nav);
  return card;
}

export function pausedCard(paused: PausedPrompt, onEvent: (event: ClientEvent) => void): HTMLElement {
  return el(
    'section',
    { class: 'prompt', 'aria-labelledby': 'question', 'data-prompt': 'paused' },
    el('h2', { id: 'question', tabindex: '-1' }, paused.text),
    el(
      'div',
      { class: 'row' },
      button(paused.resume, () => onEvent({ type: 'nav.resume' })),
    ),
  );
}
