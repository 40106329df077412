import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createFlowCatalog } from '#flows/catalog.ts';
import { defaultDutyRules } from '#flows/default-duty-rules.ts';
import { DutyRule } from '#flows/duty-rule.ts';
import { replay, view } from '#flows/engine.ts';
import { HANDOFF_DUTY_FLOW, handoffDuties, handoffDutyRules, handoffNotices } from '#flows/handoff.ts';
import { partnerScreeningDutyRules } from '#flows/partner-screening/duty-rules.ts';
import {
  createPartnerScreeningFlow,
  PARTNER_SCREENING_FLOW_ID,
  type PartnerScreeningOutcome,
} from '#flows/partner-screening/flow.ts';
import { PartnerScreeningOutcome as OutcomeSchema } from '#flows/partner-screening/outcome.ts';
import { countyDeterminationDuties, dutyShape } from './oracle.ts';
import { type Reply, walk } from './walk.ts';

const RECEIVED = '2026-11-28T08:00:00-08:00';
const RECEIVED_ISO = '2026-11-28T16:00:00.000Z';
/** The county receives the hand-off hours after the shelter learned of the concern. */
const COUNTY_RECEIVED = '2026-11-28T21:15:00.000Z';

const partner = createPartnerScreeningFlow(undefined, defaultDutyRules);
const screen = (replies: Record<string, Reply>, locale: 'en' | 'es' = 'en') =>
  walk<PartnerScreeningOutcome>(partner, { received_at: RECEIVED, ...replies }, locale);

describe('R-MANDATED-1: a shelter’s own mandated-reporter tasks', () => {
  it.each(['en', 'es'] as const)(
    'R-MANDATED-1: a concern → telephone report now and written report (SS 8572) within 36 h, for the screener (%s)',
    (locale) => {
      const { outcome } = screen({ trauma_signs: 'present', determination: 'at_risk' }, locale);
      expect(
        outcome.duties.map(
          ({ taskType, requirementId, assigneeRole, dueAt, deadlineBasis, obligation, citation }) => ({
            taskType,
            requirementId,
            assigneeRole,
            dueAt,
            deadlineBasis,
            obligation,
            citation,
          }),
        ),
      ).toEqual([
        {
          taskType: 'mandated_phone_report',
          requirementId: 'R-MANDATED-1',
          assigneeRole: 'screener',
          dueAt: RECEIVED_ISO,
          deadlineBasis: 'statute',
          obligation: 'statute',
          citation: 'Penal Code § 11166(a)',
        },
        {
          taskType: 'mandated_written_report',
          requirementId: 'R-MANDATED-1',
          assigneeRole: 'screener',
          dueAt: '2026-11-30T04:00:00.000Z',
          deadlineBasis: 'statute',
          obligation: 'statute',
          citation: 'Penal Code § 11166(a)',
        },
      ]);
      expect(outcome.duties[1]!.title).toMatch(/SS 8572/);
      expect(outcome.notices).toEqual([
        expect.stringMatching(
          locale === 'en' ? /mandated-reporter tasks were opened/ : /informante obligatorio/,
        ),
      ]);
    },
  );

  it('R-MANDATED-1, R-OVERRIDE-1: the exchange present but determined "neither" → the tasks still open and the hand-off is owed', () => {
    const { outcome } = screen({
      exchange: 'present',
      determination: 'neither',
      override_reason: 'Not sure',
    });
    expect(outcome.duties.map((duty) => duty.taskType)).toEqual([
      'mandated_phone_report',
      'mandated_written_report',
    ]);
    expect(outcome.handoff).toMatchObject({
      owed: true,
      determination: 'neither',
      exchangeIndicator: 'present',
    });
    expect(outcome.notices[0]).toMatch(/victim by law/);
  });

  it.each(['en', 'es'] as const)(
    'R-MANDATED-1: no concern → no task, no hand-off, and the notice says why (%s)',
    (locale) => {
      const { outcome } = screen({ determination: 'neither' }, locale);
      expect(outcome.duties).toEqual([]);
      expect(outcome.handoff.owed).toBe(false);
      expect(outcome.notices).toEqual([
        expect.stringMatching(
          locale === 'en' ? /^No concern was found.*§ 11166\(a\)/ : /^No se encontró ninguna preocupación/,
        ),
      ]);
    },
  );

  it('R-MANDATED-1: the rules pass their schema and belong to the partner flow', () => {
    expect(z.array(DutyRule).parse(partnerScreeningDutyRules)).toEqual(partnerScreeningDutyRules);
    for (const rule of partnerScreeningDutyRules) expect(rule.flow).toBe(PARTNER_SCREENING_FLOW_ID);
  });
});

describe('R-HANDOFF-1: the partner’s hand-off to the county', () => {
  it('R-HANDOFF-1: the partner screening never asks child welfare or § 602 status', () => {
    const { asked, outcome } = screen({ exchange: 'present', determination: 'identified' });
    expect(asked).not.toContain('cws');
    expect(asked).not.toContain('open_602');
    expect(asked.slice(-3)).toEqual(['determination', 'services', 'received_at']);
    expect(outcome.facts).toEqual({
      determination: 'identified',
      exchangeIndicator: 'present',
      cseByLaw: 'yes',
      concernFound: 'yes',
      setting: 'partner',
    });
    OutcomeSchema.parse(outcome);
  });

  it('R-HANDOFF-1: the hand-off carries exactly what the county needs: labels, no notes and no free text', () => {
    const { outcome } = walk<PartnerScreeningOutcome>(partner, {
      received_at: RECEIVED,
      determination: 'at_risk',
      override_reason: 'SECRET override reason typed by staff',
      services: ['legal_assistance', 'emergency_housing'],
    });
    expect(Object.keys(outcome.handoff).sort()).toEqual([
      'determination',
      'exchangeIndicator',
      'indicatorsPresent',
      'informationReceivedAt',
      'owed',
      'servicesWanted',
    ]);
    expect(outcome.handoff).toEqual({
      owed: true,
      determination: 'at_risk',
      exchangeIndicator: 'absent',
      indicatorsPresent: [],
      servicesWanted: [
        {
          id: 'emergency_housing',
          label: 'Emergency housing or shelter assistance (vouchers, deposits, furniture)',
        },
        { id: 'legal_assistance', label: 'Legal assistance' },
      ],
      informationReceivedAt: RECEIVED_ISO,
    });
    expect(JSON.stringify(outcome.handoff)).not.toMatch(/SECRET/);
    // The shelter refers nothing itself: no referral task, whatever the services wanted.
    expect(outcome.duties.map((duty) => duty.requirementId)).toEqual(['R-MANDATED-1', 'R-MANDATED-1']);
  });

  it('R-HANDOFF-1: notes typed beside an indicator never reach the hand-off; the indicator’s own label does', () => {
    const at = '2026-11-28T17:30:00.000Z';
    const items = [
      'exchange',
      'trauma_signs',
      'withdrawn_or_censored',
      'no_freedom_of_movement',
      'lives_where_works',
      'owes_debt',
      'contact_controlled',
      'no_control_of_documents',
    ];
    const events = [
      ...items.map((id) =>
        id === 'owes_debt'
          ? { type: 'answer.given' as const, promptId: id, value: 'present', note: 'NOTE with a name', at }
          : { type: 'answer.given' as const, promptId: id, value: 'not_present', at },
      ),
      { type: 'answer.given' as const, promptId: 'determination', value: 'at_risk', at },
      { type: 'answer.unknown' as const, promptId: 'services', at },
      { type: 'answer.given' as const, promptId: 'received_at', value: RECEIVED, at },
    ];
    for (const locale of ['en', 'es'] as const) {
      const { snapshot } = replay(partner, { locale, startedAt: '2026-11-28T17:00:00.000Z' }, events);
      const outcome = view(partner, snapshot, locale).outcome!;
      expect(outcome.indicators.find((indicator) => indicator.id === 'owes_debt')!.note).toBe(
        'NOTE with a name',
      );
      expect(outcome.handoff.indicatorsPresent).toEqual([
        {
          id: 'owes_debt',
          label: locale === 'en' ? 'Owes a debt to an employer' : 'Tiene una deuda con un empleador',
        },
      ]);
      expect(JSON.stringify(outcome.handoff)).not.toMatch(/NOTE/);
    }
  });

  it.each([
    ['identified', 'present'],
    ['identified', 'absent'],
    ['at_risk', 'absent'],
    ['at_risk', 'present'],
    ['neither', 'present'],
    ['neither', 'absent'],
  ] as const)(
    'R-HANDOFF-1: %s (exchange %s) → the county’s R-REPORT-1, R-REPORT-3, R-PLAN-1, R-DEF-1 run from the county’s receipt',
    (determination, exchangeIndicator) => {
      const duties = handoffDuties(
        { determination, exchangeIndicator },
        COUNTY_RECEIVED,
        defaultDutyRules,
        'en',
      );
      expect(duties.map(dutyShape)).toEqual(
        countyDeterminationDuties({
          determination,
          exchange: exchangeIndicator === 'present',
          cws: 'unknown',
          open602: 'unknown',
          receivedAt: COUNTY_RECEIVED,
          cosign: false,
        }),
      );
      for (const duty of duties) expect(duty.receivedAt).toBe(COUNTY_RECEIVED);
    },
  );

  it('R-HANDOFF-1: an identified victim → R-REPORT-1 due 24 h after the county received it, with notices to confirm', () => {
    const duties = handoffDuties({ determination: 'identified' }, COUNTY_RECEIVED, defaultDutyRules, 'es');
    expect(duties.map((duty) => duty.requirementId)).toEqual([
      'R-REPORT-1',
      'R-REPORT-3',
      'R-REPORT-3',
      'R-REPORT-3',
      'R-PLAN-1',
      'R-DEF-1',
    ]);
    expect(duties[0]).toMatchObject({ dueAt: '2026-11-29T21:15:00.000Z', assigneeRole: 'caseworker' });
    expect(duties[0]!.title).toMatch(/^Informar a la agencia policial/);
    const en = handoffNotices({ determination: 'identified' }, duties, 'en');
    expect(en).toEqual([
      expect.stringMatching(
        /cannot know whether the youth receives child welfare services.*cancel it with the reason/,
      ),
      expect.stringMatching(/cannot know whether the youth has an open WIC § 602.*cancel it with the reason/),
    ]);
    const es = handoffNotices({ determination: 'identified' }, duties, 'es');
    expect(es).toHaveLength(2);
    expect(es[0]).toMatch(/no puede saber si el joven recibe servicios/);
  });

  it('R-HANDOFF-1, R-OVERRIDE-1: a partner’s "neither" with the exchange → R-REPORT-1 only, and the notice says why', () => {
    const handoff = { determination: 'neither', exchangeIndicator: 'present' } as const;
    const duties = handoffDuties(handoff, COUNTY_RECEIVED, defaultDutyRules, 'en');
    expect(duties.map((duty) => duty.requirementId)).toEqual(['R-REPORT-1']);
    expect(handoffNotices(handoff, duties, 'en')[0]).toMatch(
      /victim \(Penal Code §§ 236\.1\(c\), 11165\.1\)/,
    );
    const none = handoffDuties({ determination: 'neither' }, COUNTY_RECEIVED, defaultDutyRules, 'en');
    expect(none).toEqual([]);
    expect(handoffNotices({ determination: 'neither' }, none, 'en')).toEqual([
      expect.stringMatching(/opens no county task/),
    ]);
  });

  it('R-HANDOFF-1: the partner’s outcome feeds the county’s duties, which a county changes as data', () => {
    const { outcome } = screen({ exchange: 'present', determination: 'identified' });
    const countyDuties = handoffDuties(outcome.handoff, COUNTY_RECEIVED, defaultDutyRules, 'en');
    // A county without R-DEF-1 on hand-offs drops that rule, and nothing else changes.
    const county = defaultDutyRules.filter((rule) => rule.id !== 'handoff-advise-trafficking-defense');
    expect(countyDuties).toHaveLength(6);
    expect(z.array(DutyRule).parse(handoffDutyRules)).toEqual(handoffDutyRules);
    for (const rule of handoffDutyRules) expect(rule.flow).toBe(HANDOFF_DUTY_FLOW);
    expect(defaultDutyRules).toEqual(expect.arrayContaining([...handoffDutyRules]));
    // The catalog hands the county's own rules to whoever opens the hand-off's tasks.
    expect(createFlowCatalog().dutyRules()).toBe(defaultDutyRules);
    expect(createFlowCatalog({ dutyRules: county }).dutyRules()).toBe(county);
    expect(
      handoffDuties(outcome.handoff, COUNTY_RECEIVED, county, 'en').map((duty) => duty.requirementId),
    ).toEqual(['R-REPORT-1', 'R-REPORT-3', 'R-REPORT-3', 'R-REPORT-3', 'R-PLAN-1']);
  });
});
