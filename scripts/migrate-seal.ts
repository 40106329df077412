import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createFlowCatalog } from '#flows/catalog.ts';
import { sealTypedTextInTable } from '#functions/audit/seal-migration.ts';
import { createDocumentClient } from '#functions/storage/client.ts';
import { type CliIo, parseCli } from './cli-args.ts';
import { keysFor } from './key-source.ts';

const usage = `npm run migrate:seal -- --table NAME [--endpoint URL] [--region REGION] [--data-dir DIR]

Issue 16: seals every typed answer and note that older rows still hold as typed. Each conversation is
replayed through the flow version it started with, its typed text sealed with its own data key, its state,
outcome and hash chain re-derived, in one transaction per conversation; the replaced chain head is kept on
the conversation (resealedFrom). Safe to run again: sealed conversations are left as they are.

  --table NAME      the table (default: $TABLE_NAME)
  --endpoint URL    DynamoDB Local, e.g. http://127.0.0.1:8000 (default: $DYNAMODB_ENDPOINT). With an
                    endpoint the local key in DIR/local-master-key is used (as npm start does); without
                    one, AWS and KMS (the field key in $DATA_KEY_ID).
  --data-dir DIR    where npm start keeps its local master key (default: .data)
  --region REGION   AWS region

Exit status: 0 done (skipped conversations are listed), 1 some could not be migrated, 2 usage error.`;

export async function runMigrateSeal(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCli(
    argv,
    {
      table: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      'data-dir': { type: 'string' },
    },
    usage,
    io,
  );
  if ('exit' in parsed) return parsed.exit;
  const { values } = parsed;
  const table = values.table ?? (process.env.TABLE_NAME || undefined);
  const endpoint = values.endpoint ?? (process.env.DYNAMODB_ENDPOINT || undefined);
  const region = values.region;
  if (!table) {
    io.stderr('A table is required: pass --table NAME or set TABLE_NAME.');
    return 2;
  }
  if (endpoint !== undefined && !URL.canParse(endpoint)) {
    io.stderr(`--endpoint must be a URL, not "${endpoint}".`);
    return 2;
  }
  const keys = await keysFor({ endpoint, dataDir: values['data-dir'], region });
  if (!keys || (endpoint === undefined && !process.env.DATA_KEY_ID)) {
    io.stderr('Against AWS the field key is required: set DATA_KEY_ID (and MAC_KEY_ID) to their ARNs.');
    return 2;
  }
  const doc =
    endpoint !== undefined
      ? createDocumentClient({ endpoint, ...(region ? { region } : {}) })
      : DynamoDBDocumentClient.from(new DynamoDBClient({ ...(region ? { region } : {}), maxAttempts: 3 }));
  try {
    const report = await sealTypedTextInTable({
      doc,
      tableName: table,
      catalog: createFlowCatalog(),
      keys,
      now: () => new Date(),
    });
    io.stdout(
      `Scanned ${report.scanned} conversations: ${report.sealed} sealed now, ${report.alreadySealed} already sealed, ${report.skipped.length} skipped.`,
    );
    for (const skipped of report.skipped) io.stdout(`skipped ${skipped.id}: ${skipped.reason}`);
    return report.skipped.length > 0 ? 1 : 0;
  } catch (error) {
    io.stderr(`The migration stopped: ${error instanceof Error ? `${error.name}: ${error.message}` : error}`);
    return 2;
  } finally {
    doc.destroy();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await runMigrateSeal(process.argv.slice(2), {
    stdout: (line) => console.log(line),
    stderr: (line) => console.error(line),
  });
  process.exit(code);
}
