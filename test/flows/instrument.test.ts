import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createFlowCatalog } from '#flows/catalog.ts';
import { defaultInstrument } from '#flows/cse-screening/default-instrument.ts';
import { screeningDutyRules } from '#flows/cse-screening/duty-rules.ts';
import { Instrument } from '#flows/cse-screening/instrument.ts';
import { DutyRule } from '#flows/duty-rule.ts';
import { start, step, view } from '#flows/engine.ts';

const countyInstrument = {
  id: 'county-x-cse',
  version: '2.1.0',
  title: { en: 'County X checklist', es: 'Lista del condado X' },
  notice: { en: 'Licensed to County X.', es: 'Con licencia para el condado X.' },
  items: [
    {
      id: 'runaway_history',
      text: {
        en: 'Has the youth run away three or more times?',
        es: '¿Se ha escapado el joven tres o más veces?',
      },
      citation: 'County X policy 12.3',
      raises: 'possible',
      reason: { en: 'Repeated runaway episodes', es: 'Episodios repetidos de fuga' },
    },
  ],
};

describe('instruments are versioned data', () => {
  it('the built-in instrument and duty rules pass their own schemas', () => {
    expect(Instrument.parse(defaultInstrument)).toEqual(defaultInstrument);
    expect(z.array(DutyRule).parse(screeningDutyRules)).toEqual(screeningDutyRules);
  });

  it('R-IND-1: the default instrument asks the seven Penal Code § 236.2 indicators and the WIC § 300(b)(2) question', () => {
    const citations = defaultInstrument.items.map((item) => item.citation);
    expect(citations).toContain('Welf. & Inst. Code § 300(b)(2)');
    expect(citations.filter((citation) => citation.startsWith('Penal Code § 236.2'))).toHaveLength(7);
    expect(defaultInstrument.notice.en).toMatch(/not a validated screening tool/);
  });

  it('a county loads its own instrument without code, and conversations keep the version they started with', () => {
    const instrument = Instrument.parse(countyInstrument);
    const catalog = createFlowCatalog({ instruments: [defaultInstrument, instrument] });
    const entry = catalog.current('cse-screening', { id: 'county-x-cse', version: '2.1.0' })!;
    expect(entry.instrument).toEqual({ id: 'county-x-cse', version: '2.1.0' });
    const { snapshot } = start(entry.flow, { locale: 'es', startedAt: '2026-11-28T00:00:00Z' });
    expect(view(entry.flow, snapshot, 'es').prompt!.text).toBe('¿Se ha escapado el joven tres o más veces?');
    const next = step(entry.flow, snapshot, {
      type: 'answer.given',
      promptId: 'runaway_history',
      value: 'present',
      at: '2026-11-28T00:01:00Z',
    });
    expect(next.ok && view(entry.flow, next.snapshot, 'en').prompt!.id).toBe('determination');
    expect(catalog.exact('cse-screening', '1', { id: 'county-x-cse', version: '2.0.0' })).toBeUndefined();
  });

  it.each([
    ['a missing Spanish text', { items: [{ ...countyInstrument.items[0], text: { en: 'Only English' } }] }],
    ['duplicate item ids', { items: [countyInstrument.items[0], countyInstrument.items[0]] }],
    ['an item id the flow reserves', { items: [{ ...countyInstrument.items[0], id: 'determination' }] }],
    ['no items', { items: [] }],
    ['a version that is not semantic', { version: 'latest' }],
    ['an unknown field', { scoring: 'sum' }],
  ])('refuses %s', (_name, change) => {
    expect(Instrument.safeParse({ ...countyInstrument, ...change }).success).toBe(false);
  });
});
