import type { ScheduledEvent } from 'aws-lambda';
import { type JobDeps, jobEnvironmentDeps } from '../deps/tasks.ts';
import { sweepDueTasks } from '../reminders/actions.ts';

/** Every few minutes: the backstop that takes every due reminder and escalation a schedule missed. */
export function makeSweepHandler(deps: () => JobDeps) {
  return async (_event?: ScheduledEvent) => {
    const { services, logger } = deps();
    const result = await sweepDueTasks(services, services.clock());
    logger.info('sweep finished', { ...result });
    return result;
  };
}

export const handler = makeSweepHandler(jobEnvironmentDeps);
