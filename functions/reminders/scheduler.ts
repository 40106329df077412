import { createHash } from 'node:crypto';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { TaskRecord } from '../storage/records.ts';
import type { PlannedAction } from './policy.ts';

/**
 * Wakes the system when a task's reminder or escalation is due. Best effort by design: the periodic sweep
 * over the due-action index is the backstop, so a lost or failed schedule delays an action by at most one
 * sweep interval and never loses it.
 */
export interface TaskScheduler {
  arm(task: TaskRecord, plan: readonly PlannedAction[]): Promise<void>;
  disarm(task: TaskRecord, plan: readonly PlannedAction[]): Promise<void>;
}

/** Locally the in-process sweeper does all the waking. */
export const sweepOnlyScheduler: TaskScheduler = {
  arm: async () => {},
  disarm: async () => {},
};

export interface EventBridgeSchedulerOptions {
  /** The function that runs a task's due actions; it receives `{ "taskId": … }`. */
  targetArn: string;
  /** The role EventBridge Scheduler assumes to invoke it. */
  roleArn: string;
  groupName: string;
  /** Where EventBridge Scheduler puts an invocation it gave up on, so a missed reminder is seen (and swept). */
  deadLetterArn?: string;
  onError: (operation: 'arm' | 'disarm', error: unknown) => void;
}

/** Schedule names allow 64 characters of [0-9a-zA-Z-_.]; a hash keeps them short and free of case data. */
export function scheduleName(taskId: string, actionId: string): string {
  return `task-${createHash('sha256').update(`${taskId}/${actionId}`).digest('hex').slice(0, 40)}`;
}

/** `at()` takes a UTC time without zone designator or milliseconds. */
export function atExpression(iso: string): string {
  return `at(${new Date(iso).toISOString().slice(0, 19)})`;
}

/** One EventBridge Scheduler one-time schedule per action, deleted by the service after it fires. */
export function createEventBridgeScheduler(
  client: SchedulerClient,
  options: EventBridgeSchedulerOptions,
): TaskScheduler {
  return {
    async arm(task, plan) {
      for (const action of plan) {
        try {
          await client.send(
            new CreateScheduleCommand({
              Name: scheduleName(task.id, action.id),
              GroupName: options.groupName,
              ScheduleExpression: atExpression(action.at),
              ScheduleExpressionTimezone: 'UTC',
              FlexibleTimeWindow: { Mode: 'OFF' },
              ActionAfterCompletion: 'DELETE',
              Target: {
                Arn: options.targetArn,
                RoleArn: options.roleArn,
                Input: JSON.stringify({ taskId: task.id }),
                RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
                ...(options.deadLetterArn ? { DeadLetterConfig: { Arn: options.deadLetterArn } } : {}),
              },
            }),
          );
        } catch (error) {
          if (!(error instanceof ConflictException)) options.onError('arm', error);
        }
      }
    },
    async disarm(task, plan) {
      for (const action of plan) {
        try {
          await client.send(
            new DeleteScheduleCommand({
              Name: scheduleName(task.id, action.id),
              GroupName: options.groupName,
            }),
          );
        } catch (error) {
          if (!(error instanceof ResourceNotFoundException)) options.onError('disarm', error);
        }
      }
    },
  };
}
