import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
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
      timeout: Duration.seconds(10),
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
        externalModules: [],
        // Some dependencies still call require(); ESM bundles need it defined.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      },
    });
    if (props.tableAccess === 'read') props.table.grantReadData(this.function);
    else props.table.grantReadWriteData(this.function);
    if (props.fieldKey?.access === 'decrypt') props.fieldKey.key.grantDecrypt(this.function);
    if (props.fieldKey?.access === 'encrypt') {
      props.fieldKey.key.grant(this.function, 'kms:GenerateDataKey');
      props.fieldKey.key.grantDecrypt(this.function);
    }
  }
}
