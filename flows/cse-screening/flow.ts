import type { AnyMachineSnapshot } from 'xstate';
import { answerValues } from '../answers.ts';
import type { DutyRule } from '../duty-rule.ts';
import type { FlowDefinition } from '../engine.ts';
import { fill, type Locale, type LocalizedText, localize } from '../i18n.ts';
import type { Prompt } from '../prompt.ts';
import { defaultServiceCatalogue, type Service } from '../services.ts';
import { navigationWords } from '../wording.ts';
import { defaultInstrument } from './default-instrument.ts';
import { determinationOutcome } from './determination-outcome.ts';
import { screeningDutyRules } from './duty-rules.ts';
import type { Instrument } from './instrument.ts';
import { createScreeningMachine, DECISION_STEPS, type ScreeningContext } from './machine.ts';
import type { IndicatorAnswer, ScreeningOutcome } from './outcome.ts';
import { type Answer, type Proposal, propose } from './scoring.ts';
import {
  concernLevelNames,
  determinationChoices,
  indicatorChoices,
  screeningWords,
  sections,
  yesNoChoices,
} from './wording.ts';

export type { ScreeningOutcome } from './outcome.ts';

export const SCREENING_FLOW_ID = 'cse-screening';
/** Bumped whenever the machine's shape changes; a conversation keeps the version it started with. */
export const SCREENING_FLOW_VERSION = '1';

const outcomeNotices = {
  receivedAtAssumed: {
    en: 'The time the information was received is unknown; deadlines run from the start of this screening and the real deadline may be earlier. Report immediately.',
    es: 'Se desconoce cuándo se recibió la información; los plazos se cuentan desde el inicio de esta evaluación y el plazo real podría ser anterior. Informe de inmediato.',
  },
} satisfies Record<string, LocalizedText>;

function choicesOf(words: Record<string, LocalizedText>, locale: Locale) {
  return Object.entries(words).map(([id, label]) => ({ id, label: localize(label, locale) }));
}

function reasonsOf(instrument: Instrument, proposal: Proposal, locale: Locale): string[] {
  const reasons = instrument.items
    .filter((item) => proposal.presentItemIds.includes(item.id))
    .map((item) => localize(item.reason, locale));
  if (reasons.length === 0) reasons.push(localize(screeningWords.noReasons, locale));
  if (proposal.unansweredCount > 0) {
    reasons.push(fill(localize(screeningWords.unanswered, locale), { count: proposal.unansweredCount }));
  }
  return reasons;
}

function indicatorAnswer(answer: Answer | undefined): IndicatorAnswer {
  if (answer === undefined) return 'skipped';
  if (answer.status === 'answered') return answer.value === 'present' ? 'present' : 'not_present';
  return answer.status;
}

export function createScreeningFlow(
  instrument: Instrument = defaultInstrument,
  dutyRules: readonly DutyRule[] = screeningDutyRules,
  services: readonly Service[] = defaultServiceCatalogue,
): FlowDefinition<ScreeningOutcome> {
  const machine = createScreeningMachine(instrument);
  const total = instrument.items.length + DECISION_STEPS.length - 1;

  function promptFor(snapshot: AnyMachineSnapshot, locale: Locale): Prompt {
    const context = snapshot.context as ScreeningContext;
    const stepId = snapshot.value as string;
    const itemIndex = instrument.items.findIndex((item) => item.id === stepId);
    const base = {
      id: stepId,
      canGoBack: stepId !== instrument.items[0]?.id,
      actions: {
        unknown: localize(navigationWords.unknown, locale),
        skip: localize(navigationWords.skip, locale),
        back: localize(navigationWords.back, locale),
        pause: localize(navigationWords.pause, locale),
      },
    };
    const item = instrument.items[itemIndex];
    if (item) {
      return {
        ...base,
        kind: 'choice',
        section: localize(sections.indicators, locale),
        text: localize(item.text, locale),
        help: localize(item.help ?? screeningWords.indicatorHelpDefault, locale),
        choices: choicesOf(indicatorChoices, locale),
        skippable: true,
        allowsUnknown: true,
        allowsNote: true,
        progress: { n: itemIndex + 1, of: total },
      };
    }
    const proposal = propose(instrument, context.answers);
    const level = localize(concernLevelNames[proposal.level], locale);
    const decisionIndex = instrument.items.length;
    switch (stepId) {
      case 'determination':
        // The screener decides: skipping would leave the duties undetermined, so pause or back are the way out.
        return {
          ...base,
          kind: 'choice',
          section: localize(sections.determination, locale),
          text: fill(localize(screeningWords.determination, locale), { level }),
          help: fill(localize(screeningWords.reasonsIntro, locale), {
            reasons: reasonsOf(instrument, proposal, locale).join('; '),
          }),
          choices: choicesOf(determinationChoices, locale),
          skippable: false,
          allowsUnknown: false,
          allowsNote: false,
          progress: { n: decisionIndex + 1, of: total },
        };
      case 'override_reason':
        return {
          ...base,
          kind: 'text',
          section: localize(sections.determination, locale),
          text: fill(localize(screeningWords.overrideReason, locale), { level }),
          help: localize(screeningWords.overrideReasonHelp, locale),
          skippable: false,
          allowsUnknown: false,
          allowsNote: false,
          progress: { n: decisionIndex + 1, of: total },
        };
      case 'cws':
        return {
          ...base,
          kind: 'choice',
          section: localize(sections.reporting, locale),
          text: localize(screeningWords.cws, locale),
          help: localize(screeningWords.cwsHelp, locale),
          choices: choicesOf(yesNoChoices, locale),
          skippable: true,
          allowsUnknown: true,
          allowsNote: false,
          progress: { n: decisionIndex + 2, of: total },
        };
      case 'open_602':
        // R-DEF-1: an open delinquency matter changes what the case team and counsel must be told.
        return {
          ...base,
          kind: 'choice',
          section: localize(sections.reporting, locale),
          text: localize(screeningWords.open602, locale),
          help: localize(screeningWords.open602Help, locale),
          choices: choicesOf(yesNoChoices, locale),
          skippable: true,
          allowsUnknown: true,
          allowsNote: false,
          progress: { n: decisionIndex + 3, of: total },
        };
      case 'services':
        // R-SVC-1: the services the youth needs become referral tasks.
        return {
          ...base,
          kind: 'multichoice',
          section: localize(sections.services, locale),
          text: localize(screeningWords.services, locale),
          help: localize(screeningWords.servicesHelp, locale),
          choices: services.map((service) => ({ id: service.id, label: localize(service.label, locale) })),
          skippable: true,
          allowsUnknown: true,
          allowsNote: false,
          progress: { n: decisionIndex + 4, of: total },
        };
      case 'received_at':
        return {
          ...base,
          kind: 'datetime',
          section: localize(sections.reporting, locale),
          text: localize(screeningWords.receivedAt, locale),
          help: localize(screeningWords.receivedAtHelp, locale),
          skippable: true,
          allowsUnknown: true,
          allowsNote: false,
          progress: { n: decisionIndex + 5, of: total },
        };
      default:
        throw new Error(`no prompt for state "${stepId}"`);
    }
  }

  function outcomeOf(snapshot: AnyMachineSnapshot, locale: Locale): ScreeningOutcome {
    const context = snapshot.context as ScreeningContext;
    const answers = context.answers;
    const proposal = propose(instrument, answers);
    const neededServices = answerValues(answers.services);
    return {
      flow: SCREENING_FLOW_ID,
      instrument: { id: instrument.id, version: instrument.version },
      indicators: instrument.items.map((item) => {
        const answer = answers[item.id];
        const note = answer?.status === 'answered' ? answer.note : undefined;
        return {
          id: item.id,
          citation: item.citation,
          answer: indicatorAnswer(answer),
          ...(note === undefined ? {} : { note }),
        };
      }),
      servicesNeeded: services
        .filter((service) => neededServices.includes(service.id))
        .map((service) => ({ id: service.id, label: localize(service.label, locale) })),
      ...determinationOutcome({
        flowId: SCREENING_FLOW_ID,
        answers,
        startedAt: context.startedAt,
        locale,
        proposal: {
          level: proposal.level,
          reasons: reasonsOf(instrument, proposal, locale),
          unansweredCount: proposal.unansweredCount,
        },
        dutyRules,
        services,
        receivedAtAssumedNotice: outcomeNotices.receivedAtAssumed,
      }),
    };
  }

  return {
    id: SCREENING_FLOW_ID,
    version: SCREENING_FLOW_VERSION,
    machine,
    promptFor,
    pausedPrompt: (locale) => ({
      text: localize(navigationWords.paused, locale),
      resume: localize(navigationWords.resume, locale),
    }),
    outcomeOf,
    sections: (locale) => Object.values(sections).map((section) => localize(section, locale)),
  };
}
