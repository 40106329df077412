import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface ProjectFunctionProps {
  /** Source file, relative to the project root, whose `handler` export is the entry point. */
  entry: string;
  table: ITableV2;
  tableAccess: 'read' | 'readWrite';
  /** The key that wraps per-conversation data keys: `decrypt` to read sensitive answers, `encrypt` to also seal new ones. */
  fieldKey?: { key: IKey; access: 'decrypt' | 'encrypt' };
  environment?: Record<string, string>;
  /**
   * Writes beyond `tableAccess`, each confined by IAM `dynamodb:LeadingKeys` to items whose partition key
   * starts with one of `partitionKeyPrefixes`: how a function that only reads cases still writes its own
   * audit or bookkeeping items and nothing else.
   */
  prefixedWrites?: readonly PrefixedWrite[];
  /** @default 10 seconds, which suits an API request. */
  timeout?: Duration;
}

export interface PrefixedWrite {
  /** DynamoDB item actions without the service prefix, e.g. `PutItem`. */
  actions: readonly ('PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem')[];
  partitionKeyPrefixes: readonly string[];
}

const projectRoot = join(import.meta.dirname, '..');

/** The project's Lambda defaults in one place (API routes and jobs alike): Node 22 on ARM, minified ESM bundle, JSON logs, tracing, least privilege. */
export class ProjectFunction extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
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
      environment: {
        TABLE_NAME: props.table.tableName,
        POWERTOOLS_SERVICE_NAME: 'screening-api',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...(props.fieldKey ? { DATA_KEY_ID: props.fieldKey.key.keyArn } : {}),
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
      },
    });
    if (props.tableAccess === 'read') props.table.grantReadData(this.function);
    else props.table.grantReadWriteData(this.function);
    for (const write of props.prefixedWrites ?? []) {
      // An empty prefix would become `*` (the whole table); `*` and `?` are StringLike wildcards.
      if (
        write.partitionKeyPrefixes.length === 0 ||
        write.partitionKeyPrefixes.some((prefix) => prefix === '' || /[*?]/.test(prefix))
      )
        throw new Error(`${id}: partition key prefixes must be non-empty literals`);
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: write.actions.map((action) => `dynamodb:${action}`),
          // The base table only: indexes cannot be written, and every write names its partition key.
          resources: [props.table.tableArn],
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
    if (props.fieldKey?.access === 'decrypt') props.fieldKey.key.grantDecrypt(this.function);
    if (props.fieldKey?.access === 'encrypt') {
      props.fieldKey.key.grant(this.function, 'kms:GenerateDataKey');
      props.fieldKey.key.grantDecrypt(this.function);
    }
  }
}
