import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inMemoryDirectory } from '#functions/auth/user-directory.ts';
import type { HandlerDeps } from '#functions/http/handler.ts';
import { botFrameworkDefaults, createConnectorAuthenticator } from '#functions/teams/connector-auth.ts';
import { makeDeliverHandler } from '#functions/teams/deliver.ts';
import { EMULATOR_USER, makeMessagesHandler } from '#functions/teams/messages-handler.ts';
import { createBotAdapter } from '#functions/teams/sdk.ts';
import { createTeamsStore } from '#functions/teams/teams-store.ts';
import { demoUsers } from './dev-identity.ts';
import { PLAYGROUND_TENANT_ID, playgroundLinks } from './teams-playground.ts';

/** A fixed id for the local bot; the Emulator is told to use no app id and no password. */
export const LOCAL_BOT_APP_ID = '00000000-0000-4000-8000-000000000001';

export interface LocalTeamsOptions {
  deps: HandlerDeps;
  doc: DynamoDBDocumentClient;
  tableName: string;
  emulator: boolean;
  /** The Emulator's callback origin (its log shows it as `serviceUrl`), e.g. `http://127.0.0.1:5050`. */
  emulatorServiceUrl?: string;
  /**
   * Issue 19: the Microsoft 365 Agents Playground's own service URL (`http://127.0.0.1:PORT/_connector`):
   * its unsigned Teams traffic is accepted from there, and replies go there and nowhere else.
   */
  playgroundServiceUrl?: string;
}

/**
 * The Teams bot as `npm start` serves it at /api/messages, and the delivery of reminders to it. No Bot
 * Framework can sign for a local bot, so without a local client every activity is refused (401). Each local
 * client is an explicit flag, never the default:
 * - `emulator`: the Bot Framework Emulator's unsigned traffic (channel `emulator`), as the demo caseworker,
 *   replies only to the Emulator's own service URL (issue 18: before, to any port on loopback);
 * - `playgroundServiceUrl` (issue 19): the Agents Playground's unsigned Teams traffic (channel `msteams`)
 *   from that service URL only, its users being the demo users, linked as `teams:link-user` links real ones.
 */
export async function localTeams(options: LocalTeamsOptions) {
  const { deps, emulator, playgroundServiceUrl } = options;
  if (emulator && (!options.emulatorServiceUrl || !URL.canParse(options.emulatorServiceUrl)))
    throw new Error('The Emulator needs its service URL: --teams-emulator-url http://127.0.0.1:PORT');
  if (playgroundServiceUrl !== undefined && !URL.canParse(playgroundServiceUrl))
    throw new Error(`Not a URL: ${playgroundServiceUrl}`);
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
  if (playgroundServiceUrl !== undefined)
    for (const link of playgroundLinks()) await teams.putUser({ kind: 'teamsUser', ...link });
  // Locally the demo accounts of the development identity provider are the user pool (issue 18).
  const localDirectory = inMemoryDirectory(
    demoUsers.map((user) => [
      user.id,
      { enabled: true, org: user.org, unit: user.unit, roles: [...user.groups] },
    ]),
  );
  // `host:port` entries: that port only, not whatever else listens on loopback.
  const replyHosts = [
    ...(emulator ? [new URL(options.emulatorServiceUrl!).host] : []),
    ...(playgroundServiceUrl !== undefined ? [new URL(playgroundServiceUrl).host] : []),
  ];
  const clock = deps.services.clock;
  const adapter = createBotAdapter({
    appId: LOCAL_BOT_APP_ID,
    credentials: { tokenSource: { getToken: async () => 'local-unsigned' } },
    serviceUrlHosts: replyHosts,
  });
  const messages = makeMessagesHandler(() => ({
    bot: { services: deps.services, teams, rateLimiter: deps.rateLimiter, directory: localDirectory },
    connectorAuth: createConnectorAuthenticator({
      ...botFrameworkDefaults,
      appId: LOCAL_BOT_APP_ID,
      clock,
      fetch,
    }),
    adapter,
    serviceUrlHosts: replyHosts,
    logger: deps.logger,
    clock,
    acceptUnsignedEmulator: emulator,
    ...(playgroundServiceUrl !== undefined
      ? { acceptUnsignedPlayground: { serviceUrl: playgroundServiceUrl, tenantId: PLAYGROUND_TENANT_ID } }
      : {}),
  }));
  // The job AWS runs on the table's stream, here fed by scripts/local-teams-delivery.ts.
  const deliver = makeDeliverHandler(() => ({
    teams,
    adapter,
    logger: new Logger({ serviceName: 'teams-delivery-local', logLevel: 'WARN' }),
    clock,
    directory: localDirectory,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    maxWaitSeconds: 10,
  }));
  return { messages, deliver, replyHosts };
}

/** The bot's `POST /api/messages` handler alone (see `localTeams`). */
export async function localTeamsBot(options: LocalTeamsOptions) {
  return (await localTeams(options)).messages;
}
