import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Construct } from 'constructs';
import * as z from 'zod/mini';
import { DutyRule } from '#flows/duty-rule.ts';
import { ReminderPolicies } from '#functions/reminders/policy.ts';

/**
 * Everything a deployment may set, from CDK context (`cdk deploy -c name=value` or `context` in cdk.json),
 * checked before anything is built: a bad value fails the synth, never a deployed function's first request.
 */
export interface DeploymentConfig {
  /** Origins (besides the deployment's own CloudFront address) that may call the API from a browser. */
  allowedOrigins: string[];
  /** Pages outside the deployment (shelters' intranet pages with the widget) that sign-in may return to. */
  signInCallbackUrls: string[];
  rateLimitPerMinute?: string;
  abandonedConversationDays?: string;
  /** Days CloudWatch keeps function logs. */
  logRetentionDays: number;
  /** Who is told when an alarm fires (an email subscription to the alarm topic), if anyone. */
  alarmEmail?: string;
  /** Open tasks past their due time that raise the overdue alarm. */
  overdueTasksAlarmThreshold: number;
  teamsBot?: { appId: string; tenantId: string };
  /** The county's own configuration file, when it has one. */
  county: { dutyRules?: DutyRule[]; reminderPolicies?: ReminderPolicies };
  /** The county's own address for the web apps, with its ACM certificate (us-east-1). */
  webDomain?: { name: string; certificateArn: string };
  /** A WAF WebACL (CLOUDFRONT scope, us-east-1) for the distribution. */
  webAclArn?: string;
  /** Prefix of the Cognito hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`). */
  signInDomainPrefix: string;
}

const PositiveInteger = z.string().check(z.regex(/^[1-9][0-9]*$/, 'a positive integer'));
const Guid = z
  .string()
  .check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'a GUID'));
const HttpsOrigin = z.string().check(z.regex(/^https:\/\/[a-z0-9.-]+(:\d+)?$/, 'an https origin'));
const CountyFile = z.strictObject({
  dutyRules: z.optional(z.array(DutyRule).check(z.minLength(1))),
  reminderPolicies: z.optional(ReminderPolicies),
});

/** CloudWatch Logs accepts only these retention periods. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

function context(scope: Construct, name: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(name);
  if (value === undefined || value === null || value === '') return undefined;
  return Array.isArray(value) ? value.join(',') : String(value).trim();
}

function parsed<T>(name: string, schema: z.ZodMiniType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new Error(`Context ${name}: ${result.error.issues.map((issue) => issue.message).join('; ')}`);
  return result.data;
}

export function deploymentConfig(scope: Construct): DeploymentConfig {
  const optionalInteger = (name: string) => {
    const value = context(scope, name);
    return value === undefined ? undefined : parsed(name, PositiveInteger, value);
  };
  const origins = context(scope, 'allowedOrigins');
  const allowedOrigins = origins
    ? origins.split(',').map((origin) => parsed('allowedOrigins', HttpsOrigin, origin.trim()))
    : [];
  const callbacks = context(scope, 'signInCallbackUrls');
  const signInCallbackUrls = callbacks
    ? callbacks
        .split(',')
        .map((url) => parsed('signInCallbackUrls', z.url({ protocol: /^https$/ }), url.trim()))
    : [];
  const logRetentionDays = Number(optionalInteger('logRetentionDays') ?? '90');
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays))
    throw new Error(`Context logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}.`);
  const alarmEmail = context(scope, 'alarmEmail');
  if (alarmEmail !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(alarmEmail))
    throw new Error('Context alarmEmail must be an email address.');
  const appId = context(scope, 'teamsBotAppId');
  const tenantId = context(scope, 'teamsBotTenantId');
  if ((appId === undefined) !== (tenantId === undefined))
    throw new Error('Context teamsBotAppId and teamsBotTenantId go together.');
  const countyFile = context(scope, 'countyConfig');
  const county = countyFile
    ? parsed('countyConfig', CountyFile, JSON.parse(readFileSync(resolve(countyFile), 'utf8')))
    : {};
  const prefix = context(scope, 'signInDomainPrefix') ?? 'screening-assistant';
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix) || /aws|amazon|cognito/.test(prefix))
    throw new Error(
      'Context signInDomainPrefix must be lower-case letters, digits and hyphens, without aws/amazon/cognito.',
    );
  const webAclArn = context(scope, 'webAclArn');
  if (
    webAclArn !== undefined &&
    !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]+\/[\w-]+$/.test(webAclArn)
  )
    throw new Error('Context webAclArn must be a global (us-east-1) WAFv2 WebACL ARN.');
  const webDomainName = context(scope, 'webDomainName');
  const webCertificateArn = context(scope, 'webCertificateArn');
  if ((webDomainName === undefined) !== (webCertificateArn === undefined))
    throw new Error('Context webDomainName and webCertificateArn go together.');
  if (webDomainName !== undefined && !/^(?!-)[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})+$/.test(webDomainName))
    throw new Error('Context webDomainName must be a lower-case host name.');
  if (
    webCertificateArn !== undefined &&
    !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(webCertificateArn)
  )
    throw new Error('Context webCertificateArn must be an ACM certificate in us-east-1.');
  const rateLimitPerMinute = optionalInteger('rateLimitPerMinute');
  const abandonedConversationDays = optionalInteger('abandonedConversationDays');
  return {
    allowedOrigins,
    signInCallbackUrls,
    ...(rateLimitPerMinute ? { rateLimitPerMinute } : {}),
    ...(abandonedConversationDays ? { abandonedConversationDays } : {}),
    logRetentionDays,
    ...(alarmEmail ? { alarmEmail } : {}),
    overdueTasksAlarmThreshold: Number(optionalInteger('overdueTasksAlarmThreshold') ?? '1'),
    ...(appId && tenantId
      ? {
          teamsBot: {
            appId: parsed('teamsBotAppId', Guid, appId),
            tenantId: parsed('teamsBotTenantId', Guid, tenantId),
          },
        }
      : {}),
    county,
    ...(webAclArn ? { webAclArn } : {}),
    ...(webDomainName && webCertificateArn
      ? { webDomain: { name: webDomainName, certificateArn: webCertificateArn } }
      : {}),
    signInDomainPrefix: prefix,
  };
}
