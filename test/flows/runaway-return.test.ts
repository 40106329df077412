import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import * as z from 'zod/mini';
import { createFlowCatalog } from '#flows/catalog.ts';
import { DutyRule } from '#flows/duty-rule.ts';
import { replay, start, step, view } from '#flows/engine.ts';
import type { ConversationEvent } from '#flows/events.ts';
import type { Locale } from '#flows/i18n.ts';
import type { Prompt } from '#flows/prompt.ts';
import { runawayReturnDutyRules } from '#flows/runaway-return/duty-rules.ts';
import { createRunawayReturnFlow, type RunawayReturnOutcome } from '#flows/runaway-return/flow.ts';
import { RunawayReturnOutcome as OutcomeSchema } from '#flows/runaway-return/outcome.ts';
import { MODEL_AT, validEvents } from '../support/flow-model.ts';
import { countyDeterminationDuties, dutyShape, type ExpectedDuty } from './oracle.ts';

const flow = createRunawayReturnFlow(runawayReturnDutyRules);
const startedAt = '2026-11-28T17:00:00.000Z';
const at = MODEL_AT;
const HOUR_MS = 3_600_000;

// ---------------------------------------------------------------------------------------------------------
// The oracle: what DOMAIN.md asks of a runaway-return interview, written from the duty table rather than
// from the flow's code, so the flow is checked against the law and not against itself.
// ---------------------------------------------------------------------------------------------------------

/** R-RUN-1: the CSE questions; the WIC § 300(b)(2) exchange question proposes clear concern, the rest possible. */
const SAFETY_RAISES = {
  safety_exchange: 'clear',
  safety_made_or_kept: 'possible',
  safety_owed: 'possible',
  safety_controlled: 'possible',
} as const;
const SAFETY_IDS = Object.keys(SAFETY_RAISES) as Array<keyof typeof SAFETY_RAISES>;

/** The county-policy deadline as shipped (the law sets none for R-RUN-2). */
const POLICY_HOURS = { 'R-RUN-2': 72 } as const;

type Level = 'none' | 'possible' | 'clear';

function levelFrom(saidYes: (id: string) => boolean): Level {
  const yes = SAFETY_IDS.filter(saidYes);
  if (yes.some((id) => SAFETY_RAISES[id] === 'clear')) return 'clear';
  return yes.length > 0 ? 'possible' : 'none';
}

function expectedOutcome(events: readonly ConversationEvent[]) {
  const last = new Map<string, ConversationEvent>();
  for (const event of events) if ('promptId' in event) last.set(event.promptId, event);
  const given = (id: string) => {
    const event = last.get(id);
    return event?.type === 'answer.given' ? event.value : undefined;
  };
  const level = levelFrom((id) => given(id) === 'yes');
  const determination = String(given('determination'));
  const proposed = { none: 'neither', possible: 'at_risk', clear: 'identified' }[level];
  const cws = (given('cws') as 'yes' | 'no' | undefined) ?? 'unknown';
  const open602 = (given('open_602') as 'yes' | 'no' | undefined) ?? 'unknown';
  const receivedGiven = given('received_at') as string | undefined;
  const receivedMs = Date.parse(receivedGiven ?? startedAt);
  const receivedAt = new Date(receivedMs).toISOString();
  const due = (hours: number) => new Date(receivedMs + hours * HOUR_MS).toISOString();
  const duties: ExpectedDuty[] = [
    // R-RUN-2: every return: respond to the factors in the next placement, for the placement worker. The
    // response is the statute's (WIC § 16501.35); the 72 hours are county policy.
    {
      requirementId: 'R-RUN-2',
      assigneeRole: 'placement_worker',
      dueAt: due(POLICY_HOURS['R-RUN-2']),
      obligation: 'statute',
      deadlineBasis: 'policy',
    },
    // R-REPORT-1, R-REPORT-3, R-PLAN-1, R-DEF-1, R-OVERRIDE-1 as in the screening; the youth's "yes" to the
    // exchange question is the exchange indicator.
    ...countyDeterminationDuties({
      determination,
      exchange: given('safety_exchange') === 'yes',
      cws,
      open602,
      receivedAt,
      cosign: true,
    }),
  ];
  // R-SVC-1: one referral per service the youth needs.
  const services = given('services');
  for (const _service of Array.isArray(services) ? services : []) {
    duties.push({
      requirementId: 'R-SVC-1',
      assigneeRole: 'caseworker',
      dueAt: due(24 * 14),
      obligation: 'policy',
      deadlineBasis: 'policy',
    });
  }
  return {
    level,
    determination,
    override: determination !== proposed,
    receivesChildWelfareServices: cws,
    informationReceivedAt: receivedAt,
    receivedAtAssumed: receivedGiven === undefined,
    duties,
  };
}

const byRequirement = (a: { requirementId: string }, b: { requirementId: string }) =>
  a.requirementId.localeCompare(b.requirementId);

// ---------------------------------------------------------------------------------------------------------
// Walking the interview one prompt at a time.
// ---------------------------------------------------------------------------------------------------------

type Reply =
  | { type: 'answer.given'; value: string | string[]; note?: string }
  | { type: 'answer.unknown' }
  | { type: 'answer.skipped' };

const given = (value: string | string[], note?: string): Reply =>
  note === undefined ? { type: 'answer.given', value } : { type: 'answer.given', value, note };
const notSure: Reply = { type: 'answer.unknown' };
const skipped: Reply = { type: 'answer.skipped' };

const eventFor = (promptId: string, reply: Reply) => ({ ...reply, promptId, at }) as ConversationEvent;

/** Answers each prompt from `replies`; anything not listed is skipped, and the determination defaults to "neither". */
function interview(replies: Record<string, Reply>, locale: Locale = 'en') {
  let current = start(flow, { locale, startedAt });
  const prompts: Array<{ en: Prompt; es: Prompt }> = [];
  for (let guard = 0; guard < 40 && current.snapshot.status !== 'done'; guard += 1) {
    const en = view(flow, current.snapshot, 'en').prompt!;
    prompts.push({ en, es: view(flow, current.snapshot, 'es').prompt! });
    const reply = replies[en.id] ?? (en.id === 'determination' ? given('neither') : skipped);
    const result = step(flow, current.snapshot, eventFor(en.id, reply));
    if (!result.ok) throw new Error(`${en.id}: ${result.rejection.code}`);
    current = result;
  }
  const outcome = view(flow, current.snapshot, locale).outcome;
  if (!outcome) throw new Error('the interview did not complete');
  return { prompts, outcome };
}

/** The prompts spoken to the youth: everything before the interviewer's determination. */
function youthPrompts(prompts: ReadonlyArray<{ en: Prompt; es: Prompt }>) {
  return prompts.slice(
    0,
    prompts.findIndex((prompt) => prompt.en.id === 'determination'),
  );
}

function textsOf(prompt: Prompt): string[] {
  return [
    prompt.text,
    prompt.help ?? '',
    prompt.section,
    ...(prompt.choices ?? []).map((choice) => choice.label),
    ...Object.values(prompt.actions),
  ];
}

const dutyOf = (outcome: RunawayReturnOutcome, requirementId: string) =>
  outcome.duties.find((duty) => duty.requirementId === requirementId);

/** Every step, with an override so the reason is asked too. */
const everyStep = interview({
  safety_exchange: given('yes'),
  determination: given('at_risk'),
  override_reason: given('The youth described it as a one-time offer that was refused.'),
});

describe('runaway-return interview: what it asks', () => {
  it('R-RUN-2: one section per determination, in order, then the interviewer’s part', () => {
    const sections = [...new Set(everyStep.prompts.map((prompt) => prompt.en.section))];
    expect(sections).toEqual([
      'About leaving',
      'Your time away',
      'What would help next',
      'Staying safe',
      'For the interviewer',
    ]);
    expect(everyStep.prompts.map((prompt) => prompt.en.id)).toEqual([
      'leaving_factors',
      'leaving_anything_else',
      'away_stayed',
      'away_felt_safe',
      'away_needs_now',
      'placement_helps',
      'placement_anything_else',
      ...SAFETY_IDS,
      'determination',
      'override_reason',
      'cws',
      'open_602',
      'services',
      'received_at',
    ]);
  });

  it('R-RUN-2: where the youth stayed offers "I’d rather not say", and feeling safe offers "sometimes"', () => {
    const prompt = (id: string) => everyStep.prompts.find((p) => p.en.id === id)!.en;
    expect(prompt('away_stayed').choices!.map((c) => c.id)).toContain('rather_not_say');
    expect(prompt('away_felt_safe').choices!.map((c) => c.id)).toEqual(['yes', 'no', 'sometimes']);
    expect(prompt('leaving_factors').kind).toBe('multichoice');
    expect(prompt('away_needs_now').choices!.map((c) => c.id)).toContain('nothing_right_now');
  });

  it('R-PURPOSE: every youth-facing question can be skipped or answered "not sure", and both work', () => {
    const youth = youthPrompts(everyStep.prompts);
    expect(youth).toHaveLength(11);
    for (const { en } of youth)
      expect({ id: en.id, skippable: en.skippable, unknown: en.allowsUnknown }).toEqual({
        id: en.id,
        skippable: true,
        unknown: true,
      });
    const allSkipped = interview({});
    const allNotSure = interview(Object.fromEntries(youth.map(({ en }) => [en.id, notSure])));
    for (const { outcome } of [allSkipped, allNotSure]) {
      expect(outcome.proposal.level).toBe('none');
      expect(outcome.proposal.unansweredCount).toBe(4);
    }
    expect(allNotSure.outcome.factors.chosen.status).toBe('unknown');
    expect(allSkipped.outcome.experience.stayed.status).toBe('skipped');
  });

  it('R-PURPOSE: the first safety question says why it is asked and that the youth may decline', () => {
    const first = everyStep.prompts.find((prompt) => prompt.en.id === 'safety_exchange')!;
    expect(first.en.help).toMatch(/we ask everyone who comes back/i);
    expect(first.en.help).toMatch(/skip any question or say you are not sure/i);
    expect(first.es.help).toMatch(/puedes saltarte cualquier pregunta/i);
  });

  it('R-PURPOSE: no youth-facing question presumes or blames', () => {
    const forbidden = [
      /why did you (run|leave)/i,
      /\brun ?away\b|\bran away\b/i,
      /your fault/i,
      /should(n’t|n't| not)? have/i,
      /should’ve|should've/i,
      /you chose to/i,
      /admit/i,
      /prostitut/i,
      /pimp/i,
      /who made you/i,
      /how many times/i,
      /por qué te (escapaste|fuiste)/i,
      /escapaste|huiste|fugaste/i,
      /tu culpa/i,
      /deberías haber|no debiste/i,
      /prostitu/i,
      /admite|admitir/i,
    ];
    for (const { en, es } of youthPrompts(everyStep.prompts)) {
      const words = [...textsOf(en), ...textsOf(es)].join(' | ');
      for (const pattern of forbidden) expect(words, `${en.id} ${pattern}`).not.toMatch(pattern);
    }
  });

  it('R-PURPOSE: every word is in English and Spanish, with the same ids and kinds', () => {
    for (const { en, es } of everyStep.prompts) {
      expect({ id: es.id, kind: es.kind, choices: es.choices?.map((c) => c.id) }).toEqual({
        id: en.id,
        kind: en.kind,
        choices: en.choices?.map((c) => c.id),
      });
      const english = textsOf(en);
      textsOf(es).forEach((text, index) => {
        expect(text.trim(), `${en.id} #${index}`).not.toBe('');
        if (english[index] !== 'No' && english[index] !== '')
          expect(text, `${en.id} #${index}`).not.toBe(english[index]);
      });
    }
  });

  it('R-PURPOSE: never leaves a {placeholder} unfilled, in prompts or in the outcome', () => {
    for (const { en, es } of everyStep.prompts)
      expect([...textsOf(en), ...textsOf(es)].join(' ')).not.toMatch(/\{\w+\}/);
    const spanish = interview(
      {
        safety_owed: given('yes'),
        away_needs_now: given(['food', 'rest']),
        determination: given('identified'),
        override_reason: given('Dijo más de lo que cabe en las preguntas.'),
      },
      'es',
    ).outcome;
    expect(JSON.stringify(spanish)).not.toMatch(/\{\w+\}/);
    expect(spanish.duties.map((duty) => duty.title)).toEqual([
      expect.stringMatching(/Atender en la próxima colocación/),
      expect.stringMatching(/Informar a la agencia policial/),
      expect.stringMatching(/^Informe cruzado a la agencia policial/),
      expect.stringMatching(/^Informe cruzado a la oficina del fiscal/),
      expect.stringMatching(/^Enviar el informe cruzado por escrito/),
      expect.stringMatching(/Planificación interinstitucional/),
      expect.stringMatching(/Informar al equipo del caso/),
    ]);
    expect(spanish.notices[0]).toBe(
      'El joven dijo que ahora mismo necesita: Algo de comer, Descansar o dormir.',
    );
  });
});

describe('runaway-return interview: what it determines', () => {
  it('R-RUN-2: the factors become a respond-in-placement task for the placement worker', () => {
    const { outcome } = interview({
      leaving_factors: given(['conflict', 'someone_encouraged']),
      leaving_anything_else: given('My roommate and I kept fighting.'),
    });
    expect(outcome.factors.chosen).toEqual({
      status: 'answered',
      choices: [
        { id: 'conflict', label: 'Conflict or arguments where I was living' },
        { id: 'someone_encouraged', label: 'Someone encouraged or pressured me to leave' },
      ],
    });
    expect(outcome.factors.anythingElse).toEqual({
      status: 'answered',
      text: 'My roommate and I kept fighting.',
    });
    expect(dutyOf(outcome, 'R-RUN-2')).toMatchObject({
      taskType: 'respond_in_placement',
      assigneeRole: 'placement_worker',
      deadlineBasis: 'policy',
      citation: 'County Fiscal Letter No. 16/17-73',
    });
  });

  it('R-RUN-2: the factors carry the labels in the conversation’s language', () => {
    const { outcome } = interview({ leaving_factors: given(['school']) }, 'es');
    expect(outcome.factors.chosen.choices).toEqual([
      { id: 'school', label: 'Algo relacionado con la escuela' },
    ]);
  });

  it('R-RUN-2: the respond-in-placement task is owed even when the youth declines every question', () => {
    const { outcome } = interview({});
    expect(outcome.duties.map((duty) => duty.requirementId)).toEqual(['R-RUN-2']);
  });

  it('R-RUN-2: the experience while away and what would help next reach the outcome', () => {
    const { outcome } = interview({
      away_stayed: given('someone_met_while_away'),
      away_felt_safe: given('sometimes'),
      away_needs_now: given(['medical_care']),
      placement_helps: given(['same_school', 'someone_to_talk_to']),
      placement_anything_else: given('Being able to keep my phone.'),
    });
    expect(outcome.experience).toEqual({
      stayed: {
        status: 'answered',
        choices: [{ id: 'someone_met_while_away', label: 'With someone I met while I was away' }],
      },
      feltSafe: { status: 'answered', choices: [{ id: 'sometimes', label: 'Sometimes' }] },
      needsNow: { status: 'answered', choices: [{ id: 'medical_care', label: 'To see a doctor or nurse' }] },
    });
    expect(outcome.whatWouldHelp.chosen.choices.map((choice) => choice.id)).toEqual([
      'same_school',
      'someone_to_talk_to',
    ]);
    expect(outcome.whatWouldHelp.anythingElse.text).toBe('Being able to keep my phone.');
    expect(outcome.notices).toContain('The youth said they need, right now: To see a doctor or nurse.');
  });

  it.each([
    ['safety_exchange', 'clear', /clear concern/, /sexual acts were offered or exchanged/],
    ['safety_made_or_kept', 'possible', /possible concern/, /kept them from leaving/],
    ['safety_owed', 'possible', /possible concern/, /owed a debt/],
    ['safety_controlled', 'possible', /possible concern/, /took their ID or phone/],
  ] as const)(
    'R-RUN-1: a "yes" to %s is asked and reaches the proposal (%s)',
    (id, level, levelText, reason) => {
      const determination = level === 'clear' ? 'identified' : 'at_risk';
      const { prompts, outcome } = interview({
        [id]: given('yes', 'said quietly'),
        determination: given(determination),
      });
      const decision = prompts.find((prompt) => prompt.en.id === 'determination')!;
      expect(decision.en.text).toMatch(levelText);
      expect(decision.en.help).toMatch(reason);
      expect(decision.es.text).toMatch(level === 'clear' ? /preocupación clara/ : /posible preocupación/);
      expect(outcome.proposal.level).toBe(level);
      expect(outcome.override).toBe(false);
      expect(outcome.screening.find((answer) => answer.id === id)).toMatchObject({
        answer: 'yes',
        note: 'said quietly',
      });
    },
  );

  it('R-RUN-1: with every safety question answered "no" the proposal is no concern, with its reason', () => {
    const { prompts, outcome } = interview(Object.fromEntries(SAFETY_IDS.map((id) => [id, given('no')])));
    expect(outcome.proposal).toMatchObject({ level: 'none', unansweredCount: 0 });
    expect(prompts.find((prompt) => prompt.en.id === 'determination')!.en.help).toMatch(
      /none of the youth’s answers raised a concern/,
    );
    expect(outcome.screening.map((answer) => answer.answer)).toEqual(['no', 'no', 'no', 'no']);
  });

  it('R-ADMIN-1: the determination cannot be skipped or left unknown', () => {
    const events = [...youthPrompts(everyStep.prompts).map(({ en }) => eventFor(en.id, skipped))];
    const { snapshot } = replay(flow, { locale: 'en', startedAt }, events);
    const prompt = view(flow, snapshot, 'en').prompt!;
    expect(prompt).toMatchObject({ id: 'determination', skippable: false, allowsUnknown: false });
    const skip = step(flow, snapshot, eventFor('determination', skipped));
    const unknown = step(flow, snapshot, eventFor('determination', notSure));
    expect(skip.ok ? 'accepted' : skip.rejection.code).toBe('skip_not_allowed');
    expect(unknown.ok ? 'accepted' : unknown.rejection.code).toBe('unknown_not_allowed');
  });

  it('R-ADMIN-1: a determination that differs from the proposal requires a reason; going back and agreeing drops it', () => {
    const overridden = interview({
      safety_exchange: given('yes'),
      determination: given('neither'),
      override_reason: given('Reviewed with supervisor: the offer came from a peer as a joke.'),
    });
    expect(overridden.prompts.find((prompt) => prompt.en.id === 'override_reason')!.en).toMatchObject({
      skippable: false,
      allowsUnknown: false,
    });
    expect(overridden.outcome).toMatchObject({
      determination: 'neither',
      override: true,
      overrideReason: 'Reviewed with supervisor: the offer came from a peer as a joke.',
    });

    const youth = youthPrompts(everyStep.prompts).map(({ en }) =>
      eventFor(en.id, en.id === 'safety_exchange' ? given('yes') : skipped),
    );
    const { snapshot } = replay(flow, { locale: 'en', startedAt }, [
      ...youth,
      eventFor('determination', given('neither')),
      { type: 'nav.back', at },
      eventFor('determination', given('identified')),
      eventFor('cws', given('yes')),
      eventFor('open_602', skipped),
      eventFor('services', skipped),
      eventFor('received_at', skipped),
    ]);
    const outcome = view(flow, snapshot, 'en').outcome!;
    expect(outcome).toMatchObject({ determination: 'identified', override: false, overrideReason: null });
  });

  it('R-REPORT-1: an unknown CWS status still opens the report, and says so', () => {
    const { outcome } = interview({
      safety_exchange: given('yes'),
      determination: given('identified'),
      cws: notSure,
      received_at: given('2026-11-28T08:00:00-08:00'),
    });
    expect(outcome.facts).toEqual({
      determination: 'identified',
      exchangeIndicator: 'present',
      cseByLaw: 'yes',
      receivesChildWelfareServices: 'unknown',
      open602: 'unknown',
    });
    expect(dutyOf(outcome, 'R-REPORT-1')).toMatchObject({
      citation: 'Penal Code § 11166(j)',
      receivedAt: '2026-11-28T16:00:00.000Z',
      dueAt: '2026-11-29T16:00:00.000Z',
      deadlineBasis: 'statute',
    });
    expect(outcome.notices.join(' ')).toMatch(/opened anyway/);
    expect(outcome.receivedAtAssumed).toBe(false);
  });

  it('R-REPORT-1: an unknown received time falls back to the start of the interview, with a notice that the real deadline may be earlier', () => {
    const { outcome } = interview({
      safety_exchange: given('yes'),
      determination: given('identified'),
      cws: given('yes'),
      received_at: notSure,
    });
    expect(outcome.informationReceivedAt).toBe(startedAt);
    expect(outcome.receivedAtAssumed).toBe(true);
    expect(dutyOf(outcome, 'R-REPORT-1')!.dueAt).toBe('2026-11-29T17:00:00.000Z');
    expect(outcome.notices.join(' ')).toMatch(/real deadline may be earlier/);
  });

  it('R-RUN-2: the return closes the youth’s open locate task', () => {
    expect(everyStep.outcome.closesTaskTypes).toEqual(['locate']);
    expect(interview({}).outcome.closesTaskTypes).toEqual(['locate']);
  });

  it('R-ADMIN-1: the outcome matches its documented schema', () => {
    expect(OutcomeSchema.parse(everyStep.outcome)).toEqual(everyStep.outcome);
    expect(everyStep.outcome.flow).toBe('runaway-return');
  });
});

describe('runaway-return duty rules', () => {
  it('the rules pass their schema and belong to this flow, each with its requirement and citation', () => {
    expect(z.array(DutyRule).parse(runawayReturnDutyRules)).toEqual(runawayReturnDutyRules);
    expect(new Set(runawayReturnDutyRules.map((rule) => rule.id)).size).toBe(runawayReturnDutyRules.length);
    const rule = (
      requirementId: string,
      citation: string,
      assigneeRole: string,
      withinHours: number,
      basis: string,
      obligation: string,
    ) => ({
      ruleFlow: 'runaway-return',
      requirementId,
      citation,
      assigneeRole,
      due: { withinHours, basis },
      obligation,
    });
    const crossReport = 'Penal Code §§ 11165.1, 11166';
    expect(
      runawayReturnDutyRules.map(
        ({ flow: ruleFlow, requirementId, citation, assigneeRole, due, obligation }) => ({
          ruleFlow,
          requirementId,
          citation,
          assigneeRole,
          due,
          obligation,
        }),
      ),
    ).toEqual([
      rule('R-RUN-2', 'County Fiscal Letter No. 16/17-73', 'placement_worker', 72, 'policy', 'statute'),
      rule('R-REPORT-1', 'Penal Code § 11166(j)', 'caseworker', 24, 'statute', 'statute'),
      rule('R-REPORT-3', crossReport, 'caseworker', 0, 'statute', 'statute'),
      rule('R-REPORT-3', crossReport, 'caseworker', 0, 'statute', 'statute'),
      rule('R-REPORT-3', crossReport, 'caseworker', 36, 'statute', 'statute'),
      rule('R-PLAN-1', 'Welf. & Inst. Code § 16524.7', 'caseworker', 720, 'policy', 'statute'),
      rule(
        'R-PLAN-1',
        'Welf. & Inst. Code § 16524.7 (applied to at-risk youth by county policy)',
        'caseworker',
        720,
        'policy',
        'policy',
      ),
      rule('R-DEF-1', 'Penal Code § 236.23; Welf. & Inst. Code § 786', 'caseworker', 72, 'policy', 'policy'),
      rule('R-OVERRIDE-1', 'Penal Code §§ 236.1(c), 11165.1', 'supervisor', 0, 'statute', 'statute'),
    ]);
  });

  it('R-RUN-2: the respond-in-placement rule applies to every return', () => {
    expect(runawayReturnDutyRules.find((rule) => rule.requirementId === 'R-RUN-2')!.when).toEqual({});
  });
});

describe('runaway-return: what the assignees need, and the county’s catalogue', () => {
  it('R-RUN-2: the placement worker’s task lists the factors and what would help, as labels only, never the youth’s words', () => {
    for (const locale of ['en', 'es'] as const) {
      const { outcome } = interview(
        {
          leaving_factors: given(['conflict', 'school']),
          leaving_anything_else: given('MY OWN WORDS about my roommate'),
          placement_helps: given(['same_school']),
          placement_anything_else: given('MY OWN WORDS about my phone'),
        },
        locale,
      );
      const respond = dutyOf(outcome, 'R-RUN-2')!;
      expect(respond.details).toEqual(
        locale === 'en'
          ? [
              'Factors the youth named: Conflict or arguments where I was living, Something about school.',
              'What the youth said would help: Staying at my school.',
            ]
          : [
              'Factores que mencionó el joven: Conflictos o peleas donde vivía, Algo relacionado con la escuela.',
              'Lo que el joven dijo que le ayudaría: Seguir en mi escuela.',
            ],
      );
      expect(JSON.stringify(outcome.duties)).not.toMatch(/MY OWN WORDS/);
    }
    expect(dutyOf(interview({}).outcome, 'R-RUN-2')!.details).toBeUndefined();
  });

  it('R-OVERRIDE-1: the youth said yes to the exchange, the interviewer determined "neither" → R-REPORT-1 stays, a supervisor co-signs', () => {
    const { outcome } = interview({
      safety_exchange: given('yes'),
      determination: given('neither'),
      override_reason: given('Reviewed: a peer’s joke.'),
      cws: given('yes'),
      received_at: given('2026-11-28T08:00:00-08:00'),
    });
    expect(outcome.duties.map((duty) => duty.requirementId)).toEqual([
      'R-RUN-2',
      'R-REPORT-1',
      'R-OVERRIDE-1',
    ]);
    expect(dutyOf(outcome, 'R-OVERRIDE-1')).toMatchObject({
      taskType: 'supervisor_cosign_override',
      assigneeRole: 'supervisor',
      dueAt: '2026-11-28T16:00:00.000Z',
    });
    expect(outcome.notices.join(' ')).toMatch(/supervisor must co-sign/);
  });

  it('R-REPORT-3: an identified victim is cross-reported to law enforcement and the district attorney', () => {
    const { outcome } = interview({
      safety_exchange: given('yes'),
      determination: given('identified'),
      cws: given('no'),
    });
    expect(
      outcome.duties.filter((duty) => duty.requirementId === 'R-REPORT-3').map((duty) => duty.taskType),
    ).toEqual(['cross_report_law_enforcement', 'cross_report_district_attorney', 'cross_report_written']);
    expect(outcome.notices.join(' ')).toMatch(/covers youth receiving child welfare services/);
  });

  it('R-SVC-2: the services and their referrals come from the county’s catalogue, with its partner organisations', () => {
    const services = [
      {
        id: 'lgbt_youth_support',
        label: { en: 'LGBT youth support', es: 'Apoyo para jóvenes LGBT' },
        partners: [{ org: 'rainbow-house', name: 'Rainbow House' }],
      },
    ];
    for (const county of [
      createRunawayReturnFlow(runawayReturnDutyRules, services),
      createFlowCatalog({ services }).current('runaway-return')!.flow as typeof flow,
    ]) {
      let current = start(county, { locale: 'en', startedAt });
      let servicesPrompt: Prompt | undefined;
      for (let guard = 0; guard < 40 && current.snapshot.status !== 'done'; guard += 1) {
        const prompt = view(county, current.snapshot, 'en').prompt!;
        if (prompt.id === 'services') servicesPrompt = prompt;
        const reply =
          prompt.id === 'determination'
            ? given('neither')
            : prompt.id === 'services'
              ? given(['lgbt_youth_support'])
              : skipped;
        const result = step(county, current.snapshot, eventFor(prompt.id, reply));
        if (!result.ok) throw new Error(result.rejection.code);
        current = result;
      }
      expect(servicesPrompt!.choices).toEqual([{ id: 'lgbt_youth_support', label: 'LGBT youth support' }]);
      const outcome = view(county, current.snapshot, 'en').outcome!;
      expect(dutyOf(outcome, 'R-SVC-1')).toMatchObject({
        title: 'Referral: LGBT youth support',
        referTo: [{ org: 'rainbow-house', name: 'Rainbow House' }],
      });
    }
  });
});

describe('runaway-return interview, model-based', () => {
  /** A situation: where the conversation is, plus the facts that decide the duties and their due times. */
  function serializeState(snapshot: AnyMachineSnapshot): string {
    const { answers, trail } = snapshot.context as {
      answers: Record<string, { status: string; value?: unknown }>;
      trail: string[];
    };
    const answered = (id: string) => answers[id]?.value;
    return JSON.stringify([
      snapshot.value,
      levelFrom((id) => answered(id) === 'yes'),
      answered('determination'),
      trail.includes('override_reason'),
      answers.cws ?? null,
      answers.open_602 ?? null,
      answers.services ?? null,
      answers.received_at ?? null,
    ]);
  }

  it.each(['en', 'es'] as const)(
    'R-RUN-1, R-RUN-2, R-REPORT-1, R-REPORT-3, R-PLAN-1, R-DEF-1, R-OVERRIDE-1: the shortest path to every distinct situation ends completed, with the duties the law asks for (%s)',
    (locale) => {
      const paths = getShortestPaths(flow.machine, {
        input: { locale, startedAt },
        events: validEvents(flow),
        serializeState,
        toState: (snapshot) => snapshot.status === 'done',
      });
      // 3 proposed levels × 3 determinations × 4 CWS × 4 open-§ 602 × 4 services × 4 received-time answers.
      expect(paths).toHaveLength(3 * 3 * 4 * 4 * 4 * 4);
      for (const path of paths) {
        const events = path.steps
          .map((pathStep) => pathStep.event)
          .filter((event) => event.type !== 'xstate.init') as ConversationEvent[];
        const { snapshot } = replay(flow, { locale, startedAt }, events);
        const result = view(flow, snapshot, locale);
        expect(result.status).toBe('completed');
        const outcome = result.outcome!;
        const expected = expectedOutcome(events);
        // R-RUN-1: every return passes through the CSE screening.
        const asked = new Set(events.flatMap((event) => ('promptId' in event ? [event.promptId] : [])));
        for (const id of SAFETY_IDS) expect(asked.has(id), id).toBe(true);
        expect({
          level: outcome.proposal.level,
          determination: outcome.determination,
          override: outcome.override,
          receivesChildWelfareServices: outcome.receivesChildWelfareServices,
          informationReceivedAt: outcome.informationReceivedAt,
          receivedAtAssumed: outcome.receivedAtAssumed,
          duties: outcome.duties.map(dutyShape).sort(byRequirement),
        }).toEqual({ ...expected, duties: [...expected.duties].sort(byRequirement) });
        expect(outcome.closesTaskTypes).toEqual(['locate']);
        if (locale === 'es') expect(outcome.duties[0]!.title).not.toMatch(/Respond in/);
      }
    },
  );
});
