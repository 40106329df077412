import { defaultInstrument } from './cse-screening/default-instrument.ts';
import { createScreeningFlow, SCREENING_FLOW_ID } from './cse-screening/flow.ts';
import type { Instrument } from './cse-screening/instrument.ts';
import type { DutyRule } from './duty-rule.ts';
import type { FlowDefinition } from './engine.ts';

export interface InstrumentRef {
  id: string;
  version: string;
}

export interface CatalogEntry {
  flow: FlowDefinition;
  instrument: InstrumentRef;
}

export interface FlowCatalog {
  flowIds(): string[];
  /** The flow a new conversation starts with: the newest version, with the county's default instrument. */
  current(flowId: string, instrument?: InstrumentRef): CatalogEntry | undefined;
  /** The exact flow an existing conversation started with, so upgrades never change a running conversation. */
  exact(flowId: string, flowVersion: string, instrument: InstrumentRef): CatalogEntry | undefined;
}

const keyOf = (flowId: string, flowVersion: string, instrument: InstrumentRef) =>
  `${flowId}@${flowVersion}/${instrument.id}@${instrument.version}`;

export function createFlowCatalog(
  options: { instruments?: readonly Instrument[]; screeningDutyRules?: readonly DutyRule[] } = {},
): FlowCatalog {
  const instruments = options.instruments ?? [defaultInstrument];
  const entries = new Map<string, CatalogEntry>();
  for (const instrument of instruments) {
    const flow = createScreeningFlow(instrument, options.screeningDutyRules);
    const ref = { id: instrument.id, version: instrument.version };
    entries.set(keyOf(flow.id, flow.version, ref), { flow, instrument: ref });
  }
  const defaultInstrumentRef = { id: instruments[0]!.id, version: instruments[0]!.version };
  return {
    flowIds: () => [SCREENING_FLOW_ID],
    current(flowId, instrument = defaultInstrumentRef) {
      const candidates = [...entries.values()].filter(
        (entry) =>
          entry.flow.id === flowId &&
          entry.instrument.id === instrument.id &&
          entry.instrument.version === instrument.version,
      );
      return candidates.sort((a, b) => Number(b.flow.version) - Number(a.flow.version))[0];
    },
    exact: (flowId, flowVersion, instrument) => entries.get(keyOf(flowId, flowVersion, instrument)),
  };
}
