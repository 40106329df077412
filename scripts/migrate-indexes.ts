import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#functions/storage/client.ts';
import { backfillIndexes } from '#functions/storage/index-backfill.ts';
import { type CliIo, parseCli } from './cli-args.ts';

const usage = `npm run migrate:indexes -- --table NAME [--endpoint URL] [--region REGION]

Issue 17: gives notifications and unfinished conversations written before the inbox and resume indexes
existed their index entries, so none is missing from GET /notifications or a resume list. Each update is
conditional on the item being as scanned; safe to run again (it then finds nothing to do).

  --table NAME      the table (default: $TABLE_NAME)
  --endpoint URL    DynamoDB Local, e.g. http://127.0.0.1:8000 (default: $DYNAMODB_ENDPOINT)
  --region REGION   AWS region

Exit status: 0 done, 2 usage error or the migration stopped.`;

export async function runMigrateIndexes(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCli(
    argv,
    { table: { type: 'string' }, endpoint: { type: 'string' }, region: { type: 'string' } },
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
  const doc =
    endpoint !== undefined
      ? createDocumentClient({ endpoint, ...(region ? { region } : {}) })
      : DynamoDBDocumentClient.from(new DynamoDBClient({ ...(region ? { region } : {}), maxAttempts: 3 }));
  try {
    const report = await backfillIndexes(doc, table);
    io.stdout(
      `Scanned ${report.scanned} items: ${report.notificationsIndexed} notifications and ${report.conversationsIndexed} unfinished conversations indexed now, ${report.movedOn} changed meanwhile (indexed by that write).`,
    );
    return 0;
  } catch (error) {
    io.stderr(`The migration stopped: ${error instanceof Error ? `${error.name}: ${error.message}` : error}`);
    return 2;
  } finally {
    doc.destroy();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await runMigrateIndexes(process.argv.slice(2), {
    stdout: (line) => console.log(line),
    stderr: (line) => console.error(line),
  });
  process.exit(code);
}
