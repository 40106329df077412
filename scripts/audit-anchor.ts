import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { writeAnchor } from '#functions/audit/anchors.ts';
import { fileAnchorStore } from '#functions/audit/file-anchor-store.ts';
import { s3AnchorStore } from '#functions/audit/s3-anchor-store.ts';
import { createDocumentClient } from '#functions/storage/client.ts';
import { type CliIo, parseCli } from './cli-args.ts';
import { keysFor } from './key-source.ts';

const usage = `npm run audit:anchor -- --table NAME [--endpoint URL] [--data-dir DIR] [--anchors DIR | --anchor-bucket NAME]

Issue 16: anchors the audit chains' heads outside the table, as the anchor job does every 15 minutes in
AWS: what changed since the last anchor, MACed with the deployment's HMAC key, written once. npm start
runs it itself; this runs it now.

  --table NAME          the table (default: $TABLE_NAME)
  --endpoint URL        DynamoDB Local (default: $DYNAMODB_ENDPOINT); the local keys in DIR are used
  --data-dir DIR        where npm start keeps its local master key (default: .data)
  --anchors DIR         where to write the anchor (default: DATA_DIR/anchors)
  --anchor-bucket NAME  write to the Object Lock bucket instead (AWS; the HMAC key in $MAC_KEY_ID)

Exit status: 0 written, 2 usage error or the anchor could not be written.`;

export async function runAuditAnchor(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCli(
    argv,
    {
      table: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      'data-dir': { type: 'string' },
      anchors: { type: 'string' },
      'anchor-bucket': { type: 'string' },
    },
    usage,
    io,
  );
  if ('exit' in parsed) return parsed.exit;
  const { values } = parsed;
  const table = values.table ?? (process.env.TABLE_NAME || undefined);
  const endpoint = values.endpoint ?? (process.env.DYNAMODB_ENDPOINT || undefined);
  if (!table) {
    io.stderr('A table is required: pass --table NAME or set TABLE_NAME.');
    return 2;
  }
  const keys = await keysFor({ endpoint, dataDir: values['data-dir'], region: values.region });
  if (!keys) {
    io.stderr('The HMAC key is required against AWS: set MAC_KEY_ID.');
    return 2;
  }
  const store = values['anchor-bucket']
    ? s3AnchorStore(new S3Client(values.region ? { region: values.region } : {}), values['anchor-bucket'])
    : fileAnchorStore(values.anchors ?? join(values['data-dir'] ?? '.data', 'anchors'));
  const doc =
    endpoint !== undefined
      ? createDocumentClient({ endpoint })
      : DynamoDBDocumentClient.from(new DynamoDBClient(values.region ? { region: values.region } : {}));
  try {
    const { seq, entries } = await writeAnchor({ doc, tableName: table, store, keys, now: () => new Date() });
    io.stdout(`Anchor #${seq} written: ${entries} heads and audit partitions changed since the last one.`);
    return 0;
  } catch (error) {
    io.stderr(`No anchor was written: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    doc.destroy();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exit(
    await runAuditAnchor(process.argv.slice(2), {
      stdout: (line) => console.log(line),
      stderr: (line) => console.error(line),
    }),
  );
}
