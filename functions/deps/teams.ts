import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { cachedDirectory, cognitoDirectory } from '../auth/user-directory.ts';
import { createDynamoRateLimiter, defaultRateLimit } from '../limits/rate-limiter.ts';
import { botFrameworkDefaults, createConnectorAuthenticator } from '../teams/connector-auth.ts';
import type { DeliverDeps } from '../teams/deliver.ts';
import type { MessagesDeps } from '../teams/messages-handler.ts';
import { createBotAdapter } from '../teams/sdk.ts';
import { defaultServiceUrlHosts } from '../teams/service-urls.ts';
import { createTeamsStore } from '../teams/teams-store.ts';
import { flowServicesOf } from './flows.ts';
import { jobDepsFromEnvironment, tableFromEnvironment } from './tasks.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The bot's identity: MICROSOFT_APP_ID and MICROSOFT_APP_TENANT_ID from the environment, the client secret
 * from Secrets Manager (MICROSOFT_APP_SECRET_ARN), read once per container and never put in the environment.
 */
async function botAdapterFromEnvironment(env: NodeJS.ProcessEnv) {
  const appId = env.MICROSOFT_APP_ID ?? '';
  const tenantId = env.MICROSOFT_APP_TENANT_ID ?? '';
  if (!GUID.test(appId)) throw new Error('MICROSOFT_APP_ID must be the bot’s Microsoft app id (a GUID)');
  if (!GUID.test(tenantId))
    throw new Error('MICROSOFT_APP_TENANT_ID must be the bot’s Entra tenant id (a GUID)');
  if (!env.MICROSOFT_APP_SECRET_ARN) throw new Error('MICROSOFT_APP_SECRET_ARN is not set');
  const secret = await new SecretsManagerClient({}).send(
    new GetSecretValueCommand({ SecretId: env.MICROSOFT_APP_SECRET_ARN }),
  );
  if (!secret.SecretString) throw new Error('the bot secret is empty');
  const serviceUrlHosts = (env.TEAMS_SERVICE_URL_HOSTS ?? defaultServiceUrlHosts.join(','))
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host.length > 0);
  return {
    appId,
    serviceUrlHosts,
    adapter: createBotAdapter({
      appId,
      credentials: { clientSecret: secret.SecretString, tenantId },
      serviceUrlHosts,
    }),
  };
}

export async function messagesDepsFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
): Promise<MessagesDeps> {
  const table = tableFromEnvironment(env);
  const job = jobDepsFromEnvironment(env, 'screening-teams', table);
  const { appId, serviceUrlHosts, adapter } = await botAdapterFromEnvironment(env);
  const clock = job.services.clock;
  return {
    bot: {
      services: flowServicesOf(job.services, env),
      teams: createTeamsStore(table.doc, table.tableName),
      rateLimiter: createDynamoRateLimiter(table.doc, table.tableName, defaultRateLimit, clock),
      directory: cachedDirectory(
        cognitoDirectory(new CognitoIdentityProviderClient({}), userPoolIdOf(env)),
        clock,
      ),
    },
    connectorAuth: createConnectorAuthenticator({
      ...botFrameworkDefaults,
      appId,
      openIdMetadataUrl: env.BOT_OPENID_METADATA_URL ?? botFrameworkDefaults.openIdMetadataUrl,
      clock,
      fetch,
    }),
    adapter,
    serviceUrlHosts,
    logger: job.logger,
    clock,
  };
}

export async function deliverDepsFromEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<DeliverDeps> {
  const table = tableFromEnvironment(env);
  const job = jobDepsFromEnvironment(env, 'screening-teams-delivery', table);
  const { adapter } = await botAdapterFromEnvironment(env);
  return {
    teams: createTeamsStore(table.doc, table.tableName),
    adapter,
    logger: job.logger,
    clock: job.services.clock,
    directory: cachedDirectory(
      cognitoDirectory(new CognitoIdentityProviderClient({}), userPoolIdOf(env)),
      job.services.clock,
    ),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    // Stream batches may take a minute; waiting longer than this is left to the stream's own retry.
    maxWaitSeconds: 20,
  };
}

/** Built on the first invocation and kept: the secret, the SDK and the key caches live with the container. */
export function onceAsync<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= make().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}

/** The user pool the Teams bot checks its linked users against (issue 18). */
function userPoolIdOf(env: NodeJS.ProcessEnv): string {
  const id = env.USER_POOL_ID;
  if (!id || !/^[\w-]+_[0-9a-zA-Z]+$/.test(id))
    throw new Error('USER_POOL_ID must name the Cognito user pool.');
  return id;
}
