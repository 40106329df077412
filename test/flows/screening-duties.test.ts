import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createFlowCatalog } from '#flows/catalog.ts';
import { defaultInstrument } from '#flows/cse-screening/default-instrument.ts';
import { screeningDutyRules } from '#flows/cse-screening/duty-rules.ts';
import { createScreeningFlow, type ScreeningOutcome } from '#flows/cse-screening/flow.ts';
import { Instrument } from '#flows/cse-screening/instrument.ts';
import { defaultDutyRules } from '#flows/default-duty-rules.ts';
import { AssigneeRole, Duty, dutiesFor } from '#flows/duties.ts';
import { DutyRule } from '#flows/duty-rule.ts';
import type { Locale } from '#flows/i18n.ts';
import { countyDeterminationDuties, dutyShape } from './oracle.ts';
import { type Reply, walk } from './walk.ts';

const startedAt = '2026-11-28T17:00:00.000Z';
const RECEIVED = '2026-11-28T08:00:00-08:00';
const RECEIVED_ISO = '2026-11-28T16:00:00.000Z';

const county = createScreeningFlow();
const screen = (replies: Record<string, Reply>, locale: Locale = 'en') =>
  walk<ScreeningOutcome>(county, { received_at: RECEIVED, ...replies }, locale).outcome;
const ids = (outcome: { duties: Duty[] }) => outcome.duties.map((duty) => duty.requirementId);
const byType = (outcome: { duties: Duty[] }, taskType: string) =>
  outcome.duties.filter((duty) => duty.taskType === taskType);

describe('the duty contract', () => {
  it('R-ROUTE-1: assignee roles are the ones the law names, and every shipped rule uses one', () => {
    expect(AssigneeRole.options).toEqual([
      'screener',
      'caseworker',
      'placement_worker',
      'county_intake',
      'supervisor',
    ]);
    for (const rule of z.array(DutyRule).parse(defaultDutyRules))
      expect(AssigneeRole.options).toContain(rule.assigneeRole);
    expect(new Set(defaultDutyRules.map((rule) => rule.id)).size).toBe(defaultDutyRules.length);
  });

  it('R-PLAN-1: a rule without `obligation` is a statutory duty; every duty carries one', () => {
    const rule = { ...screeningDutyRules[0]!, obligation: undefined };
    const parsed = DutyRule.parse(rule);
    expect(parsed.obligation).toBeUndefined();
    const [duty] = dutiesFor('cse-screening', { cseByLaw: 'yes' }, startedAt, [parsed], 'en');
    expect(Duty.parse(duty).obligation).toBe('statute');
    expect(DutyRule.safeParse({ ...rule, obligation: 'maybe' }).success).toBe(false);
  });
});

describe('R-REPORT-3: cross-reports where a county user identifies a CSE victim', () => {
  it('R-REPORT-3: identified → law enforcement and district attorney now, written report within 36 h, with evidence', () => {
    const outcome = screen({ exchange: 'present', determination: 'identified', cws: 'yes', open_602: 'no' });
    const cross = outcome.duties.filter((duty) => duty.requirementId === 'R-REPORT-3');
    expect(
      cross.map(({ taskType, dueAt, deadlineBasis, obligation, assigneeRole, citation }) => ({
        taskType,
        dueAt,
        deadlineBasis,
        obligation,
        assigneeRole,
        citation,
      })),
    ).toEqual([
      {
        taskType: 'cross_report_law_enforcement',
        dueAt: RECEIVED_ISO,
        deadlineBasis: 'statute',
        obligation: 'statute',
        assigneeRole: 'caseworker',
        citation: 'Penal Code §§ 11165.1, 11166',
      },
      {
        taskType: 'cross_report_district_attorney',
        dueAt: RECEIVED_ISO,
        deadlineBasis: 'statute',
        obligation: 'statute',
        assigneeRole: 'caseworker',
        citation: 'Penal Code §§ 11165.1, 11166',
      },
      {
        taskType: 'cross_report_written',
        dueAt: '2026-11-30T04:00:00.000Z',
        deadlineBasis: 'statute',
        obligation: 'statute',
        assigneeRole: 'caseworker',
        citation: 'Penal Code §§ 11165.1, 11166',
      },
    ]);
    for (const duty of cross) expect(duty.description).toMatch(/Record (the|where)/);
    expect(screen({ exchange: 'present', determination: 'identified' }, 'es').duties[1]!.title).toMatch(
      /^Informe cruzado/,
    );
  });

  it.each(['at_risk', 'neither'])(
    'R-REPORT-3: %s without the exchange → no cross-report',
    (determination) => {
      const outcome = screen({ trauma_signs: 'present', determination, cws: 'yes' });
      expect(ids(outcome)).not.toContain('R-REPORT-3');
    },
  );

  it('R-REPORT-3: identified, whatever the CWS answer (the cross-report is not limited to youth in care)', () => {
    expect(
      ids(screen({ exchange: 'present', determination: 'identified', cws: 'no' })).filter(
        (id) => id === 'R-REPORT-3',
      ),
    ).toHaveLength(3);
  });
});

describe('R-OVERRIDE-1: an exchange of sex for something of value is CSE by law', () => {
  it.each(['at_risk', 'neither'])(
    'R-OVERRIDE-1: exchange present, overridden to %s → R-REPORT-1 stays owed and a supervisor co-signs now',
    (determination) => {
      const outcome = screen({
        exchange: 'present',
        determination,
        override_reason: 'Peer joke',
        cws: 'yes',
        open_602: 'no',
      });
      expect(outcome.override).toBe(true);
      expect(outcome.facts).toMatchObject({ exchangeIndicator: 'present', cseByLaw: 'yes', determination });
      expect(byType(outcome, 'report_to_law_enforcement').map(dutyShape)).toEqual([
        {
          requirementId: 'R-REPORT-1',
          dueAt: '2026-11-29T16:00:00.000Z',
          assigneeRole: 'caseworker',
          obligation: 'statute',
          deadlineBasis: 'statute',
        },
      ]);
      expect(byType(outcome, 'supervisor_cosign_override')).toEqual([
        expect.objectContaining({
          requirementId: 'R-OVERRIDE-1',
          assigneeRole: 'supervisor',
          dueAt: RECEIVED_ISO,
          deadlineBasis: 'statute',
          citation: 'Penal Code §§ 236.1(c), 11165.1',
        }),
      ]);
      expect(outcome.notices).toContainEqual(
        expect.stringMatching(/victim of commercial sexual exploitation by law.*supervisor must co-sign/),
      );
      const spanish = screen(
        { exchange: 'present', determination, override_reason: 'Broma', cws: 'yes' },
        'es',
      );
      expect(spanish.notices).toContainEqual(expect.stringMatching(/por ley.*supervisor debe refrendar/));
    },
  );

  it('R-OVERRIDE-1: identified with the exchange → no co-sign (nothing was overridden down)', () => {
    const outcome = screen({ exchange: 'present', determination: 'identified', cws: 'yes' });
    expect(ids(outcome)).not.toContain('R-OVERRIDE-1');
    expect(outcome.notices.join(' ')).not.toMatch(/co-sign/);
  });

  it('R-OVERRIDE-1: the exchange present but CWS = no → the co-sign still opens; no R-REPORT-1, and the notice says why', () => {
    const outcome = screen({
      exchange: 'present',
      determination: 'neither',
      override_reason: 'x',
      cws: 'no',
    });
    expect(ids(outcome)).toEqual(['R-OVERRIDE-1']);
    expect(outcome.notices).toContainEqual(
      expect.stringMatching(/No report to law enforcement under Penal Code § 11166\(j\)/),
    );
  });

  it('R-OVERRIDE-1: an instrument that flags no exchange item changes nothing', () => {
    const unflagged = Instrument.parse({
      ...defaultInstrument,
      id: 'county-unflagged',
      items: defaultInstrument.items.map(({ exchangeIndicator: _flag, ...item }) => item),
    });
    const flow = createScreeningFlow(unflagged);
    const { outcome } = walk(flow, {
      exchange: 'present',
      determination: 'neither',
      override_reason: 'x',
      cws: 'yes',
    });
    expect(outcome.facts).toMatchObject({ exchangeIndicator: 'absent', cseByLaw: 'no' });
    expect(ids(outcome)).toEqual([]);
    expect(outcome.notices.join(' ')).not.toMatch(/co-sign/);
  });

  it('R-OVERRIDE-1: the default instrument flags exactly the WIC § 300(b)(2) item, and the schema allows the flag', () => {
    expect(defaultInstrument.items.filter((item) => item.exchangeIndicator).map((item) => item.id)).toEqual([
      'exchange',
    ]);
    expect(Instrument.parse(defaultInstrument)).toEqual(defaultInstrument);
  });
});

describe('R-PLAN-1: the statute for victims, county policy for youth at risk', () => {
  it('R-PLAN-1: identified → statutory duty; at risk → a separate rule labelled county policy', () => {
    const identified = byType(
      screen({ exchange: 'present', determination: 'identified' }),
      'interagency_case_planning',
    );
    expect(identified.map((duty) => [duty.ruleId, duty.obligation, duty.deadlineBasis])).toEqual([
      ['interagency-case-planning', 'statute', 'policy'],
    ]);
    const atRisk = byType(
      screen({ trauma_signs: 'present', determination: 'at_risk' }),
      'interagency_case_planning',
    );
    expect(atRisk.map((duty) => [duty.ruleId, duty.obligation, duty.deadlineBasis])).toEqual([
      ['interagency-case-planning-at-risk', 'policy', 'policy'],
    ]);
    expect(atRisk[0]!.title).toMatch(/county policy/);
    expect(atRisk[0]!.description).toMatch(/^County policy, not a statutory duty/);
    const spanish = byType(
      screen({ trauma_signs: 'present', determination: 'at_risk' }, 'es'),
      'interagency_case_planning',
    );
    expect(spanish[0]!.title).toMatch(/política del condado/);
  });
});

describe('R-DEF-1: the trafficking-victim defense', () => {
  it('R-DEF-1: § 602 status unknown → the task opens, and the notice says to confirm or cancel', () => {
    const outcome = screen({ trauma_signs: 'present', determination: 'at_risk', open_602: 'unknown' });
    const [defense] = byType(outcome, 'advise_trafficking_defense');
    expect(defense).toMatchObject({
      requirementId: 'R-DEF-1',
      dueAt: '2026-12-01T16:00:00.000Z',
      obligation: 'policy',
    });
    expect(outcome.notices).toContainEqual(
      expect.stringMatching(
        /§ 602 .* is unknown, so the task about the trafficking-victim defense was opened anyway/,
      ),
    );
  });

  it('R-DEF-1: the description states the full elements of the defense', () => {
    const [defense] = byType(
      screen({ exchange: 'present', determination: 'identified', open_602: 'yes' }),
      'advise_trafficking_defense',
    );
    expect(defense!.description).toMatch(/direct result of being a trafficking victim/);
    expect(defense!.description).toMatch(/reasonable fear of harm/);
    expect(defense!.description).toMatch(
      /serious or violent felonies \(Penal Code §§ 667\.5\(c\), 1192\.7\(c\)\)/,
    );
    expect(defense!.description).toMatch(/the court shall dismiss/);
    expect(defense!.description).toMatch(/WIC § 786/);
  });

  it.each(['en', 'es'] as const)('R-DEF-1: § 602 = no → no task, and a notice says why (%s)', (locale) => {
    const outcome = screen({ exchange: 'present', determination: 'identified', open_602: 'no' }, locale);
    expect(ids(outcome)).not.toContain('R-DEF-1');
    expect(outcome.notices).toContainEqual(
      expect.stringMatching(
        locale === 'en'
          ? /No WIC § 602 .* no task about the trafficking-victim defense/
          : /No hay ningún caso abierto bajo el WIC § 602/,
      ),
    );
  });
});

describe('every outcome says why an expected duty was not opened', () => {
  it.each(['en', 'es'] as const)('identified but CWS = no → no R-REPORT-1, and why (%s)', (locale) => {
    const outcome = screen(
      { exchange: 'present', determination: 'identified', cws: 'no', open_602: 'no' },
      locale,
    );
    expect(ids(outcome)).not.toContain('R-REPORT-1');
    expect(outcome.notices).toContainEqual(
      expect.stringMatching(
        locale === 'en'
          ? /covers youth receiving child welfare services/
          : /se refiere a jóvenes que reciben servicios de bienestar infantil/,
      ),
    );
  });

  it.each(['en', 'es'] as const)('neither with no exchange → no duties, and why (%s)', (locale) => {
    const outcome = screen({ determination: 'neither', cws: 'yes', open_602: 'yes' }, locale);
    expect(outcome.duties).toEqual([]);
    expect(outcome.notices).toEqual([
      expect.stringMatching(
        locale === 'en'
          ? /^Your determination is neither.*Penal Code § 11166/
          : /^Su determinación es ninguno/,
      ),
    ]);
  });

  it.each(['en', 'es'] as const)('at risk → no report or cross-report, and why (%s)', (locale) => {
    const outcome = screen(
      { trauma_signs: 'present', determination: 'at_risk', cws: 'yes', open_602: 'no' },
      locale,
    );
    expect(ids(outcome)).toEqual(['R-PLAN-1']);
    expect(outcome.notices).toContainEqual(
      expect.stringMatching(
        locale === 'en' ? /^At risk is not an identification/ : /^Estar en riesgo no es una identificación/,
      ),
    );
  });

  it('the county screening matches the oracle on these situations', () => {
    for (const [determination, exchange] of [
      ['identified', 'present'],
      ['at_risk', 'present'],
      ['neither', 'not_present'],
    ] as const) {
      const outcome = screen({
        exchange,
        determination,
        override_reason: 'x',
        cws: 'unknown',
        open_602: 'unknown',
      });
      expect(outcome.duties.map(dutyShape)).toEqual(
        countyDeterminationDuties({
          determination,
          exchange: exchange === 'present',
          cws: 'unknown',
          open602: 'unknown',
          receivedAt: RECEIVED_ISO,
          cosign: true,
        }),
      );
    }
  });
});

describe('the catalog', () => {
  it('R-HANDOFF-1: registers the partner screening for every instrument, beside the county screening', () => {
    const countyInstrument = Instrument.parse({ ...defaultInstrument, id: 'county-x', version: '2.0.0' });
    const catalog = createFlowCatalog({ instruments: [defaultInstrument, countyInstrument] });
    expect(catalog.flowIds()).toContain('partner-cse-screening');
    for (const ref of [
      { id: defaultInstrument.id, version: '1.0.0' },
      { id: 'county-x', version: '2.0.0' },
    ]) {
      const partner = catalog.current('partner-cse-screening', ref)!;
      expect(partner.instrument).toEqual(ref);
      expect(catalog.exact('partner-cse-screening', partner.flow.version, ref)!.flow).toBe(partner.flow);
      expect(catalog.current('cse-screening', ref)!.instrument).toEqual(ref);
    }
  });
});
