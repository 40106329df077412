import { describe, expect, it } from 'vitest';
import { createScreeningFlow } from '#flows/cse-screening/flow.ts';
import { type FlowDefinition, start, step, view } from '#flows/engine.ts';
import type { ConversationEvent } from '#flows/events.ts';
import { createPartnerScreeningFlow } from '#flows/partner-screening/flow.ts';
import type { Prompt } from '#flows/prompt.ts';

const flow = createScreeningFlow();
const partner = createPartnerScreeningFlow();
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
function everyPromptIn(target: FlowDefinition) {
  let current = start(target, { locale: 'en', startedAt: '2026-11-28T17:00:00.000Z' });
  const prompts: Array<{ en: Prompt; es: Prompt }> = [];
  for (let guard = 0; guard < 20 && current.snapshot.status !== 'done'; guard += 1) {
    const en = view(target, current.snapshot, 'en').prompt!;
    const es = view(target, current.snapshot, 'es').prompt!;
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
    const result = step(target, current.snapshot, event);
    if (!result.ok) throw new Error(result.rejection.code);
    current = result;
  }
  return { prompts, final: current.snapshot };
}

const INDICATOR_STEPS = [
  'exchange',
  'trauma_signs',
  'withdrawn_or_censored',
  'no_freedom_of_movement',
  'lives_where_works',
  'owes_debt',
  'contact_controlled',
  'no_control_of_documents',
];

function checkSpanish(prompts: ReadonlyArray<{ en: Prompt; es: Prompt }>) {
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
}

describe('R-PURPOSE: every word is in English and Spanish', () => {
  const { prompts, final } = everyPromptIn(flow);

  it('visits every step of the screening', () => {
    expect(prompts.map((p) => p.en.id)).toEqual([
      ...INDICATOR_STEPS,
      'determination',
      'override_reason',
      'cws',
      'open_602',
      'services',
      'received_at',
    ]);
  });

  it('every prompt has Spanish text of its own for every visible string, with the same ids and kinds', () => {
    checkSpanish(prompts);
  });

  it('never leaves a {placeholder} unfilled', () => {
    for (const { en, es } of prompts)
      expect([...textsOf(en), ...textsOf(es)].join(' ')).not.toMatch(/\{\w+\}/);
    const outcome = view(flow, final, 'es').outcome!;
    expect(JSON.stringify(outcome)).not.toMatch(/\{\w+\}/);
    // The exchange was recorded and the determination overridden to at risk (R-OVERRIDE-1).
    expect(outcome.duties.map((duty) => duty.title)).toEqual([
      expect.stringMatching(/^Informar a la agencia policial/),
      expect.stringMatching(/Planificación interinstitucional .*\(política del condado\)/),
      expect.stringMatching(/Informar al equipo del caso/),
      expect.stringMatching(/^Refrendar una determinación/),
      expect.stringMatching(/^Remisión: /),
    ]);
  });
});

describe('R-PURPOSE, R-HANDOFF-1: the partner screening is in English and Spanish too', () => {
  const { prompts, final } = everyPromptIn(partner);

  it('R-HANDOFF-1: visits every step of the partner screening, never CWS or § 602 status', () => {
    expect(prompts.map((p) => p.en.id)).toEqual([
      ...INDICATOR_STEPS,
      'determination',
      'override_reason',
      'services',
      'received_at',
    ]);
    expect(prompts.at(-1)!.en.progress).toEqual({
      n: INDICATOR_STEPS.length + 3,
      of: INDICATOR_STEPS.length + 3,
    });
  });

  it('every prompt has Spanish text of its own, with the same ids and kinds', () => {
    checkSpanish(prompts);
    const services = prompts.find((p) => p.en.id === 'services')!;
    expect(services.en.help).toMatch(/goes to the county/);
    expect(services.es.help).toMatch(/se entrega al condado/);
  });

  it('R-MANDATED-1: the outcome is in Spanish, with no {placeholder}', () => {
    const en = view(partner, final, 'en').outcome!;
    const es = view(partner, final, 'es').outcome!;
    expect(JSON.stringify([en, es])).not.toMatch(/\{\w+\}/);
    expect(es.duties.map((duty) => duty.title)).toEqual([
      expect.stringMatching(/^Informar ahora por teléfono/),
      expect.stringMatching(/^Enviar el informe escrito \(formulario SS 8572\)/),
    ]);
    expect(es.notices).toHaveLength(en.notices.length);
    es.notices.forEach((notice, index) => {
      expect(notice).not.toBe(en.notices[index]);
    });
    expect(es.handoff.indicatorsPresent[0]!.label).not.toBe(en.handoff.indicatorsPresent[0]!.label);
  });
});
