import type { FormStep } from '../form/form-flow.ts';
import { safetyAnswerChoices, safetyQuestions } from './safety-questions.ts';
import {
  choicesFrom,
  feltSafeChoices,
  leavingFactorChoices,
  needsNowChoices,
  placementHelpChoices,
  sections,
  stayedChoices,
  youthWords,
} from './wording.ts';

/** R-PURPOSE: whatever the youth is asked may be skipped or answered "not sure"; nothing is a dead end. */
const youthMayDecline = { skippable: true, allowsUnknown: true } as const;

/** The youth's own words can name people and places, so they are encrypted before they are stored. */
const freeText = { kind: 'text', sensitive: true, ...youthMayDecline } as const;

/** R-RUN-2: what led to leaving (the primary factors of the absence). */
const leavingSteps: FormStep[] = [
  {
    id: 'leaving_factors',
    section: sections.leaving,
    kind: 'multichoice',
    text: youthWords.leavingFactors,
    help: youthWords.leavingFactorsHelp,
    choices: choicesFrom(leavingFactorChoices),
    ...youthMayDecline,
    next: 'leaving_anything_else',
  },
  {
    id: 'leaving_anything_else',
    section: sections.leaving,
    text: youthWords.leavingAnythingElse,
    help: youthWords.inYourOwnWords,
    ...freeText,
    next: 'away_stayed',
  },
];

/** R-RUN-2: the youth's experience while absent, and what they need right now. */
const awaySteps: FormStep[] = [
  {
    id: 'away_stayed',
    section: sections.away,
    kind: 'choice',
    text: youthWords.stayed,
    help: youthWords.stayedHelp,
    choices: choicesFrom(stayedChoices),
    ...youthMayDecline,
    next: 'away_felt_safe',
  },
  {
    id: 'away_felt_safe',
    section: sections.away,
    kind: 'choice',
    text: youthWords.feltSafe,
    help: youthWords.feltSafeHelp,
    choices: choicesFrom(feltSafeChoices),
    ...youthMayDecline,
    next: 'away_needs_now',
  },
  {
    id: 'away_needs_now',
    section: sections.away,
    kind: 'multichoice',
    text: youthWords.needsNow,
    help: youthWords.needsNowHelp,
    choices: choicesFrom(needsNowChoices),
    ...youthMayDecline,
    next: 'placement_helps',
  },
];

/** R-RUN-2: what the next placement can do about those factors. */
const nextPlacementSteps: FormStep[] = [
  {
    id: 'placement_helps',
    section: sections.nextPlacement,
    kind: 'multichoice',
    text: youthWords.placementHelps,
    help: youthWords.placementHelpsHelp,
    choices: choicesFrom(placementHelpChoices),
    ...youthMayDecline,
    next: 'placement_anything_else',
  },
  {
    id: 'placement_anything_else',
    section: sections.nextPlacement,
    text: youthWords.placementAnythingElse,
    help: youthWords.inYourOwnWords,
    ...freeText,
    next: safetyQuestions[0]!.id,
  },
];

/** R-RUN-1: every return interview includes the CSE screening, asked in conversation. */
function safetySteps(firstInterviewerStep: string): FormStep[] {
  return safetyQuestions.map((question, index) => ({
    id: question.id,
    section: sections.safety,
    kind: 'choice',
    text: question.text,
    help: question.help,
    choices: choicesFrom(safetyAnswerChoices),
    ...youthMayDecline,
    // The interviewer may note what the youth added in their own words.
    allowsNote: true,
    next: safetyQuestions[index + 1]?.id ?? firstInterviewerStep,
  }));
}

/** Everything said to the youth, in the order R-RUN-2 lists the determinations. */
export function youthSteps(firstInterviewerStep: string): FormStep[] {
  return [...leavingSteps, ...awaySteps, ...nextPlacementSteps, ...safetySteps(firstInterviewerStep)];
}
