import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RESERVED_CONCURRENCY, DEFAULT_WAF_REQUESTS_PER_IP } from '#infra/config.ts';
import { SIGN_IN_REQUESTS_PER_IP, TEAMS_REQUESTS_PER_IP } from '#infra/edge-stack.ts';
import { TEAMS_ROUTE_THROTTLE } from '#infra/service-stack.ts';
import { synthesizedDeployment, TEAMS_CONTEXT } from '../support/deployment.ts';

/**
 * Issue 18, floods and faults at the edge: the Teams route's own throttle, reserved concurrency for the
 * functions a flood can reach, the execute-api address switched off behind the API's own domain, and a WAF
 * with per-address rate rules on the CloudFront distribution. Asserted on the synthesized templates.
 */

/** The region the stacks synthesize for (deployment.ts), where the API's certificate must be. */
const REGION = process.env.CDK_DEFAULT_REGION ?? 'us-west-2';
const API_DOMAIN = {
  apiDomainName: 'api.screening.county.example',
  apiCertificateArn: `arn:aws:acm:${REGION}:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666`,
};

/** A resource as `Template.findResources` gives it. */
type Resource = ReturnType<Template['findResources']>[string];
type WafRule = {
  Name: string;
  Action?: unknown;
  Statement: {
    RateBasedStatement?: {
      Limit: number;
      ScopeDownStatement?: { ByteMatchStatement: Record<string, unknown> & { SearchString: string } };
    };
    ManagedRuleGroupStatement?: { Name: string };
  };
};
const rulesOf = (acl: Resource): WafRule[] => acl.Properties.Rules;

function functionNamed(template: Template, name: string): Resource {
  const found = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
    id.startsWith(`${name}Function`),
  );
  expect(found, name).toBeDefined();
  return found![1]!;
}

const only = (template: Template, type: string): Resource => {
  const resources = Object.values(template.findResources(type));
  expect(resources, type).toHaveLength(1);
  return resources[0]!;
};

let withBot: Awaited<ReturnType<typeof synthesizedDeployment>>;
let service: Template;
let plain: Template;

beforeAll(async () => {
  withBot = await synthesizedDeployment(TEAMS_CONTEXT);
  service = withBot.serviceTemplate();
  plain = (await synthesizedDeployment()).serviceTemplate();
}, 120_000);

describe('issue 18: the Teams route has its own throttle', () => {
  it('POST /api/messages is throttled on its own, far under the stage default the screening routes share', () => {
    const stage = only(service, 'AWS::ApiGatewayV2::Stage');
    const own = stage.Properties.RouteSettings?.['POST /api/messages'];
    expect(own).toEqual({
      ThrottlingRateLimit: TEAMS_ROUTE_THROTTLE.rateLimit,
      ThrottlingBurstLimit: TEAMS_ROUTE_THROTTLE.burstLimit,
    });
    const stageDefault = stage.Properties.DefaultRouteSettings;
    expect(own.ThrottlingRateLimit).toBeLessThanOrEqual(stageDefault.ThrottlingRateLimit / 10);
    expect(own.ThrottlingBurstLimit).toBeLessThanOrEqual(stageDefault.ThrottlingBurstLimit / 10);
    // The stage names the route by key: CloudFormation must create the route first.
    const [routeId] = Object.keys(
      service.findResources('AWS::ApiGatewayV2::Route', {
        Properties: { RouteKey: 'POST /api/messages' },
      }),
    );
    expect(stage.DependsOn).toContain(routeId);
  });

  it('without the bot the stage names no route of its own', () => {
    expect(only(plain, 'AWS::ApiGatewayV2::Stage').Properties.RouteSettings).toBeUndefined();
  });
});

describe('issue 18: reserved concurrency for the functions a flood can reach', () => {
  it('the Teams function and both turn functions reserve their defaults; nothing else takes from the pool', () => {
    expect(functionNamed(service, 'teamsMessages').Properties.ReservedConcurrentExecutions).toBe(
      DEFAULT_RESERVED_CONCURRENCY.teamsMessages,
    );
    for (const name of ['postTurn', 'syncTurns'])
      expect(functionNamed(service, name).Properties.ReservedConcurrentExecutions, name).toBe(
        DEFAULT_RESERVED_CONCURRENCY.turns,
      );
    const reserved = Object.values(service.findResources('AWS::Lambda::Function'))
      .map((fn) => fn.Properties.ReservedConcurrentExecutions)
      .filter((value) => value !== undefined);
    expect(reserved).toHaveLength(3);
    // A default account has 1,000, of which Lambda keeps 100 unreserved: the deployment takes at most 50.
    expect(reserved.reduce((sum, value) => sum + value, 0)).toBeLessThanOrEqual(50);
  });

  it('is set from context, and `none` reserves nothing where the account has no concurrency to spare', async () => {
    const tuned = (
      await synthesizedDeployment({
        ...TEAMS_CONTEXT,
        teamsReservedConcurrency: '5',
        turnReservedConcurrency: 40,
      })
    ).serviceTemplate();
    expect(functionNamed(tuned, 'teamsMessages').Properties.ReservedConcurrentExecutions).toBe(5);
    expect(functionNamed(tuned, 'postTurn').Properties.ReservedConcurrentExecutions).toBe(40);
    const none = (
      await synthesizedDeployment({
        ...TEAMS_CONTEXT,
        teamsReservedConcurrency: 'none',
        turnReservedConcurrency: 'none',
      })
    ).serviceTemplate();
    for (const fn of Object.values(none.findResources('AWS::Lambda::Function')))
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
  }, 120_000);

  it.each([
    [{ teamsReservedConcurrency: '0' }, /teamsReservedConcurrency/],
    [{ turnReservedConcurrency: 'lots' }, /turnReservedConcurrency/],
  ])('refuses bad context %j (0 would switch the function off)', async (context, message) => {
    await expect(synthesizedDeployment(context)).rejects.toThrow(message);
  });
});

describe('issue 18: only the CloudFront path reaches the API', () => {
  it('with its own domain, the execute-api address is off and CloudFront reaches the API at that domain', async () => {
    const template = (await synthesizedDeployment({ ...TEAMS_CONTEXT, ...API_DOMAIN })).serviceTemplate();
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: API_DOMAIN.apiDomainName,
      DomainNameConfigurations: [
        Match.objectLike({ CertificateArn: API_DOMAIN.apiCertificateArn, EndpointType: 'REGIONAL' }),
      ],
    });
    template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    const distribution = only(template, 'AWS::CloudFront::Distribution');
    const origins = distribution.Properties.DistributionConfig.Origins as {
      Id: string;
      DomainName: unknown;
    }[];
    const apiOrigin = origins.find((origin) => origin.DomainName === API_DOMAIN.apiDomainName);
    expect(apiOrigin).toBeDefined();
    expect(JSON.stringify(origins)).not.toContain('execute-api');
    // Every API path, the Teams route's included, goes to that origin.
    const behaviors = distribution.Properties.DistributionConfig.CacheBehaviors as {
      PathPattern: string;
      TargetOriginId: string;
    }[];
    expect(behaviors.find((behavior) => behavior.PathPattern === '/api*')?.TargetOriginId).toBe(
      apiOrigin!.Id,
    );
    template.hasOutput('ApiDomainTarget', Match.anyValue());
  }, 120_000);

  it('without one, execute-api stays the origin (the only address CloudFront can use) and the synth warns', () => {
    plain.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: false });
    const warnings = Annotations.fromStack(withBot.service).findWarning(
      '*',
      Match.stringLikeRegexp('execute-api address stays reachable'),
    );
    expect(warnings).toHaveLength(1);
  });

  it('gives out the CloudFront address as the API’s (the Teams messaging endpoint too), never execute-api', () => {
    const outputs = service.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.ApiUrl?.Value).toEqual(outputs.WebUrl?.Value);
    expect(JSON.stringify(outputs.ApiUrl)).not.toContain('execute-api');
    const distribution = only(service, 'AWS::CloudFront::Distribution');
    const patterns = distribution.Properties.DistributionConfig.CacheBehaviors.map(
      (behavior: { PathPattern: string }) => behavior.PathPattern,
    );
    expect(patterns).toContain('/api*');
  });

  it.each([
    [{ apiDomainName: API_DOMAIN.apiDomainName }, /go together/],
    [{ ...API_DOMAIN, apiDomainName: 'API.example' }, /apiDomainName/],
    [
      {
        ...API_DOMAIN,
        apiCertificateArn: API_DOMAIN.apiCertificateArn.replace(
          REGION,
          REGION === 'eu-west-1' ? 'us-east-1' : 'eu-west-1',
        ),
      },
      /stack's region/,
    ],
  ])('refuses bad context %j', async (context, message) => {
    await expect(synthesizedDeployment(context)).rejects.toThrow(message);
  });
});

describe('issue 18: WAF on the CloudFront distribution', () => {
  let edge: Template;
  beforeAll(() => {
    expect(withBot.edge).toBeDefined();
    edge = Template.fromStack(withBot.edge!);
  });

  it('the web ACL is made in us-east-1 (CloudFront scope), in its own stack the service waits for', () => {
    expect(withBot.edge!.region).toBe('us-east-1');
    expect(withBot.service.dependencies).toContain(withBot.edge);
    edge.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
  });

  it('blocks by address: the Teams route and the sign-in settings tighter than the whole distribution', () => {
    const acl = only(edge, 'AWS::WAFv2::WebACL');
    const rules = rulesOf(acl);
    const rate = (name: string) => {
      const statement = rules.find((rule) => rule.Name === name)?.Statement.RateBasedStatement;
      expect(statement, name).toBeDefined();
      return statement!;
    };
    for (const name of ['TeamsPerIp', 'SignInSettingsPerIp', 'AllPathsPerIp']) {
      expect(rate(name), name).toMatchObject({ AggregateKeyType: 'IP', EvaluationWindowSec: 300 });
      expect(rules.find((rule) => rule.Name === name)?.Action).toEqual({ Block: {} });
    }
    expect(rate('AllPathsPerIp').Limit).toBe(DEFAULT_WAF_REQUESTS_PER_IP);
    expect(rate('AllPathsPerIp').ScopeDownStatement).toBeUndefined();
    const scoped = (name: string) => rate(name).ScopeDownStatement?.ByteMatchStatement;
    expect(rate('TeamsPerIp').Limit).toBe(TEAMS_REQUESTS_PER_IP);
    expect(scoped('TeamsPerIp')).toMatchObject({
      FieldToMatch: { UriPath: {} },
      PositionalConstraint: 'STARTS_WITH',
      SearchString: '/api/messages',
    });
    expect(rate('SignInSettingsPerIp').Limit).toBe(SIGN_IN_REQUESTS_PER_IP);
    expect(scoped('SignInSettingsPerIp')?.SearchString).toBe('/auth/');
    expect(TEAMS_REQUESTS_PER_IP).toBeLessThan(DEFAULT_WAF_REQUESTS_PER_IP);
    expect(SIGN_IN_REQUESTS_PER_IP).toBeLessThan(DEFAULT_WAF_REQUESTS_PER_IP);
  });

  it('runs AWS’s managed common rule set (its 8 KB body limit only counting: the API allows 16 KB)', () => {
    const acl = only(edge, 'AWS::WAFv2::WebACL');
    const common = rulesOf(acl).find(
      (rule) => rule.Statement.ManagedRuleGroupStatement?.Name === 'AWSManagedRulesCommonRuleSet',
    );
    expect(common).toMatchObject({
      OverrideAction: { None: {} },
      Statement: {
        ManagedRuleGroupStatement: {
          VendorName: 'AWS',
          RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
        },
      },
    });
  });

  it('is attached to the distribution, through a cross-region reference to the edge stack', () => {
    const distribution = only(service, 'AWS::CloudFront::Distribution');
    const webAcl = JSON.stringify(distribution.Properties.DistributionConfig.WebACLId);
    expect(webAcl).toMatch(/ScreeningEdge/);
    expect(webAcl).toMatch(/WebAcl/);
  });

  it('logs what it blocks or counts to an encrypted group, the token and cookies redacted', () => {
    edge.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: Match.arrayWith([{ SingleHeader: { Name: 'authorization' } }]),
      LoggingFilter: Match.objectLike({ DefaultBehavior: 'DROP' }),
    });
    edge.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-'),
      KmsKeyId: Match.anyValue(),
    });
  });

  it('takes the county’s own web ACL instead when one is given, and then makes none', async () => {
    const arn =
      'arn:aws:wafv2:us-east-1:123456789012:global/webacl/county/0a1b2c3d-aaaa-bbbb-cccc-ddddeeeeffff';
    const county = await synthesizedDeployment({ webAclArn: arn });
    expect(county.edge).toBeUndefined();
    const distribution = only(county.serviceTemplate(), 'AWS::CloudFront::Distribution');
    expect(distribution.Properties.DistributionConfig.WebACLId).toBe(arn);
  }, 120_000);

  it('the whole-distribution limit is set from context', async () => {
    const tuned = await synthesizedDeployment({ wafRequestsPerIp: '12000' });
    const acl = only(Template.fromStack(tuned.edge!), 'AWS::WAFv2::WebACL');
    const all = rulesOf(acl).find((rule) => rule.Name === 'AllPathsPerIp');
    expect(all?.Statement.RateBasedStatement?.Limit).toBe(12000);
  }, 120_000);
});
