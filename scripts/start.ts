import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { createFlowCatalog } from '#flows/catalog.ts';
import { writeAnchor } from '#functions/audit/anchors.ts';
import { withKeys } from '#functions/audit/chain-key.ts';
import { fileAnchorStore } from '#functions/audit/file-anchor-store.ts';
import { createLocalKeyProvider } from '#functions/crypto/local-key-provider.ts';
import { loadLocalMasterKey } from '#functions/crypto/local-master-key.ts';
import { makeSweepHandler } from '#functions/jobs/sweep.ts';
import { createDynamoRateLimiter, defaultRateLimit } from '#functions/limits/rate-limiter.ts';
import { defaultReminderPolicies } from '#functions/reminders/policy.ts';
import { createDocumentClient } from '#functions/storage/client.ts';
import { createDynamoStore } from '#functions/storage/store.ts';
import { buildTablet } from './build-tablet.ts';
import { buildWidget } from './build-widget.ts';
import { ensurePortFree, PortInUseError, type PortRole, parseCli } from './cli-args.ts';
import { ensureTable } from './create-table.ts';
import { seedDemoOrganisations } from './demo-organisations.ts';
import { demoUsers, startDevIdentityProvider, verifierFor } from './dev-identity.ts';
import { startDevServer } from './dev-server.ts';
import { freePort, JavaMissingError, startDynamoLocal } from './dynamodb-local.ts';
import { LOCAL_BOT_APP_ID, localTeams } from './local-teams-bot.ts';
import { newNotifications, startLocalStreamPoller } from './local-teams-delivery.ts';
import { playgroundUser, startPlayground } from './teams-playground.ts';

const usage = `npm start [-- --port 3000] [--idp-port 3001] [--data-dir .data/dynamodb] [--sweep-seconds 30]
    [--teams-playground [--teams-playground-user demo-caseworker] [--teams-playground-port 3002]]
    [--teams-emulator --teams-emulator-url http://127.0.0.1:PORT]

Starts DynamoDB Local (in memory unless --data-dir is given), creates the table, a development identity
provider with a demo user per role, and serves the API, the OpenAPI document and the chat page on
127.0.0.1. --teams-playground also starts Microsoft 365 Agents Playground, a local Teams client, signed in
as a demo user (demo-caseworker unless --teams-playground-user names another). Ctrl-C stops everything it
started.`;

/** What `npm start` started so far, stopped in reverse order (on Ctrl-C, or when a later start fails). */
const running: Array<() => Promise<unknown>> = [];
async function stopAll(): Promise<void> {
  for (const stop of running.splice(0).reverse()) await stop().catch(() => undefined);
}

/** The ports asked for, so a busy one found late (by a server's own listen) is still named by its option. */
const ports: Partial<Record<PortRole, number>> = {};

/** Issue 19: a busy port is one line saying which port and which option moves it, never a stack trace. */
function busyPort(error: unknown): PortInUseError | null {
  if (error instanceof PortInUseError) return error;
  const failed = error as NodeJS.ErrnoException & { port?: unknown };
  if (failed?.code !== 'EADDRINUSE') return null;
  const role = (Object.keys(ports) as PortRole[]).find((name) => ports[name] === failed.port);
  return new PortInUseError(typeof failed.port === 'number' ? failed.port : 0, role ?? 'port');
}

async function fail(error: unknown): Promise<never> {
  const busy = busyPort(error);
  console.error(
    busy?.message ??
      (error instanceof JavaMissingError || error instanceof UsageError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error)),
  );
  await stopAll();
  process.exit(error instanceof UsageError ? 2 : 1);
}

class UsageError extends Error {}

async function main(): Promise<void> {
  const parsed = parseCli(
    process.argv.slice(2),
    {
      port: { type: 'string', default: process.env.PORT ?? '3000' },
      'idp-port': { type: 'string' },
      'data-dir': { type: 'string' },
      'sweep-seconds': { type: 'string', default: '30' },
      'teams-emulator': { type: 'boolean', default: false },
      'teams-emulator-url': { type: 'string' },
      'teams-playground': { type: 'boolean', default: false },
      'teams-playground-user': { type: 'string' },
      'teams-playground-port': { type: 'string' },
    },
    usage,
    { stdout: (line) => console.log(line), stderr: (line) => console.error(line) },
  );
  if ('exit' in parsed) process.exit(parsed.exit);
  const { values } = parsed;
  const portOf = (value: string, flag: string) => {
    const port = Number(value);
    if (!/^\d+$/.test(value) || port > 65535)
      throw new UsageError(`${flag} must be a port number, not "${value}"`);
    return port;
  };
  const port = portOf(values.port, '--port');
  // The identity provider sits next to the API: 3001 beside 3000, or a free port when the API's is.
  const idpPort = portOf(values['idp-port'] ?? (port === 0 ? '0' : String(port + 1)), '--idp-port');
  const emulator = values['teams-emulator'];
  const playground = values['teams-playground'];
  if (emulator && playground)
    throw new UsageError('Choose one local Teams client: --teams-playground or --teams-emulator.');
  if (!playground && (values['teams-playground-port'] ?? values['teams-playground-user']) !== undefined)
    throw new UsageError('--teams-playground-user and --teams-playground-port go with --teams-playground.');
  let playgroundUserChosen: ReturnType<typeof playgroundUser> | undefined;
  try {
    playgroundUserChosen = playground
      ? playgroundUser(values['teams-playground-user'] ?? 'demo-caseworker')
      : undefined;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // And the Playground next to the sign-in: 3002.
  const playgroundPort = playground
    ? portOf(
        values['teams-playground-port'] ?? (port === 0 ? '0' : String(port + 2)),
        '--teams-playground-port',
      )
    : undefined;

  // Every port asked for is checked before anything starts, so a busy one costs a second, not a Java start.
  ports.port = port;
  ports['idp-port'] = idpPort;
  if (playgroundPort !== undefined) ports['teams-playground-port'] = playgroundPort;
  const asked = Object.entries(ports).filter(([, value]) => value !== 0) as Array<[PortRole, number]>;
  for (const [index, [role, value]] of asked.entries()) {
    if (asked.slice(0, index).some(([, earlier]) => earlier === value)) throw new PortInUseError(value, role);
    await ensurePortFree(value, role);
  }

  const startedAt = Date.now();
  // The shelter widget is one bundled script; built alongside the rest so /widget/ serves the source as it is.
  const widget = buildWidget().catch((error: unknown) => {
    console.error('widget build failed:', error instanceof Error ? error.message : error);
    return null;
  });
  const tablet = buildTablet().catch((error: unknown) => {
    console.error('tablet app build failed:', error instanceof Error ? error.message : error);
    return null;
  });
  const dataDir = values['data-dir'];
  if (dataDir) {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir, { recursive: true });
  }
  const dynamo = await startDynamoLocal(dataDir ? { dataDir } : {});
  running.push(() => dynamo.stop());
  const tableName = 'screening-local';
  await ensureTable(dynamo.endpoint, tableName);
  const doc = createDocumentClient({ endpoint: dynamo.endpoint });
  // Issue 18: with --data-dir the provider's signing key (and its grants and refresh tokens) are kept there,
  // so a restart signs nobody out.
  const idp = await startDevIdentityProvider({
    port: idpPort,
    audience: 'screening-local',
    ...(dataDir ? { dataDir: join(dataDir, 'identity') } : {}),
  });
  running.push(() => idp.close());
  const clock = () => new Date();
  const deps = {
    services: {
      store: createDynamoStore(doc, tableName),
      catalog: createFlowCatalog(),
      clock,
      reminders: defaultReminderPolicies,
      newId: randomUUID,
      ...withKeys(
        createLocalKeyProvider(
          await loadLocalMasterKey({ filePath: join(dataDir ?? '.data', 'local-master-key') }),
        ),
      ),
      retention: { abandonedAfterDays: 30 },
    },
    logger: new Logger({ serviceName: 'screening-api-local', logLevel: 'WARN' }),
    // The same checks as in AWS: every request's token verified against the issuer's published keys.
    authenticator: verifierFor(idp),
    rateLimiter: createDynamoRateLimiter(doc, tableName, defaultRateLimit, clock),
  };
  await seedDemoOrganisations(deps.services.store, clock());
  const emulatorServiceUrl = values['teams-emulator-url'];
  // The Playground's port is settled before it starts: the bot trusts its service URL from the first activity.
  const playgroundServiceUrl =
    playgroundPort === undefined
      ? undefined
      : `http://127.0.0.1:${playgroundPort === 0 ? await freePort() : playgroundPort}/_connector`;
  const teams = await localTeams({
    deps,
    doc,
    tableName,
    emulator,
    ...(emulatorServiceUrl ? { emulatorServiceUrl } : {}),
    ...(playgroundServiceUrl ? { playgroundServiceUrl } : {}),
  });
  const server = await startDevServer({
    port,
    deps,
    // Every page signs in with authorization code + PKCE at the provider's /oauth2/authorize (issue 18).
    oidc: { issuer: idp.issuer, clientId: idp.clientId },
    teamsMessages: teams.messages,
  });
  running.push(() => server.close());
  // Issue 19: Microsoft 365 Agents Playground, the local Teams client, pointed at the bot.
  const client =
    playgroundServiceUrl && playgroundUserChosen
      ? await startPlayground({
          botEndpoint: `${server.url}/api/messages`,
          port: Number(new URL(playgroundServiceUrl).port),
          user: playgroundUserChosen,
          botId: LOCAL_BOT_APP_ID,
        })
      : undefined;
  if (client) {
    running.push(() => client.close());
    client.exited.then(({ code, signal, errors }) => {
      // Ctrl-C reaches it too (same process group): only an exit of its own is news.
      if (!stopping && signal === null)
        console.error(
          `The Agents Playground stopped (exit code ${code}${errors ? `: ${errors}` : ''}); the rest keeps running.`,
        );
    });
  }
  // Reminders and escalations reach the local Teams client proactively, as the stream job sends them to Teams.
  const delivery =
    emulator || client
      ? await startLocalStreamPoller({
          endpoint: dynamo.endpoint,
          tableName,
          handle: teams.deliver,
          filter: newNotifications,
          onError: (error) =>
            console.error(
              'Teams delivery failed:',
              error instanceof Error ? `${error.name}: ${error.message}` : String(error),
            ),
        })
      : undefined;
  if (delivery) running.push(() => delivery.stop());
  // In AWS a schedule per reminder plus a periodic sweep; locally the sweep alone, in this process.
  const sweepSeconds = Number(values['sweep-seconds']);
  const sweep = makeSweepHandler(() => deps);
  const sweeper = setInterval(() => {
    sweep().catch((error: unknown) =>
      console.error('sweep failed:', error instanceof Error ? error.name : error),
    );
  }, Math.max(1, sweepSeconds) * 1000);

  // Issue 16: the chain heads anchored outside the table every 15 minutes, as the anchor job does in AWS.
  const anchorsDir = dataDir ? join(dataDir, 'anchors') : await mkdtemp(join(tmpdir(), 'cse-anchors-'));
  const anchorer = setInterval(
    () => {
      writeAnchor({
        doc,
        tableName,
        store: fileAnchorStore(anchorsDir),
        keys: deps.services.keys,
        now: clock,
      }).catch((error: unknown) =>
        console.error('anchoring failed:', error instanceof Error ? error.message : error),
      );
    },
    15 * 60 * 1000,
  );

  const widgetBytes = (await widget)?.bytes;
  const tabletBuilt = await tablet;
  console.log(`
CSE screening assistant is running (${((Date.now() - startedAt) / 1000).toFixed(1)} s)
  Chat page:   ${server.url}/
  Widget:      ${widgetBytes ? `${server.url}/widget/demo.html (shelter staff; script ${Math.round(widgetBytes / 1024)} KB)` : 'not built (see the error above)'}
  Tablet app:  ${tabletBuilt ? `${server.url}/tablet/ (interviewers; installable, works offline once loaded)` : 'not built (see the error above)'}
  API:         ${server.url}/conversations, ${server.url}/tasks
  OpenAPI:     ${server.url}/openapi.json
  API docs:    ${server.url}/docs/
  DynamoDB:    ${dynamo.endpoint} (${dataDir ? `data in ${dataDir}` : 'in memory'})
  Reminders:   swept every ${sweepSeconds} s (notifications in the outbox)
  Audit:       chain heads anchored every 15 min in ${anchorsDir} (npm run audit:verify -- --anchors)
  Teams bot:   ${server.url}/api/messages (${
    client
      ? `also the Agents Playground’s unsigned Teams traffic from ${client.serviceUrl}, replies only there`
      : emulator
        ? 'accepting the Bot Framework Emulator’s unsigned traffic'
        : 'signed Bot Framework traffic only; --teams-playground for a local Teams client'
  })${
    client
      ? `
  Playground:  ${client.url} (Microsoft 365 Agents Playground, a local Teams client: ${client.user.user.id}, ${client.user.user.name}, in a personal chat and the ${client.user.user.org} team's ${client.user.user.unit} channel)`
      : ''
  }
  Sign-in:     ${idp.issuer} (development OpenID provider, code + PKCE; key ${dataDir ? `kept in ${join(dataDir, 'identity')}` : 'in memory'}; demo users:
               ${demoUsers.map((user) => `${user.id} (${user.groups.join(', ')}, ${user.org})`).join('\n               ')})
Press Ctrl-C to stop.`);

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    clearInterval(sweeper);
    clearInterval(anchorer);
    await stopAll();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

let stopping = false;

// The dev server's listen reports a busy port as an 'error' event nobody listens to: an uncaught exception.
process.on('uncaughtException', (error) => {
  if (busyPort(error)) void fail(error);
  else {
    console.error(error);
    void stopAll().finally(() => process.exit(1));
  }
});

main().catch(fail);
