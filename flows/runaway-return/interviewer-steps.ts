import { answerValue } from '../answers.ts';
import { determinationFor } from '../cse-screening/scoring.ts';
import {
  concernLevelNames,
  determinationChoices,
  screeningWords,
  yesNoChoices,
} from '../cse-screening/wording.ts';
import { type Answers, COMPLETED, type FormStep } from '../form/form-flow.ts';
import { fill, type Locale, localize } from '../i18n.ts';
import type { Service } from '../services.ts';
import { propose, reasonsFor } from './proposal.ts';
import { choicesFrom, interviewerWords, sections } from './wording.ts';

export const FIRST_INTERVIEWER_STEP = 'determination';

const levelName = (answers: Answers, locale: Locale) =>
  localize(concernLevelNames[propose(answers).level], locale);

/** An override is a determination other than the one the proposed level stands for. */
export function overridesProposal(answers: Answers): boolean {
  return answerValue(answers.determination) !== determinationFor[propose(answers).level];
}

/** The interviewer's part: the determination (R-RUN-2), then what the reporting duties need (R-REPORT-1). */
export const interviewerSteps = (services: readonly Service[]): FormStep[] => [
  {
    // The professional decides. Skipping would leave the duties undetermined, so pause or back are the
    // way out; the proposal and its reasons are shown so the decision is informed, not dictated.
    id: FIRST_INTERVIEWER_STEP,
    section: sections.interviewer,
    kind: 'choice',
    text: interviewerWords.determination,
    choices: choicesFrom(determinationChoices),
    skippable: false,
    allowsUnknown: false,
    render: (answers, locale) => ({
      text: fill(localize(interviewerWords.determination, locale), { level: levelName(answers, locale) }),
      help: fill(localize(interviewerWords.determinationHelp, locale), {
        reasons: reasonsFor(propose(answers), locale).join('; '),
      }),
    }),
    next: {
      targets: ['override_reason', 'cws'],
      choose: (answers) => (overridesProposal(answers) ? 'override_reason' : 'cws'),
    },
  },
  {
    // R-ADMIN-1: an override of the proposed level records why.
    id: 'override_reason',
    section: sections.interviewer,
    kind: 'text',
    text: interviewerWords.overrideReason,
    help: interviewerWords.overrideReasonHelp,
    skippable: false,
    allowsUnknown: false,
    render: (answers, locale) => ({
      text: fill(localize(interviewerWords.overrideReason, locale), { level: levelName(answers, locale) }),
    }),
    next: 'cws',
  },
  {
    // R-REPORT-1 applies to youth receiving child welfare services; "unknown" still opens the report.
    id: 'cws',
    section: sections.interviewer,
    kind: 'choice',
    text: interviewerWords.cws,
    help: interviewerWords.cwsHelp,
    choices: choicesFrom(yesNoChoices),
    skippable: true,
    allowsUnknown: true,
    next: 'open_602',
  },
  {
    // R-DEF-1: an open delinquency matter changes what the case team and counsel must be told.
    id: 'open_602',
    section: sections.interviewer,
    kind: 'choice',
    text: screeningWords.open602,
    help: screeningWords.open602Help,
    choices: choicesFrom(yesNoChoices),
    skippable: true,
    allowsUnknown: true,
    next: 'services',
  },
  {
    // R-SVC-1: what the youth needs becomes referral tasks (the county names its partners, R-SVC-2).
    id: 'services',
    section: sections.interviewer,
    kind: 'multichoice',
    text: screeningWords.services,
    help: screeningWords.servicesHelp,
    choices: services.map((service) => ({ id: service.id, label: service.label })),
    skippable: true,
    allowsUnknown: true,
    next: 'received_at',
  },
  {
    // R-REPORT-1: deadlines run from when the information was received, not from the end of the interview.
    id: 'received_at',
    section: sections.interviewer,
    kind: 'datetime',
    text: interviewerWords.receivedAt,
    help: interviewerWords.receivedAtHelp,
    skippable: true,
    allowsUnknown: true,
    next: COMPLETED,
  },
];
