import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, ClientAttributes, StringAttribute, UserPool } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type RouteName, routes } from '../functions/api/routes.ts';
import { Role as StaffRole } from '../functions/http/principal.ts';
import { keyPrefixes, keys, tableKeys } from '../functions/storage/table.ts';
import { type PrefixedWrite, ProjectFunction } from './project-function.ts';

/** One Cognito group per role; a `Record` so a new role in principal.ts cannot ship without its group. */
const roleDescriptions: Record<StaffRole, string> = {
  caseworker: 'Screens children and youth; sees the conversations they started and the tasks those opened.',
  supervisor: "Sees and settles everything of their unit (custom:unit); receives the unit's escalations.",
  shelter_staff: "Partner shelter intake desk: screens and shares the organisation's screenings and tasks.",
  interviewer: 'Runaway-return interviews and screenings; sees the conversations they started.',
  administrator: 'No case content: records requests (export, lawful erasure) and aggregate reports.',
};

/** Read-only routes that still leave a record of who read a conversation (its READS# partition). */
const routesRecordingReads: ReadonlySet<RouteName> = new Set<RouteName>(['getConversation', 'exportRecords']);

/**
 * Optional tuning from CDK context (`cdk deploy -c rateLimitPerMinute=60`, or `context` in cdk.json);
 * absent, the handlers' own defaults apply, so the variable is left unset rather than duplicated here.
 */
function positiveIntegerContext(scope: Construct, name: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(name);
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(value).trim();
  // Failing the synth beats a deployed function that throws on its first request.
  if (!/^[1-9][0-9]*$/.test(text))
    throw new Error(`Context ${name} must be a positive integer, not ${JSON.stringify(value)}.`);
  return text;
}

/** The table, the user pool whose tokens the API trusts, and one function per route. */
export class ScreeningStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const key = new Key(this, 'TableKey', {
      description: 'Encrypts screening records at rest',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const table = new TableV2(this, 'Table', {
      partitionKey: { name: tableKeys.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableKeys.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: tableKeys.timeToLive,
      dynamoStream: StreamViewType.NEW_IMAGE,
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: [
        {
          indexName: tableKeys.gsi1.name,
          partitionKey: { name: tableKeys.gsi1.partitionKey, type: AttributeType.STRING },
          sortKey: { name: tableKeys.gsi1.sortKey, type: AttributeType.STRING },
        },
        {
          indexName: tableKeys.gsi2.name,
          partitionKey: { name: tableKeys.gsi2.partitionKey, type: AttributeType.STRING },
          sortKey: { name: tableKeys.gsi2.sortKey, type: AttributeType.STRING },
        },
      ],
    });

    const userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      customAttributes: {
        org: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
        // Mutable because staff move between units; only the admin API may set it (the client cannot write it).
        unit: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      passwordPolicy: { minLength: 14, requireSymbols: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const client = userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      preventUserExistenceErrors: true,
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true, locale: true })
        .withCustomAttributes('org', 'unit'),
      // Org and unit scope what a user may see, so users must not be able to set their own.
      writeAttributes: new ClientAttributes().withStandardAttributes({
        email: true,
        fullname: true,
        locale: true,
      }),
    });
    for (const role of StaffRole.options) {
      userPool.addGroup(`Group-${role}`, { groupName: role, description: roleDescriptions[role] });
    }
    // API Gateway checks the token first so forged or expired ones never start a function; every handler
    // then verifies the ID token itself (issuer, audience, `custom:org`, `custom:unit`, `cognito:groups`).
    const authorizer = new HttpUserPoolAuthorizer('Authorizer', userPool, { userPoolClients: [client] });

    const api = new HttpApi(this, 'Api', {
      defaultAuthorizer: authorizer,
      corsPreflight: {
        allowOrigins: this.node.tryGetContext('allowedOrigins') ?? [],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
        allowHeaders: ['authorization', 'content-type'],
        maxAge: Duration.hours(1),
      },
    });

    // Wraps the per-conversation data keys of answers that identify a child (envelope encryption).
    const fieldKey = new Key(this, 'FieldKey', {
      description: 'Wraps data keys for field-level encryption of identifying answers',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const rateLimitPerMinute = positiveIntegerContext(this, 'rateLimitPerMinute');
    const abandonedConversationDays = positiveIntegerContext(this, 'abandonedConversationDays');
    const httpEnvironment: Record<string, string> = {
      OIDC_ISSUER: userPool.userPoolProviderUrl,
      OIDC_AUDIENCE: client.userPoolClientId,
      ...(rateLimitPerMinute ? { RATE_LIMIT_PER_MINUTE: rateLimitPerMinute } : {}),
      ...(abandonedConversationDays ? { ABANDONED_CONVERSATION_DAYS: abandonedConversationDays } : {}),
    };

    for (const route of routes) {
      const fieldKeyAccess = 'fieldKeyAccess' in route ? route.fieldKeyAccess : undefined;
      // Every request counts against the caller's rate limit, a write even on a read-only route.
      const prefixedWrites: PrefixedWrite[] =
        route.tableAccess === 'read'
          ? [
              { actions: ['UpdateItem'], partitionKeyPrefixes: [keyPrefixes.rate] },
              ...(routesRecordingReads.has(route.name)
                ? [{ actions: ['PutItem'] as const, partitionKeyPrefixes: [keyPrefixes.reads] }]
                : []),
            ]
          : [];
      const fn = new ProjectFunction(this, route.name, {
        entry: route.entry,
        table,
        tableAccess: route.tableAccess,
        ...(fieldKeyAccess ? { fieldKey: { key: fieldKey, access: fieldKeyAccess } } : {}),
        environment: httpEnvironment,
        prefixedWrites,
      });
      api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.name}Integration`, fn.function),
      });
    }

    this.addReminderJobs(table);
    this.addRetentionJob(table);
    this.addTeamsBot(table, api, fieldKey, abandonedConversationDays);

    new CfnOutput(this, 'ApiUrl', { value: api.apiEndpoint });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
  }

  /**
   * The Teams bot, when the deployment names its Microsoft app (context `teamsBotAppId` and
   * `teamsBotTenantId`, both GUIDs from the Azure Bot registration): `POST /api/messages` without the
   * Cognito authorizer (Bot Framework signs its own tokens, which the function checks), and the job that
   * sends new outbox records to Teams. The app's client secret lives in Secrets Manager; the stack creates
   * the secret empty and an administrator sets its value (README: registering the bot).
   */
  private addTeamsBot(
    table: TableV2,
    api: HttpApi,
    fieldKey: Key,
    abandonedConversationDays: string | undefined,
  ): void {
    const appId = this.node.tryGetContext('teamsBotAppId') as string | undefined;
    const tenantId = this.node.tryGetContext('teamsBotTenantId') as string | undefined;
    if (appId === undefined && tenantId === undefined) return;
    const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    if (!guid.test(appId ?? '') || !guid.test(tenantId ?? ''))
      throw new Error('teamsBotAppId and teamsBotTenantId must both be GUIDs');
    const secret = new Secret(this, 'TeamsBotSecret', {
      description: 'Client secret of the Teams bot’s Microsoft app registration (set by an administrator)',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const botEnvironment = {
      MICROSOFT_APP_ID: appId!,
      MICROSOFT_APP_TENANT_ID: tenantId!,
      MICROSOFT_APP_SECRET_ARN: secret.secretArn,
      ...(abandonedConversationDays ? { ABANDONED_CONVERSATION_DAYS: abandonedConversationDays } : {}),
    };
    const bot = new ProjectFunction(this, 'teamsMessages', {
      entry: 'functions/teams/lambda.ts',
      table,
      tableAccess: 'readWrite',
      fieldKey: { key: fieldKey, access: 'encrypt' },
      environment: botEnvironment,
      // Teams waits 15 seconds for the answer; the SDK's first token fetch is the slow part.
      timeout: Duration.seconds(14),
    });
    secret.grantRead(bot.function);
    api.addRoutes({
      path: '/api/messages',
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('teamsMessagesIntegration', bot.function),
      authorizer: new HttpNoneAuthorizer(),
    });

    const deliver = new ProjectFunction(this, 'deliverToTeams', {
      entry: 'functions/jobs/deliver-to-teams.ts',
      table,
      tableAccess: 'readWrite',
      environment: botEnvironment,
      timeout: Duration.minutes(1),
    });
    secret.grantRead(deliver.function);
    deliver.function.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 20,
        retryAttempts: 5,
        bisectBatchOnError: true,
        // Only new notifications (reminders and escalations written to the outbox).
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { kind: { S: FilterRule.isEqual('notification') } } },
          }),
        ],
      }),
    );
  }

  /**
   * TTL deletes only an abandoned conversation's own item; this job, fed by the TTL's removals on the
   * stream, deletes the rest of its partition and the record of who read it.
   */
  private addRetentionJob(table: TableV2): void {
    const conversation = keys.conversation('');
    const purge = new ProjectFunction(this, 'purgeExpired', {
      entry: 'functions/jobs/purge-expired.ts',
      table,
      tableAccess: 'read',
      prefixedWrites: [
        {
          actions: ['BatchWriteItem', 'DeleteItem'],
          partitionKeyPrefixes: [conversation.pk, keys.reads('')],
        },
      ],
      // Batched deletes back off on unprocessed items for up to several seconds per batch.
      timeout: Duration.minutes(1),
    });
    purge.function.addEventSource(
      new DynamoEventSource(table, {
        // From the oldest record kept: a removal missed here would leave the conversation's events forever.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        retryAttempts: 10,
        bisectBatchOnError: true,
        // The TTL service's removals of conversation items only: erasures delete everything themselves, and
        // rate-limit counters expire every minute, which would otherwise invoke this job for nothing.
        // REMOVE records carry `Keys` whatever the view type, so NEW_IMAGE suffices.
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('REMOVE'),
            userIdentity: {
              type: FilterRule.isEqual('Service'),
              principalId: FilterRule.isEqual('dynamodb.amazonaws.com'),
            },
            dynamodb: {
              Keys: {
                [tableKeys.partitionKey]: { S: FilterRule.beginsWith(conversation.pk) },
                [tableKeys.sortKey]: { S: FilterRule.isEqual(conversation.sk) },
              },
            },
          }),
        ],
      }),
    );
  }

  /**
   * Deadlines chased until met: a one-time EventBridge Scheduler schedule per reminder or escalation, armed
   * from the table's stream when a task is opened, plus a sweep every five minutes as the backstop.
   */
  private addReminderJobs(table: TableV2): void {
    const runTaskActions = new ProjectFunction(this, 'runTaskActions', {
      entry: 'functions/jobs/run-task-actions.ts',
      table,
      tableAccess: 'readWrite',
    });
    const sweep = new ProjectFunction(this, 'sweep', {
      entry: 'functions/jobs/sweep.ts',
      table,
      tableAccess: 'readWrite',
    });
    new Rule(this, 'SweepEveryFiveMinutes', {
      schedule: Schedule.rate(Duration.minutes(5)),
      targets: [new LambdaFunction(sweep.function)],
    });

    const group = new CfnScheduleGroup(this, 'ReminderSchedules', { name: `${this.stackName}-reminders` });
    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: "Lets EventBridge Scheduler run a task's due reminders and escalations",
    });
    runTaskActions.function.grantInvoke(schedulerRole);

    const arm = new ProjectFunction(this, 'armReminders', {
      entry: 'functions/jobs/arm-reminders.ts',
      table,
      tableAccess: 'read',
      environment: {
        SCHEDULER_TARGET_ARN: runTaskActions.function.functionArn,
        SCHEDULER_ROLE_ARN: schedulerRole.roleArn,
        SCHEDULER_GROUP: group.name!,
      },
    });
    arm.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [
          `arn:${this.partition}:scheduler:${this.region}:${this.account}:schedule/${group.name}/*`,
        ],
      }),
    );
    schedulerRole.grantPassRole(arm.function.grantPrincipal);
    arm.function.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 50,
        retryAttempts: 3,
        bisectBatchOnError: true,
        // Only newly opened tasks need schedules.
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { kind: { S: FilterRule.isEqual('task') } } },
          }),
        ],
      }),
    );
  }
}
