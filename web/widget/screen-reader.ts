import type { AttachmentForScreenReaderMiddleware } from 'botframework-webchat-api';
import { createElement } from 'react';
import type { Locale } from '#flows/i18n.ts';
import { say } from './words.ts';

/**
 * What a screen reader hears when a card arrives. Web Chat's own text for Adaptive Cards reads inputs by
 * their pre-1.3 `title` (these cards use `label`, as Teams wants), so it announces unnamed fields; this
 * reads the card the way it looks: the question, its help, the fields, then every answer offered.
 */

interface CardNode {
  type?: string;
  text?: string;
  label?: string;
  title?: string;
  choices?: { title?: string }[];
  body?: CardNode[];
  actions?: CardNode[];
}

export function cardSpeech(content: unknown, locale: Locale): string[] {
  const card = (content ?? {}) as CardNode;
  const lines: string[] = [];
  const fields: string[] = [];
  for (const node of card.body ?? []) {
    if (node.type === 'TextBlock' && node.text) lines.push(node.text);
    else if (node.type?.startsWith('Input.') && node.label) {
      const choices = (node.choices ?? []).map((choice) => choice.title).filter(Boolean);
      fields.push(choices.length > 0 ? `${node.label} (${choices.join(', ')})` : node.label);
    }
  }
  if (fields.length > 0) lines.push(say(locale, 'srFields', { list: fields.join('; ') }));
  const answers = (card.actions ?? []).map((action) => action.title).filter(Boolean);
  if (answers.length > 0) lines.push(say(locale, 'srAnswers', { list: answers.join('; ') }));
  return lines;
}

/** Web Chat's attachment-for-screen-reader middleware, for the Adaptive Cards the widget sends. */
export function cardForScreenReader(locale: Locale): AttachmentForScreenReaderMiddleware {
  return () =>
    (next) =>
    (...args) => {
      const { attachment } = args[0];
      if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') return next(...args);
      const lines = cardSpeech(attachment.content, locale);
      return () =>
        createElement(
          'article',
          null,
          lines.map((line, index) => createElement('p', { key: index }, line)),
        );
    };
}
