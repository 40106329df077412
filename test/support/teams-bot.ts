import { Logger } from '@aws-lambda-powertools/logger';
import { type InMemoryDirectory, inMemoryDirectory } from '#functions/auth/user-directory.ts';
import type { Services } from '#functions/domain/services.ts';
import { createDynamoRateLimiter } from '#functions/limits/rate-limiter.ts';
import { botFrameworkDefaults, createConnectorAuthenticator } from '#functions/teams/connector-auth.ts';
import type { MessagesDeps } from '#functions/teams/messages-handler.ts';
import { createBotAdapter } from '#functions/teams/sdk.ts';
import type { TeamsStore, TeamsUser } from '#functions/teams/teams-store.ts';
import type { BotFrameworkFake } from './bot-framework.ts';
import type { TestStack } from './stack.ts';

export const TEST_BOT_APP_ID = '00000000-0000-4000-8000-00000000b0b1';

/**
 * The bot as the Lambda wires it, pointed at the test table and a loopback Bot Framework: incoming tokens
 * checked against the fake's keys, replies sent to its Connector API with a token we chose.
 */
export function teamsTestDeps(
  stack: TestStack,
  fake: BotFrameworkFake,
  teams: TeamsStore,
  options: { services?: Services; botToken?: string; rateLimit?: number; directory?: InMemoryDirectory } = {},
): MessagesDeps {
  return {
    bot: {
      services: options.services ?? stack.deps.services,
      teams,
      directory: options.directory ?? testDirectory,
      rateLimiter: createDynamoRateLimiter(
        stack.doc,
        stack.tableName,
        { limit: options.rateLimit ?? 1000, windowSeconds: 60 },
        () => stack.clock.now,
      ),
    },
    connectorAuth: createConnectorAuthenticator({
      ...botFrameworkDefaults,
      appId: TEST_BOT_APP_ID,
      openIdMetadataUrl: fake.openIdMetadataUrl,
      clock: () => new Date(),
      fetch,
    }),
    adapter: createBotAdapter({
      appId: TEST_BOT_APP_ID,
      credentials: { tokenSource: { getToken: async () => options.botToken ?? 'the-bots-own-token' } },
      serviceUrlHosts: ['127.0.0.1'],
    }),
    serviceUrlHosts: ['127.0.0.1'],
    logger: new Logger({ logLevel: 'SILENT' }),
    clock: () => stack.clock.now,
  };
}

/** The user pool as the tests' Teams users stand in it (issue 18: a link alone is not access). */
export const testDirectory = inMemoryDirectory();

/** Links a Teams user, and gives the account the same standing in the directory (enabled, same roles). */
export async function linkInTeams(
  teams: TeamsStore,
  link: Omit<TeamsUser, 'kind'>,
  directory = testDirectory,
) {
  await teams.putUser({ kind: 'teamsUser', ...link });
  directory.put(link.userId, { enabled: true, org: link.org, unit: link.unit, roles: [...link.roles] });
}
