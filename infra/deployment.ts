import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { deploymentConfig } from './config.ts';
import { DataStack } from './data-stack.ts';
import { EdgeStack } from './edge-stack.ts';
import { suppressReviewedFindings } from './nag-suppressions.ts';
import { ServiceStack } from './service-stack.ts';

export interface WebBuild {
  widgetDir: string;
  tabletDir: string;
}

/**
 * The whole deployment: the data stack (kept), the service stack (replaceable) and, unless the county brings
 * its own web ACL, the edge stack (WAF, us-east-1), checked by cdk-nag's AWS Solutions and HIPAA Security packs. Every finding is either fixed or suppressed with its reason in
 * nag-suppressions.ts; an unsuppressed one is an error that fails `cdk synth`.
 */
export function defineDeployment(app: App, web: WebBuild) {
  const env = {
    // Account and region come from the deploying credentials; synth needs neither.
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION ?? 'us-west-2',
  };
  // References from the service stack to the data stack stay strong: the data stack cannot drop what is in use.
  app.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'strong');
  const config = deploymentConfig(app);
  const data = new DataStack(app, 'ScreeningData', {
    env,
    description: 'CSE screening assistant: records, keys and users (retained)',
  });
  // Issue 18: a CloudFront web ACL can only live in us-east-1, so unless the county brings its own
  // (`webAclArn`), the deployment makes one in a stack there and the distribution refers to it across regions.
  const edge = config.webAclArn
    ? undefined
    : new EdgeStack(app, 'ScreeningEdge', {
        env: { account: env.account, region: 'us-east-1' },
        description: 'CSE screening assistant: WAF web ACL for the CloudFront distribution (us-east-1)',
        crossRegionReferences: env.region !== 'us-east-1',
        requestsPerIp: config.wafRequestsPerIp,
        logRetentionDays: config.logRetentionDays,
      });
  const service = new ServiceStack(app, 'ScreeningService', {
    env,
    crossRegionReferences: edge !== undefined && env.region !== 'us-east-1',
    webAclArn: config.webAclArn ?? edge!.webAcl.attrArn,
    description: 'CSE screening assistant: API, functions, deadline jobs, alarms and web apps',
    table: data.table,
    tableKey: data.tableKey,
    fieldKey: data.fieldKey,
    macKey: data.macKey,
    anchorBucket: data.anchors.bucket,
    userPool: data.userPool,
    config,
    web,
  });
  service.addStackDependency(data);
  if (edge) service.addStackDependency(edge);
  suppressReviewedFindings(data, service);
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true }),
    new HIPAASecurityChecks(app, { verbose: true }),
  );
  return { data, service, edge, config };
}
