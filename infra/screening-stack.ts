import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, StringAttribute, UserPool } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import { routes } from '../functions/api/routes.ts';
import { tableKeys } from '../functions/storage/table.ts';
import { ProjectFunction } from './project-function.ts';

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
      customAttributes: { org: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }) },
      passwordPolicy: { minLength: 14, requireSymbols: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const client = userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      preventUserExistenceErrors: true,
    });
    // The ID token carries `custom:org`, which the handlers read as the caller's organisation.
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

    for (const route of routes) {
      const fieldKeyAccess = 'fieldKeyAccess' in route ? route.fieldKeyAccess : undefined;
      const fn = new ProjectFunction(this, route.name, {
        entry: route.entry,
        table,
        tableAccess: route.tableAccess,
        ...(fieldKeyAccess ? { fieldKey: { key: fieldKey, access: fieldKeyAccess } } : {}),
      });
      api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.name}Integration`, fn.function),
      });
    }

    this.addReminderJobs(table);

    new CfnOutput(this, 'ApiUrl', { value: api.apiEndpoint });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
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
