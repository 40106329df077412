import { defaultInstrument } from './cse-screening/default-instrument.ts';
import { createScreeningFlow } from './cse-screening/flow.ts';
import type { Instrument } from './cse-screening/instrument.ts';
import { createCustodyCheckFlow } from './custody-check/flow.ts';
import { defaultDutyRules } from './default-duty-rules.ts';
import type { DutyRule } from './duty-rule.ts';
import type { FlowDefinition } from './engine.ts';
import { createMissingFromCareFlow } from './missing-from-care/flow.ts';
import { createPartnerScreeningFlow } from './partner-screening/flow.ts';
import { createRunawayReturnFlow } from './runaway-return/flow.ts';
import { defaultServiceCatalogue, type Service } from './services.ts';

export interface InstrumentRef {
  id: string;
  version: string;
}

export interface CatalogEntry {
  flow: FlowDefinition;
  /** The question set: a screening's instrument, or for other flows the flow's own steps. */
  instrument: InstrumentRef;
}

export interface FlowCatalog {
  flowIds(): string[];
  /** The flow a new conversation starts with: the newest version, with the county's default instrument. */
  current(flowId: string, instrument?: InstrumentRef): CatalogEntry | undefined;
  /** The exact flow an existing conversation started with, so upgrades never change a running conversation. */
  exact(flowId: string, flowVersion: string, instrument: InstrumentRef): CatalogEntry | undefined;
  /** The county's duty rules, for duties opened outside a conversation (a partner's hand-off, R-HANDOFF-1). */
  dutyRules(): readonly DutyRule[];
}

/**
 * Flows whose questions are their own (not a loadable instrument), built with the county's duty rules and
 * its service catalogue (R-SVC-2: referrals go to the county's partner organisations).
 */
type FlowFactory = (dutyRules: readonly DutyRule[], services: readonly Service[]) => FlowDefinition;
const formFlowFactories: readonly FlowFactory[] = [
  createMissingFromCareFlow,
  createRunawayReturnFlow,
  createCustodyCheckFlow,
];

const keyOf = (flowId: string, flowVersion: string, instrument: InstrumentRef) =>
  `${flowId}@${flowVersion}/${instrument.id}@${instrument.version}`;

export function createFlowCatalog(
  options: {
    instruments?: readonly Instrument[];
    dutyRules?: readonly DutyRule[];
    /** The county's R-SVC-1 catalogue, with its partner organisations per service. */
    services?: readonly Service[];
  } = {},
): FlowCatalog {
  const instruments = options.instruments ?? [defaultInstrument];
  const dutyRules = options.dutyRules ?? defaultDutyRules;
  const services = options.services ?? defaultServiceCatalogue;
  const entries = new Map<string, CatalogEntry>();
  const defaults = new Map<string, InstrumentRef>();
  const add = (flow: FlowDefinition, instrument: InstrumentRef) => {
    entries.set(keyOf(flow.id, flow.version, instrument), { flow, instrument });
    if (!defaults.has(flow.id)) defaults.set(flow.id, instrument);
  };
  for (const instrument of instruments) {
    const ref = { id: instrument.id, version: instrument.version };
    add(createScreeningFlow(instrument, dutyRules, services), ref);
    // R-HANDOFF-1: a partner screens with the same instrument, so its hand-off reads the same items.
    add(createPartnerScreeningFlow(instrument, dutyRules, services), ref);
  }
  for (const factory of formFlowFactories) {
    const flow = factory(dutyRules, services);
    add(flow, { id: flow.id, version: flow.version });
  }
  return {
    flowIds: () => [...defaults.keys()],
    current(flowId, instrument = defaults.get(flowId)) {
      if (!instrument) return undefined;
      const candidates = [...entries.values()].filter(
        (entry) =>
          entry.flow.id === flowId &&
          entry.instrument.id === instrument.id &&
          entry.instrument.version === instrument.version,
      );
      return candidates.sort((a, b) => Number(b.flow.version) - Number(a.flow.version))[0];
    },
    exact: (flowId, flowVersion, instrument) => entries.get(keyOf(flowId, flowVersion, instrument)),
    dutyRules: () => dutyRules,
  };
}
