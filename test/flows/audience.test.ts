import { describe, expect, it } from 'vitest';
import { createScreeningFlow } from '#flows/cse-screening/flow.ts';
import { type FlowDefinition, type FlowOutcome, start, view } from '#flows/engine.ts';
import type { Locale } from '#flows/i18n.ts';
import { missingFromCareDutyRules } from '#flows/missing-from-care/duty-rules.ts';
import { createMissingFromCareFlow } from '#flows/missing-from-care/flow.ts';
import { runawayReturnDutyRules } from '#flows/runaway-return/duty-rules.ts';
import { createRunawayReturnFlow } from '#flows/runaway-return/flow.ts';

/**
 * Issue 20: a youth declines with "Prefer not to say / skip"; a professional filling in a checklist about
 * them leaves an item blank with "Skip". Each prompt says who answers it, and its skip label follows.
 */

const startedAt = '2026-11-28T17:00:00.000Z';

function firstPrompt<T extends FlowOutcome>(flow: FlowDefinition<T>, locale: Locale) {
  const { snapshot } = start(flow, { locale, startedAt });
  return view(flow, snapshot, locale).prompt!;
}

describe('who answers a prompt (issue 20)', () => {
  it('the CSE screening and the missing-from-care report are a professional’s: "Skip" / "Omitir"', () => {
    for (const flow of [createScreeningFlow(), createMissingFromCareFlow(missingFromCareDutyRules)]) {
      expect(firstPrompt(flow as FlowDefinition<FlowOutcome>, 'en')).toMatchObject({
        audience: 'professional',
        actions: { skip: 'Skip' },
      });
      expect(firstPrompt(flow as FlowDefinition<FlowOutcome>, 'es').actions.skip).toBe('Omitir');
    }
  });

  it('the return interview opens with the youth’s own questions, in the youth’s words', () => {
    const flow = createRunawayReturnFlow(runawayReturnDutyRules) as FlowDefinition<FlowOutcome>;
    expect(firstPrompt(flow, 'en')).toMatchObject({
      audience: 'youth',
      actions: { skip: 'Prefer not to say / skip' },
    });
    expect(firstPrompt(flow, 'es').actions.skip).toBe('Prefiero no decir / omitir');
  });
});
