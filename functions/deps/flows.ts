import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { createFlowCatalog } from '#flows/catalog.ts';
import { DutyRule } from '#flows/duty-rule.ts';
import { DEFAULT_ABANDONED_AFTER_DAYS } from '../domain/retention.ts';
import { DEFAULT_CLAIM_WINDOW_HOURS, type Services, type TaskServices } from '../domain/services.ts';
import type { HandlerDeps } from '../http/handler.ts';
import { once, taskDepsFromEnvironment } from './tasks.ts';

/**
 * A county's own duty rules: compiled into the bundle by the deployment (esbuild replaces this very
 * expression, so no size limit applies), or from the environment when run locally. Absent, the defaults.
 */
function countyDutyRules(): DutyRule[] | undefined {
  const text = process.env.COUNTY_DUTY_RULES;
  return text ? z.array(DutyRule).parse(JSON.parse(text)) : undefined;
}

/** The task services plus the flows, for anything that starts or steps a conversation (API, Teams). */
export function flowServicesOf(base: TaskServices, env: NodeJS.ProcessEnv): Services {
  const days = Number(env.ABANDONED_CONVERSATION_DAYS ?? DEFAULT_ABANDONED_AFTER_DAYS);
  if (!Number.isInteger(days) || days < 1)
    throw new Error('ABANDONED_CONVERSATION_DAYS must be a positive integer');
  const dutyRules = countyDutyRules();
  const claimWindowHours = Number(env.SYNC_CLAIM_WINDOW_HOURS ?? DEFAULT_CLAIM_WINDOW_HOURS);
  if (!Number.isInteger(claimWindowHours) || claimWindowHours < 1)
    throw new Error('SYNC_CLAIM_WINDOW_HOURS must be a positive integer');
  return {
    ...base,
    catalog: createFlowCatalog(dutyRules ? { dutyRules } : {}),
    newId: randomUUID,
    retention: { abandonedAfterDays: days },
    sync: { claimWindowHours },
  };
}

/** The task deps plus the flows, for anything that starts or steps a conversation. */
export function flowDepsFromEnvironment(env: NodeJS.ProcessEnv = process.env): HandlerDeps {
  const base = taskDepsFromEnvironment(env);
  return { ...base, services: flowServicesOf(base.services, env) };
}

export const flowEnvironmentDeps = once(() => flowDepsFromEnvironment());
