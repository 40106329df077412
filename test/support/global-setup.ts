import type { TestProject } from 'vitest/node';
import { type RunningDynamo, startDynamoLocal } from '../../scripts/dynamodb-local.ts';

let dynamo: RunningDynamo | undefined;

/** One DynamoDB Local per test run, in memory on a free port; each test file makes its own table. */
export async function setup(project: TestProject): Promise<void> {
  dynamo = await startDynamoLocal();
  project.provide('dynamoEndpoint', dynamo.endpoint);
}

export async function teardown(): Promise<void> {
  await dynamo?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
