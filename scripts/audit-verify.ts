import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createFlowCatalog } from '#flows/catalog.ts';
import { chainKeyring } from '#functions/audit/chain-key.ts';
import { fileAnchorStore } from '#functions/audit/file-anchor-store.ts';
import { s3AnchorStore } from '#functions/audit/s3-anchor-store.ts';
import { type AuditProblem, type AuditReport, verifyTable } from '#functions/audit/verify-table.ts';
import type { KeyProvider } from '#functions/crypto/key-provider.ts';
import { createDocumentClient } from '#functions/storage/client.ts';
import { type CliIo, parseCli } from './cli-args.ts';
import { keysFor } from './key-source.ts';

const usage = `npm run audit:verify -- --table NAME [--endpoint URL] [--region REGION] [--data-dir DIR] [--conversation ID] [--json] [--chains-only] [--allow-unkeyed]

Recomputes the keyed hash chains of conversations (their events) and tasks (their history and what it
commits to: status, owner, evidence, reason, closure) and reports the
first bad record of each broken chain; then replays each conversation's events through the deployed flows
and reports a stored state or outcome (determination, facts, duties) they do not produce. Without
--conversation the whole table is scanned.

  --table NAME         the table (default: $TABLE_NAME)
  --endpoint URL       DynamoDB endpoint, e.g. DynamoDB Local (default: $DYNAMODB_ENDPOINT; when neither
                       is set, AWS with the default credential chain and region)
  --region REGION      AWS region (default: the SDK's default region resolution)
  --conversation ID    verify only this conversation
  --json               print the report as JSON
  --chains-only        check the hash chains only, without replaying states and outcomes
  --data-dir DIR       with --endpoint: where npm start keeps its local master key (default: .data);
                       against AWS the chain key comes from KMS (the HMAC key in $MAC_KEY_ID)
  --allow-unkeyed      also accept links written before chains were keyed (until npm run migrate:seal)
  --anchors DIR        also check the table against the chain heads anchored in DIR (npm start's are in
                       .data/anchors): a cut tail, a deleted conversation or task, deleted read records
  --anchor-bucket NAME the same against the Object Lock bucket the anchor job writes (AWS)
  --help               show this help

Exit status: 0 all chains intact, 1 a problem was found (or the conversation does not exist),
2 usage error or the audit could not run.`;

export type AuditIo = CliIo;

export type MakeClient = (config: { endpoint?: string; region?: string }) => DynamoDBDocumentClient;

/** Where the chain key comes from (injectable, so tests can hand in the key their stack wrote with). */
export type MakeKeys = (config: {
  endpoint?: string | undefined;
  dataDir?: string | undefined;
  region?: string | undefined;
}) => Promise<Pick<KeyProvider, 'mac'> | undefined>;

const defaultMakeClient: MakeClient = (config) => {
  if (config.endpoint !== undefined)
    return createDocumentClient({
      endpoint: config.endpoint,
      ...(config.region === undefined ? {} : { region: config.region }),
    });
  // Against AWS, leave region and credentials to the SDK's own chains (env, profile, instance role).
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...(config.region === undefined ? {} : { region: config.region }), maxAttempts: 3 }),
  );
};

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

function checkedLine(report: AuditReport): string {
  const { conversations, events, tasks, anchors } = report.checked;
  const anchored = anchors === undefined ? '' : ` against ${plural(anchors, 'anchor')}`;
  return `Checked ${plural(conversations, 'conversation')} (${plural(events, 'event')}) and ${plural(tasks, 'task')}${anchored}`;
}

function problemLine(problem: AuditProblem): string {
  const { verdict } = problem;
  const where = [
    `seq ${verdict.seq}`,
    ...(verdict.eventId === undefined ? [] : [`event ${verdict.eventId}`]),
  ];
  return `${problem.kind} ${problem.id}: ${verdict.problem} at ${where.join(', ')}: ${verdict.message}`;
}

/** The CLI without the process: returns the exit code, so tests can call it directly. */
export async function runAuditVerify(
  argv: readonly string[],
  io: AuditIo,
  makeClient: MakeClient = defaultMakeClient,
  makeKeys: MakeKeys = keysFor,
): Promise<number> {
  const parsed = parseCli(
    argv,
    {
      endpoint: { type: 'string' },
      region: { type: 'string' },
      table: { type: 'string' },
      conversation: { type: 'string' },
      json: { type: 'boolean', default: false },
      'chains-only': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      'allow-unkeyed': { type: 'boolean', default: false },
      anchors: { type: 'string' },
      'anchor-bucket': { type: 'string' },
    },
    usage,
    io,
  );
  if ('exit' in parsed) return parsed.exit;
  const { values } = parsed;

  const endpoint = values.endpoint ?? (process.env.DYNAMODB_ENDPOINT || undefined);
  const table = values.table ?? (process.env.TABLE_NAME || undefined);
  if (!table) {
    io.stderr('A table is required: pass --table NAME or set TABLE_NAME.');
    io.stderr(usage);
    return 2;
  }
  if (endpoint !== undefined && !URL.canParse(endpoint)) {
    io.stderr(`--endpoint must be a URL, not "${endpoint}".`);
    return 2;
  }
  if (values.conversation === '') {
    io.stderr('--conversation needs an id.');
    return 2;
  }

  const keys = await makeKeys({ endpoint, dataDir: values['data-dir'], region: values.region });
  if (!keys) {
    io.stderr('The chain key is required against AWS: set MAC_KEY_ID to the HMAC key ARN.');
    return 2;
  }
  const doc = makeClient({
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(values.region === undefined ? {} : { region: values.region }),
  });
  let report: AuditReport;
  const anchorStore = values.anchors
    ? fileAnchorStore(values.anchors)
    : values['anchor-bucket']
      ? s3AnchorStore(new S3Client(values.region ? { region: values.region } : {}), values['anchor-bucket'])
      : undefined;
  try {
    const key = await chainKeyring(keys).load();
    report = await verifyTable(doc, table, {
      conversationId: values.conversation,
      chain: { key, allowUnkeyed: values['allow-unkeyed'] === true },
      ...(anchorStore ? { anchors: { store: anchorStore, keys, now: () => new Date() } } : {}),
      // Issue 16: states and outcomes are replayed from the chained events through the deployed flows.
      ...(values['chains-only'] ? {} : { catalog: createFlowCatalog() }),
    });
  } catch (error) {
    io.stderr(
      `The audit could not run: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
    return 2;
  } finally {
    doc.destroy();
  }

  const notFound =
    values.conversation !== undefined && report.checked.conversations === 0 && report.checked.events === 0;
  if (values.json) {
    io.stdout(
      JSON.stringify({ ...report, ...(values.conversation === undefined ? {} : { found: !notFound }) }),
    );
  } else if (notFound) {
    io.stdout(`Conversation ${values.conversation} was not found in table ${table}: nothing to verify.`);
  } else if (report.problems.length === 0) {
    io.stdout(`${checkedLine(report)}: all chains intact.`);
  } else {
    for (const problem of report.problems) io.stdout(problemLine(problem));
    io.stdout(`${checkedLine(report)}: ${plural(report.problems.length, 'broken chain')} found.`);
  }
  return notFound || report.problems.length > 0 ? 1 : 0;
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && import.meta.url === pathToFileURL(invokedPath).href) {
  const code = await runAuditVerify(process.argv.slice(2), {
    stdout: (line) => console.log(line),
    stderr: (line) => console.error(line),
  });
  process.exitCode = code;
}
