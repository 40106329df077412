import type { HandlerDeps } from '../http/handler.ts';
import { flowDepsFromEnvironment } from './flows.ts';
import { once } from './tasks.ts';

/**
 * The flows and the KMS keys (loaded on first use), for the routes that seal or show typed text and the
 * records routes' keyed hashes. Each key works only where the deployment granted it (DATA_KEY_ID,
 * MAC_KEY_ID): without one, its use fails closed.
 */
export function depsFromEnvironment(env: NodeJS.ProcessEnv = process.env): HandlerDeps {
  return flowDepsFromEnvironment(env);
}

export const environmentDeps = once(() => depsFromEnvironment());
