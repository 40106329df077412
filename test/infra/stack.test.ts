import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/api/routes.ts';
import { Role } from '#functions/http/principal.ts';
import { ScreeningStack } from '#infra/screening-stack.ts';

let template: Template;

beforeAll(() => {
  // Skipping bundling keeps the test fast; `npm run synth` bundles for real.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(new ScreeningStack(app, 'Test', { env: { region: 'us-west-2' } }));
});

type Statement = { Action: string | string[]; Condition?: Record<string, Record<string, unknown>> };
type Policy = { Properties: { PolicyDocument: { Statement: Statement[] } } };

function actionsOfStatement(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

function actionsOf(policy: Policy): string[] {
  return policy.Properties.PolicyDocument.Statement.flatMap(actionsOfStatement);
}

function policyOf(name: string): Policy {
  const policy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) =>
    id.startsWith(name),
  )?.[1];
  expect(policy, name).toBeDefined();
  return policy as Policy;
}

/** The logical id of a ProjectFunction's Lambda function, by construct id. */
function functionId(name: string): string {
  const id = Object.keys(template.findResources('AWS::Lambda::Function')).find((logicalId) =>
    logicalId.startsWith(`${name}Function`),
  );
  expect(id, name).toBeDefined();
  return id as string;
}

const TABLE_WRITE = /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems|\*)$/;
/** Read-only routes that record who read a conversation. */
const RECORDING_READS = ['getConversation', 'exportRecords'];

describe('the CDK stack', () => {
  it('has one table: customer-managed KMS key, point-in-time recovery, deletion protection, TTL, the task index', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'gsi1' }),
        Match.objectLike({ IndexName: 'gsi2' }),
      ],
      Replicas: [
        Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ],
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('has one Node 22 ARM function per route, with tracing and the table name', () => {
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } },
    });
    // One per route, plus the four jobs (sweep, scheduled task actions, arming from the stream, purging).
    expect(Object.keys(functions)).toHaveLength(routes.length + 4);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.Environment.Variables.TABLE_NAME).toBeDefined();
    }
  });

  it('routes every API path through the Cognito JWT authorizer', () => {
    for (const route of routes) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `${route.method} ${route.path}`,
        AuthorizationType: 'JWT',
      });
    }
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
  });

  it('least privilege: no function gets table-wide wildcards; read/write routes may write', () => {
    for (const route of routes) {
      const actions = actionsOf(policyOf(route.name));
      expect(actions).not.toContain('dynamodb:*');
      if (route.tableAccess === 'readWrite')
        expect(actions.filter((action) => TABLE_WRITE.test(action)).length, route.name).toBeGreaterThan(0);
    }
  });

  it('read-only routes write only their rate-limit counter, and the reading routes their read record', () => {
    const readOnly = routes.filter((route) => route.tableAccess === 'read');
    expect(readOnly.map((route) => route.name)).toEqual(expect.arrayContaining(RECORDING_READS));
    for (const route of readOnly) {
      const writes = policyOf(route.name).Properties.PolicyDocument.Statement.filter((statement) =>
        actionsOfStatement(statement).some((action) => TABLE_WRITE.test(action)),
      );
      const granted = writes.map((statement) => {
        const leadingKeys = statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
        expect(statement.Condition?.Null, route.name).toEqual({ 'dynamodb:LeadingKeys': 'false' });
        return { actions: actionsOfStatement(statement), leadingKeys };
      });
      const expected = [
        { actions: ['dynamodb:UpdateItem'], leadingKeys: ['RATE#*'] },
        ...(RECORDING_READS.includes(route.name)
          ? [{ actions: ['dynamodb:PutItem'], leadingKeys: ['READS#*'] }]
          : []),
      ];
      expect(granted, route.name).toEqual(expect.arrayContaining(expected));
      expect(granted, route.name).toHaveLength(expected.length);
    }
  });

  it('every route function verifies ID tokens of this user pool and client itself', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const [poolId] = Object.keys(template.findResources('AWS::Cognito::UserPool'));
    const [clientId] = Object.keys(template.findResources('AWS::Cognito::UserPoolClient'));
    for (const route of routes) {
      const variables = functions[functionId(route.name)]?.Properties.Environment.Variables;
      expect(variables.OIDC_ISSUER, route.name).toEqual({ 'Fn::GetAtt': [poolId, 'ProviderURL'] });
      expect(variables.OIDC_AUDIENCE, route.name).toEqual({ Ref: clientId });
    }
  });

  it('passes optional tuning from context to the route functions only when set', () => {
    const app = new App({
      context: { 'aws:cdk:bundling-stacks': [], rateLimitPerMinute: '60', abandonedConversationDays: 45 },
    });
    const tuned = Template.fromStack(new ScreeningStack(app, 'Tuned', { env: { region: 'us-west-2' } }));
    tuned.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ RATE_LIMIT_PER_MINUTE: '60', ABANDONED_CONVERSATION_DAYS: '45' }),
      },
    });
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Environment.Variables.RATE_LIMIT_PER_MINUTE).toBeUndefined();
      expect(fn.Properties.Environment.Variables.ABANDONED_CONVERSATION_DAYS).toBeUndefined();
    }
    const bad = new App({ context: { 'aws:cdk:bundling-stacks': [], rateLimitPerMinute: 'lots' } });
    expect(() => new ScreeningStack(bad, 'Bad')).toThrow(/rateLimitPerMinute/);
  });

  it('keeps a user pool without self sign-up, carrying the caller’s organisation and unit', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'org', Mutable: false }),
        Match.objectLike({ Name: 'unit', Mutable: true }),
      ]),
    });
  });

  it('has one group per role, each described', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup'));
    expect(groups.map((group) => group.Properties.GroupName).sort()).toEqual([...Role.options].sort());
    for (const group of groups) expect(group.Properties.Description, group.Properties.GroupName).toBeTruthy();
  });

  it('lets the client read the organisation and unit but never write them', () => {
    const [client] = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
    const { ReadAttributes, WriteAttributes } = client?.Properties ?? {};
    expect(ReadAttributes).toEqual(expect.arrayContaining(['custom:org', 'custom:unit']));
    expect(WriteAttributes).toBeDefined();
    expect(WriteAttributes.length).toBeGreaterThan(0);
    for (const attribute of WriteAttributes) expect(attribute).not.toMatch(/^custom:/);
  });

  it('chases deadlines: a five-minute sweep, a schedule group, and schedules armed from new tasks on the stream', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    const armMapping = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).find(
      (mapping) => mapping.Properties.FunctionName.Ref === functionId('armReminders'),
    );
    expect(armMapping?.Properties.StartingPosition).toBe('LATEST');
    expect(
      armMapping?.Properties.FilterCriteria.Filters.map((filter: { Pattern: string }) =>
        JSON.parse(filter.Pattern),
      ),
    ).toEqual([{ eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['task'] } } } }]);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
      }),
    });
  });

  it('purges what TTL leaves of a conversation, invoked only for the TTL removing a conversation item', () => {
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
      (mapping) => mapping.Properties.FunctionName.Ref === functionId('purgeExpired'),
    );
    expect(mappings).toHaveLength(1);
    const patterns = mappings[0]?.Properties.FilterCriteria.Filters.map((filter: { Pattern: string }) =>
      JSON.parse(filter.Pattern),
    );
    expect(patterns).toEqual([
      {
        eventName: ['REMOVE'],
        userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] },
        dynamodb: { Keys: { pk: { S: [{ prefix: 'CONV#' }] }, sk: { S: ['CONV'] } } },
      },
    ]);
    const writes = policyOf('purgeExpired').Properties.PolicyDocument.Statement.filter((statement) =>
      actionsOfStatement(statement).some((action) => TABLE_WRITE.test(action)),
    );
    expect(writes).toHaveLength(1);
    expect(actionsOfStatement(writes[0] as Statement).sort()).toEqual([
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
    ]);
    expect(writes[0]?.Condition?.['ForAllValues:StringLike']).toEqual({
      'dynamodb:LeadingKeys': ['CONV#*', 'READS#CONV#*'],
    });
    expect(actionsOf(policyOf('purgeExpired'))).toContain('dynamodb:Query');
  });

  it('identifying answers: only the turn route may create data keys; reading one may only decrypt', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const actionsOfRoute = (name: string) =>
      actionsOf(Object.entries(policies).find(([id]) => id.startsWith(name))![1] as never);
    expect(actionsOfRoute('postTurn')).toEqual(
      expect.arrayContaining(['kms:GenerateDataKey', 'kms:Decrypt']),
    );
    expect(actionsOfRoute('getConversation')).toContain('kms:Decrypt');
    expect(actionsOfRoute('getConversation')).not.toContain('kms:GenerateDataKey');
    expect(actionsOfRoute('listTasks')).not.toContain('kms:GenerateDataKey');
  });
});

describe('the Teams bot in the stack', () => {
  const withBot = () => {
    const app = new App({
      context: {
        'aws:cdk:bundling-stacks': [],
        teamsBotAppId: '00000000-0000-4000-8000-00000000b0b1',
        teamsBotTenantId: '11111111-2222-4333-8444-555555555555',
      },
    });
    return Template.fromStack(new ScreeningStack(app, 'WithBot', { env: { region: 'us-west-2' } }));
  };

  it('is absent until the deployment names the bot’s Microsoft app', () => {
    template.resourcePropertiesCountIs('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /api/messages' }, 0);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  it('POST /api/messages skips the Cognito authorizer (Bot Framework tokens are checked by the function)', () => {
    const bot = withBot();
    bot.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /api/messages',
      AuthorizationType: 'NONE',
    });
    bot.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          MICROSOFT_APP_ID: '00000000-0000-4000-8000-00000000b0b1',
          MICROSOFT_APP_SECRET_ARN: Match.anyValue(),
        }),
      },
    });
    // The secret's value is never in the template or the environment.
    bot.resourceCountIs('AWS::SecretsManager::Secret', 1);
    expect(JSON.stringify(bot.toJSON())).not.toMatch(/MICROSOFT_APP_PASSWORD/);
  });

  it('delivers only newly written notifications to Teams', () => {
    withBot().hasResourceProperties('AWS::Lambda::EventSourceMapping', {
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
    });
  });

  it('refuses a bot app id that is not a GUID', () => {
    const app = new App({
      context: { 'aws:cdk:bundling-stacks': [], teamsBotAppId: 'my-bot', teamsBotTenantId: 'x' },
    });
    expect(() => new ScreeningStack(app, 'BadBot', { env: { region: 'us-west-2' } })).toThrow(/GUID/);
  });
});
