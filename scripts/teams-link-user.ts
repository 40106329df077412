import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createDocumentClient } from '#functions/storage/client.ts';
import { createTeamsStore, TeamsUser } from '#functions/teams/teams-store.ts';

const usage = `npm run teams:link-user -- --tenant TENANT_ID --aad AAD_OBJECT_ID --user USER_ID --org ORG --unit UNIT --roles caseworker[,supervisor…] --table NAME [--endpoint URL]

Links a Teams (Entra) user to their identity here: the same user id, organisation, unit and roles their
Cognito account has, so the bot applies the same rules as the API. Until linked, the bot shows them nothing.`;

export async function linkTeamsUser(
  argv: readonly string[],
  io: { stdout(line: string): void; stderr(line: string): void },
) {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        tenant: { type: 'string' },
        aad: { type: 'string' },
        user: { type: 'string' },
        org: { type: 'string' },
        unit: { type: 'string', default: 'main' },
        roles: { type: 'string' },
        table: { type: 'string', default: process.env.TABLE_NAME },
        endpoint: { type: 'string', default: process.env.DYNAMODB_ENDPOINT },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    io.stdout(usage);
    return 0;
  }
  const user = TeamsUser.safeParse({
    kind: 'teamsUser',
    tenantId: values.tenant,
    aadObjectId: values.aad,
    userId: values.user,
    org: values.org,
    unit: values.unit,
    roles: typeof values.roles === 'string' ? values.roles.split(',').map((role) => role.trim()) : undefined,
  });
  if (!user.success || typeof values.table !== 'string') {
    io.stderr(
      `Missing or invalid: ${user.success ? 'table' : user.error.issues.map((i) => i.path.join('.')).join(', ')}\n\n${usage}`,
    );
    return 2;
  }
  const doc = createDocumentClient(typeof values.endpoint === 'string' ? { endpoint: values.endpoint } : {});
  await createTeamsStore(doc, values.table).putUser(user.data);
  io.stdout(
    `Linked Teams user ${user.data.aadObjectId} (tenant ${user.data.tenantId}) to ${user.data.userId}: ${user.data.org}/${user.data.unit}, ${user.data.roles.join(', ')}.`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  linkTeamsUser(process.argv.slice(2), { stdout: console.log, stderr: console.error }).then((code) => {
    process.exitCode = code;
  });
}
