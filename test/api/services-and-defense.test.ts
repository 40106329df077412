import { describe, expect, it } from 'vitest';
import { createFlowCatalog } from '#flows/catalog.ts';
import { start, step, view } from '#flows/engine.ts';
import type { ConversationEvent } from '#flows/events.ts';
import { defaultServiceCatalogue } from '#flows/services.ts';
import { fullScreening, ScreeningDriver } from '../support/screening.ts';
import { createTestStack } from '../support/stack.ts';

type Task = { requirementId: string; taskType: string; title: string; dueAt: string; referTo?: unknown };

describe('R-SVC-1: specialized services', () => {
  it('the catalogue holds exactly the services the seed lists', () => {
    expect(defaultServiceCatalogue.map((service) => service.label.en)).toEqual([
      'Specialized counseling',
      'Tattoo removal',
      'Seeking and obtaining specialized housing',
      'Emergency housing or shelter assistance (vouchers, deposits, furniture)',
      'Addressing gang affiliation',
      'Reproductive health and healthy relationships education',
      'Legal assistance',
      'Pregnancy and parenting services',
      'Financial education training',
      'Vocational, life-skills and other CSEC trainings',
      'Stipends for taking part in trainings',
    ]);
  });

  it('R-SVC-1: each service chosen at the end of a screening becomes a referral task', async () => {
    const stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
    const driver = await ScreeningDriver.start(stack);
    const reply = await driver.sendAll(
      fullScreening({
        determination: 'identified',
        cws: 'yes',
        services: ['specialized_counseling', 'legal_assistance'],
        receivedAt: '2026-11-28T16:00:00Z',
      }),
    );
    const referrals = reply.body.tasks.filter((task: Task) => task.taskType === 'referral');
    expect(referrals.map((task: Task) => [task.requirementId, task.title, task.dueAt])).toEqual([
      ['R-SVC-1', 'Referral: Specialized counseling', '2026-12-12T16:00:00.000Z'],
      ['R-SVC-1', 'Referral: Legal assistance', '2026-12-12T16:00:00.000Z'],
    ]);
    expect(reply.body.outcome.servicesNeeded.map((service: { id: string }) => service.id)).toEqual([
      'specialized_counseling',
      'legal_assistance',
    ]);
  });
});

describe('R-SVC-2: partner organisations', () => {
  it('R-SVC-2: a referral goes to the partner organisations the county names for that service', () => {
    const services = defaultServiceCatalogue.map((service) =>
      service.id === 'emergency_housing'
        ? { ...service, partners: [{ org: 'shelter-north', name: 'North Valley Youth Shelter' }] }
        : service,
    );
    const { flow } = createFlowCatalog({ services }).current('cse-screening')!;
    const at = '2026-11-28T17:00:00.000Z';
    let current = start(flow, { locale: 'en', startedAt: at });
    for (let guard = 0; guard < 20 && current.snapshot.status !== 'done'; guard += 1) {
      const prompt = view(flow, current.snapshot, 'en').prompt!;
      const event: ConversationEvent =
        prompt.id === 'services'
          ? { type: 'answer.given', promptId: prompt.id, value: ['emergency_housing'], at }
          : prompt.id === 'determination'
            ? { type: 'answer.given', promptId: prompt.id, value: 'neither', at }
            : { type: 'answer.unknown', promptId: prompt.id, at };
      const result = step(flow, current.snapshot, event);
      if (!result.ok) throw new Error(result.rejection.code);
      current = result;
    }
    const referral = view(flow, current.snapshot, 'en').outcome!.duties.find(
      (duty) => duty.taskType === 'referral',
    );
    expect(referral?.referTo).toEqual([{ org: 'shelter-north', name: 'North Valley Youth Shelter' }]);
    expect(referral?.description).toContain('North Valley Youth Shelter');
  });
});

describe('R-DEF-1: the affirmative defense', () => {
  it('R-DEF-1: identified or at risk with an open WIC § 602 matter tells the case team and counsel; otherwise not', async () => {
    const stack = await createTestStack();
    const withMatter = await ScreeningDriver.start(stack);
    const identified = await withMatter.sendAll(
      fullScreening({
        determination: 'identified',
        cws: 'no',
        open602: 'yes',
        receivedAt: '2026-11-28T16:00:00Z',
      }),
    );
    const defense = identified.body.tasks.find((task: Task) => task.requirementId === 'R-DEF-1');
    expect(defense).toMatchObject({
      taskType: 'advise_trafficking_defense',
      citation: 'Penal Code § 236.23; Welf. & Inst. Code § 786',
    });

    const noMatter = await ScreeningDriver.start(stack);
    const without = await noMatter.sendAll(
      fullScreening({
        determination: 'identified',
        cws: 'no',
        open602: 'no',
        receivedAt: '2026-11-28T16:00:00Z',
      }),
    );
    expect(without.body.tasks.map((task: Task) => task.requirementId)).not.toContain('R-DEF-1');

    const neither = await ScreeningDriver.start(stack);
    const notAtRisk = await neither.sendAll(
      fullScreening({ exchange: 'not_present', determination: 'neither', cws: 'no', open602: 'yes' }),
    );
    expect(notAtRisk.body.tasks.map((task: Task) => task.requirementId)).not.toContain('R-DEF-1');
  });
});
