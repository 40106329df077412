import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
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
import { ensureTable } from './create-table.ts';
import { seedDemoOrganisations } from './demo-organisations.ts';
import { demoUsers, startDevIdentityProvider, verifierFor } from './dev-identity.ts';
import { startDevServer } from './dev-server.ts';
import { JavaMissingError, startDynamoLocal } from './dynamodb-local.ts';
import { localTeamsBot } from './local-teams-bot.ts';

const usage = `npm start [-- --port 3000] [--idp-port 3001] [--data-dir .data/dynamodb] [--sweep-seconds 30]
    [--teams-emulator --teams-emulator-url http://127.0.0.1:PORT]

Starts DynamoDB Local (in memory unless --data-dir is given), creates the table, a development identity
provider with a demo user per role, and serves the API, the OpenAPI document and the chat page on
127.0.0.1. Ctrl-C stops everything it started.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '3000' },
      'idp-port': { type: 'string' },
      'data-dir': { type: 'string' },
      'sweep-seconds': { type: 'string', default: '30' },
      'teams-emulator': { type: 'boolean', default: false },
      'teams-emulator-url': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const portOf = (value: string, flag: string) => {
    const port = Number(value);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`${flag} must be a port number, not "${value}"`);
    return port;
  };
  const port = portOf(values.port, '--port');
  // The identity provider sits next to the API: 3001 beside 3000, or a free port when the API's is.
  const idpPort = portOf(values['idp-port'] ?? (port === 0 ? '0' : String(port + 1)), '--idp-port');

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
  const emulator = values['teams-emulator'];
  const emulatorServiceUrl = values['teams-emulator-url'];
  const teamsMessages = await localTeamsBot({
    deps,
    doc,
    tableName,
    emulator,
    ...(emulatorServiceUrl ? { emulatorServiceUrl } : {}),
  });
  const server = await startDevServer({
    port,
    deps,
    // Every page signs in with authorization code + PKCE at the provider's /oauth2/authorize (issue 18).
    oidc: { issuer: idp.issuer, clientId: idp.clientId },
    teamsMessages,
  });
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
  DynamoDB:    ${dynamo.endpoint} (${dataDir ? `data in ${dataDir}` : 'in memory'})
  Reminders:   swept every ${sweepSeconds} s (notifications in the outbox)
  Audit:       chain heads anchored every 15 min in ${anchorsDir} (npm run audit:verify -- --anchors)
  Teams bot:   ${server.url}/api/messages (${emulator ? 'accepting the Bot Framework Emulator’s unsigned traffic' : 'signed Bot Framework traffic only; --teams-emulator for the Emulator'})
  Sign-in:     ${idp.issuer} (development OpenID provider, code + PKCE; key ${dataDir ? `kept in ${join(dataDir, 'identity')}` : 'in memory'}; demo users:
               ${demoUsers.map((user) => `${user.id} (${user.groups.join(', ')}, ${user.org})`).join('\n               ')})
Press Ctrl-C to stop.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    clearInterval(sweeper);
    clearInterval(anchorer);
    await server.close();
    await idp.close();
    await dynamo.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof JavaMissingError ? error.message : error);
  process.exit(1);
});
