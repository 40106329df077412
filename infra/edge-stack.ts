import { ArnFormat, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

export interface EdgeStackProps extends StackProps {
  /** Requests one address may make to the whole distribution in five minutes (context `wafRequestsPerIp`). */
  requestsPerIp: number;
  /** Days CloudWatch keeps the WAF's log of what it blocked or counted. */
  logRetentionDays: number;
}

/**
 * Issue 18. The Teams route: Microsoft's connector sends from many addresses, and the API's route throttle
 * (10 a second, service-stack.ts) bounds the total; half of that per address means one address alone can never
 * use the route's whole budget, while the connector's real traffic, spread over its addresses, is untouched.
 */
export const TEAMS_REQUESTS_PER_IP = 1500;
/**
 * Issue 18. The sign-in settings (`/auth/config`) are read once per page load; a few hundred per address in
 * five minutes covers an office signing in at nine, and anything faster is not a person. (The sign-in itself,
 * the authorize and token endpoints, is on Cognito's hosted domain, not on this distribution; Cognito's own
 * threat protection and quotas guard it.)
 */
export const SIGN_IN_REQUESTS_PER_IP = 300;

/** Rules AWS maintains; each is counted against the ACL's 1,500 capacity units (700 + 200 + 25 here). */
const MANAGED_RULE_GROUPS = [
  // Requests from addresses AWS's threat intelligence has seen attacking (bots, scanners).
  { name: 'AWSManagedRulesAmazonIpReputationList', excluded: [] },
  // The OWASP-style core set. The API refuses bodies over 16 KB itself (413), so the set's 8 KB body limit
  // only counts: offline tablet syncs and Teams activities may legitimately be larger than 8 KB.
  { name: 'AWSManagedRulesCommonRuleSet', excluded: ['SizeRestrictions_BODY'] },
  // Known-bad request patterns (Log4j lookups, Java deserialisation, localhost Host headers).
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', excluded: [] },
] as const;

/**
 * Issue 18: the WAF in front of the CloudFront distribution. A web ACL for CloudFront must be created in
 * us-east-1 whatever region the service runs in, so it has its own stack there (the service stack reads its
 * ARN through CDK's cross-region reference: an SSM parameter written in the service's region). It blocks an
 * address that floods the whole distribution, a tighter limit on the Teams route and the sign-in settings,
 * and AWS's managed rule sets; what it blocks or counts is logged (tokens and cookies redacted).
 */
export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);

    const rateRule = (
      name: string,
      priority: number,
      limit: number,
      pathPrefix?: string,
    ): CfnWebACL.RuleProperty => ({
      name,
      priority,
      action: { block: {} },
      statement: {
        rateBasedStatement: {
          limit,
          evaluationWindowSec: 300,
          aggregateKeyType: 'IP',
          ...(pathPrefix
            ? {
                scopeDownStatement: {
                  byteMatchStatement: {
                    fieldToMatch: { uriPath: {} },
                    positionalConstraint: 'STARTS_WITH',
                    searchString: pathPrefix,
                    textTransformations: [{ priority: 0, type: 'NONE' }],
                  },
                },
              }
            : {}),
        },
      },
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: name,
        sampledRequestsEnabled: true,
      },
    });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'Screening assistant: per-address rate limits and AWS managed rules',
      defaultAction: { allow: {} },
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: 'ScreeningWebAcl',
        sampledRequestsEnabled: true,
      },
      rules: [
        // The narrow limits come first so a flood on either path is named by its own rule in the metrics.
        rateRule('TeamsPerIp', 0, TEAMS_REQUESTS_PER_IP, '/api/messages'),
        rateRule('SignInSettingsPerIp', 1, SIGN_IN_REQUESTS_PER_IP, '/auth/'),
        rateRule('AllPathsPerIp', 2, props.requestsPerIp),
        ...MANAGED_RULE_GROUPS.map(
          ({ name, excluded }, index): CfnWebACL.RuleProperty => ({
            name,
            priority: 10 + index,
            overrideAction: { none: {} },
            statement: {
              managedRuleGroupStatement: {
                vendorName: 'AWS',
                name,
                ...(excluded.length > 0
                  ? {
                      ruleActionOverrides: excluded.map((rule) => ({
                        name: rule,
                        actionToUse: { count: {} },
                      })),
                    }
                  : {}),
              },
            },
            visibilityConfig: {
              cloudWatchMetricsEnabled: true,
              metricName: name,
              sampledRequestsEnabled: true,
            },
          }),
        ),
      ],
    });

    // WAF's logs go to a group whose name begins aws-waf-logs-, in the ACL's region, under a key of our own.
    const logKey = new Key(this, 'WafLogKey', {
      description: 'Encrypts the WAF’s log of blocked and counted requests',
      enableKeyRotation: true,
    });
    logKey.addToResourcePolicy(
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
    const logGroupName = `aws-waf-logs-${this.stackName}`;
    const logs = new LogGroup(this, 'WafLogs', {
      logGroupName,
      retention: props.logRetentionDays as RetentionDays,
      encryptionKey: logKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const logging = new CfnLoggingConfiguration(this, 'WafLogging', {
      resourceArn: this.webAcl.attrArn,
      // The group's own ARN, without the `:*` of its CloudFormation attribute, which WAF refuses.
      logDestinationConfigs: [
        this.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      // The ID token travels in Authorization; it never reaches a log.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
      // Only what WAF acted on: CloudFront's access logs already record every request.
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }],
          },
        ],
      },
    });
    logging.node.addDependency(logs);
  }
}
