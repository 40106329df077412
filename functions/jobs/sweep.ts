import type { ScheduledEvent } from 'aws-lambda';
import { taskEnvironmentDeps } from '../deps/tasks.ts';
import type { TaskServices } from '../domain/services.ts';
import type { HandlerDeps } from '../http/handler.ts';
import { sweepDueTasks } from '../reminders/actions.ts';

/** Every few minutes: the backstop that takes every due reminder and escalation a schedule missed. */
export function makeSweepHandler(deps: () => HandlerDeps<TaskServices>) {
  return async (_event?: ScheduledEvent) => {
    const { services, logger } = deps();
    const result = await sweepDueTasks(services, services.clock());
    logger.info('sweep finished', result);
    return result;
  };
}

export const handler = makeSweepHandler(taskEnvironmentDeps);
