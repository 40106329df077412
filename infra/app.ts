import { App } from 'aws-cdk-lib';
import { ScreeningStack } from './screening-stack.ts';

const app = new App();
new ScreeningStack(app, 'ScreeningAssistant', {
  // Account and region come from the deploying credentials; synth needs neither.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'us-west-2' },
  description: 'CSE screening assistant: conversations, outcomes and reporting tasks',
});
