import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inMemoryDirectory } from '#functions/auth/user-directory.ts';
import type { HandlerDeps } from '#functions/http/handler.ts';
import { botFrameworkDefaults, createConnectorAuthenticator } from '#functions/teams/connector-auth.ts';
import { EMULATOR_USER, makeMessagesHandler } from '#functions/teams/messages-handler.ts';
import { createBotAdapter } from '#functions/teams/sdk.ts';
import { createTeamsStore } from '#functions/teams/teams-store.ts';
import { demoUsers } from './dev-identity.ts';

/** A fixed id for the local bot; the Emulator is told to use no app id and no password. */
export const LOCAL_BOT_APP_ID = '00000000-0000-4000-8000-000000000001';

/**
 * The Teams bot as `npm start` serves it at /api/messages. No Bot Framework can sign for a local bot, so
 * without `emulator` every activity is refused (401); with it (an explicit flag, never the default) the
 * Bot Framework Emulator's unsigned traffic is accepted, as the demo caseworker, and replies go only to the
 * Emulator's own service URL (issue 18: before, to any port on loopback).
 */
export async function localTeamsBot(options: {
  deps: HandlerDeps;
  doc: DynamoDBDocumentClient;
  tableName: string;
  emulator: boolean;
  /** The Emulator's callback origin (its log shows it as `serviceUrl`), e.g. `http://127.0.0.1:5050`. */
  emulatorServiceUrl?: string;
}) {
  const { deps, emulator } = options;
  if (emulator && (!options.emulatorServiceUrl || !URL.canParse(options.emulatorServiceUrl)))
    throw new Error('The Emulator needs its service URL: --teams-emulator-url http://127.0.0.1:PORT');
  const teams = createTeamsStore(options.doc, options.tableName);
  if (emulator) {
    await teams.putUser({
      kind: 'teamsUser',
      ...EMULATOR_USER,
      userId: 'demo-caseworker',
      org: 'demo-county',
      unit: 'unit-1',
      roles: ['caseworker'],
    });
  }
  // Locally the demo accounts of the development identity provider are the user pool (issue 18).
  const localDirectory = inMemoryDirectory(
    demoUsers.map((user) => [
      user.id,
      { enabled: true, org: user.org, unit: user.unit, roles: [...user.groups] },
    ]),
  );
  const loopback = emulator ? [new URL(options.emulatorServiceUrl!).host] : [];
  const clock = deps.services.clock;
  return makeMessagesHandler(() => ({
    bot: { services: deps.services, teams, rateLimiter: deps.rateLimiter, directory: localDirectory },
    connectorAuth: createConnectorAuthenticator({
      ...botFrameworkDefaults,
      appId: LOCAL_BOT_APP_ID,
      clock,
      fetch,
    }),
    adapter: createBotAdapter({
      appId: LOCAL_BOT_APP_ID,
      credentials: { tokenSource: { getToken: async () => 'local-emulator' } },
      serviceUrlHosts: loopback,
    }),
    serviceUrlHosts: loopback,
    logger: deps.logger,
    clock,
    acceptUnsignedEmulator: emulator,
  }));
}
