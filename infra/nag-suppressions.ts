import { Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import type { DataStack } from './data-stack.ts';
import { ProjectFunction } from './project-function.ts';
import type { ServiceStack } from './service-stack.ts';

/**
 * Issue 9: every cdk-nag finding this deployment keeps, with the reason it is kept. Anything not listed
 * here fails `cdk synth` (and test/infra/nag.test.ts). Reviewed finding by finding: where a finding could be
 * fixed it was (explicit DynamoDB actions, KMS everywhere data lives, MFA, dead-letter queues, logs).
 */

type Finding = { id: string; reason: string };

const aws = (rule: string) => `AwsSolutions::AwsSolutions-${rule}`;
const hipaa = (rule: string) => `HIPAA.Security::HIPAA.Security-${rule}`;

function acknowledge(scope: IConstruct, findings: readonly Finding[]): void {
  for (const finding of findings) Validations.of(scope).acknowledge(finding);
}

/** What every function of this project keeps, whatever it does. */
const everyFunction: readonly Finding[] = [
  {
    id: aws('IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]'),
    reason:
      'AWS-managed basic execution role: only logs:CreateLogGroup/CreateLogStream/PutLogEvents, kept current by AWS.',
  },
  {
    id: aws('IAM5[Resource::*]'),
    reason: 'X-Ray tracing: xray:PutTraceSegments and PutTelemetryRecords take no resource but "*".',
  },
  {
    id: aws('L1'),
    reason:
      'Pinned to nodejs22.x, the runtime the project builds and tests for; raised with a tested upgrade.',
  },
  {
    id: hipaa('IAMNoInlinePolicy'),
    reason:
      'Each function has its own policy naming only what it calls; a managed policy would be shared and outlive it.',
  },
  {
    id: hipaa('LambdaInsideVPC'),
    reason:
      'The functions reach only DynamoDB, KMS, Scheduler and Secrets Manager over TLS with IAM auth; no VPC resource exists to isolate.',
  },
];

/**
 * Issue 18: the functions a flood can reach (the Teams route, the turns) reserve concurrency; the rest do not,
 * because every reservation is taken from the account's pool.
 */
const unreservedConcurrency: Finding = {
  id: hipaa('LambdaConcurrency'),
  reason:
    'Behind the Cognito authorizer and the stage throttle (100 rps, burst 200), or a job bounded by its schedule or stream; every reservation is taken from the account pool, so only the Teams route and the turns reserve.',
};

/** Invoked synchronously (API Gateway) or by event source mappings with on-failure queues: no async DLQ applies. */
const noAsyncInvocation: Finding = {
  id: hipaa('LambdaDLQ'),
  reason:
    'Invoked synchronously by API Gateway (the caller gets the error) or by a stream mapping whose failures go to its own SQS on-failure destination.',
};

/** CDK's own helper that copies the web apps into the bucket at deploy time, never at request time. */
const deploymentHelper: readonly Finding[] = [
  ...everyFunction.filter((finding) => finding.id !== aws('IAM5[Resource::*]')),
  {
    id: hipaa('LambdaConcurrency'),
    reason:
      'CDK BucketDeployment helper: runs once per deployment, never on a request, so nothing floods it.',
  },
  { id: aws('IAM5[Resource::*]'), reason: 'CDK BucketDeployment helper: runs only during deployment.' },
  { id: aws('IAM5[Action::s3:GetObject*]'), reason: 'CDK BucketDeployment helper reads the staged assets.' },
  { id: aws('IAM5[Action::s3:GetBucket*]'), reason: 'CDK BucketDeployment helper reads the staged assets.' },
  { id: aws('IAM5[Action::s3:List*]'), reason: 'CDK BucketDeployment helper syncs the site bucket.' },
  { id: aws('IAM5[Action::s3:DeleteObject*]'), reason: 'CDK BucketDeployment helper prunes old files.' },
  { id: aws('IAM5[Action::s3:Abort*]'), reason: 'CDK BucketDeployment helper aborts failed uploads.' },
  noAsyncInvocation,
];

export function suppressReviewedFindings(data: DataStack, service: ServiceStack): void {
  acknowledge(data, [
    {
      id: aws(
        'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      ),
      reason: 'The role AWS Backup assumes needs the service policy AWS Backup documents and maintains.',
    },
  ]);

  for (const child of service.node.findAll()) {
    if (child instanceof ProjectFunction) {
      acknowledge(child, everyFunction);
      const reserved = (child.function.node.defaultChild as CfnFunction).reservedConcurrentExecutions;
      if (!reserved) acknowledge(child, [unreservedConcurrency]);
      if (!child.function.deadLetterQueue) acknowledge(child, [noAsyncInvocation]);
    }
    if (child.node.id.startsWith('Custom::CDKBucketDeployment')) {
      const region = Stack.of(service).region;
      acknowledge(child, [
        ...deploymentHelper,
        {
          id: aws(
            `IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${region}/*]`,
          ),
          reason: 'CDK BucketDeployment helper reads the staged web assets from the bootstrap bucket.',
        },
        {
          id: service.web.siteWriteFinding,
          reason: 'CDK BucketDeployment helper writes the web apps’ files.',
        },
      ]);
    }
  }
}
