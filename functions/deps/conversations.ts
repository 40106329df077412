import { randomUUID } from 'node:crypto';
import { KMSClient } from '@aws-sdk/client-kms';
import { createFlowCatalog } from '#flows/catalog.ts';
import type { KeyProvider } from '../crypto/key-provider.ts';
import { createKmsKeyProvider } from '../crypto/kms-key-provider.ts';
import { withUnwrapCache } from '../crypto/unwrap-cache.ts';
import type { HandlerDeps } from '../http/handler.ts';
import { once, taskDepsFromEnvironment } from './tasks.ts';

/** Without a configured key, answers that identify a child cannot be stored at all: fail closed. */
const noKeyConfigured: KeyProvider = {
  generateDataKey: () => Promise.reject(new Error('DATA_KEY_ID is not set')),
  unwrapDataKey: () => Promise.reject(new Error('DATA_KEY_ID is not set')),
};

export function depsFromEnvironment(env: NodeJS.ProcessEnv = process.env): HandlerDeps {
  const base = taskDepsFromEnvironment(env);
  const keys = env.DATA_KEY_ID
    ? withUnwrapCache(createKmsKeyProvider(new KMSClient({}), env.DATA_KEY_ID))
    : noKeyConfigured;
  return { ...base, services: { ...base.services, catalog: createFlowCatalog(), newId: randomUUID, keys } };
}

export const environmentDeps = once(() => depsFromEnvironment());
