import type { Determination } from '#flows/duties.ts';
import type { DutyRule } from '#flows/duty-rule.ts';
import { handoffDuties, handoffNotices } from '#flows/handoff.ts';
import { fill, type Locale, localize } from '#flows/i18n.ts';
import { TaskStatusConflictError } from '../storage/errors.ts';
import type { ConversationRecord, HandoffRecord, OrgProfileRecord, TaskRecord } from '../storage/records.ts';
import { requireCaseRole } from './access.ts';
import { ConflictError, ForbiddenError, NotFoundError } from './errors.ts';
import { hasRole, type Principal } from './principal.ts';
import { resolveOwner } from './routing.ts';
import { revealTasks } from './sensitive.ts';
import type { TaskServices } from './services.ts';
import { tasksForDuties, taskView } from './tasks.ts';
import type { TaskView, Warning } from './views.ts';
import { domainWords } from './wording.ts';

/**
 * R-HANDOFF-1, R-MANDATED-1: a partner organisation's concern reaches the county as a hand-off carrying the
 * minimum the county needs. The county's duties open in the county, owned by its intake, their clocks
 * starting when the county received it; the partner keeps only its own record and the hand-off's status.
 */

interface Labelled {
  id: string;
  label: string;
}

/** What the partner screening's outcome says the county needs (flows/cse-screening, partner variant). */
export interface PartnerHandoff {
  owed: boolean;
  determination: Determination;
  exchangeIndicator: 'present' | 'absent';
  indicatorsPresent: Labelled[];
  servicesWanted: Labelled[];
  informationReceivedAt: string;
}

export function partnerHandoffOf(outcome: Record<string, unknown> | null | undefined): PartnerHandoff | null {
  const handoff = outcome?.handoff as PartnerHandoff | undefined;
  return handoff && typeof handoff === 'object' && handoff.owed === true ? handoff : null;
}

export interface PreparedHandoff {
  handoff: HandoffRecord;
  tasks: TaskRecord[];
}

/**
 * Builds the hand-off and the county's tasks for a partner's final turn; nothing is written here. `now` is
 * the server's clock at the turn: the moment the county receives it, whatever time the partner's device
 * reported.
 */
export function prepareHandoff(
  services: TaskServices,
  conversation: ConversationRecord,
  partner: OrgProfileRecord,
  county: OrgProfileRecord,
  concern: PartnerHandoff,
  rules: readonly DutyRule[],
  now: Date,
): PreparedHandoff {
  const receivedAt = now.toISOString();
  const locale: Locale = county.locale ?? 'en';
  const input = { determination: concern.determination, exchangeIndicator: concern.exchangeIndicator };
  const duties = handoffDuties(input, receivedAt, rules, locale);
  const intake = resolveOwner('county_intake', county, null);
  const tasks = tasksForDuties(
    services,
    {
      id: conversation.id,
      subjectRef: conversation.subjectRef,
      org: county.org,
      profile: county,
      screener: null,
      handoffId: conversation.id,
    },
    duties,
    receivedAt,
    'handoff',
  );
  const handoff: HandoffRecord = {
    kind: 'handoff',
    id: conversation.id,
    fromOrg: partner.org,
    fromOrgName: partner.name,
    fromContact: partner.contact ?? null,
    toOrg: county.org,
    toOrgName: county.name,
    toUnit: intake.unit,
    caseRef: conversation.subjectRef,
    determination: concern.determination,
    exchangeIndicator: concern.exchangeIndicator,
    indicatorsPresent: concern.indicatorsPresent,
    servicesWanted: concern.servicesWanted,
    partnerReceivedAt: concern.informationReceivedAt,
    receivedAt,
    notices: handoffNotices(input, duties, locale),
    status: 'received',
    taskIds: tasks.map((task) => task.id),
  };
  return { handoff, tasks };
}

/** What the partner sees of its hand-off: that it arrived and whether it was acknowledged, never county records. */
export interface HandoffStatusView {
  id: string;
  to: string;
  status: HandoffRecord['status'];
  receivedAt: string;
  acknowledgedAt: string | null;
}

export function statusView(handoff: HandoffRecord): HandoffStatusView {
  return {
    id: handoff.id,
    to: handoff.toOrgName,
    status: handoff.status,
    receivedAt: handoff.receivedAt,
    acknowledgedAt: handoff.acknowledgedAt ?? null,
  };
}

/** What the county sees: the hand-off and the tasks it opened there. */
export interface CountyHandoffView {
  handoff: Omit<HandoffRecord, 'kind'>;
  tasks: TaskView[];
}

export function handoffWarnings(
  prepared: PreparedHandoff | null,
  concern: PartnerHandoff | null,
  locale: Locale,
): Warning[] {
  if (!concern) return [];
  if (!prepared)
    return [{ code: 'handoff_not_configured', message: localize(domainWords.handoffNotConfigured, locale) }];
  return [
    {
      code: 'handed_off',
      message: fill(localize(domainWords.handoffSent, locale), {
        county: prepared.handoff.toOrgName,
        at: prepared.handoff.receivedAt,
      }),
    },
  ];
}

/** The county's intake unit and its supervisors work hand-offs; the partner that sent one may see its status. */
function sideOf(principal: Principal, handoff: HandoffRecord): 'county' | 'partner' | null {
  if (principal.org === handoff.toOrg) {
    const inIntake =
      principal.unit === handoff.toUnit && hasRole(principal, 'caseworker', 'interviewer', 'supervisor');
    return inIntake ? 'county' : null;
  }
  if (principal.org === handoff.fromOrg && hasRole(principal, 'shelter_staff')) return 'partner';
  return null;
}

async function countyView(services: TaskServices, handoff: HandoffRecord): Promise<CountyHandoffView> {
  const tasks = await Promise.all(handoff.taskIds.map((id) => services.store.getTask(id)));
  const now = services.clock();
  const { kind: _kind, ...visible } = handoff;
  return {
    handoff: visible,
    tasks: (
      await revealTasks(
        services.keys,
        tasks.filter((task): task is TaskRecord => task !== null),
      )
    ).map((task) => taskView(task, now)),
  };
}

export async function getHandoff(
  services: TaskServices,
  principal: Principal,
  id: string,
): Promise<CountyHandoffView | { handoff: HandoffStatusView }> {
  requireCaseRole(principal);
  const handoff = await services.store.getHandoff(id);
  const side = handoff ? sideOf(principal, handoff) : null;
  if (!handoff || side === null) throw new NotFoundError('hand-off');
  return side === 'county' ? countyView(services, handoff) : { handoff: statusView(handoff) };
}

/** The county intake's list of received hand-offs, newest first. Partners follow theirs from the screening. */
export async function listHandoffs(
  services: TaskServices,
  principal: Principal,
): Promise<{ handoffs: Array<Omit<HandoffRecord, 'kind'>> }> {
  requireCaseRole(principal);
  if (hasRole(principal, 'shelter_staff') && principal.roles.length === 1) {
    throw new ForbiddenError('Partners follow their hand-offs from the screening that made them.');
  }
  const handoffs = await services.store.listHandoffs(principal.org, 100);
  return {
    handoffs: handoffs
      .filter((handoff) => sideOf(principal, handoff) === 'county')
      .map(({ kind: _kind, ...visible }) => visible),
  };
}

export async function acknowledgeHandoff(
  services: TaskServices,
  principal: Principal,
  id: string,
): Promise<CountyHandoffView> {
  requireCaseRole(principal);
  const handoff = await services.store.getHandoff(id);
  if (!handoff || sideOf(principal, handoff) !== 'county') throw new NotFoundError('hand-off');
  if (handoff.status !== 'received') {
    throw new ConflictError('handoff_already_acknowledged', 'This hand-off was already acknowledged.', {
      acknowledgedAt: handoff.acknowledgedAt,
    });
  }
  const acknowledged: HandoffRecord = {
    ...handoff,
    status: 'acknowledged',
    acknowledgedAt: services.clock().toISOString(),
    acknowledgedBy: principal.userId,
  };
  try {
    await services.store.acknowledgeHandoff(acknowledged);
  } catch (error) {
    if (error instanceof TaskStatusConflictError) {
      throw new ConflictError('handoff_already_acknowledged', 'This hand-off was acknowledged a moment ago.');
    }
    throw error;
  }
  return countyView(services, acknowledged);
}
