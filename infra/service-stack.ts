import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Annotations,
  Arn,
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import {
  type CfnRoute,
  type CfnStage,
  CorsHttpMethod,
  DomainName,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  ClientAttributes,
  OAuthScope,
  type UserPool,
  UserPoolClient,
  UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { routes } from '../functions/api/routes.ts';
import { keys, tableKeys } from '../functions/storage/table.ts';
import type { DeploymentConfig } from './config.ts';
import { Monitoring } from './monitoring.ts';
import { ProjectFunction, type ProjectFunctionProps } from './project-function.ts';
import { type FunctionName, tablePermissions, teamsPermissions } from './table-permissions.ts';
import { WebHosting } from './web-hosting.ts';

export interface ServiceStackProps extends StackProps {
  table: TableV2;
  tableKey: Key;
  fieldKey: Key;
  /** HMAC_256 key for keyed hashes (issue 16). */
  macKey: Key;
  /** Where the anchor job writes the chain heads (S3, Object Lock in compliance mode). */
  anchorBucket: IBucket;
  userPool: UserPool;
  config: DeploymentConfig;
  web: { widgetDir: string; tabletDir: string };
  /** Issue 18: the WAF web ACL (CLOUDFRONT scope) for the distribution: the county's, or the edge stack's. */
  webAclArn: string;
}

/**
 * Issue 18: `POST /api/messages` is the one route without the Cognito authorizer, so anyone on the internet
 * can make API Gateway invoke its function. Its own limit, a tenth of the stage's 100 a second, means a flood
 * there is refused at API Gateway before it invokes anything, and cannot use up the budget the screening
 * routes share. Ten a second is still several times a county's Teams traffic: fifty caseworkers screening
 * at once, each answering every twenty seconds, make two or three a second.
 */
export const TEAMS_ROUTE_THROTTLE = { rateLimit: 10, burstLimit: 20 } as const;

/** The routes whose functions run screening turns: they get reserved concurrency (config.ts). */
const TURN_ROUTES: ReadonlySet<string> = new Set(['postTurn', 'syncTurns']);

const projectRoot = join(import.meta.dirname, '..');

/**
 * Issue 9, the stateless stack: functions, the API, the deadline jobs, dead-letter queues, alarms, and the
 * web apps. Holds no data of its own, so it can be deleted and deployed again against the data stack.
 */
export class ServiceStack extends Stack {
  private readonly props: ServiceStackProps;
  private readonly logKey: Key;
  private readonly monitoring: Monitoring;
  readonly web: WebHosting;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    this.props = props;
    const { config } = props;

    this.logKey = new Key(this, 'LogKey', {
      description: 'Encrypts the functions’ and the API’s logs',
      enableKeyRotation: true,
    });
    this.logKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:*`,
          },
        },
      }),
    );
    this.monitoring = new Monitoring(
      this,
      'Monitoring',
      config.alarmEmail ? { alarmEmail: config.alarmEmail } : {},
    );

    // Issue 18: with the API's own domain, CloudFront reaches it there and the execute-api address is switched
    // off, so every request passes CloudFront and its WAF. Without one, execute-api is the only address
    // CloudFront can use as origin (an API Gateway domain needs a certificate for a name the county owns), so
    // it stays on; the Cognito authorizer and the stage throttle still apply to requests sent to it directly.
    const apiDomain = config.apiDomain ? this.apiDomainName(config.apiDomain) : undefined;
    const api = new HttpApi(this, 'Api', {
      disableExecuteApiEndpoint: apiDomain !== undefined,
      ...(apiDomain ? { defaultDomainMapping: { domainName: apiDomain } } : {}),
      corsPreflight: {
        allowOrigins: config.allowedOrigins,
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
        allowHeaders: ['authorization', 'content-type'],
        maxAge: Duration.hours(1),
      },
    });
    this.configureStage(api);
    this.monitoring.watchApi(api.apiId);

    if (!apiDomain)
      Annotations.of(api).addWarningV2(
        'screening:executeApiEndpointOpen',
        'The execute-api address stays reachable without passing CloudFront and its WAF; set context apiDomainName and apiCertificateArn to switch it off.',
      );
    // Issue 18: the pages sign in on Cognito's hosted sign-in domain with authorization code + PKCE.
    const domain = new UserPoolDomain(this, 'SignIn', {
      userPool: props.userPool,
      cognitoDomain: { domainPrefix: config.signInDomainPrefix },
    });
    const web = new WebHosting(this, 'Web', {
      webAclArn: props.webAclArn,
      // What the signing-in pages fetch from Cognito: discovery and JWKS under the issuer
      // (https://cognito-idp.<region>.amazonaws.com/<pool id>), token and revocation on the hosted domain.
      signInOrigins: [domain.baseUrl(), `https://cognito-idp.${this.region}.${this.urlSuffix}`],
      ...(config.webDomain ? { domain: config.webDomain } : {}),
      widgetDir: props.web.widgetDir,
      tabletDir: props.web.tabletDir,
      widgetPages: Object.fromEntries(
        ['demo.html', 'demo-es.html'].map((page) => [
          page,
          readFileSync(join(projectRoot, 'web', 'widget', page), 'utf8'),
        ]),
      ),
      apiDomain: config.apiDomain?.name ?? `${api.apiId}.execute-api.${this.region}.${this.urlSuffix}`,
      allowedOrigins: config.allowedOrigins,
      // With the bot, its route is served through CloudFront too, so the WAF's Teams limit applies to it.
      apiPathPrefixes: [
        ...new Set([
          ...routes.map((route) => route.path.split('/')[1]!),
          ...(config.teamsBot ? ['api'] : []),
        ]),
      ],
    });
    this.web = web;
    const origin = `https://${config.webDomain?.name ?? web.distribution.distributionDomainName}`;

    // Issue 18: a public client (no secret: it runs in browsers) for authorization code with PKCE, state and
    // nonce, the only OAuth flow (no implicit). The pages come back to themselves: the tablet app (`/tablet/`)
    // and the widget's frame page (its sign-in window); the widget's demo pages no longer receive anything.
    // The chat page is not hosted here; a copy the county hosts elsewhere is a `signInCallbackUrls` page.
    const client = new UserPoolClient(this, 'WebClient', {
      userPool: props.userPool,
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${origin}/tablet/`, `${origin}/widget/frame.html`, ...config.signInCallbackUrls],
        logoutUrls: [`${origin}/tablet/`],
      },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // The pages keep the refresh token in the browser (a tab's or the frame's sessionStorage; the tablet's
      // vault), often on shared office computers. Twelve hours covers a working shift, so a screening is not
      // lost at the hourly ID-token expiry, yet nothing left behind on a shared machine mints tokens the next
      // day. With rotation a rotated token keeps the first one's expiry: a sign-in lasts 12 h at most however
      // often it is refreshed.
      refreshTokenValidity: Duration.hours(12),
      // Every refresh returns a new refresh token and invalidates the old one, so a copied token is of use
      // only until its owner's next refresh. The old one stays valid 30 s for a retry when the answer was lost
      // (the tablet gives up on a request after 20 s). Rotation works with the token endpoint's refresh_token
      // grant (what the pages use), not with InitiateAuth REFRESH_TOKEN_AUTH, so CDK leaves that flow off.
      refreshTokenRotationGracePeriod: Duration.seconds(30),
      // Sign-out revokes the refresh token at /oauth2/revoke, so nothing can be refreshed from it; an ID token
      // already issued runs out within its hour (the API verifies tokens itself).
      enableTokenRevocation: true,
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
    web.publishSignIn({ issuer: props.userPool.userPoolProviderUrl, clientId: client.userPoolClientId });

    // API Gateway checks the token first so forged or expired ones never start a function; every handler
    // then verifies the ID token itself (issuer, audience, `custom:org`, `custom:unit`, `cognito:groups`).
    const authorizer = new HttpUserPoolAuthorizer('Authorizer', props.userPool, {
      userPoolClients: [client],
    });
    const httpEnvironment: Record<string, string> = {
      OIDC_ISSUER: props.userPool.userPoolProviderUrl,
      OIDC_AUDIENCE: client.userPoolClientId,
      ...(config.rateLimitPerMinute ? { RATE_LIMIT_PER_MINUTE: config.rateLimitPerMinute } : {}),
      ...(config.abandonedConversationDays
        ? { ABANDONED_CONVERSATION_DAYS: config.abandonedConversationDays }
        : {}),
    };
    for (const route of routes) {
      const fieldKeyAccess = 'fieldKeyAccess' in route ? route.fieldKeyAccess : undefined;
      const fn = this.projectFunction(route.name, {
        entry: route.entry,
        ...(TURN_ROUTES.has(route.name) && config.reservedConcurrency.turns
          ? { reservedConcurrency: config.reservedConcurrency.turns }
          : {}),
        ...(fieldKeyAccess ? { fieldKey: { key: props.fieldKey, access: fieldKeyAccess } } : {}),
        ...('usesMac' in route && route.usesMac ? { macKey: props.macKey } : {}),
        environment: httpEnvironment,
      });
      api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.name}Integration`, fn.function),
        authorizer,
      });
    }

    this.addReminderJobs();
    this.addAnchorJob();
    this.addTeamsBot(api);

    new CfnOutput(this, 'WebUrl', {
      value: origin,
      description: 'Widget at /widget/, tablet app at /tablet/',
    });
    // The API is served under the web origin (CloudFront, behind the WAF): the address to give out, the Teams
    // messaging endpoint included.
    new CfnOutput(this, 'ApiUrl', { value: origin });
    if (apiDomain)
      new CfnOutput(this, 'ApiDomainTarget', {
        value: apiDomain.regionalDomainName,
        description: `Point ${apiDomain.name} here (CNAME or Route 53 alias); CloudFront reaches the API there`,
      });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    new CfnOutput(this, 'SignInUrl', { value: domain.baseUrl() });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
  }

  /** Access logs for every request, and the stage's own throttle in front of the per-user limit. */
  private configureStage(api: HttpApi): void {
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: this.props.config.logRetentionDays as RetentionDays,
      encryptionKey: this.logKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stage = api.defaultStage!.node.defaultChild as CfnStage;
    // Who and what, never a body or a token: the same fields the handlers log.
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latencyMs: '$context.responseLatency',
        integrationError: '$context.integrationErrorMessage',
        authorizerError: '$context.authorizer.error',
        at: '$context.requestTime',
      }),
    };
    stage.defaultRouteSettings = { throttlingBurstLimit: 200, throttlingRateLimit: 100 };
  }

  /**
   * Issue 18: the API's own host name (a regional API Gateway domain, its certificate in this region), which
   * CloudFront uses as origin once the execute-api address is off.
   */
  private apiDomainName(domain: { name: string; certificateArn: string }): DomainName {
    const certificateRegion = Arn.split(domain.certificateArn, ArnFormat.SLASH_RESOURCE_NAME).region;
    if (!Token.isUnresolved(this.region) && certificateRegion !== this.region)
      throw new Error(
        `Context apiCertificateArn must be a certificate in ${this.region}, the stack's region (a regional API domain).`,
      );
    return new DomainName(this, 'ApiDomain', {
      domainName: domain.name,
      certificate: Certificate.fromCertificateArn(this, 'ApiCertificate', domain.certificateArn),
    });
  }

  /** A function with the project's defaults, its table permission, its alarms. */
  private projectFunction(
    name: FunctionName | 'teamsMessages' | 'deliverToTeams',
    props: Omit<ProjectFunctionProps, 'table' | 'tableKey' | 'permission' | 'logKey' | 'logRetention'>,
  ): ProjectFunction {
    const { county, logRetentionDays } = this.props.config;
    const fn = new ProjectFunction(this, name, {
      table: this.props.table,
      tableKey: this.props.tableKey,
      permission: { ...tablePermissions, ...teamsPermissions }[name],
      logKey: this.logKey,
      logRetention: logRetentionDays as RetentionDays,
      ...(county.dutyRules ? { countyDutyRules: JSON.stringify(county.dutyRules) } : {}),
      ...props,
      environment: {
        ...(county.reminderPolicies ? { REMINDER_POLICIES: JSON.stringify(county.reminderPolicies) } : {}),
        ...props.environment,
      },
    });
    this.monitoring.watchFunction(name, fn);
    return fn;
  }

  private deadLetterQueue(id: string, description: string): Queue {
    const queue = new Queue(this, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue (${description}); nothing is retried from it automatically.`,
    });
    this.monitoring.watchQueue(id, queue);
    return queue;
  }

  /**
   * The Teams bot, when the deployment names its Microsoft app (context `teamsBotAppId` and
   * `teamsBotTenantId`, both GUIDs from the Azure Bot registration): `POST /api/messages` without the
   * Cognito authorizer (Bot Framework signs its own tokens, which the function checks), and the job that
   * sends new outbox records to Teams. The app's client secret lives in Secrets Manager; the stack creates
   * the secret with a random placeholder, which an administrator replaces (README: registering the bot).
   */
  private addTeamsBot(api: HttpApi): void {
    const bot = this.props.config.teamsBot;
    if (!bot) return;
    const secretKey = new Key(this, 'TeamsBotSecretKey', {
      description: 'Encrypts the Teams bot’s client secret',
      enableKeyRotation: true,
    });
    const secret = new Secret(this, 'TeamsBotSecret', {
      description: 'Client secret of the Teams bot’s Microsoft app registration (set by an administrator)',
      encryptionKey: secretKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const rotatedInAzure =
      'The value is a Microsoft Entra client secret: it is rotated in Azure (at most 24 months) and then set here; Secrets Manager cannot rotate it.';
    Validations.of(secret).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-SMG4', reason: rotatedInAzure },
      { id: 'HIPAA.Security::HIPAA.Security-SecretsManagerRotationEnabled', reason: rotatedInAzure },
    );
    const botEnvironment = {
      MICROSOFT_APP_ID: bot.appId,
      MICROSOFT_APP_TENANT_ID: bot.tenantId,
      MICROSOFT_APP_SECRET_ARN: secret.secretArn,
      // Issue 18: the bot asks the user pool at each activity whether the linked account still stands.
      USER_POOL_ID: this.props.userPool.userPoolId,
      ...(this.props.config.abandonedConversationDays
        ? { ABANDONED_CONVERSATION_DAYS: this.props.config.abandonedConversationDays }
        : {}),
    };
    const messages = this.projectFunction('teamsMessages', {
      entry: 'functions/teams/lambda.ts',
      fieldKey: { key: this.props.fieldKey, access: 'encrypt' },
      macKey: this.props.macKey,
      environment: botEnvironment,
      // Teams waits 15 seconds for the answer; the SDK's first token fetch is the slow part.
      timeout: Duration.seconds(14),
      // Issue 18: the one function anyone can invoke; its share of the account is capped (config.ts).
      ...(this.props.config.reservedConcurrency.teamsMessages
        ? { reservedConcurrency: this.props.config.reservedConcurrency.teamsMessages }
        : {}),
    });
    // GetSecretValue only (grantRead would add DescribeSecret, which the code never calls).
    const readSecret = (fn: ProjectFunction) => {
      fn.function.addToRolePolicy(
        new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
      );
      fn.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [secretKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com` } },
        }),
      );
    };
    readSecret(messages);
    // Issue 18: Teams access follows the user pool: the account's status and groups, read only, this pool only.
    const readUserPool = (fn: ProjectFunction) =>
      fn.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminListGroupsForUser'],
          resources: [this.props.userPool.userPoolArn],
        }),
      );
    readUserPool(messages);
    const [route] = api.addRoutes({
      path: '/api/messages',
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('teamsMessagesIntegration', messages.function),
      authorizer: new HttpNoneAuthorizer(),
    });
    // Issue 18: the route's own throttle, apart from the stage default the authenticated routes share. The
    // stage names the route by its key, so the route must exist before the stage is updated.
    const stage = api.defaultStage!.node.defaultChild as CfnStage;
    const routeKey = (route!.node.defaultChild as CfnRoute).routeKey;
    // RouteSettings is a free-form map in CloudFormation, so its properties are spelled as CloudFormation's.
    stage.routeSettings = {
      [routeKey]: {
        ThrottlingRateLimit: TEAMS_ROUTE_THROTTLE.rateLimit,
        ThrottlingBurstLimit: TEAMS_ROUTE_THROTTLE.burstLimit,
      },
    };
    stage.node.addDependency(route!);
    Validations.of(route!).acknowledge({
      id: 'AwsSolutions::AwsSolutions-APIG4',
      reason:
        'Bot Framework calls with its own signed JWT, which Cognito cannot check; the function verifies it (issuer, audience, keys, service URL) before anything else.',
    });

    const deliver = this.projectFunction('deliverToTeams', {
      entry: 'functions/jobs/deliver-to-teams.ts',
      environment: botEnvironment,
      timeout: Duration.minutes(1),
    });
    readSecret(deliver);
    readUserPool(deliver);
    deliver.function.addEventSource(
      new DynamoEventSource(this.props.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 20,
        retryAttempts: 5,
        bisectBatchOnError: true,
        onFailure: new SqsDlq(this.deadLetterQueue('DeliveryFailures', 'notifications Teams never took')),
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
   * Deadlines chased until met: a one-time EventBridge Scheduler schedule per reminder or escalation, armed
   * from the table's stream when a task is opened, plus a sweep every five minutes as the backstop.
   */
  /**
   * Issue 16: every 15 minutes the chain heads are anchored in the Object Lock bucket. The function reads
   * the table (Scan only), computes MACs, and may only put objects: it can neither change the table nor
   * delete an anchor, and nothing else may write the bucket.
   */
  private addAnchorJob(): void {
    const failures = this.deadLetterQueue('AnchorFailures', 'chain-head anchors not written');
    const anchor = this.projectFunction('anchorHeads', {
      entry: 'functions/jobs/anchor-heads.ts',
      macKey: this.props.macKey,
      environment: { ANCHOR_BUCKET: this.props.anchorBucket.bucketName },
      // A whole-table scan; at a county's volume a minute or two.
      timeout: Duration.minutes(5),
      deadLetterQueue: failures,
    });
    anchor.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.props.anchorBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['anchors/*'] } },
      }),
    );
    anchor.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [this.props.anchorBucket.arnForObjects('anchors/*')],
      }),
    );
    Validations.of(anchor).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::ScreeningData:ExportsOutputFnGetAttChainAnchors763DDC89Arn7CB81AC2/anchors/*]',
      reason:
        'One object per anchor, named at run time; confined to the anchors/ prefix of the locked bucket.',
    });
    new Rule(this, 'AnchorEveryQuarterHour', {
      schedule: Schedule.rate(Duration.minutes(15)),
      targets: [new LambdaFunction(anchor.function, { deadLetterQueue: failures, retryAttempts: 2 })],
    });
  }

  private addReminderJobs(): void {
    const scheduledFailures = this.deadLetterQueue(
      'ScheduledActionFailures',
      'reminders a schedule could not run',
    );
    const runTaskActions = this.projectFunction('runTaskActions', {
      entry: 'functions/jobs/run-task-actions.ts',
      // Issue 16: a reminder or escalation extends the task's keyed audit chain.
      macKey: this.props.macKey,
      deadLetterQueue: scheduledFailures,
    });
    const sweepFailures = this.deadLetterQueue('SweepFailures', 'sweeps that failed every retry');
    const sweep = this.projectFunction('sweep', {
      entry: 'functions/jobs/sweep.ts',
      macKey: this.props.macKey,
      deadLetterQueue: sweepFailures,
    });
    new Rule(this, 'SweepEveryFiveMinutes', {
      schedule: Schedule.rate(Duration.minutes(5)),
      targets: [new LambdaFunction(sweep.function, { deadLetterQueue: sweepFailures, retryAttempts: 2 })],
    });
    this.monitoring.watchOverdueTasks(
      { sweep: sweep.logGroup, runTaskActions: runTaskActions.logGroup },
      this.props.config.overdueTasksAlarmThreshold,
    );

    const group = new CfnScheduleGroup(this, 'ReminderSchedules', { name: `${this.stackName}-reminders` });
    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: "Lets EventBridge Scheduler run a task's due reminders and escalations",
    });
    // The function itself, not `function:*` (its versions), which a grantInvoke would add.
    schedulerRole.addToPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [runTaskActions.function.functionArn],
      }),
    );
    Validations.of(schedulerRole).acknowledge({
      id: 'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy',
      reason: 'The role only Scheduler assumes; its policy names the one function and the one queue.',
    });
    scheduledFailures.grantSendMessages(schedulerRole);

    // One reader of the table's stream for both stream jobs (AWS advises at most two per shard; Teams
    // delivery is the other): arming a new task's reminders, and purging what TTL leaves of a conversation.
    const arm = this.projectFunction('streamJobs', {
      entry: 'functions/jobs/stream-jobs.ts',
      environment: {
        SCHEDULER_TARGET_ARN: runTaskActions.function.functionArn,
        SCHEDULER_ROLE_ARN: schedulerRole.roleArn,
        SCHEDULER_GROUP: group.name!,
        SCHEDULER_DLQ_ARN: scheduledFailures.queueArn,
      },
      // Batched deletes back off on unprocessed items for up to several seconds per batch.
      timeout: Duration.minutes(1),
    });
    arm.function.addToRolePolicy(
      new PolicyStatement({
        // Schedules delete themselves after firing (ActionAfterCompletion); nothing here deletes one.
        actions: ['scheduler:CreateSchedule'],
        resources: [
          `arn:${this.partition}:scheduler:${this.region}:${this.account}:schedule/${group.name}/*`,
        ],
      }),
    );
    schedulerRole.grantPassRole(arm.function.grantPrincipal);
    Validations.of(arm).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:${this.region}:<AWS::AccountId>:schedule/${group.name}/*]`,
      reason:
        'One schedule per task action, named at run time; confined to this deployment’s schedule group.',
    });
    const conversation = keys.conversation('');
    arm.function.addEventSource(
      new DynamoEventSource(this.props.table, {
        // From the oldest record kept: a removal missed here would leave a conversation's events forever.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 50,
        retryAttempts: 10,
        bisectBatchOnError: true,
        onFailure: new SqsDlq(
          this.deadLetterQueue(
            'StreamJobFailures',
            'new tasks not armed or expired conversations not purged',
          ),
        ),
        filters: [
          // Newly opened tasks need their schedules.
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { kind: { S: FilterRule.isEqual('task') } } },
          }),
          // The TTL service's removals of conversation items only: erasures delete everything themselves, and
          // rate-limit counters expire every minute, which would otherwise invoke this job for nothing.
          // REMOVE records carry `Keys` whatever the view type, so NEW_IMAGE suffices.
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
}
