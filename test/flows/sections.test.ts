import { describe, expect, it } from 'vitest';
import { createFlowCatalog } from '#flows/catalog.ts';
import { type FlowDefinition, start, step, view } from '#flows/engine.ts';
import type { ConversationEvent } from '#flows/events.ts';
import type { Locale } from '#flows/i18n.ts';
import type { Prompt } from '#flows/prompt.ts';

/** Issue 8's side panel: a flow's outline must name every section its prompts show, in both languages. */

const AT = '2026-11-28T18:00:00.000Z';

function eventFor(prompt: Prompt): ConversationEvent {
  if (prompt.allowsUnknown) return { type: 'answer.unknown', promptId: prompt.id, at: AT };
  const first = prompt.choices?.[0]?.id ?? 'unused';
  const value =
    prompt.kind === 'multichoice'
      ? [first]
      : prompt.kind === 'choice'
        ? first
        : prompt.kind === 'datetime'
          ? '2026-11-28T09:30:00-08:00'
          : 'text';
  return { type: 'answer.given', promptId: prompt.id, value, at: AT };
}

function sectionsShown(flow: FlowDefinition, locale: Locale): string[] {
  let current = start(flow, { locale, startedAt: '2026-11-28T17:00:00.000Z' });
  const shown: string[] = [];
  for (let turn = 0; turn < 60; turn += 1) {
    const prompt = view(flow, current.snapshot, locale).prompt;
    if (!prompt) break;
    shown.push(prompt.section);
    const next = step(flow, current.snapshot, eventFor(prompt));
    if (!next.ok) throw new Error(`${flow.id}: ${next.rejection.code} at ${prompt.id}`);
    current = next;
  }
  return shown;
}

describe('flow outlines (issue 8)', () => {
  const catalog = createFlowCatalog();
  for (const flowId of catalog.flowIds()) {
    it.each(['en', 'es'] as const)(
      `${flowId}: every section a prompt shows is in the outline (%s)`,
      (locale) => {
        const flow = catalog.current(flowId)!.flow;
        const outline = flow.sections(locale);
        expect(new Set(outline).size).toBe(outline.length);
        expect(outline.length).toBe(flow.sections(locale === 'en' ? 'es' : 'en').length);
        for (const section of sectionsShown(flow, locale)) expect(outline).toContain(section);
      },
    );
  }
});
