import { describe, expect, it } from 'vitest';
import { createScreeningFlow } from '#flows/cse-screening/flow.ts';
import { start, step, view } from '#flows/engine.ts';
import type { ConversationEvent } from '#flows/events.ts';
import type { Prompt } from '#flows/prompt.ts';

const flow = createScreeningFlow();
const at = '2026-11-28T17:05:00.000Z';

function textsOf(prompt: Prompt): string[] {
  return [
    prompt.text,
    prompt.help ?? '',
    prompt.section,
    ...(prompt.choices ?? []).map((c) => c.label),
    ...Object.values(prompt.actions),
  ];
}

/** Visits every step: all indicators present, then an override (so the reason step is asked). */
function everyPromptIn() {
  let current = start(flow, { locale: 'en', startedAt: '2026-11-28T17:00:00.000Z' });
  const prompts: Array<{ en: Prompt; es: Prompt }> = [];
  for (let guard = 0; guard < 20 && current.snapshot.status !== 'done'; guard += 1) {
    const en = view(flow, current.snapshot, 'en').prompt!;
    const es = view(flow, current.snapshot, 'es').prompt!;
    prompts.push({ en, es });
    const value =
      en.kind === 'multichoice'
        ? [en.choices![0]!.id]
        : en.kind === 'choice'
          ? en.id === 'determination'
            ? 'at_risk'
            : en.choices![0]!.id
          : en.kind === 'text'
            ? 'reason'
            : at;
    const event: ConversationEvent = { type: 'answer.given', promptId: en.id, value, at };
    const result = step(flow, current.snapshot, event);
    if (!result.ok) throw new Error(result.rejection.code);
    current = result;
  }
  return { prompts, final: current.snapshot };
}

describe('R-PURPOSE: every word is in English and Spanish', () => {
  const { prompts, final } = everyPromptIn();

  it('visits every step of the screening', () => {
    expect(prompts.map((p) => p.en.id)).toEqual([
      'exchange',
      'trauma_signs',
      'withdrawn_or_censored',
      'no_freedom_of_movement',
      'lives_where_works',
      'owes_debt',
      'contact_controlled',
      'no_control_of_documents',
      'determination',
      'override_reason',
      'cws',
      'open_602',
      'services',
      'received_at',
    ]);
  });

  it('every prompt has Spanish text of its own for every visible string, with the same ids and kinds', () => {
    for (const { en, es } of prompts) {
      expect({ id: es.id, kind: es.kind, choices: es.choices?.map((c) => c.id) }).toEqual({
        id: en.id,
        kind: en.kind,
        choices: en.choices?.map((c) => c.id),
      });
      const english = textsOf(en);
      const spanish = textsOf(es);
      spanish.forEach((text, index) => {
        expect(text.trim(), `${en.id} #${index}`).not.toBe('');
        if (english[index] !== 'No' && english[index] !== '')
          expect(text, `${en.id} #${index}`).not.toBe(english[index]);
      });
    }
  });

  it('never leaves a {placeholder} unfilled', () => {
    for (const { en, es } of prompts)
      expect([...textsOf(en), ...textsOf(es)].join(' ')).not.toMatch(/\{\w+\}/);
    const outcome = view(flow, final, 'es').outcome!;
    expect(JSON.stringify(outcome)).not.toMatch(/\{\w+\}/);
    expect(outcome.duties.map((duty) => duty.title)).toEqual([
      expect.stringMatching(/Planificación interinstitucional/),
      expect.stringMatching(/Informar al equipo del caso/),
      expect.stringMatching(/^Remisión: /),
    ]);
  });
});
