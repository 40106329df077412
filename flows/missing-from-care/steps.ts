// Aliased: biome reads a bare `answerValue` binding as shadowing Object.prototype.valueOf.
import { answerValue as answeredValue } from '../answers.ts';
import type { FormChoice, FormStep } from '../form/form-flow.ts';
import { COMPLETED } from '../form/form-flow.ts';
import { fill, type LocalizedText, localize } from '../i18n.ts';
import {
  believedCseChoices,
  endangermentChoices,
  questions,
  sections,
  situationChoices,
  situationPhrases,
  yesNoChoices,
} from './wording.ts';

/** Step ids; they are also the field ids the server encrypts sensitive answers under. */
export const STEP = {
  cws: 'cws',
  situation: 'situation',
  believedCse: 'believed_cse',
  receivedAt: 'received_at',
  lastSeenAt: 'last_seen_at',
  lastSeenPlace: 'last_seen_place',
  physicalDescription: 'physical_description',
  endangerment: 'endangerment',
  endangermentNote: 'endangerment_note',
  companionsOrVehicle: 'companions_or_vehicle',
} as const;

const choicesOf = (words: Record<string, LocalizedText>): FormChoice[] =>
  Object.entries(words).map(([id, label]) => ({ id, label }));

// R-PURPOSE: every question can be answered "unknown" or skipped; nothing is a dead end. No step takes a
// note: only the answer of a sensitive step is encrypted, so identifying detail must not go into a note.
const answerable = { skippable: true, allowsUnknown: true } as const;

/** The order is the order the reports need: first whether they are owed and from when, then the details. */
export const missingFromCareSteps: readonly FormStep[] = [
  {
    id: STEP.cws,
    section: sections.situation,
    kind: 'choice',
    text: questions.cws,
    help: questions.cwsHelp,
    choices: choicesOf(yesNoChoices),
    ...answerable,
    next: STEP.situation,
  },
  {
    id: STEP.situation,
    section: sections.situation,
    kind: 'choice',
    text: questions.situation,
    help: questions.situationHelp,
    choices: choicesOf(situationChoices),
    ...answerable,
    next: STEP.believedCse,
  },
  {
    id: STEP.believedCse,
    section: sections.situation,
    kind: 'choice',
    text: questions.believedCse,
    help: questions.believedCseHelp,
    choices: choicesOf(believedCseChoices),
    ...answerable,
    next: STEP.receivedAt,
  },
  {
    // R-REPORT-2: the 24 hours run from receipt of the information, so the question asks for exactly that.
    id: STEP.receivedAt,
    section: sections.reporting,
    kind: 'datetime',
    text: questions.receivedAt,
    help: questions.receivedAtHelp,
    ...answerable,
    render: (answers, locale) => {
      const situation = answeredValue(answers[STEP.situation]);
      const phrase =
        situation === 'missing' || situation === 'abducted'
          ? situationPhrases[situation]
          : situationPhrases.unknown;
      return { text: fill(localize(questions.receivedAt, locale), { situation: localize(phrase, locale) }) };
    },
    next: STEP.lastSeenAt,
  },
  {
    id: STEP.lastSeenAt,
    section: sections.details,
    kind: 'datetime',
    text: questions.lastSeenAt,
    help: questions.lastSeenAtHelp,
    ...answerable,
    next: STEP.lastSeenPlace,
  },
  {
    id: STEP.lastSeenPlace,
    section: sections.details,
    kind: 'text',
    text: questions.lastSeenPlace,
    help: questions.lastSeenPlaceHelp,
    ...answerable,
    sensitive: true,
    next: STEP.physicalDescription,
  },
  {
    id: STEP.physicalDescription,
    section: sections.details,
    kind: 'text',
    text: questions.physicalDescription,
    help: questions.physicalDescriptionHelp,
    ...answerable,
    sensitive: true,
    next: STEP.endangerment,
  },
  {
    // The categories alone do not identify the child; what does goes into the sensitive note that follows.
    id: STEP.endangerment,
    section: sections.details,
    kind: 'multichoice',
    text: questions.endangerment,
    help: questions.endangermentHelp,
    choices: choicesOf(endangermentChoices),
    ...answerable,
    next: STEP.endangermentNote,
  },
  {
    id: STEP.endangermentNote,
    section: sections.details,
    kind: 'text',
    text: questions.endangermentNote,
    help: questions.endangermentNoteHelp,
    ...answerable,
    sensitive: true,
    next: STEP.companionsOrVehicle,
  },
  {
    id: STEP.companionsOrVehicle,
    section: sections.details,
    kind: 'text',
    text: questions.companionsOrVehicle,
    help: questions.companionsOrVehicleHelp,
    ...answerable,
    sensitive: true,
    next: COMPLETED,
  },
];
