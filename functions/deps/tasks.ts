import { Logger } from '@aws-lambda-powertools/logger';
import type { TaskServices } from '../domain/services.ts';
import type { HandlerDeps } from '../http/handler.ts';
import { defaultReminderPolicies, ReminderPolicies } from '../reminders/policy.ts';
import { createDocumentClient } from '../storage/client.ts';
import { createDynamoStore } from '../storage/store.ts';

/** The table and the logger, from the function's environment (TABLE_NAME; DYNAMODB_ENDPOINT locally). */
export function taskDepsFromEnvironment(env: NodeJS.ProcessEnv = process.env): HandlerDeps<TaskServices> {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  const doc = createDocumentClient({
    ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}),
    ...(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}),
  });
  return {
    services: {
      store: createDynamoStore(doc, tableName),
      clock: () => new Date(),
      reminders: env.REMINDER_POLICIES
        ? ReminderPolicies.parse(JSON.parse(env.REMINDER_POLICIES))
        : defaultReminderPolicies,
    },
    logger: new Logger({ serviceName: 'screening-api' }),
  };
}

/** Built on the first invocation, not at import, so tests and tools can import handlers freely. */
export function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

export const taskEnvironmentDeps = once(() => taskDepsFromEnvironment());
