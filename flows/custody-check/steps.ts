import { answerValue } from '../answers.ts';
import { COMPLETED, type FormChoice, type FormStep } from '../form/form-flow.ts';
import type { LocalizedText } from '../i18n.ts';
import { NONE_OBSERVED, traffickingIndicators } from './indicators.ts';
import { noIndicatorObserved, parentContactChoices, questions, sections, yesNoChoices } from './wording.ts';

const choicesOf = (words: Record<string, LocalizedText>): FormChoice[] =>
  Object.entries(words).map(([id, label]) => ({ id, label }));

const yesNo = choicesOf(yesNoChoices);

/** R-PURPOSE: every question may be answered "unknown" or skipped; nothing is a dead end. */
const open = { skippable: true, allowsUnknown: true } as const;

/** A yes/no question in the WIC § 305 criteria section (R-CUSTODY-1). */
function criterion(id: string, text: LocalizedText, help: LocalizedText, next: string): FormStep {
  return { id, section: sections.criteria, kind: 'choice', text, help, choices: yesNo, ...open, next };
}

/** R-CUSTODY-2: the contact results after which the officer notifies the county welfare office. */
export const NOTICE_OWED_CONTACTS: readonly string[] = ['could_not_contact', 'cannot_assume_custody'];

/*
 * The order follows WIC § 305: reasonable cause, then the three immediate conditions, then the
 * unattended-child contact and the officer's notice to the county. R-CUSTODY-3: no step and no choice
 * leads to a charge for the minor.
 */
export const custodyCheckSteps: readonly FormStep[] = [
  criterion('reasonable_cause', questions.reasonableCause, questions.reasonableCauseHelp, 'medical_need'),
  criterion('medical_need', questions.medicalNeed, questions.conditionsHelp, 'abuse_danger'),
  criterion('abuse_danger', questions.abuseDanger, questions.conditionsHelp, 'environment_threat'),
  criterion('environment_threat', questions.environmentThreat, questions.conditionsHelp, 'left_unattended'),
  {
    id: 'left_unattended',
    section: sections.parent,
    kind: 'choice',
    text: questions.leftUnattended,
    help: questions.leftUnattendedHelp,
    choices: yesNo,
    ...open,
    // R-CUSTODY-2: the contact attempt only applies to a child left unattended.
    next: {
      targets: ['parent_contact', 'commercial_sex'],
      choose: (answers) =>
        answerValue(answers.left_unattended) === 'yes' ? 'parent_contact' : 'commercial_sex',
    },
  },
  {
    // R-CUSTODY-2
    id: 'parent_contact',
    section: sections.parent,
    kind: 'choice',
    text: questions.parentContact,
    help: questions.parentContactHelp,
    choices: choicesOf(parentContactChoices),
    ...open,
    next: {
      targets: ['officer_name', 'commercial_sex'],
      choose: (answers) =>
        NOTICE_OWED_CONTACTS.includes(answerValue(answers.parent_contact) ?? '')
          ? 'officer_name'
          : 'commercial_sex',
    },
  },
  {
    // R-CUSTODY-2: the officer's notice. It names the officer, not the child, so it is not sealed.
    id: 'officer_name',
    section: sections.notice,
    kind: 'text',
    text: questions.officerName,
    help: questions.officerNameHelp,
    ...open,
    next: 'officer_agency',
  },
  {
    id: 'officer_agency',
    section: sections.notice,
    kind: 'text',
    text: questions.officerAgency,
    help: questions.officerAgencyHelp,
    ...open,
    next: 'officer_notice_at',
  },
  {
    // R-CUSTODY-2: the county's response runs from this moment.
    id: 'officer_notice_at',
    section: sections.notice,
    kind: 'datetime',
    text: questions.officerNoticeAt,
    help: questions.officerNoticeAtHelp,
    ...open,
    next: 'commercial_sex',
  },
  {
    id: 'commercial_sex',
    section: sections.exploitation,
    kind: 'choice',
    text: questions.commercialSex,
    help: questions.commercialSexHelp,
    choices: yesNo,
    ...open,
    // R-IND-1: the § 236.2 indicators are owed when an officer contacts a minor who engaged in a commercial sex act.
    next: {
      targets: ['trafficking_indicators', 'custody_taken'],
      choose: (answers) =>
        answerValue(answers.commercial_sex) === 'yes' ? 'trafficking_indicators' : 'custody_taken',
    },
  },
  {
    // R-IND-1, and R-CUSTODY-3 in the wording: not charged, referred to child welfare.
    id: 'trafficking_indicators',
    section: sections.exploitation,
    kind: 'multichoice',
    text: questions.indicators,
    help: questions.indicatorsHelp,
    choices: [
      ...traffickingIndicators.map((item) => ({ id: item.id, label: item.reason })),
      { id: NONE_OBSERVED, label: noIndicatorObserved },
    ],
    ...open,
    next: 'cws',
  },
  {
    // R-REPORT-1: the county's 24-hour report covers youth receiving child welfare services.
    id: 'cws',
    section: sections.exploitation,
    kind: 'choice',
    text: questions.cws,
    help: questions.cwsHelp,
    choices: yesNo,
    ...open,
    next: 'custody_taken',
  },
  {
    // R-CUSTODY-4
    id: 'custody_taken',
    section: sections.custody,
    kind: 'choice',
    text: questions.custodyTaken,
    help: questions.custodyTakenHelp,
    choices: yesNo,
    ...open,
    next: 'received_at',
  },
  {
    id: 'received_at',
    section: sections.timing,
    kind: 'datetime',
    text: questions.receivedAt,
    help: questions.receivedAtHelp,
    ...open,
    next: COMPLETED,
  },
];
