import * as z from 'zod/mini';
import { type JobDeps, jobEnvironmentDeps } from '../deps/tasks.ts';
import { runScheduledTask } from '../reminders/actions.ts';

const ScheduledInput = z.strictObject({
  taskId: z.string().check(z.regex(/^[0-9a-f-]{36}\.[a-z0-9-]{1,64}$/)),
});

/** The target of a task's one-time schedules: takes that task's due actions, if any are still due. */
export function makeRunTaskActionsHandler(deps: () => JobDeps) {
  return async (event: unknown) => {
    const { services, logger } = deps();
    const input = ScheduledInput.safeParse(event);
    if (!input.success) {
      // Retrying a malformed input cannot help; it is logged (without its content) and dropped.
      logger.error('scheduled input rejected');
      return { notifications: 0, escalations: 0 };
    }
    const taken = await runScheduledTask(services, input.data.taskId, services.clock());
    logger.info('task actions run', { ...taken });
    return taken;
  };
}

export const handler = makeRunTaskActionsHandler(jobEnvironmentDeps);
