import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type TablePermission, type WriteAction, writeActions } from './table-permissions.ts';

export interface ProjectFunctionProps {
  /** Source file, relative to the project root, whose `handler` export is the entry point. */
  entry: string;
  table: ITableV2;
  /** The table's customer-managed key: DynamoDB uses it on the caller's behalf. */
  tableKey: IKey;
  /** Exactly the DynamoDB actions the code calls (infra/table-permissions.ts, checked by a test). */
  permission: TablePermission;
  /** The key that wraps per-conversation data keys: `decrypt` to read sensitive answers, `encrypt` to also seal new ones. */
  fieldKey?: { key: IKey; access: 'decrypt' | 'encrypt' };
  /** Issue 16: the HMAC key, for functions that compute keyed hashes (`kms:GenerateMac` only). */
  macKey?: IKey;
  /** Encrypts the function's log group. */
  logKey: IKey;
  logRetention: RetentionDays;
  environment?: Record<string, string>;
  /** @default 10 seconds, which suits an API request. */
  timeout?: Duration;
  /** For functions invoked asynchronously (schedules, rules): where an event that kept failing goes. */
  deadLetterQueue?: IQueue;
  /** A county's duty rules, compiled into the bundle (too large for an environment variable). */
  countyDutyRules?: string;
  /**
   * Issue 18: instances reserved for this function, taken from the account's pool: at most this many run,
   * and this many are always available to it whatever else floods.
   */
  reservedConcurrency?: number;
}

const projectRoot = join(import.meta.dirname, '..');

/** The project's Lambda defaults in one place (API routes and jobs alike): Node 22 on ARM, minified ESM bundle, JSON logs, tracing, least privilege. */
export class ProjectFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logGroup = logGroup;
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(projectRoot, props.entry),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      ...(props.reservedConcurrency ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      environment: {
        TABLE_NAME: props.table.tableName,
        POWERTOOLS_SERVICE_NAME: 'screening-api',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...(props.fieldKey ? { DATA_KEY_ID: props.fieldKey.key.keyArn } : {}),
        ...(props.macKey ? { MAC_KEY_ID: props.macKey.keyArn } : {}),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        target: 'node22',
        mainFields: ['module', 'main'],
        // The SDK is bundled, not taken from the runtime: a pinned, tree-shaken version is what `npm run bench` measures.
        // OpenTelemetry is an optional peer of the Agents SDK, loaded in a try: left out, tracing stays off.
        externalModules: ['@opentelemetry/api', '@opentelemetry/api-logs'],
        // Some dependencies still call require(); ESM bundles need it defined.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        ...(props.countyDutyRules
          ? { define: { 'process.env.COUNTY_DUTY_RULES': JSON.stringify(props.countyDutyRules) } }
          : {}),
      },
    });
    this.grantTable(id, props);
    this.grantFieldKey(props);
  }

  /** Statements naming exactly the permission's actions, on the base table and the named indexes only. */
  private grantTable(id: string, props: ProjectFunctionProps): void {
    const { permission, table } = props;
    // Issue 16: a write is never granted table-wide, only on the partitions named in `prefixedWrites`.
    const unconfined = permission.actions.filter((action) => writeActions.includes(action as WriteAction));
    if (unconfined.length > 0)
      throw new Error(`${id}: ${unconfined.join(', ')} must be confined to partitions (prefixedWrites)`);
    const statements: PolicyStatement[] = [];
    if (permission.actions.length > 0) {
      statements.push(
        new PolicyStatement({
          actions: permission.actions.map((action) => `dynamodb:${action}`),
          resources: [table.tableArn],
        }),
      );
    }
    if ((permission.indexQueries ?? []).length > 0) {
      statements.push(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: (permission.indexQueries ?? []).map((index) => `${table.tableArn}/index/${index}`),
        }),
      );
    }
    for (const write of permission.prefixedWrites ?? []) {
      // A key type (`CONV#`): an empty prefix would become `*` (the whole table), `*` and `?` are StringLike
      // wildcards, and a prefix without its `#` would also match other key types that begin the same way.
      if (
        write.partitionKeyPrefixes.length === 0 ||
        write.partitionKeyPrefixes.some((prefix) => !/^([A-Z]+#)+$/.test(prefix))
      )
        throw new Error(`${id}: partition key prefixes must be whole key types such as CONV#`);
      statements.push(
        new PolicyStatement({
          actions: write.actions.map((action) => `dynamodb:${action}`),
          // The base table only: indexes cannot be written, and every write names its partition key.
          resources: [table.tableArn],
          conditions: {
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': write.partitionKeyPrefixes.map((prefix) => `${prefix}*`),
            },
            // ForAllValues holds vacuously when the key is absent; demand it so no request slips past unkeyed.
            Null: { 'dynamodb:LeadingKeys': 'false' },
          },
        }),
      );
    }
    for (const statement of statements) this.function.addToRolePolicy(statement);
    // DynamoDB uses the table's key on the caller's behalf: decrypt to read, encrypt too to write.
    const writes = statements.some((statement) =>
      statement.actions.some((action) => !/^dynamodb:(GetItem|BatchGetItem|Query)$/.test(action)),
    );
    if (statements.length > 0) {
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: [
            'kms:Decrypt',
            'kms:DescribeKey',
            ...(writes ? ['kms:Encrypt', 'kms:GenerateDataKey'] : []),
          ],
          resources: [props.tableKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` },
          },
        }),
      );
    }
  }

  private grantFieldKey(props: ProjectFunctionProps): void {
    if (props.macKey)
      this.function.addToRolePolicy(
        new PolicyStatement({ actions: ['kms:GenerateMac'], resources: [props.macKey.keyArn] }),
      );
    if (!props.fieldKey) return;
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions:
          props.fieldKey.access === 'encrypt' ? ['kms:GenerateDataKey', 'kms:Decrypt'] : ['kms:Decrypt'],
        resources: [props.fieldKey.key.keyArn],
      }),
    );
  }
}
