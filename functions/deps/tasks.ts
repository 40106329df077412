import { Logger } from '@aws-lambda-powertools/logger';
import { withKeys } from '../audit/chain-key.ts';
import { verifierFromEnvironment } from '../auth/verifier.ts';
import type { KeyProvider } from '../crypto/key-provider.ts';
import type { TaskServices } from '../domain/services.ts';
import type { HandlerDeps } from '../http/handler.ts';
import { createDynamoRateLimiter, defaultRateLimit } from '../limits/rate-limiter.ts';
import { defaultReminderPolicies, ReminderPolicies } from '../reminders/policy.ts';
import { createDocumentClient } from '../storage/client.ts';
import { createDynamoStore } from '../storage/store.ts';

function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name} must be a positive integer`);
  return parsed;
}

/** What jobs (sweeps, scheduled wake-ups, stream handlers) need: the table and the logger, no HTTP. */
export type JobDeps = Pick<HandlerDeps<TaskServices>, 'services' | 'logger'>;

export function tableFromEnvironment(env: NodeJS.ProcessEnv) {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  const doc = createDocumentClient({
    ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}),
    ...(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}),
  });
  return { tableName, doc };
}

/**
 * Issue 16: the KMS keys (the field key in DATA_KEY_ID, the HMAC key in MAC_KEY_ID) for functions that seal
 * typed text or extend an audit chain. The KMS client is loaded on first use, so a function pays for it
 * once per process, when it first needs a key, and never at cold start. Unconfigured, every use fails
 * closed rather than storing plaintext or an unkeyed link.
 */
export function lazyKmsKeys(env: NodeJS.ProcessEnv): KeyProvider {
  let provider: Promise<KeyProvider> | undefined;
  const load = () => {
    provider ??= Promise.all([
      import('@aws-sdk/client-kms'),
      import('../crypto/kms-key-provider.ts'),
      import('../crypto/unwrap-cache.ts'),
    ]).then(([{ KMSClient }, { createKmsKeyProvider }, { withUnwrapCache }]) =>
      withUnwrapCache(createKmsKeyProvider(new KMSClient({}), env.DATA_KEY_ID ?? '', env.MAC_KEY_ID)),
    );
    return provider;
  };
  const needs = (name: string, value: string | undefined) => {
    if (!value) throw new Error(`${name} is not set: this function may not use that key`);
  };
  return {
    async generateDataKey(context) {
      needs('DATA_KEY_ID', env.DATA_KEY_ID);
      return (await load()).generateDataKey(context);
    },
    async unwrapDataKey(wrapped, context) {
      needs('DATA_KEY_ID', env.DATA_KEY_ID);
      return (await load()).unwrapDataKey(wrapped, context);
    },
    async mac(purpose, message) {
      needs('MAC_KEY_ID', env.MAC_KEY_ID);
      return (await load()).mac(purpose, message);
    },
  };
}

/** The table and the logger, from the environment: TABLE_NAME, REMINDER_POLICIES; DYNAMODB_ENDPOINT locally. */
export function jobDepsFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  serviceName = 'screening-jobs',
  { tableName, doc } = tableFromEnvironment(env),
): JobDeps {
  return {
    services: {
      store: createDynamoStore(doc, tableName),
      clock: () => new Date(),
      reminders: env.REMINDER_POLICIES
        ? ReminderPolicies.parse(JSON.parse(env.REMINDER_POLICIES))
        : defaultReminderPolicies,
      ...withKeys(lazyKmsKeys(env)),
    },
    logger: new Logger({ serviceName }),
  };
}

/**
 * An HTTP route's dependencies: the job's, plus the token verifier (OIDC_ISSUER, OIDC_AUDIENCE; see
 * auth/verifier.ts) and the per-user rate limiter (RATE_LIMIT_PER_MINUTE).
 */
export function taskDepsFromEnvironment(env: NodeJS.ProcessEnv = process.env): HandlerDeps<TaskServices> {
  const table = tableFromEnvironment(env);
  const { tableName, doc } = table;
  const base = jobDepsFromEnvironment(env, 'screening-api', table);
  return {
    ...base,
    authenticator: verifierFromEnvironment(env),
    rateLimiter: createDynamoRateLimiter(
      doc,
      tableName,
      {
        limit: positiveInteger(env.RATE_LIMIT_PER_MINUTE, 'RATE_LIMIT_PER_MINUTE', defaultRateLimit.limit),
        windowSeconds: 60,
      },
      base.services.clock,
    ),
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

export const jobEnvironmentDeps = once(() => jobDepsFromEnvironment());
