import type { BundleResults } from './bundles.ts';
import type { ConcurrencyResults } from './concurrency.ts';
import { round } from './stats.ts';
import type { TurnResults } from './turns.ts';

/**
 * Issue 9: what the deployment costs per month for a number of screenings, from what this run measured
 * (capacity units per turn, item sizes, handler times, cold import times) and AWS's published on-demand
 * prices in us-west-2. Everything assumed rather than measured is named here.
 */

/** US West (Oregon) list prices, checked 2026-11; free tiers ignored. */
export const PRICES = {
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  dynamoStorageGbMonth: 0.25,
  /** Continuous backups (point-in-time recovery), per GB-month of table size. */
  dynamoPitrGbMonth: 0.2,
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  httpApiRequest: 1.0 / 1e6,
} as const;

/** How one screening uses the system, beyond the turns the benchmark runs. */
export const PROFILE = {
  /** Opening the conversation, one look at it afterwards, one look at the task list. */
  otherRequests: { create: 1, get: 1, listTasks: 1 },
  /** An identified or at-risk youth opens about this many reporting tasks; most screenings open fewer. */
  tasksPerScreening: 3,
  /** Each task is reminded once before it is reported, then completed by its owner. */
  remindersPerTask: 1,
  /** Function memory (ProjectFunction). */
  memoryGb: 0.5,
  /**
   * DynamoDB Local answers over loopback; in AWS each of a turn's two round trips crosses the network, so
   * measured handler times are doubled for billing.
   */
  networkFactor: 2,
  /** Fresh instances per screening (create, first turn, the later look), each billed its cold import. */
  coldStartsPerScreening: 3,
  /** The backstop sweep: every five minutes, all month. */
  sweepsPerMonth: 12 * 24 * 30,
  sweepMs: 50,
} as const;

const kb = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
const readUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 4096));

export interface CostEstimate {
  screeningsPerMonth: number;
  perScreening: {
    requests: number;
    writeUnits: number;
    readUnits: number;
    lambdaGbSeconds: number;
    storedBytes: number;
  };
  monthlyUsd: {
    dynamoRequests: number;
    dynamoStorageAfterAYear: number;
    lambda: number;
    httpApi: number;
    total: number;
  };
}

export function estimateMonthlyCost(
  turns: TurnResults,
  concurrency: ConcurrencyResults,
  bundles: BundleResults,
  screeningsPerMonth = 10_000,
): CostEstimate {
  const t = concurrency.turnsEach;
  const tasks = PROFILE.tasksPerScreening;
  const other = PROFILE.otherRequests;
  const requests = t + other.create + other.get + other.listTasks + tasks; // tasks completed one by one
  const bytes = turns.stateBytes;

  // Transactions cost twice the units of their items; every request also bumps the caller's rate counter.
  const createWrites = 2 * (kb(bytes.conversationAtStart) + kb(bytes.eventMax));
  const turnWrites = turns.capacity.ordinary.write * (t - 1) + turns.capacity.final.write;
  const completionWrites = tasks * kb(bytes.task);
  const reminderWrites = tasks * PROFILE.remindersPerTask * 2 * (kb(bytes.task) + 1);
  const readRecord = 1;
  const writeUnits = createWrites + turnWrites + completionWrites + reminderWrites + readRecord + requests;

  const turnReads = turns.capacity.ordinary.read * (t - 1) + turns.capacity.final.read;
  const getReads =
    readUnits(bytes.conversationAtEnd) + readUnits(t * bytes.eventMax) + tasks * readUnits(bytes.task);
  const listReads = readUnits(tasks * bytes.task);
  const completionReads = tasks; // the task, read before it is settled
  const reminderReads = tasks * PROFILE.remindersPerTask;
  const readUnitsTotal = turnReads + getReads + listReads + completionReads + reminderReads;

  const billedMs =
    PROFILE.networkFactor *
    (turns.turnMs.median * (t - 1 + other.get + other.listTasks + tasks + other.create) +
      turns.finalTurnMs.median);
  const coldMs =
    PROFILE.coldStartsPerScreening *
    (bundles.functions.reduce((sum, fn) => sum + fn.importMs, 0) / Math.max(1, bundles.functions.length));
  const reminderMs = tasks * PROFILE.remindersPerTask * PROFILE.networkFactor * turns.turnMs.median;
  const lambdaGbSeconds = ((billedMs + coldMs + reminderMs) / 1000) * PROFILE.memoryGb;
  const lambdaInvocations = requests + tasks * PROFILE.remindersPerTask + 1; // + arming from the stream

  // Items are kept (a case record); the subject index repeats conversation and task items.
  const storedBytes =
    2 * bytes.conversationAtEnd + t * bytes.eventMax + bytes.outcome + 2 * tasks * bytes.task;

  const n = screeningsPerMonth;
  const dynamoRequests = n * (writeUnits * PRICES.dynamoWriteUnit + readUnitsTotal * PRICES.dynamoReadUnit);
  const gbAfterAYear = (12 * n * storedBytes) / 1024 ** 3;
  const dynamoStorageAfterAYear = gbAfterAYear * (PRICES.dynamoStorageGbMonth + PRICES.dynamoPitrGbMonth);
  const sweepGbSeconds = (PROFILE.sweepsPerMonth * PROFILE.sweepMs * PROFILE.memoryGb) / 1000;
  const lambda =
    (n * lambdaGbSeconds + sweepGbSeconds) * PRICES.lambdaArmGbSecond +
    (n * lambdaInvocations + PROFILE.sweepsPerMonth) * PRICES.lambdaRequest;
  const httpApi = n * requests * PRICES.httpApiRequest;
  const cents = (usd: number) => round(usd, 2);
  return {
    screeningsPerMonth: n,
    perScreening: {
      requests,
      writeUnits,
      readUnits: readUnitsTotal,
      lambdaGbSeconds: round(lambdaGbSeconds, 3),
      storedBytes,
    },
    monthlyUsd: {
      dynamoRequests: cents(dynamoRequests),
      dynamoStorageAfterAYear: cents(dynamoStorageAfterAYear),
      lambda: cents(lambda),
      httpApi: cents(httpApi),
      total: cents(dynamoRequests + dynamoStorageAfterAYear + lambda + httpApi),
    },
  };
}
