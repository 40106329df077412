import { KMSClient } from '@aws-sdk/client-kms';
import type { KeyProvider } from '../crypto/key-provider.ts';
import { createKmsKeyProvider } from '../crypto/kms-key-provider.ts';
import { withUnwrapCache } from '../crypto/unwrap-cache.ts';
import type { HandlerDeps } from '../http/handler.ts';
import { flowDepsFromEnvironment, noKeys } from './flows.ts';
import { once } from './tasks.ts';

/** The flows and the KMS-wrapped data keys, for the routes that seal or show answers that identify a child. */
export function depsFromEnvironment(env: NodeJS.ProcessEnv = process.env): HandlerDeps {
  // Without a configured key, answers that identify a child cannot be stored at all: fail closed.
  const keys = env.DATA_KEY_ID
    ? withUnwrapCache(createKmsKeyProvider(new KMSClient({}), env.DATA_KEY_ID, env.MAC_KEY_ID))
    : env.MAC_KEY_ID
      ? macOnly(env.MAC_KEY_ID)
      : noKeys;
  return flowDepsFromEnvironment(env, keys);
}

/** Issue 16: a route that only computes keyed hashes (records requests) may MAC, never make or open a data key. */
function macOnly(macKeyId: string): KeyProvider {
  const kms = createKmsKeyProvider(new KMSClient({}), 'no-data-key', macKeyId);
  return { ...noKeys, mac: (purpose, message) => kms.mac(purpose, message) };
}

export const environmentDeps = once(() => depsFromEnvironment());
