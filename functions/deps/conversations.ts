import { randomUUID } from 'node:crypto';
import { createFlowCatalog } from '#flows/catalog.ts';
import type { HandlerDeps } from '../http/handler.ts';
import { once, taskDepsFromEnvironment } from './tasks.ts';

export function depsFromEnvironment(env: NodeJS.ProcessEnv = process.env): HandlerDeps {
  const base = taskDepsFromEnvironment(env);
  return { ...base, services: { ...base.services, catalog: createFlowCatalog(), newId: randomUUID } };
}

export const environmentDeps = once(() => depsFromEnvironment());
