import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/api/routes.ts';
import { Role } from '#functions/domain/principal.ts';
import { type TablePermission, tablePermissions, teamsPermissions } from '#infra/table-permissions.ts';
import { synthesizedDeployment, TEAMS_CONTEXT } from '../support/deployment.ts';

/**
 * Issue 9: the CDK app's resources and their properties, asserted on the synthesized templates of both
 * stacks (Lambda bundling skipped; `npm run synth` bundles for real).
 */

let data: Template;
let service: Template;

beforeAll(async () => {
  const deployment = await synthesizedDeployment();
  data = deployment.dataTemplate();
  service = deployment.serviceTemplate();
}, 120_000);

type Statement = {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};
const actionsOf = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** The statements of a ProjectFunction's policy, by construct id. */
function statementsOf(template: Template, name: string): Statement[] {
  const policy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) =>
    id.startsWith(`${name}FunctionServiceRoleDefaultPolicy`),
  )?.[1];
  expect(policy, name).toBeDefined();
  return policy!.Properties.PolicyDocument.Statement as Statement[];
}

function functionOf(template: Template, name: string) {
  const found = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
    id.startsWith(`${name}Function`),
  );
  expect(found, name).toBeDefined();
  return { id: found![0], resource: found![1] };
}

const JOBS = ['sweep', 'runTaskActions', 'streamJobs', 'anchorHeads'];

/** Any DynamoDB action that can change an item, wildcards and PartiQL included. */
const TABLE_WRITE =
  /^dynamodb:(.*\*.*|PutItem|UpdateItem|DeleteItem|BatchWriteItem|PartiQLInsert|PartiQLUpdate|PartiQLDelete)$/;

/**
 * Issue 16, finding 5: every statement of every IAM policy in a template that lets a DynamoDB item be
 * written, unless it holds the write to whole key types (`TASK#*`) with `dynamodb:LeadingKeys` and demands
 * the key. Returned as `<policy>: <actions>` for the message.
 */
function unconfinedTableWrites(template: Template): string[] {
  const found: string[] = [];
  for (const [id, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
    for (const statement of policy.Properties.PolicyDocument.Statement as Statement[]) {
      const writes = actionsOf(statement).filter((action) => TABLE_WRITE.test(action));
      if (writes.length === 0) continue;
      const prefixes = statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
      const confined =
        Array.isArray(prefixes) &&
        prefixes.length > 0 &&
        prefixes.every((prefix) => /^([A-Z]+#)+\*$/.test(String(prefix))) &&
        statement.Condition?.Null?.['dynamodb:LeadingKeys'] === 'false' &&
        writes.every((action) => !action.includes('*') && !action.startsWith('dynamodb:PartiQL'));
      if (!confined) found.push(`${id}: ${writes.join(', ')}`);
    }
  }
  return found;
}

/**
 * A CSP from a template as text. Issue 18: the pages that sign in name the Cognito domains in connect-src,
 * which are tokens (`Fn::Join` with the sign-in domain's `Ref`); a reference shows as `<…>`.
 */
function cspText(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) return `<${JSON.stringify(value)}>`;
  return join[1].map(cspText).join(join[0]);
}

/** A permission's prefixed writes as the statements they must become. */
const conditionedStatements = (permission: TablePermission) =>
  (permission.prefixedWrites ?? []).map((write) => ({
    actions: write.actions.map((action) => `dynamodb:${action}`),
    keys: write.partitionKeyPrefixes.map((prefix) => `${prefix}*`),
    demanded: { 'dynamodb:LeadingKeys': 'false' },
  }));

/** The conditioned DynamoDB statements of a function's policy, in the same shape. */
const conditionedOf = (template: Template, name: string) =>
  statementsOf(template, name)
    .filter(
      (statement) =>
        statement.Condition && actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
    )
    .map((statement) => ({
      actions: actionsOf(statement),
      keys: statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'],
      demanded: statement.Condition?.Null,
    }));

describe('the data stack (kept across redeployments)', () => {
  it('one table: on demand, customer-managed key, point-in-time recovery, deletion protection, TTL, stream, both indexes', () => {
    data.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'gsi1' }),
        Match.objectLike({ IndexName: 'gsi2' }),
      ],
      Replicas: [
        Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { KMSMasterKeyId: Match.anyValue() },
        }),
      ],
    });
    data.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('issue 16: an HMAC key for keyed hashes, and the anchors bucket locked in compliance mode for seven years', () => {
    data.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    data.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 7 * 365 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: Match.objectLike({
        BlockPublicAcls: true,
        RestrictPublicBuckets: true,
      }),
    });
    // The anchor job reads the table (Scan only), may put and read anchors, and may delete nothing.
    const anchor = statementsOf(service, 'anchorHeads').flatMap(actionsOf);
    expect(anchor).toEqual(
      expect.arrayContaining(['s3:PutObject', 's3:GetObject', 's3:ListBucket', 'dynamodb:Scan']),
    );
    expect(anchor.filter((action) => /Delete|dynamodb:(Put|Update|BatchWrite)/.test(action))).toEqual([]);
    service.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)' });
  });

  it('two rotating keys (records, identifying answers) and the HMAC key, all retained; monthly backups kept a year', () => {
    const keys = Object.values(data.findResources('AWS::KMS::Key'));
    expect(keys).toHaveLength(3);
    for (const key of keys) expect(key.DeletionPolicy).toBe('Retain');
    // KMS rotates symmetric keys only; an HMAC key's MACs must stay verifiable, so it is never rotated.
    const symmetric = keys.filter((key) => key.Properties.KeySpec === undefined);
    expect(symmetric).toHaveLength(2);
    for (const key of symmetric) expect(key.Properties.EnableKeyRotation).toBe(true);
    data.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          Match.objectLike({ Lifecycle: { DeleteAfterDays: 365 }, ScheduleExpression: 'cron(0 5 1 * ? *)' }),
        ],
      },
    });
    data.resourceCountIs('AWS::Backup::BackupSelection', 1);
    data.hasResourceProperties('AWS::Backup::BackupVault', { EncryptionKeyArn: Match.anyValue() });
  });

  it('a user pool without self sign-up, MFA by authenticator app for everyone, strong passwords, threat protection', () => {
    data.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'org', Mutable: false }),
        Match.objectLike({ Name: 'unit', Mutable: true }),
      ]),
    });
    const groups = Object.values(data.findResources('AWS::Cognito::UserPoolGroup'));
    expect(groups.map((group) => group.Properties.GroupName).sort()).toEqual([...Role.options].sort());
    for (const group of groups) expect(group.Properties.Description, group.Properties.GroupName).toBeTruthy();
  });
});

describe('the service stack: functions', () => {
  it('one Node 22 ARM function per route and job: tracing, JSON logs to an encrypted log group with retention, source maps', () => {
    const functions = service.findResources('AWS::Lambda::Function', {
      Properties: {
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      },
    });
    expect(Object.keys(functions)).toHaveLength(routes.length + JOBS.length);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.Environment.Variables.TABLE_NAME).toBeDefined();
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
    const logGroups = Object.values(service.findResources('AWS::Logs::LogGroup'));
    // One per function, and the API's access log.
    expect(logGroups).toHaveLength(routes.length + JOBS.length + 1);
    for (const group of logGroups) {
      expect(group.Properties.RetentionInDays).toBe(90);
      expect(group.Properties.KmsKeyId).toBeDefined();
    }
  });

  it.each([...routes.map((route) => route.name), ...JOBS] as (keyof typeof tablePermissions)[])(
    '%s: its DynamoDB statements name exactly its declared actions, on the table and named indexes only; every write on its partitions only',
    (name) => {
      const permission = tablePermissions[name];
      const statements = statementsOf(service, name).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
      );
      const unconditioned = statements.filter((statement) => !statement.Condition);
      const onTable = unconditioned.filter(
        (statement) => !JSON.stringify(statement.Resource).includes('/index/'),
      );
      const onIndexes = unconditioned.filter((statement) =>
        JSON.stringify(statement.Resource).includes('/index/'),
      );
      // Only the stream mappings' own read actions may come on top (CDK adds them for the event source).
      const streamActions = /^dynamodb:(DescribeStream|GetRecords|GetShardIterator|ListStreams)$/;
      const tableActions = onTable.flatMap(actionsOf).filter((action) => !streamActions.test(action));
      expect(tableActions.sort()).toEqual(permission.actions.map((action) => `dynamodb:${action}`).sort());
      expect(onIndexes.flatMap(actionsOf)).toEqual(
        (permission.indexQueries ?? []).length > 0 ? ['dynamodb:Query'] : [],
      );
      for (const statement of onIndexes) {
        expect(JSON.stringify(statement.Resource)).not.toContain('/index/*');
      }
      // Issue 16: every write, and only through its dynamodb:LeadingKeys condition on its key types.
      expect(tableActions.filter((action) => TABLE_WRITE.test(action))).toEqual([]);
      expect(conditionedOf(service, name)).toEqual(conditionedStatements(permission));
      for (const statement of statementsOf(service, name)) {
        for (const action of actionsOf(statement)) expect(action, name).not.toMatch(/^dynamodb:\*$|^kms:\*$/);
      }
    },
  );

  it('issue 16: no policy in either stack lets a table item be written outside its key types (dynamodb:LeadingKeys)', () => {
    const writers = Object.values(service.findResources('AWS::IAM::Policy')).filter((policy) =>
      (policy.Properties.PolicyDocument.Statement as Statement[]).some((statement) =>
        actionsOf(statement).some((action) => TABLE_WRITE.test(action)),
      ),
    );
    // The proof is not vacuous: most functions write something.
    expect(writers.length).toBeGreaterThan(routes.length);
    expect(unconfinedTableWrites(service)).toEqual([]);
    expect(unconfinedTableWrites(data)).toEqual([]);
  });

  it('the table key is used only through DynamoDB; only the turn routes may make data keys for identifying answers', () => {
    for (const name of [...routes.map((route) => route.name), ...JOBS]) {
      const viaDynamo = statementsOf(service, name).filter(
        (statement) => statement.Condition?.StringEquals?.['kms:ViaService'] !== undefined,
      );
      expect(viaDynamo, name).toHaveLength(1);
    }
    const kmsActions = (name: string) =>
      statementsOf(service, name)
        .filter((statement) => !statement.Condition)
        .flatMap(actionsOf)
        .filter((action) => action.startsWith('kms:'));
    expect(kmsActions('postTurn').sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateMac']);
    expect(kmsActions('syncTurns').sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateMac']);
    expect(kmsActions('getConversation')).toEqual(['kms:Decrypt']);
    // Issue 16: a task's evidence and cancel reason are sealed too, so its routes seal or show them.
    expect(kmsActions('completeTask').sort()).toEqual([
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'kms:GenerateMac',
    ]);
    expect(kmsActions('listTasks')).toEqual(['kms:Decrypt']);
    expect(kmsActions('activityReport')).toEqual([]);
    // Issue 16: whatever extends an audit chain may compute MACs with the HMAC key; nothing else may.
    const macs = (name: string) => kmsActions(name).includes('kms:GenerateMac');
    for (const name of [
      'createConversation',
      'postTurn',
      'syncTurns',
      'claimTask',
      'sweep',
      'runTaskActions',
      'anchorHeads',
    ])
      expect(macs(name), name).toBe(true);
    for (const name of ['getConversation', 'listTasks', 'supervisorBoard', 'listNotifications', 'streamJobs'])
      expect(macs(name), name).toBe(false);
  });

  it('every route function verifies ID tokens of this user pool and its web client itself', () => {
    const [clientId] = Object.keys(service.findResources('AWS::Cognito::UserPoolClient'));
    for (const route of routes) {
      const variables = functionOf(service, route.name).resource.Properties.Environment.Variables;
      expect(JSON.stringify(variables.OIDC_ISSUER), route.name).toContain('ProviderURL');
      expect(variables.OIDC_AUDIENCE, route.name).toEqual({ Ref: clientId });
    }
  });
});

describe('the service stack: API', () => {
  it('routes every API path through the Cognito JWT authorizer', () => {
    for (const route of routes) {
      service.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `${route.method} ${route.path}`,
        AuthorizationType: 'JWT',
      });
    }
    service.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
  });

  it('logs every request (no bodies, no tokens) to an encrypted group, and throttles the stage', () => {
    const [stage] = Object.values(service.findResources('AWS::ApiGatewayV2::Stage'));
    const format = JSON.parse(stage!.Properties.AccessLogSettings.Format);
    expect(Object.keys(format).sort()).toEqual(
      ['at', 'authorizerError', 'integrationError', 'latencyMs', 'requestId', 'routeKey', 'status'].sort(),
    );
    expect(JSON.stringify(format)).not.toMatch(/body|authorization|identity\.sourceIp/i);
    expect(stage!.Properties.DefaultRouteSettings).toEqual({
      ThrottlingBurstLimit: 200,
      ThrottlingRateLimit: 100,
    });
  });

  it('offers hosted sign-in (authorization code + PKCE) returning to the deployment’s own pages only', () => {
    service.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    const [client] = Object.values(service.findResources('AWS::Cognito::UserPoolClient'));
    const properties = client!.Properties;
    // Issue 18: the implicit flow is gone (test/infra/sign-in.test.ts has the rest of the client).
    expect(properties.AllowedOAuthFlows).toEqual(['code']);
    expect(properties.AllowedOAuthScopes.sort()).toEqual(['email', 'openid', 'profile']);
    expect(JSON.stringify(properties.CallbackURLs)).toContain('/tablet/');
    expect(properties.ReadAttributes).toEqual(expect.arrayContaining(['custom:org', 'custom:unit']));
    for (const attribute of properties.WriteAttributes) expect(attribute).not.toMatch(/^custom:/);
  });
});

describe('the service stack: deadlines, failures, alarms', () => {
  it('chases deadlines: a five-minute sweep with its dead-letter queue, a schedule group, schedules armed from new tasks', () => {
    service.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [
        Match.objectLike({
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: { MaximumRetryAttempts: 2 },
        }),
      ],
    });
    service.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    expect(functionOf(service, 'sweep').resource.Properties.DeadLetterConfig).toBeDefined();
    expect(functionOf(service, 'runTaskActions').resource.Properties.DeadLetterConfig).toBeDefined();
    const streamJobs = functionOf(service, 'streamJobs');
    expect(streamJobs.resource.Properties.Environment.Variables.SCHEDULER_DLQ_ARN).toBeDefined();
    // Creating a schedule is all the code does: schedules delete themselves once they have fired.
    expect(
      statementsOf(service, 'streamJobs')
        .flatMap(actionsOf)
        .filter((action) => action.startsWith('scheduler:')),
    ).toEqual(['scheduler:CreateSchedule']);
  });

  it('one reader of the table stream for arming and purging (Teams delivery is the only other), from the oldest record', () => {
    const streamJobs = functionOf(service, 'streamJobs');
    const mappings = Object.values(service.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(1);
    const [mapping] = mappings;
    expect(mapping?.Properties.FunctionName.Ref).toBe(streamJobs.id);
    expect(mapping?.Properties.StartingPosition).toBe('TRIM_HORIZON');
    expect(mapping?.Properties.DestinationConfig.OnFailure.Destination).toBeDefined();
    expect(
      mapping?.Properties.FilterCriteria.Filters.map((filter: { Pattern: string }) =>
        JSON.parse(filter.Pattern),
      ),
    ).toEqual([
      // New tasks, to arm their reminders.
      { eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['task'] } } } },
      // The TTL service removing a conversation item, to purge the rest of it.
      {
        eventName: ['REMOVE'],
        userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] },
        dynamodb: { Keys: { pk: { S: [{ prefix: 'CONV#' }] }, sk: { S: ['CONV'] } } },
      },
    ]);
  });

  it('Scheduler’s role may invoke the one function and write to its dead-letter queue, nothing else', () => {
    const [roleId] = Object.entries(service.findResources('AWS::IAM::Role')).find(([, role]) =>
      JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    )!;
    const policy = Object.values(service.findResources('AWS::IAM::Policy')).find((candidate) =>
      JSON.stringify(candidate.Properties.Roles).includes(roleId),
    );
    const statements = policy!.Properties.PolicyDocument.Statement as Statement[];
    expect(statements.flatMap(actionsOf).sort()).toEqual(
      ['lambda:InvokeFunction', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'].sort(),
    );
    const invoke = statements.find((statement) => actionsOf(statement).includes('lambda:InvokeFunction'));
    expect(JSON.stringify(invoke!.Resource)).not.toContain(':*');
  });

  it('dead-letter queues are encrypted, TLS-only, kept 14 days, and alarmed', () => {
    const queues = service.findResources('AWS::SQS::Queue');
    expect(Object.keys(queues).length).toBe(4);
    for (const [id, queue] of Object.entries(queues)) {
      expect(queue.Properties.SqsManagedSseEnabled, id).toBe(true);
      expect(queue.Properties.MessageRetentionPeriod, id).toBe(14 * 86_400);
      service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }],
      });
    }
    service.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
      4,
    );
  });

  it('alarms on every function’s errors and throttles, API 5xx, and any task going overdue, to an encrypted topic', () => {
    const alarms = Object.values(service.findResources('AWS::CloudWatch::Alarm'));
    const named = (metric: string) => alarms.filter((alarm) => alarm.Properties.MetricName === metric);
    expect(named('Errors')).toHaveLength(routes.length + JOBS.length);
    expect(named('Throttles')).toHaveLength(routes.length + JOBS.length);
    expect(named('5xx')).toHaveLength(1);
    const [overdue] = named('TasksEscalated');
    expect(overdue?.Properties).toMatchObject({
      Namespace: 'ScreeningAssistant',
      Threshold: 1,
      Statistic: 'Sum',
    });
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toHaveLength(1);
    const filters = Object.values(service.findResources('AWS::Logs::MetricFilter'));
    expect(filters).toHaveLength(2);
    for (const filter of filters) {
      expect(filter.Properties.FilterPattern).toBe('{ $.escalations > 0 }');
      expect(filter.Properties.MetricTransformations[0]).toMatchObject({
        MetricName: 'TasksEscalated',
        MetricValue: '$.escalations',
      });
    }
    service.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    service.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('the service stack: web apps on CloudFront', () => {
  it('a private bucket reachable only through CloudFront’s origin access control, emptied on teardown; access logs kept', () => {
    service.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    service.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'site/' }),
      VersioningConfiguration: { Status: 'Enabled' },
    });
    service.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    service.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' }),
        ]),
      },
    });
  });

  it('security headers on every response: CSP (self only), HSTS two years with preload, no referrer, nosniff, no framing', () => {
    const [policy] = Object.values(service.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const headers = policy!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp: string = headers.ContentSecurityPolicy.ContentSecurityPolicy;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'");
    expect(headers.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 730 * 86_400,
      IncludeSubdomains: true,
      Preload: true,
    });
    expect(headers.ReferrerPolicy.ReferrerPolicy).toBe('no-referrer');
    expect(headers.ContentTypeOptions.Override).toBe(true);
    expect(headers.FrameOptions.FrameOption).toBe('DENY');
  });

  it('serves the API on the same origin, uncached, with every header but Host; everything else from the bucket', () => {
    const [distribution] = Object.values(service.findResources('AWS::CloudFront::Distribution'));
    const config = distribution!.Properties.DistributionConfig;
    const prefixes = [...new Set(routes.map((route) => `/${route.path.split('/')[1]}*`))].sort();
    // The widget's frame page and the tablet app come from the bucket with their own headers (issue 18).
    const apiBehaviors = config.CacheBehaviors.filter(
      (behavior: { PathPattern: string }) =>
        !['/widget/frame.html', '/tablet/*'].includes(behavior.PathPattern),
    );
    expect(apiBehaviors.map((behavior: { PathPattern: string }) => behavior.PathPattern).sort()).toEqual(
      prefixes,
    );
    for (const behavior of apiBehaviors) {
      expect(behavior.ViewerProtocolPolicy).toBe('https-only');
      expect(behavior.AllowedMethods).toHaveLength(7);
      expect(behavior.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
      expect(behavior.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
    }
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultCacheBehavior.FunctionAssociations).toHaveLength(1);
    expect(config.Logging).toMatchObject({ Prefix: 'cloudfront/' });
    expect(config.HttpVersion).toBe('http2and3');
  });

  it('its viewer-request function serves folders as their index and sends bare names to their page', () => {
    const [fn] = Object.values(service.findResources('AWS::CloudFront::Function'));
    const code: string = fn!.Properties.FunctionCode;
    // The CloudFront Functions runtime is JavaScript; the handler runs here as it would at the edge.
    const handler = new Function(`${code}; return handler;`)() as (event: unknown) => {
      uri?: string;
      statusCode?: number;
      headers?: { location: { value: string } };
    };
    const run = (uri: string) => handler({ request: { uri, headers: {} } });
    expect(run('/tablet/').uri).toBe('/tablet/index.html');
    expect(run('/tablet/sw.js').uri).toBe('/tablet/sw.js');
    expect(run('/widget/widget.js').uri).toBe('/widget/widget.js');
    for (const [from, to] of [
      ['/', '/tablet/'],
      ['/tablet', '/tablet/'],
      ['/widget/', '/widget/demo.html'],
    ]) {
      expect(run(from!)).toMatchObject({ statusCode: 302, headers: { location: { value: to } } });
    }
  });

  it('issue 18: only the widget’s frame page may be framed, by this site and the configured shelters’ sites', async () => {
    const framePolicy = (template: typeof service) => {
      const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
      const behavior = distribution!.Properties.DistributionConfig.CacheBehaviors.find(
        (candidate: { PathPattern: string }) => candidate.PathPattern === '/widget/frame.html',
      );
      expect(behavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https' });
      expect(behavior.OriginRequestPolicyId).toBeUndefined();
      const policies = template.findResources('AWS::CloudFront::ResponseHeadersPolicy');
      const id: string = behavior.ResponseHeadersPolicyId.Ref;
      return policies[id]!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    };
    const alone = framePolicy(service);
    expect(cspText(alone.ContentSecurityPolicy.ContentSecurityPolicy)).toMatch(/frame-ancestors 'self'$/);
    expect(cspText(alone.ContentSecurityPolicy.ContentSecurityPolicy)).toContain("script-src 'self'");
    expect(alone.FrameOptions).toBeUndefined();
    expect(alone.StrictTransportSecurity).toMatchObject({ Preload: true });
    const withShelters = (
      await synthesizedDeployment({
        allowedOrigins: 'https://shelter.example,https://intranet.shelter2.example',
      })
    ).serviceTemplate();
    expect(cspText(framePolicy(withShelters).ContentSecurityPolicy.ContentSecurityPolicy)).toMatch(
      /frame-ancestors 'self' https:\/\/shelter\.example https:\/\/intranet\.shelter2\.example$/,
    );
    // Every other page still refuses to be framed at all.
    const others = Object.values(withShelters.findResources('AWS::CloudFront::ResponseHeadersPolicy')).filter(
      (policy) => policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.FrameOptions,
    );
    expect(others.length).toBeGreaterThan(0);
    for (const policy of others) {
      const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
      expect(cspText(headers.ContentSecurityPolicy.ContentSecurityPolicy)).toContain(
        "frame-ancestors 'none'",
      );
      expect(headers.FrameOptions.FrameOption).toBe('DENY');
    }
  }, 120_000);

  it('lets only the configured shelters’ sites read the sign-in settings across origins', async () => {
    const withShelters = (
      await synthesizedDeployment({ allowedOrigins: 'https://shelter.example' })
    ).serviceTemplate();
    const [distribution] = Object.values(withShelters.findResources('AWS::CloudFront::Distribution'));
    const auth = distribution!.Properties.DistributionConfig.CacheBehaviors.find(
      (behavior: { PathPattern: string }) => behavior.PathPattern === '/auth/*',
    );
    expect(auth).toBeDefined();
    const policies = withShelters.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    const cors = Object.values(policies).find(
      (policy) => policy.Properties.ResponseHeadersPolicyConfig.CorsConfig,
    );
    expect(cors!.Properties.ResponseHeadersPolicyConfig.CorsConfig).toMatchObject({
      AccessControlAllowOrigins: { Items: ['https://shelter.example'] },
      AccessControlAllowMethods: { Items: ['GET', 'HEAD', 'OPTIONS'] },
      AccessControlAllowCredentials: false,
    });
    const [plain] = Object.values(service.findResources('AWS::CloudFront::Distribution'));
    expect(
      plain!.Properties.DistributionConfig.CacheBehaviors.some(
        (behavior: { PathPattern: string }) => behavior.PathPattern === '/auth/*',
      ),
    ).toBe(false);
  }, 120_000);

  it('uploads the widget, the tablet app and the sign-in settings', () => {
    const deployments = Object.values(service.findResources('Custom::CDKBucketDeployment'));
    expect(deployments.map((deployment) => deployment.Properties.DestinationBucketKeyPrefix).sort()).toEqual([
      'auth/',
      'tablet/',
      'widget/',
    ]);
    const auth = deployments.find(
      (deployment) => deployment.Properties.DestinationBucketKeyPrefix === 'auth/',
    );
    expect(auth!.Properties.SystemMetadata).toMatchObject({ 'content-type': 'application/json' });
  });
});

describe('configuration from context', () => {
  it('passes tuning and the county’s reminder offsets to the functions only when set', async () => {
    const county = join(tmpdir(), `county-${process.pid}.json`);
    writeFileSync(
      county,
      JSON.stringify({ reminderPolicies: { default: { remindBeforeHours: [6], escalateAfterHours: [0] } } }),
    );
    const tuned = (
      await synthesizedDeployment({
        rateLimitPerMinute: '60',
        abandonedConversationDays: 45,
        countyConfig: county,
        alarmEmail: 'oncall@county.example',
        logRetentionDays: '365',
        signInCallbackUrls: 'https://shelter.example/intake',
      })
    ).serviceTemplate();
    const [client] = Object.values(tuned.findResources('AWS::Cognito::UserPoolClient'));
    expect(client!.Properties.CallbackURLs).toContain('https://shelter.example/intake');
    const variables = functionOf(tuned, 'postTurn').resource.Properties.Environment.Variables;
    expect(variables).toMatchObject({ RATE_LIMIT_PER_MINUTE: '60', ABANDONED_CONVERSATION_DAYS: '45' });
    expect(
      JSON.parse(functionOf(tuned, 'sweep').resource.Properties.Environment.Variables.REMINDER_POLICIES),
    ).toEqual(JSON.parse(readFileSync(county, 'utf8')).reminderPolicies);
    tuned.resourceCountIs('AWS::SNS::Subscription', 1);
    tuned.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    for (const fn of Object.values(service.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Environment?.Variables?.RATE_LIMIT_PER_MINUTE).toBeUndefined();
      expect(fn.Properties.Environment?.Variables?.REMINDER_POLICIES).toBeUndefined();
    }
  }, 120_000);

  it.each([
    [{ rateLimitPerMinute: 'lots' }, /rateLimitPerMinute/],
    [{ teamsBotAppId: 'my-bot', teamsBotTenantId: 'x' }, /GUID/],
    [{ teamsBotAppId: TEAMS_CONTEXT.teamsBotAppId }, /go together/],
    [{ allowedOrigins: 'http://shelter.example' }, /https origin/],
    [{ signInCallbackUrls: 'http://shelter.example/intake' }, /signInCallbackUrls/],
    [{ logRetentionDays: '100' }, /logRetentionDays/],
    [{ alarmEmail: 'not an address' }, /alarmEmail/],
    [{ webAclArn: 'arn:aws:wafv2:us-west-2:123456789012:regional/webacl/x/y' }, /webAclArn/],
    [{ webDomainName: 'screening.county.example' }, /go together/],
  ])('refuses bad context %j before building anything', async (context, message) => {
    await expect(synthesizedDeployment(context)).rejects.toThrow(message);
  });

  it('refuses a county configuration whose duty rule is malformed', async () => {
    const county = join(tmpdir(), `county-bad-${process.pid}.json`);
    writeFileSync(county, JSON.stringify({ dutyRules: [{ id: 'notify-attorney', flow: 'cse-screening' }] }));
    await expect(synthesizedDeployment({ countyConfig: county })).rejects.toThrow(/countyConfig/);
  });
});

describe('the Teams bot in the deployment', () => {
  let withBot: Template;
  beforeAll(async () => {
    withBot = (await synthesizedDeployment(TEAMS_CONTEXT)).serviceTemplate();
  }, 120_000);

  it('is absent until the deployment names the bot’s Microsoft app', () => {
    service.resourcePropertiesCountIs('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /api/messages' }, 0);
    service.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  it('POST /api/messages skips the Cognito authorizer; the secret is KMS-encrypted and never in the template', () => {
    withBot.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /api/messages',
      AuthorizationType: 'NONE',
    });
    withBot.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: Match.anyValue() });
    withBot.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          MICROSOFT_APP_ID: TEAMS_CONTEXT.teamsBotAppId,
          MICROSOFT_APP_SECRET_ARN: Match.anyValue(),
        }),
      },
    });
    expect(JSON.stringify(withBot.toJSON())).not.toMatch(/MICROSOFT_APP_PASSWORD/);
  });

  it.each(['teamsMessages', 'deliverToTeams'] as const)(
    '%s: exactly its declared DynamoDB actions, every write on its partitions only',
    (name) => {
      const statements = statementsOf(withBot, name).filter(
        (statement) =>
          !statement.Condition && actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
      );
      const streamActions = /^dynamodb:(DescribeStream|GetRecords|GetShardIterator|ListStreams)$/;
      const onTable = statements
        .filter((statement) => !JSON.stringify(statement.Resource).includes('/index/'))
        .flatMap(actionsOf)
        .filter((action) => !streamActions.test(action));
      expect(onTable.sort()).toEqual(
        teamsPermissions[name].actions.map((action) => `dynamodb:${action}`).sort(),
      );
      // Issue 16: its writes only on its own key types.
      expect(conditionedOf(withBot, name)).toEqual(conditionedStatements(teamsPermissions[name]));
    },
  );

  it('issue 16: with the bot, still no policy lets a table item be written outside its key types', () => {
    expect(unconfinedTableWrites(withBot)).toEqual([]);
  });

  it('issue 18: only the Teams functions read the user pool, two read-only actions on that pool', () => {
    const cognitoOf = (name: string) =>
      statementsOf(withBot, name).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('cognito-idp:')),
      );
    for (const name of ['teamsMessages', 'deliverToTeams']) {
      const statements = cognitoOf(name);
      expect(statements.flatMap(actionsOf).sort(), name).toEqual([
        'cognito-idp:AdminGetUser',
        'cognito-idp:AdminListGroupsForUser',
      ]);
      expect(JSON.stringify(statements.map((statement) => statement.Resource)), name).toMatch(
        /Users[0-9A-F]*Arn/,
      );
      expect(JSON.stringify(statements.map((statement) => statement.Resource))).not.toContain('*');
    }
    for (const route of routes) expect(cognitoOf(route.name), route.name).toEqual([]);
    withBot.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ USER_POOL_ID: Match.anyValue() }) },
    });
  });

  it('adds the Teams delivery job as the table stream’s second and last reader', () => {
    expect(Object.values(withBot.findResources('AWS::Lambda::EventSourceMapping'))).toHaveLength(2);
  });

  it.each(['teamsMessages', 'deliverToTeams'] as const)(
    '%s reads the secret with GetSecretValue alone, its key only through Secrets Manager',
    (name) => {
      const statements = statementsOf(withBot, name);
      const secretActions = statements
        .flatMap(actionsOf)
        .filter((action) => action.startsWith('secretsmanager:'));
      expect(secretActions).toEqual(['secretsmanager:GetSecretValue']);
      const viaSecrets = statements.filter((statement) =>
        String(JSON.stringify(statement.Condition ?? {})).includes('secretsmanager.'),
      );
      expect(viaSecrets.flatMap(actionsOf)).toEqual(['kms:Decrypt']);
    },
  );

  it('delivers only newly written notifications to Teams, failures to a dead-letter queue', () => {
    withBot.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { NewImage: { kind: { S: ['notification'] } } },
            }),
          },
        ],
      },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });
});
