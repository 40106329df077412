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
  /**
   * Pages outside the deployment that sign in with the web client themselves (authorization code + PKCE,
   * `redirect_uri` = the page), e.g. a chat page the county hosts. Not needed for the widget: since issue 18 it
   * signs in from its own frame page on the deployment's origin, whatever site embeds it.
   */
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
  /**
   * A WAF WebACL (CLOUDFRONT scope, us-east-1) the county already runs for the distribution. Without it the
   * deployment makes its own, with the rate rules, in the us-east-1 edge stack (infra/edge-stack.ts).
   */
  webAclArn?: string;
  /** Requests one address may make to the distribution in five minutes before WAF blocks it. */
  wafRequestsPerIp: number;
  /**
   * Issue 18: the API's own host name and its ACM certificate (in the stack's region). With them CloudFront
   * reaches the API there and the execute-api address is switched off, so nothing bypasses WAF.
   */
  apiDomain?: { name: string; certificateArn: string };
  /**
   * Issue 18: concurrency reserved for the functions a flood can reach (Lambda's own cap and guarantee);
   * `undefined` when the deployment set `none` (an account whose concurrency quota is too small to reserve).
   */
  reservedConcurrency: { teamsMessages?: number; turns?: number };
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

/**
 * Issue 18. Reserved concurrency is taken out of the account's pool (1,000 by default, of which Lambda keeps
 * at least 100 unreserved), so the defaults stay small: 10 for the Teams route (Teams waits 15 s per
 * message and a turn takes well under a second, so 10 in flight is more than a county's caseworkers make,
 * and a flood of unsigned activities stops there), 20 each for the two turn functions (the stage's 100
 * requests a second at a few hundred milliseconds a turn need about 30 in flight across all routes, so 20
 * per turn function carries the screenings while a slow dependency cannot hold hundreds of instances).
 * Together 50, leaving 950 of a default account for the other functions and anything else in it.
 */
export const DEFAULT_RESERVED_CONCURRENCY = { teamsMessages: 10, turns: 20 } as const;

/**
 * Issue 18: per address and five minutes (WAF's window). A county office reaches the deployment from one NAT
 * address: 50 staff with the chat page open poll every 20 seconds (inbox and notifications, about 2,250),
 * answer a turn every 20 seconds or so (750) and load the apps' files a few times an hour (about 500), some
 * 3,500 together; 6,000 (20 a second sustained) leaves room, one client flooding does not fit. An office
 * larger than that raises it with context `wafRequestsPerIp`.
 */
export const DEFAULT_WAF_REQUESTS_PER_IP = 6000;

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
  const apiDomainName = context(scope, 'apiDomainName');
  const apiCertificateArn = context(scope, 'apiCertificateArn');
  if ((apiDomainName === undefined) !== (apiCertificateArn === undefined))
    throw new Error('Context apiDomainName and apiCertificateArn go together.');
  if (apiDomainName !== undefined && !/^(?!-)[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})+$/.test(apiDomainName))
    throw new Error('Context apiDomainName must be a lower-case host name.');
  if (
    apiCertificateArn !== undefined &&
    !/^arn:aws[a-z-]*:acm:[a-z]{2}(-[a-z]+)+-\d:\d{12}:certificate\/[\w-]+$/.test(apiCertificateArn)
  )
    throw new Error('Context apiCertificateArn must be an ACM certificate ARN (in the stack’s region).');
  // Reserved concurrency: a positive integer, or `none` where the account's quota leaves nothing to reserve.
  const reserved = (name: string, fallback: number) => {
    const value = context(scope, name);
    if (value === 'none') return undefined;
    return value === undefined ? fallback : Number(parsed(name, PositiveInteger, value));
  };
  const reservedConcurrency = {
    teamsMessages: reserved('teamsReservedConcurrency', DEFAULT_RESERVED_CONCURRENCY.teamsMessages),
    turns: reserved('turnReservedConcurrency', DEFAULT_RESERVED_CONCURRENCY.turns),
  };
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
    wafRequestsPerIp: Number(optionalInteger('wafRequestsPerIp') ?? String(DEFAULT_WAF_REQUESTS_PER_IP)),
    ...(apiDomainName && apiCertificateArn
      ? { apiDomain: { name: apiDomainName, certificateArn: apiCertificateArn } }
      : {}),
    reservedConcurrency: {
      ...(reservedConcurrency.teamsMessages ? { teamsMessages: reservedConcurrency.teamsMessages } : {}),
      ...(reservedConcurrency.turns ? { turns: reservedConcurrency.turns } : {}),
    },
    ...(webDomainName && webCertificateArn
      ? { webDomain: { name: webDomainName, certificateArn: webCertificateArn } }
      : {}),
    signInDomainPrefix: prefix,
  };
}
