import type { OutcomeRecord } from '../storage/records.ts';
import { requireRole } from './access.ts';
import type { Principal } from './principal.ts';
import type { TaskServices } from './services.ts';

export interface ActivityRow {
  period: string;
  category: string;
  count: number;
}

interface OwedDuty {
  requirementId?: unknown;
  taskType?: unknown;
}

/**
 * R-FUND-1: what a county reports for the CSEC Program: conversations completed by flow, determinations,
 * and the reports and tasks those outcomes owed, counted per calendar month (UTC).
 */
export function countActivity(outcomes: readonly OutcomeRecord[]): ActivityRow[] {
  const counts = new Map<string, number>();
  const add = (period: string, category: string) => {
    const key = `${period}\u0000${category}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  for (const outcome of outcomes) {
    const period = outcome.completedAt.slice(0, 7);
    add(period, `completed:${outcome.flow}`);
    const determination = outcome.facts.determination;
    if (determination) add(period, `determination:${determination}`);
    const duties = Array.isArray(outcome.outcome.duties) ? (outcome.outcome.duties as OwedDuty[]) : [];
    for (const duty of duties) {
      if (typeof duty.requirementId === 'string' && duty.requirementId.startsWith('R-REPORT-'))
        add(period, 'reports_owed');
      if (typeof duty.taskType === 'string') add(period, `task:${duty.taskType}`);
    }
  }
  return [...counts]
    .map(([key, count]) => {
      const [period, category] = key.split('\u0000') as [string, string];
      return { period, category, count };
    })
    .sort((a, b) => a.period.localeCompare(b.period) || a.category.localeCompare(b.category));
}

export async function activityReport(
  services: TaskServices,
  principal: Principal,
  range: { from: string; to: string },
): Promise<ActivityRow[]> {
  // Counts only, never a case: supervisors and the administrators who file the county's reports.
  requireRole(principal, 'supervisor', 'administrator');
  // Stored times are UTC ISO strings compared as strings: the bounds must be spelled the same way.
  const utc = (instant: string) => new Date(instant).toISOString();
  return countActivity(await services.store.listOutcomes(principal.org, utc(range.from), utc(range.to)));
}

/** CSV for a spreadsheet; categories and periods are system words, never free text, so no quoting is needed. */
export function activityCsv(rows: readonly ActivityRow[]): string {
  return (
    ['period,category,count', ...rows.map((row) => `${row.period},${row.category},${row.count}`)].join('\n') +
    '\n'
  );
}
