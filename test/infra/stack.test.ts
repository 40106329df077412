import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/api/routes.ts';
import { ScreeningStack } from '#infra/screening-stack.ts';

let template: Template;

beforeAll(() => {
  // Skipping bundling keeps the test fast; `npm run synth` bundles for real.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(new ScreeningStack(app, 'Test', { env: { region: 'us-west-2' } }));
});

type Statement = { Action: string | string[] };

function actionsOf(policy: { Properties: { PolicyDocument: { Statement: Statement[] } } }): string[] {
  return policy.Properties.PolicyDocument.Statement.flatMap((statement) =>
    Array.isArray(statement.Action) ? statement.Action : [statement.Action],
  );
}

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
    // One per route, plus the three reminder jobs (sweep, scheduled task actions, arming from the stream).
    expect(Object.keys(functions)).toHaveLength(routes.length + 3);
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

  it('least privilege: read-only routes get no write actions; no function gets table-wide wildcards', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    for (const route of routes) {
      const policy = Object.entries(policies).find(([id]) => id.startsWith(route.name))?.[1];
      expect(policy, route.name).toBeDefined();
      const actions = actionsOf(policy as never);
      expect(actions).not.toContain('dynamodb:*');
      const writes = actions.filter((action) =>
        /dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)/.test(action),
      );
      if (route.tableAccess === 'read') expect(writes, route.name).toEqual([]);
      else expect(writes.length, route.name).toBeGreaterThan(0);
    }
  });

  it('keeps a user pool without self sign-up, carrying the caller’s organisation', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: Match.arrayWith([Match.objectLike({ Name: 'org', Mutable: false })]),
    });
  });

  it('chases deadlines: a five-minute sweep, a schedule group, and schedules armed from new tasks on the stream', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'LATEST',
      FilterCriteria: { Filters: [{ Pattern: Match.stringLikeRegexp('INSERT') }] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
      }),
    });
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
