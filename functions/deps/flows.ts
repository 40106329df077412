import { randomUUID } from 'node:crypto';
import { createFlowCatalog } from '#flows/catalog.ts';
import type { KeyProvider } from '../crypto/key-provider.ts';
import { DEFAULT_ABANDONED_AFTER_DAYS } from '../domain/retention.ts';
import type { HandlerDeps } from '../http/handler.ts';
import { once, taskDepsFromEnvironment } from './tasks.ts';

/** Where no data key may be made or opened: any attempt fails closed rather than storing plaintext. */
export const noKeys: KeyProvider = {
  generateDataKey: () => Promise.reject(new Error('no data key provider is configured here')),
  unwrapDataKey: () => Promise.reject(new Error('no data key provider is configured here')),
};

/** The flows without the KMS client, for routes that never seal or open an answer (starting a conversation). */
export function flowDepsFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  keys: KeyProvider = noKeys,
): HandlerDeps {
  const base = taskDepsFromEnvironment(env);
  const days = Number(env.ABANDONED_CONVERSATION_DAYS ?? DEFAULT_ABANDONED_AFTER_DAYS);
  if (!Number.isInteger(days) || days < 1)
    throw new Error('ABANDONED_CONVERSATION_DAYS must be a positive integer');
  return {
    ...base,
    services: {
      ...base.services,
      catalog: createFlowCatalog(),
      newId: randomUUID,
      keys,
      retention: { abandonedAfterDays: days },
    },
  };
}

export const flowEnvironmentDeps = once(() => flowDepsFromEnvironment());
