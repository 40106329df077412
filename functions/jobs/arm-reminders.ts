import { Logger } from '@aws-lambda-powertools/logger';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { once } from '../deps/tasks.ts';
import {
  defaultReminderPolicies,
  planActions,
  policyFor,
  type ReminderPolicies,
  ReminderPolicies as ReminderPoliciesSchema,
} from '../reminders/policy.ts';
import { createEventBridgeScheduler, type TaskScheduler } from '../reminders/scheduler.ts';
import { TaskRecord } from '../storage/records.ts';

export interface ArmDeps {
  scheduler: TaskScheduler;
  reminders: ReminderPolicies;
  clock: () => Date;
  logger: Logger;
}

/**
 * Reads the table's stream: for each task just opened, arms one schedule per future reminder or escalation.
 * Outside the request path, so a turn never waits on EventBridge; the sweep covers whatever this misses.
 */
export function makeArmRemindersHandler(deps: () => ArmDeps) {
  return async (event: DynamoDBStreamEvent) => {
    const { scheduler, reminders, clock, logger } = deps();
    let armed = 0;
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage;
      if (record.eventName !== 'INSERT' || !image) continue;
      const item = unmarshall(image as Record<string, AttributeValue>);
      if (item.kind !== 'task') continue;
      const task = TaskRecord.safeParse(item);
      if (!task.success) {
        logger.error('stream task image rejected');
        continue;
      }
      const now = clock().getTime();
      const future = planActions(task.data, policyFor(reminders, task.data.taskType)).filter(
        (action) => Date.parse(action.at) > now,
      );
      await scheduler.arm(task.data, future);
      armed += future.length;
    }
    logger.info('reminders armed', { armed });
    return { armed };
  };
}

export const handler = makeArmRemindersHandler(
  once(() => {
    const logger = new Logger({ serviceName: 'screening-reminders' });
    const env = process.env;
    const { SCHEDULER_TARGET_ARN, SCHEDULER_ROLE_ARN, SCHEDULER_GROUP } = env;
    if (!SCHEDULER_TARGET_ARN || !SCHEDULER_ROLE_ARN || !SCHEDULER_GROUP)
      throw new Error('scheduler settings are not set');
    return {
      scheduler: createEventBridgeScheduler(new SchedulerClient({}), {
        targetArn: SCHEDULER_TARGET_ARN,
        roleArn: SCHEDULER_ROLE_ARN,
        groupName: SCHEDULER_GROUP,
        ...(env.SCHEDULER_DLQ_ARN ? { deadLetterArn: env.SCHEDULER_DLQ_ARN } : {}),
        onError: (operation, error) =>
          logger.warn('schedule not changed; the sweep will cover it', {
            operation,
            errorName: error instanceof Error ? error.name : typeof error,
          }),
      }),
      reminders: env.REMINDER_POLICIES
        ? ReminderPoliciesSchema.parse(JSON.parse(env.REMINDER_POLICIES))
        : defaultReminderPolicies,
      clock: () => new Date(),
      logger,
    };
  }),
);
