import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import * as z from 'zod/mini';
import { screeningDutyRules } from '#flows/cse-screening/duty-rules.ts';
import { custodyCheckDutyRules } from '#flows/custody-check/duty-rules.ts';
import { createCustodyCheckFlow } from '#flows/custody-check/flow.ts';
import { CustodyCheckOutcome } from '#flows/custody-check/outcome.ts';
import { DutyRule } from '#flows/duty-rule.ts';
import { replay, start, step, view } from '#flows/engine.ts';
import type { ConversationEvent } from '#flows/events.ts';
import type { Locale } from '#flows/i18n.ts';
import type { Prompt } from '#flows/prompt.ts';
import { MODEL_AT, validEvents } from '../support/flow-model.ts';
import { lastAnswers } from './oracle.ts';

const flow = createCustodyCheckFlow(custodyCheckDutyRules);
const startedAt = '2026-11-28T17:00:00.000Z';
const at = MODEL_AT;
const HOUR_MS = 3_600_000;

const answer = (promptId: string, value: string | string[]): ConversationEvent => ({
  type: 'answer.given',
  promptId,
  value,
  at,
});
const unknown = (promptId: string): ConversationEvent => ({ type: 'answer.unknown', promptId, at });
const skip = (promptId: string): ConversationEvent => ({ type: 'answer.skipped', promptId, at });
const nav = (type: 'nav.back' | 'nav.pause' | 'nav.resume'): ConversationEvent => ({ type, at });

function outcomeOf(events: readonly ConversationEvent[], locale: Locale = 'en') {
  const { snapshot } = replay(flow, { locale, startedAt }, events);
  const result = view(flow, snapshot, locale);
  expect(result.status).toBe('completed');
  return result.outcome!;
}

/** A whole conversation from the answers that matter; everything else is answered "unknown". */
function conversation(answers: Record<string, string | string[]>): ConversationEvent[] {
  const events: ConversationEvent[] = [];
  let current = start(flow, { locale: 'en', startedAt });
  for (let guard = 0; guard < 20 && current.snapshot.status !== 'done'; guard += 1) {
    const promptId = flow.promptFor(current.snapshot, 'en').id;
    const given = answers[promptId];
    const event = given === undefined ? unknown(promptId) : answer(promptId, given);
    const result = step(flow, current.snapshot, event);
    if (!result.ok) throw new Error(`${promptId}: ${result.rejection.code}`);
    events.push(event);
    current = result;
  }
  return events;
}

/**
 * An independent statement of what the law asks (DOMAIN.md, WIC § 305, Penal Code §§ 647, 236.2), written
 * without reading the flow: three-valued logic, where an unknown or skipped answer is neither yes nor no.
 */
type Tri = 'yes' | 'no' | 'unknown';
const or = (values: Tri[]): Tri =>
  values.includes('yes') ? 'yes' : values.every((value) => value === 'no') ? 'no' : 'unknown';
const and = (values: Tri[]): Tri =>
  values.includes('no') ? 'no' : values.every((value) => value === 'yes') ? 'yes' : 'unknown';

interface ExpectedDuty {
  requirementId: string;
  assigneeRole: string;
  dueAt: string;
  deadlineBasis: string;
}

function expectedFrom(events: readonly ConversationEvent[]) {
  const answers = lastAnswers(events);
  const given = (id: string) => {
    const event = answers.get(id);
    return event?.type === 'answer.given' ? event.value : undefined;
  };
  const tri = (id: string): Tri => {
    const value = given(id);
    return value === 'yes' || value === 'no' ? value : 'unknown';
  };
  // R-CUSTODY-1: reasonable cause under § 300 AND (medical care OR danger of abuse OR environment / unattended).
  const custody = and([
    tri('reasonable_cause'),
    or([tri('medical_need'), tri('abuse_danger'), tri('environment_threat')]),
  ]);
  const criteria = { yes: 'met', no: 'not_met', unknown: 'undetermined' }[custody];
  const receivedValue = given('received_at');
  const receivedMs = Date.parse(typeof receivedValue === 'string' ? receivedValue : startedAt);
  const due = (hours: number) => new Date(receivedMs + hours * HOUR_MS).toISOString();
  const duties: ExpectedDuty[] = [];
  // R-CUSTODY-2 (corrected): left unattended, and the parent or guardian could not be contacted or cannot assume
  // custody → the officer notifies the county, whose response is due at once, from the notice (or the contact).
  const contact = given('parent_contact');
  if (
    tri('left_unattended') === 'yes' &&
    (contact === 'could_not_contact' || contact === 'cannot_assume_custody')
  ) {
    const noticeValue = given('officer_notice_at');
    const noticeMs = typeof noticeValue === 'string' ? Date.parse(noticeValue) : receivedMs;
    duties.push({
      requirementId: 'R-CUSTODY-2',
      assigneeRole: 'county_intake',
      dueAt: new Date(noticeMs).toISOString(),
      deadlineBasis: 'statute',
    });
  }
  // R-CUSTODY-3: commercial sex → referral to child welfare for assessment and a CSE screening; the law sets
  // no deadline (county default 24 h).
  if (tri('commercial_sex') === 'yes') {
    duties.push({
      requirementId: 'R-CUSTODY-3',
      assigneeRole: 'caseworker',
      dueAt: due(24),
      deadlineBasis: 'policy',
    });
    // R-REPORT-1: a minor who engaged in commercial sex is a CSE victim; reported within 24 h of the contact
    // where the child receives child welfare services (an unknown status opens it too).
    if (tri('cws') !== 'no') {
      duties.push({
        requirementId: 'R-REPORT-1',
        assigneeRole: 'caseworker',
        dueAt: due(24),
        deadlineBasis: 'statute',
      });
    }
  }
  // R-CUSTODY-4: temporary custody → notify the parent or guardian now (§ 307.4), release or petition in 48 h (§ 313).
  if (tri('custody_taken') === 'yes') {
    duties.push({
      requirementId: 'R-CUSTODY-4',
      assigneeRole: 'screener',
      dueAt: due(0),
      deadlineBasis: 'statute',
    });
    duties.push({
      requirementId: 'R-CUSTODY-4',
      assigneeRole: 'caseworker',
      dueAt: due(48),
      deadlineBasis: 'statute',
    });
  }
  // R-IND-1: indicators are recorded only for a minor who engaged in a commercial sex act.
  const chosen = tri('commercial_sex') === 'yes' ? given('trafficking_indicators') : undefined;
  const indicators = Array.isArray(chosen) ? chosen.filter((id) => id !== 'none_observed') : [];
  return {
    criteria,
    duties,
    indicators,
    informationReceivedAt: new Date(receivedMs).toISOString(),
    receivedAtAssumed: typeof receivedValue !== 'string',
  };
}

const byRequirement = (
  a: { requirementId: string; assigneeRole: string },
  b: { requirementId: string; assigneeRole: string },
) => a.requirementId.localeCompare(b.requirementId) || a.assigneeRole.localeCompare(b.assigneeRole);

/** Checks the outcome a finished conversation reached against the oracle's reading of its events. */
function checkAgainstOracle(
  snapshot: AnyMachineSnapshot,
  events: readonly ConversationEvent[],
  locale: Locale,
) {
  const result = view(flow, snapshot, locale);
  expect(result.status).toBe('completed');
  const outcome = result.outcome!;
  CustodyCheckOutcome.parse(outcome);
  const expected = expectedFrom(events);
  expect(outcome.criteria.result).toBe(expected.criteria);
  expect(outcome.informationReceivedAt).toBe(expected.informationReceivedAt);
  expect(outcome.receivedAtAssumed).toBe(expected.receivedAtAssumed);
  expect(outcome.commercialSex.indicators.map((indicator) => indicator.id)).toEqual(expected.indicators);
  expect(
    outcome.duties
      .map(({ requirementId, assigneeRole, dueAt, deadlineBasis }) => ({
        requirementId,
        assigneeRole,
        dueAt,
        deadlineBasis,
      }))
      .sort(byRequirement),
  ).toEqual(expected.duties.sort(byRequirement));
  return outcome;
}

/** Every string a screener could read in an outcome (values only; keys are not shown). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

function promptStrings(prompt: Prompt): string[] {
  return [
    prompt.text,
    prompt.help ?? '',
    prompt.section,
    ...(prompt.choices ?? []).map((choice) => choice.label),
    ...Object.values(prompt.actions),
  ];
}

/**
 * R-CUSTODY-3: the only mention of a charge says the minor is not charged; nothing else names a charge,
 * a citation, an arrest or a prosecution, in either language.
 */
const negations = [/\bnot charged\b/gi, /\bno se le acusa\b/gi];
const chargeWords =
  /\b(charg\w*|arrest\w*|citation\w*|cite[ds]?|book(ed|ing)?|prosecut\w*|guilty|misdemeanou?r|acus\w*|cargos?|deten\w*|citaci\w*|multa\w*|delito\w*|culpable)\b/i;

function chargeOffers(texts: readonly string[]): string[] {
  return texts.filter((text) =>
    chargeWords.test(negations.reduce((remaining, negation) => remaining.replace(negation, ''), text)),
  );
}

/** Walks every step (yes wherever a branch opens) and keeps the prompts in both languages. */
function everyPrompt() {
  const branchOpeners: Record<string, string | string[]> = {
    left_unattended: 'yes',
    commercial_sex: 'yes',
    parent_contact: 'could_not_contact',
    officer_name: 'Officer R. Diaz #4411',
    officer_agency: 'City Police Department',
    officer_notice_at: '2026-11-28T08:20:00-08:00',
    trafficking_indicators: ['trauma_signs', 'owes_debt'],
    received_at: '2026-11-28T08:00:00-08:00',
  };
  let current = start(flow, { locale: 'en', startedAt });
  const prompts: Array<{ en: Prompt; es: Prompt }> = [];
  const events: ConversationEvent[] = [];
  for (let guard = 0; guard < 20 && current.snapshot.status !== 'done'; guard += 1) {
    const en = view(flow, current.snapshot, 'en').prompt!;
    const es = view(flow, current.snapshot, 'es').prompt!;
    prompts.push({ en, es });
    const event = answer(en.id, branchOpeners[en.id] ?? 'yes');
    const result = step(flow, current.snapshot, event);
    if (!result.ok) throw new Error(`${en.id}: ${result.rejection.code}`);
    events.push(event);
    current = result;
  }
  return { prompts, events };
}

const ALL_STEPS = [
  'reasonable_cause',
  'medical_need',
  'abuse_danger',
  'environment_threat',
  'left_unattended',
  'parent_contact',
  'officer_name',
  'officer_agency',
  'officer_notice_at',
  'commercial_sex',
  'trafficking_indicators',
  'cws',
  'custody_taken',
  'received_at',
];

describe('custody check (WIC § 305), model-based', () => {
  type Stored = { status: string; value?: string | string[] };
  /** Every fact that decides the criteria and the duties (where the conversation is, the caller adds). */
  function situation(snapshot: AnyMachineSnapshot): unknown[] {
    const answers = (snapshot.context as { answers: Record<string, Stored> }).answers;
    const raw = (id: string) =>
      answers[id]?.status === 'answered' ? answers[id].value : answers[id]?.status;
    const tri = (id: string): Tri | null => {
      if (!answers[id]) return null;
      const value = raw(id);
      return value === 'yes' || value === 'no' ? value : 'unknown';
    };
    const conditions = ['medical_need', 'abuse_danger', 'environment_threat']
      .map(tri)
      .filter((value): value is Tri => value !== null);
    return [
      tri('reasonable_cause'),
      conditions.length ? or(conditions) : null,
      raw('left_unattended'),
      raw('parent_contact'),
      raw('officer_notice_at'),
      raw('received_at'),
      raw('commercial_sex'),
      raw('trafficking_indicators'),
      raw('cws'),
      raw('custody_taken'),
      raw('received_at'),
    ];
  }

  // Every situation at once would be 9 × 14 × 19 × 4 × 4 = 38,304 paths, so the graph is cut two ways: once by
  // the criteria and the unattended-child contact and notice, once by commercial sex, CWS status and custody.
  const pathsKeeping = (keep: (snapshot: AnyMachineSnapshot) => unknown[]) =>
    getShortestPaths(flow.machine, {
      input: { locale: 'en', startedAt },
      events: validEvents(flow),
      serializeState: (snapshot) => JSON.stringify([snapshot.value, ...keep(snapshot)]),
      toState: (snapshot) => snapshot.status === 'done',
    }).map((path) => ({
      state: path.state,
      events: path.steps
        .map((step) => step.event)
        .filter((event) => event.type !== 'xstate.init') as ConversationEvent[],
    }));
  const custodyPaths = pathsKeeping((snapshot) => situation(snapshot).slice(0, 6));
  const exploitationPaths = pathsKeeping((snapshot) => situation(snapshot).slice(6));
  const paths = [...custodyPaths, ...exploitationPaths];

  it('reaches every situation: 3 × 3 criteria × 14 unattended/contact/notice × 4 times; 19 commercial-sex/indicator/CWS × 4 custody × 4 times', () => {
    expect(custodyPaths).toHaveLength(3 * 3 * 14 * 4);
    expect(exploitationPaths).toHaveLength(19 * 4 * 4);
  });

  it.each(['en', 'es'] as const)(
    'R-CUSTODY-1, R-CUSTODY-2, R-CUSTODY-3, R-CUSTODY-4, R-REPORT-1, R-IND-1: every path ends completed with the criteria and duties the law asks for (%s)',
    (locale) => {
      const seen = new Set<string>();
      const unfilled: string[] = [];
      const offers: string[] = [];
      for (const { state, events } of paths) {
        const outcome = checkAgainstOracle(state, events, locale);
        seen.add(outcome.criteria.result);
        for (const duty of outcome.duties) seen.add(duty.requirementId);
        const texts = stringsIn(outcome);
        unfilled.push(...texts.filter((text) => /\{\w+\}/.test(text)));
        offers.push(...chargeOffers(texts));
      }
      expect([...seen].sort()).toEqual([
        'R-CUSTODY-2',
        'R-CUSTODY-3',
        'R-CUSTODY-4',
        'R-REPORT-1',
        'met',
        'not_met',
        'undetermined',
      ]);
      expect(unfilled).toEqual([]);
      expect(offers).toEqual([]);
    },
  );

  it('the conversation engine replays a sample of the paths to the same state the model reached', () => {
    const sample = paths.filter((_, index) => index % 8 === 0);
    expect(sample.length).toBeGreaterThan(100);
    for (const { state, events } of sample) {
      const replayed = replay(flow, { locale: 'en', startedAt }, events).state;
      expect(replayed).toEqual({ value: state.value, context: state.context });
    }
  });

  it('R-CUSTODY-2, R-IND-1: going back never lets an answer on an abandoned branch reach the outcome', () => {
    const choose = validEvents(flow);
    fc.assert(
      fc.property(fc.array(fc.nat(20), { maxLength: 40 }), (picks) => {
        let current = start(flow, { locale: 'en', startedAt });
        const accepted: ConversationEvent[] = [];
        const apply = (event: ConversationEvent) => {
          const result = step(flow, current.snapshot, event);
          if (result.ok) {
            current = result;
            accepted.push(event);
          }
        };
        for (const pick of picks) {
          if (current.snapshot.status === 'done') break;
          const options = [...choose(current.snapshot), nav('nav.back'), nav('nav.pause'), nav('nav.resume')];
          apply(options[pick % options.length]!);
        }
        // Finish whatever is left with "unknown", resuming first if the walk ended paused.
        for (let guard = 0; guard < 20 && current.snapshot.status !== 'done'; guard += 1) {
          if (current.snapshot.hasTag('paused')) apply(nav('nav.resume'));
          else apply(unknown(flow.promptFor(current.snapshot, 'en').id));
        }
        checkAgainstOracle(current.snapshot, accepted, 'en');
      }),
      { numRuns: 200 },
    );
  });
});

describe('R-CUSTODY-1: WIC § 305 temporary custody criteria', () => {
  it('R-CUSTODY-1: reasonable cause and one immediate condition → criteria met, with the reasons', () => {
    const outcome = outcomeOf(
      conversation({
        reasonable_cause: 'yes',
        medical_need: 'no',
        abuse_danger: 'yes',
        environment_threat: 'no',
      }),
    );
    expect(outcome.criteria).toMatchObject({
      result: 'met',
      reasonableCause: 'yes',
      conditions: { medical_need: 'no', abuse_danger: 'yes', environment_threat: 'no' },
    });
    expect(outcome.criteria.label).toMatch(/criteria are met/);
    expect(outcome.criteria.reasons).toEqual([
      'There is reasonable cause to believe the child is described in WIC § 300.',
      'Immediate danger of physical or sexual abuse.',
    ]);
    expect(outcome.facts.criteria).toBe('met');
  });

  it('R-CUSTODY-1: no reasonable cause → not met, whatever the immediate conditions', () => {
    const outcome = outcomeOf(
      conversation({
        reasonable_cause: 'no',
        medical_need: 'yes',
        abuse_danger: 'yes',
        environment_threat: 'yes',
      }),
    );
    expect(outcome.criteria.result).toBe('not_met');
    expect(outcome.criteria.reasons[0]).toMatch(/no reasonable cause/);
  });

  it('R-CUSTODY-1: reasonable cause but none of the three immediate conditions → not met', () => {
    const outcome = outcomeOf(
      conversation({
        reasonable_cause: 'yes',
        medical_need: 'no',
        abuse_danger: 'no',
        environment_threat: 'no',
      }),
    );
    expect(outcome.criteria.result).toBe('not_met');
    expect(outcome.criteria.reasons[1]).toMatch(/None of the three immediate conditions/);
  });

  it('R-CUSTODY-1: unknown answers that prevent a decision → undetermined, naming what is unknown', () => {
    const events = conversation({ reasonable_cause: 'yes', medical_need: 'no' });
    const outcome = outcomeOf(events);
    expect(outcome.criteria.result).toBe('undetermined');
    expect(outcome.criteria.reasons[1]).toBe(
      'No immediate condition was confirmed; unknown or not answered: danger of abuse; threat from the environment or from being left unattended.',
    );
    expect(outcome.notices).toContainEqual(expect.stringMatching(/run this check again/));
    const spanish = outcomeOf(events, 'es');
    expect(spanish.criteria.reasons[1]).toMatch(/peligro de abuso; amenaza del entorno/);
  });

  it('R-CUSTODY-1: a skipped reasonable-cause answer with a condition present → undetermined', () => {
    const events = conversation({ medical_need: 'yes' });
    events[0] = skip('reasonable_cause');
    expect(outcomeOf(events).criteria).toMatchObject({ result: 'undetermined', reasonableCause: 'unknown' });
  });
});

describe('R-CUSTODY-2: a child left unattended', () => {
  it.each(['could_not_contact', 'cannot_assume_custody'])(
    'R-CUSTODY-2: %s → the officer’s notice is recorded and the county responds at once, from the notice',
    (contact) => {
      const events = conversation({
        left_unattended: 'yes',
        parent_contact: contact,
        officer_name: 'Officer R. Diaz #4411',
        officer_agency: 'City Police Department',
        officer_notice_at: '2026-11-28T08:20:00-08:00',
        received_at: '2026-11-28T08:00:00-08:00',
      });
      expect(events.map((event) => ('promptId' in event ? event.promptId : ''))).toContain(
        'officer_notice_at',
      );
      const outcome = outcomeOf(events);
      expect(outcome.officerNotice).toEqual({
        officer: 'Officer R. Diaz #4411',
        agency: 'City Police Department',
        noticeAt: '2026-11-28T08:20:00-08:00',
      });
      expect(outcome.duties).toHaveLength(1);
      expect(outcome.duties[0]).toMatchObject({
        requirementId: 'R-CUSTODY-2',
        taskType: 'respond_to_officer_notice',
        assigneeRole: 'county_intake',
        citation: 'Welf. & Inst. Code §§ 305, 306, 309',
        receivedAt: '2026-11-28T16:20:00.000Z',
        dueAt: '2026-11-28T16:20:00.000Z',
        deadlineBasis: 'statute',
        obligation: 'statute',
      });
      expect(outcome.informationReceivedAt).toBe('2026-11-28T16:00:00.000Z');
      expect(outcome.duties[0]!.description).toMatch(/An officer notified the county welfare office/);
    },
  );

  it('R-CUSTODY-2: the time of the notice unknown → the county’s response runs from the contact, and says so', () => {
    const outcome = outcomeOf(
      conversation({
        left_unattended: 'yes',
        parent_contact: 'could_not_contact',
        received_at: '2026-11-28T08:00:00-08:00',
      }),
      'es',
    );
    expect(outcome.officerNotice).toEqual({ officer: null, agency: null, noticeAt: null });
    expect(outcome.duties[0]).toMatchObject({
      taskType: 'respond_to_officer_notice',
      dueAt: '2026-11-28T16:00:00.000Z',
    });
    expect(outcome.notices).toContainEqual(
      expect.stringMatching(/Se desconoce el momento del aviso del agente/),
    );
  });

  it('R-CUSTODY-2: the officer’s notice identifies the officer, not the child: plain text, not sealed, no note', () => {
    const { prompts } = everyPrompt();
    for (const id of ['officer_name', 'officer_agency']) {
      const prompt = prompts.find(({ en }) => en.id === id)!.en;
      expect(prompt).toMatchObject({ kind: 'text', allowsNote: false, skippable: true, allowsUnknown: true });
      expect(prompt.sensitive).toBeUndefined();
    }
    expect(prompts.find(({ en }) => en.id === 'officer_notice_at')!.en.kind).toBe('datetime');
  });

  it('R-CUSTODY-2: the contact attempt is asked only when the child was left unattended', () => {
    for (const [leftUnattended, asked] of [
      ['yes', true],
      ['no', false],
    ] as const) {
      const events = conversation({ left_unattended: leftUnattended });
      expect(events.some((event) => 'promptId' in event && event.promptId === 'parent_contact')).toBe(asked);
    }
    const skipped = conversation({});
    expect(skipped.some((event) => 'promptId' in event && event.promptId === 'parent_contact')).toBe(false);
    expect(outcomeOf(skipped).parentContact).toEqual({ result: 'not_asked', label: null });
    expect(outcomeOf(skipped).officerNotice).toBeNull();
  });

  it.each(['en', 'es'] as const)(
    'R-CUSTODY-2: a parent reached who can assume custody → no notice, no task, and § 305 points to release (%s)',
    (locale) => {
      const events = conversation({ left_unattended: 'yes', parent_contact: 'can_assume_custody' });
      expect(events.some((event) => 'promptId' in event && event.promptId === 'officer_name')).toBe(false);
      const outcome = outcomeOf(events, locale);
      expect(outcome.duties).toEqual([]);
      expect(outcome.officerNotice).toBeNull();
      expect(outcome.notices).toContainEqual(
        expect.stringMatching(
          locale === 'en'
            ? /can assume custody: WIC § 305 points to releasing the child to them/
            : /el WIC § 305 indica entregar/,
        ),
      );
    },
  );

  it('R-CUSTODY-2: an unknown contact result is flagged, not silently dropped', () => {
    const unknownContact = outcomeOf(conversation({ left_unattended: 'yes' }), 'es');
    expect(unknownContact.parentContact.result).toBe('unknown');
    expect(unknownContact.duties).toEqual([]);
    expect(unknownContact.notices).toContainEqual(
      expect.stringMatching(/el agente avisa a un trabajador social/),
    );
  });

  it('R-CUSTODY-2: "could not contact" on an abandoned branch opens no task', () => {
    const events = [
      ...conversation({ left_unattended: 'yes', parent_contact: 'could_not_contact' }).slice(0, 6),
      nav('nav.back'),
      nav('nav.back'),
      answer('left_unattended', 'no'),
      unknown('commercial_sex'),
      unknown('custody_taken'),
      unknown('received_at'),
    ];
    const outcome = outcomeOf(events);
    expect(outcome.parentContact.result).toBe('not_asked');
    expect(outcome.officerNotice).toBeNull();
    expect(outcome.duties).toEqual([]);
  });

  it('R-CUSTODY-2: no rule tells the county social worker to notify a county social worker', () => {
    expect(custodyCheckDutyRules.map((rule) => rule.taskType)).not.toContain('notify_county_social_worker');
    for (const rule of custodyCheckDutyRules) expect(rule.assigneeRole).not.toBe('county_social_worker');
  });
});

describe('R-CUSTODY-4: after temporary custody', () => {
  it.each(['en', 'es'] as const)(
    'R-CUSTODY-4: custody taken → notify the parent now (§ 307.4) and release or file a petition within 48 h (§ 313) (%s)',
    (locale) => {
      const outcome = outcomeOf(
        conversation({ custody_taken: 'yes', received_at: '2026-11-28T08:00:00-08:00' }),
        locale,
      );
      expect(outcome.custodyTaken).toBe('yes');
      expect(
        outcome.duties.map(({ taskType, requirementId, assigneeRole, dueAt, citation, deadlineBasis }) => ({
          taskType,
          requirementId,
          assigneeRole,
          dueAt,
          citation,
          deadlineBasis,
        })),
      ).toEqual([
        {
          taskType: 'notify_parent_of_custody',
          requirementId: 'R-CUSTODY-4',
          assigneeRole: 'screener',
          dueAt: '2026-11-28T16:00:00.000Z',
          citation: 'Welf. & Inst. Code § 307.4',
          deadlineBasis: 'statute',
        },
        {
          taskType: 'release_or_file_petition',
          requirementId: 'R-CUSTODY-4',
          assigneeRole: 'caseworker',
          dueAt: '2026-11-30T16:00:00.000Z',
          citation: 'Welf. & Inst. Code § 313',
          deadlineBasis: 'statute',
        },
      ]);
      expect(outcome.duties[1]!.title).toMatch(
        locale === 'en' ? /^Release the child or file a petition/ : /^Dejar en libertad/,
      );
    },
  );

  it.each(['en', 'es'] as const)(
    'R-CUSTODY-4: custody unknown → no task, and the notice says what would be owed (%s)',
    (locale) => {
      const outcome = outcomeOf(conversation({}), locale);
      expect(outcome.duties).toEqual([]);
      expect(outcome.notices).toContainEqual(
        expect.stringMatching(
          locale === 'en'
            ? /temporary custody is unknown.*§ 307\.4.*§ 313/
            : /Se desconoce si la persona menor de edad quedó bajo custodia temporal/,
        ),
      );
    },
  );

  it('R-CUSTODY-4: criteria met but no custody taken → no follow-up, and the notice says why', () => {
    const outcome = outcomeOf(
      conversation({ reasonable_cause: 'yes', medical_need: 'yes', custody_taken: 'no' }),
    );
    expect(outcome.duties).toEqual([]);
    expect(outcome.notices).toContainEqual(
      expect.stringMatching(/not taken into temporary custody, so no custody follow-up/),
    );
  });
});

describe('R-REPORT-1 in the custody check: a child receiving child welfare services who engaged in commercial sex', () => {
  it('R-REPORT-1: CWS asked only after commercial sex; yes → report to law enforcement within 24 h of the contact', () => {
    expect(
      conversation({ commercial_sex: 'no' }).some((event) => 'promptId' in event && event.promptId === 'cws'),
    ).toBe(false);
    const outcome = outcomeOf(
      conversation({ commercial_sex: 'yes', cws: 'yes', received_at: '2026-11-28T08:00:00-08:00' }),
    );
    expect(outcome.receivesChildWelfareServices).toBe('yes');
    expect(outcome.duties.find((duty) => duty.requirementId === 'R-REPORT-1')).toMatchObject({
      taskType: 'report_to_law_enforcement',
      assigneeRole: 'caseworker',
      citation: 'Penal Code § 11166(j)',
      dueAt: '2026-11-29T16:00:00.000Z',
      deadlineBasis: 'statute',
    });
    expect(outcomeOf(conversation({ commercial_sex: 'no' })).receivesChildWelfareServices).toBe('not_asked');
  });

  it('R-REPORT-1: CWS unknown → the report opens anyway, and says so', () => {
    const outcome = outcomeOf(conversation({ commercial_sex: 'yes' }));
    expect(outcome.duties.map((duty) => duty.requirementId)).toContain('R-REPORT-1');
    expect(outcome.notices).toContainEqual(
      expect.stringMatching(/receives child welfare services is unknown/),
    );
  });

  it.each(['en', 'es'] as const)(
    'R-REPORT-1: CWS = no → no report, and the notice says why and what still applies (%s)',
    (locale) => {
      const outcome = outcomeOf(conversation({ commercial_sex: 'yes', cws: 'no' }), locale);
      expect(outcome.duties.map((duty) => duty.requirementId)).toEqual(['R-CUSTODY-3']);
      expect(outcome.notices).toContainEqual(
        expect.stringMatching(
          locale === 'en'
            ? /No report to law enforcement under Penal Code § 11166\(j\).*referral to child welfare for assessment still applies/
            : /No se abrió el informe a la policía.*sigue vigente/,
        ),
      );
    },
  );
});

describe('R-CUSTODY-3 and R-IND-1: a minor who engaged in commercial sex', () => {
  it('R-CUSTODY-3: commercial sex → refer to child welfare for assessment (dependency may apply), not charged, with a policy deadline', () => {
    const outcome = outcomeOf(
      conversation({ commercial_sex: 'yes', trafficking_indicators: ['no_freedom_of_movement'], cws: 'no' }),
    );
    expect(outcome.duties).toHaveLength(1);
    expect(outcome.duties[0]).toMatchObject({
      requirementId: 'R-CUSTODY-3',
      taskType: 'refer_child_welfare_assessment',
      citation: 'Penal Code § 647; Welf. & Inst. Code § 300(b)(2)',
      receivedAt: startedAt,
      dueAt: '2026-11-29T17:00:00.000Z',
      deadlineBasis: 'policy',
    });
    expect(outcome.duties[0]!.title).toMatch(
      /^Refer to child welfare for assessment \(dependency may apply\)/,
    );
    expect(outcome.referralNotice).toMatch(/not charged under Penal Code § 647/);
    expect(outcome.referralNotice).toMatch(
      /Refer the child to child welfare for assessment; dependency may apply/,
    );
    expect(outcome.referralNotice).toMatch(/failed to, or was unable to, protect the child/);
    expect(outcome.referralNotice).toMatch(/no force, fraud or coercion has to be shown/);
    expect(outcome.notices[0]).toBe(outcome.referralNotice);
    // The time of contact was unknown, so the outcome says the deadline may really be earlier.
    expect(outcome.receivedAtAssumed).toBe(true);
    expect(outcome.notices).toContainEqual(expect.stringMatching(/real deadline may be earlier/));
  });

  it('R-CUSTODY-3: nothing the flow says routes the child "to dependency"', () => {
    const { prompts, events } = everyPrompt();
    const texts = [
      ...prompts.flatMap(({ en, es }) => [...promptStrings(en), ...promptStrings(es)]),
      ...stringsIn(outcomeOf(events, 'en')),
      ...stringsIn(outcomeOf(events, 'es')),
    ];
    expect(
      texts.filter((text) => /rout\w* (the child )?to dependency|refer\w* .*to dependency/i.test(text)),
    ).toEqual([]);
    expect(texts.filter((text) => /deriv\w* .*al sistema de dependencia/i.test(text))).toEqual([]);
  });

  it('R-CUSTODY-3: no commercial sex reported → no referral notice and no referral task', () => {
    for (const reported of ['no', undefined]) {
      const outcome = outcomeOf(conversation(reported ? { commercial_sex: reported } : {}));
      expect(outcome.referralNotice).toBeNull();
      expect(outcome.duties).toEqual([]);
      expect(outcome.notices).not.toContainEqual(expect.stringMatching(/real deadline/));
    }
  });

  it('R-CUSTODY-3: no prompt, choice or outcome text offers a charge, citation or arrest for the minor', () => {
    const { prompts, events } = everyPrompt();
    for (const { en, es } of prompts) {
      expect(chargeOffers([...promptStrings(en), ...promptStrings(es)])).toEqual([]);
      for (const choice of en.choices ?? []) expect(choice.id).not.toMatch(/charg|cite|citation|arrest|book/);
    }
    const indicatorPrompt = prompts.find(({ en }) => en.id === 'trafficking_indicators')!;
    expect(indicatorPrompt.en.text).toMatch(/A minor is not charged under Penal Code § 647/);
    expect(indicatorPrompt.en.text).toMatch(
      /referred to child welfare for assessment, where dependency may apply/,
    );
    expect(indicatorPrompt.es.text).toMatch(/no se le acusa según el Código Penal § 647/);
    for (const locale of ['en', 'es'] as const)
      expect(chargeOffers(stringsIn(outcomeOf(events, locale)))).toEqual([]);
    // The check itself catches an offer of a charge, and lets only the statement that there is none through.
    expect(chargeOffers(['Cite the minor under § 647', 'Se le acusa', 'Arrest', 'is not charged'])).toEqual([
      'Cite the minor under § 647',
      'Se le acusa',
      'Arrest',
    ]);
  });

  it('R-IND-1: the seven Penal Code § 236.2 indicators are offered, and the chosen ones recorded in statute order', () => {
    const { prompts } = everyPrompt();
    const indicatorPrompt = prompts.find(({ en }) => en.id === 'trafficking_indicators')!.en;
    expect(indicatorPrompt.kind).toBe('multichoice');
    expect(indicatorPrompt.choices!.map((choice) => choice.id)).toEqual([
      'trauma_signs',
      'withdrawn_or_censored',
      'no_freedom_of_movement',
      'lives_where_works',
      'owes_debt',
      'contact_controlled',
      'no_control_of_documents',
      'none_observed',
    ]);
    const outcome = outcomeOf(
      conversation({ commercial_sex: 'yes', trafficking_indicators: ['owes_debt', 'trauma_signs'] }),
    );
    expect(outcome.commercialSex).toEqual({
      reported: 'yes',
      indicatorsRecorded: 'observed',
      indicators: [
        {
          id: 'trauma_signs',
          citation: 'Penal Code § 236.2(a)',
          label: 'Signs of trauma, fatigue, injury or poor care',
        },
        { id: 'owes_debt', citation: 'Penal Code § 236.2(e)', label: 'Owes a debt to an employer' },
      ],
    });
  });

  it('R-IND-1: "none observed" is recorded as such, and a sign chosen beside it still counts', () => {
    const none = outcomeOf(
      conversation({ commercial_sex: 'yes', trafficking_indicators: ['none_observed'] }),
    );
    expect(none.commercialSex).toMatchObject({ indicatorsRecorded: 'none_observed', indicators: [] });
    const both = outcomeOf(
      conversation({ commercial_sex: 'yes', trafficking_indicators: ['none_observed', 'lives_where_works'] }),
    );
    expect(both.commercialSex.indicatorsRecorded).toBe('observed');
    expect(both.commercialSex.indicators.map((indicator) => indicator.id)).toEqual(['lives_where_works']);
  });

  it('R-IND-1: the indicators are asked only when commercial sex is reported', () => {
    for (const [reported, asked] of [
      ['yes', true],
      ['no', false],
    ] as const) {
      const events = conversation({ commercial_sex: reported });
      expect(events.some((event) => 'promptId' in event && event.promptId === 'trafficking_indicators')).toBe(
        asked,
      );
    }
    expect(outcomeOf(conversation({ commercial_sex: 'no' })).commercialSex.indicatorsRecorded).toBe(
      'not_asked',
    );
  });
});

describe('R-PURPOSE: plain, bilingual, never a dead end', () => {
  const { prompts, events } = everyPrompt();

  it('visits every step of the custody check', () => {
    expect(prompts.map((prompt) => prompt.en.id)).toEqual(ALL_STEPS);
  });

  it('R-PURPOSE: every question can be answered "unknown" or skipped, and skipping all of it still completes', () => {
    for (const { en } of prompts)
      expect({ id: en.id, skippable: en.skippable, allowsUnknown: en.allowsUnknown }).toEqual({
        id: en.id,
        skippable: true,
        allowsUnknown: true,
      });
    let current = start(flow, { locale: 'en', startedAt });
    const skipped: ConversationEvent[] = [];
    for (let guard = 0; guard < 20 && current.snapshot.status !== 'done'; guard += 1) {
      const event = skip(flow.promptFor(current.snapshot, 'en').id);
      const result = step(flow, current.snapshot, event);
      if (!result.ok) throw new Error(result.rejection.code);
      skipped.push(event);
      current = result;
    }
    const outcome = outcomeOf(skipped);
    expect(outcome.criteria.result).toBe('undetermined');
    expect(outcome.duties).toEqual([]);
  });

  it('R-PURPOSE: every prompt has Spanish text of its own for every visible string, with the same ids', () => {
    for (const { en, es } of prompts) {
      expect({ id: es.id, kind: es.kind, choices: es.choices?.map((c) => c.id) }).toEqual({
        id: en.id,
        kind: en.kind,
        choices: en.choices?.map((c) => c.id),
      });
      const english = promptStrings(en);
      promptStrings(es).forEach((text, index) => {
        expect(text.trim(), `${en.id} #${index}`).not.toBe('');
        if (english[index] !== 'No') expect(text, `${en.id} #${index}`).not.toBe(english[index]);
      });
    }
  });

  it('R-PURPOSE: outcome wording is in both languages, with no {placeholder} left', () => {
    const en = outcomeOf(events, 'en');
    const es = outcomeOf(events, 'es');
    expect(es.facts).toEqual(en.facts);
    const visible = (outcome: CustodyCheckOutcome) => [
      outcome.criteria.label,
      ...outcome.criteria.reasons,
      outcome.parentContact.label ?? '',
      ...outcome.commercialSex.indicators.map((indicator) => indicator.label),
      ...outcome.notices,
      ...outcome.duties.flatMap((duty) => [duty.title, duty.description]),
    ];
    const english = visible(en);
    const spanish = visible(es);
    expect(spanish).toHaveLength(english.length);
    expect(english.length).toBeGreaterThan(8);
    spanish.forEach((text, index) => {
      expect(text).not.toBe(english[index]);
    });
    for (const { en: enPrompt, es: esPrompt } of prompts) {
      expect([...promptStrings(enPrompt), ...promptStrings(esPrompt)].join(' ')).not.toMatch(/\{\w+\}/);
    }
    expect(JSON.stringify([en, es])).not.toMatch(/\{\w+\}/);
    expect(es.duties.map((duty) => duty.title)).toEqual([
      expect.stringMatching(/^Responder al aviso de un agente/),
      expect.stringMatching(/^Remitir a los servicios de bienestar infantil/),
      expect.stringMatching(/^Informar a la agencia policial/),
      expect.stringMatching(/^Avisar al padre, la madre o el tutor/),
      expect.stringMatching(/^Dejar en libertad/),
    ]);
  });
});

describe('custody-check duty rules are data', () => {
  it('R-CUSTODY-2, R-CUSTODY-3, R-CUSTODY-4, R-REPORT-1: the rules pass the DutyRule schema and belong to this flow', () => {
    const rules = z.array(DutyRule).parse(custodyCheckDutyRules);
    expect(
      rules.map((rule) => [
        rule.requirementId,
        rule.taskType,
        rule.flow,
        rule.assigneeRole,
        rule.obligation,
        rule.due,
      ]),
    ).toEqual([
      [
        'R-CUSTODY-2',
        'respond_to_officer_notice',
        'custody-officer-notice',
        'county_intake',
        'statute',
        { withinHours: 0, basis: 'statute' },
      ],
      [
        'R-CUSTODY-3',
        'refer_child_welfare_assessment',
        'custody-check',
        'caseworker',
        'statute',
        { withinHours: 24, basis: 'policy' },
      ],
      [
        'R-REPORT-1',
        'report_to_law_enforcement',
        'custody-check',
        'caseworker',
        'statute',
        { withinHours: 24, basis: 'statute' },
      ],
      [
        'R-CUSTODY-4',
        'notify_parent_of_custody',
        'custody-check',
        'screener',
        'statute',
        { withinHours: 0, basis: 'statute' },
      ],
      [
        'R-CUSTODY-4',
        'release_or_file_petition',
        'custody-check',
        'caseworker',
        'statute',
        { withinHours: 48, basis: 'statute' },
      ],
    ]);
    for (const rule of rules) {
      expect(rule.title.es).not.toBe(rule.title.en);
      expect(rule.description.es).not.toBe(rule.description.en);
    }
  });

  it("R-CUSTODY-1: a county's own rule on the criteria fact is honoured, and other flows' rules are not", () => {
    const countyRule: DutyRule = {
      id: 'county-supervisor-review',
      flow: 'custody-check',
      taskType: 'supervisor_review',
      requirementId: 'R-CUSTODY-1',
      citation: 'County policy',
      title: {
        en: 'Supervisor review of temporary custody',
        es: 'Revisión de la custodia temporal por el supervisor',
      },
      description: { en: 'Review the custody decision.', es: 'Revise la decisión sobre la custodia.' },
      assigneeRole: 'supervisor',
      when: { criteria: ['met'] },
      due: { withinHours: 4, basis: 'policy' },
    };
    const county = createCustodyCheckFlow([...screeningDutyRules, ...custodyCheckDutyRules, countyRule]);
    const events = conversation({ reasonable_cause: 'yes', medical_need: 'yes', commercial_sex: 'yes' });
    const { snapshot } = replay(county, { locale: 'en', startedAt }, events);
    const outcome = view(county, snapshot, 'en').outcome!;
    expect(outcome.duties.map((duty) => duty.ruleId)).toEqual([
      'refer-child-welfare-assessment',
      'custody-report-law-enforcement',
      'county-supervisor-review',
    ]);
  });
});
