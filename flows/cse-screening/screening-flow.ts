import type { AnyMachineSnapshot } from 'xstate';
import { answerValues } from '../answers.ts';
import type { DutyRule } from '../duty-rule.ts';
import type { FlowDefinition, FlowOutcome } from '../engine.ts';
import { fill, type Locale, type LocalizedText, localize } from '../i18n.ts';
import type { Prompt } from '../prompt.ts';
import type { Service } from '../services.ts';
import { navigationWords } from '../wording.ts';
import { type DeterminationInputs, determinationOutcome } from './determination-outcome.ts';
import { exchangeIndicatorOf } from './exchange.ts';
import type { Instrument } from './instrument.ts';
import { createScreeningMachine, type DecisionStep, type ScreeningContext } from './machine.ts';
import type { IndicatorAnswer, ScreeningOutcomeBody } from './outcome.ts';
import { type Answer, type Proposal, propose } from './scoring.ts';
import {
  concernLevelNames,
  determinationChoices,
  indicatorChoices,
  screeningWords,
  sections,
  yesNoChoices,
} from './wording.ts';

/** What differs between the county's screening and a partner's (R-HANDOFF-1): the rest is one generator. */
export interface ScreeningSetting<TOutcome extends FlowOutcome> {
  flowId: string;
  version: string;
  setting: DeterminationInputs['setting'];
  decisionSteps: readonly DecisionStep[];
  /** The services question and the received-time help are worded for who is asking. */
  words: Pick<typeof screeningWords, 'services' | 'servicesHelp' | 'receivedAtHelp'>;
  receivedAtAssumedNotice: LocalizedText;
  /** The services a need becomes a referral task for; empty when the flow refers nothing itself. */
  referralServices: (services: readonly Service[]) => readonly Service[];
  /** The flow's outcome from what every screening produces. */
  outcome: (
    body: ScreeningOutcomeBody,
    answers: Readonly<Record<string, Answer>>,
    locale: Locale,
  ) => TOutcome;
}

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

/** Builds a CSE screening flow over an instrument for one setting (county or partner). */
export function createScreeningFlowFor<TOutcome extends FlowOutcome>(
  setting: ScreeningSetting<TOutcome>,
  instrument: Instrument,
  dutyRules: readonly DutyRule[],
  services: readonly Service[],
): FlowDefinition<TOutcome> {
  const machine = createScreeningMachine(instrument, setting.decisionSteps, setting.flowId);
  const total = instrument.items.length + setting.decisionSteps.length - 1;
  // The override reason shares the determination's place in the count: it is asked only on an override.
  const counted: readonly DecisionStep[] = setting.decisionSteps.filter((step) => step !== 'override_reason');
  const exchangeIds = instrument.items.filter((item) => item.exchangeIndicator).map((item) => item.id);
  const words = { ...screeningWords, ...setting.words };

  function decisionPrompt(stepId: string, context: ScreeningContext, locale: Locale) {
    const proposal = propose(instrument, context.answers);
    const level = localize(concernLevelNames[proposal.level], locale);
    const yesNo = { kind: 'choice' as const, choices: choicesOf(yesNoChoices, locale) };
    const open = { skippable: true, allowsUnknown: true, allowsNote: false };
    switch (stepId) {
      case 'determination':
        // The screener decides: skipping would leave the duties undetermined, so pause or back are the way out.
        return {
          kind: 'choice' as const,
          section: sections.determination,
          text: fill(localize(words.determination, locale), { level }),
          help: fill(localize(words.reasonsIntro, locale), {
            reasons: reasonsOf(instrument, proposal, locale).join('; '),
          }),
          choices: choicesOf(determinationChoices, locale),
          skippable: false,
          allowsUnknown: false,
          allowsNote: false,
        };
      case 'override_reason':
        return {
          kind: 'text' as const,
          section: sections.determination,
          text: fill(localize(words.overrideReason, locale), { level }),
          help: localize(words.overrideReasonHelp, locale),
          skippable: false,
          allowsUnknown: false,
          allowsNote: false,
        };
      case 'cws':
        return {
          ...yesNo,
          ...open,
          section: sections.reporting,
          text: localize(words.cws, locale),
          help: localize(words.cwsHelp, locale),
        };
      case 'open_602':
        // R-DEF-1: an open delinquency matter changes what the case team and counsel must be told.
        return {
          ...yesNo,
          ...open,
          section: sections.reporting,
          text: localize(words.open602, locale),
          help: localize(words.open602Help, locale),
        };
      case 'services':
        // R-SVC-1: the services the youth needs (a county's referrals; a partner's hand-off).
        return {
          ...open,
          kind: 'multichoice' as const,
          section: sections.services,
          text: localize(words.services, locale),
          help: localize(words.servicesHelp, locale),
          choices: services.map((service) => ({ id: service.id, label: localize(service.label, locale) })),
        };
      case 'received_at':
        return {
          ...open,
          kind: 'datetime' as const,
          section: sections.reporting,
          text: localize(words.receivedAt, locale),
          help: localize(words.receivedAtHelp, locale),
        };
      default:
        throw new Error(`no prompt for state "${stepId}"`);
    }
  }

  function promptFor(snapshot: AnyMachineSnapshot, locale: Locale): Prompt {
    const context = snapshot.context as ScreeningContext;
    const stepId = snapshot.value as string;
    const itemIndex = instrument.items.findIndex((item) => item.id === stepId);
    const base = {
      id: stepId,
      canGoBack: stepId !== instrument.items[0]?.id,
      // The screener fills in the checklist from what they know; the youth is not asked these questions.
      audience: 'professional' as const,
      actions: {
        unknown: localize(navigationWords.unknown, locale),
        skip: localize(navigationWords.skipProfessional, locale),
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
    const { section, ...prompt } = decisionPrompt(stepId, context, locale);
    const position = counted.indexOf(
      stepId === 'override_reason' ? 'determination' : (stepId as DecisionStep),
    );
    return {
      ...base,
      ...prompt,
      section: localize(section, locale),
      progress: { n: instrument.items.length + position + 1, of: total },
    };
  }

  function outcomeOf(snapshot: AnyMachineSnapshot, locale: Locale): TOutcome {
    const context = snapshot.context as ScreeningContext;
    const answers = context.answers;
    const proposal = propose(instrument, answers);
    const neededServices = answerValues(answers.services);
    const body: ScreeningOutcomeBody = {
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
        flowId: setting.flowId,
        setting: setting.setting,
        answers,
        startedAt: context.startedAt,
        locale,
        proposal: {
          level: proposal.level,
          reasons: reasonsOf(instrument, proposal, locale),
          unansweredCount: proposal.unansweredCount,
        },
        exchangeIndicator: exchangeIndicatorOf(answers, exchangeIds, 'present'),
        dutyRules,
        services: setting.referralServices(services),
        receivedAtAssumedNotice: setting.receivedAtAssumedNotice,
      }),
    };
    return setting.outcome(body, answers, locale);
  }

  const shownSections = [
    sections.indicators,
    sections.determination,
    ...(setting.decisionSteps.some((step) => step === 'cws' || step === 'open_602')
      ? [sections.reporting]
      : []),
    sections.services,
    sections.reporting,
  ];
  return {
    id: setting.flowId,
    version: setting.version,
    machine,
    promptFor,
    pausedPrompt: (locale) => ({
      text: localize(navigationWords.paused, locale),
      resume: localize(navigationWords.resume, locale),
    }),
    outcomeOf,
    sections: (locale) => [...new Set(shownSections.map((section) => localize(section, locale)))],
  };
}
