import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ProjectFunction } from './project-function.ts';

export const METRIC_NAMESPACE = 'ScreeningAssistant';
export const ESCALATIONS_METRIC = 'TasksEscalated';

/**
 * Issue 9: who hears about trouble. Every alarm goes to one encrypted topic (an email subscription when the
 * deployment names one): function errors and throttles, anything in a dead-letter queue, API 5xx, and tasks
 * going overdue, which the reminder jobs log as escalations.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: { alarmEmail?: string }) {
    super(scope, id);
    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts the alarm topic',
      enableKeyRotation: true,
    });
    // CloudWatch publishes alarms to the encrypted topic, so it may use the key for that and nothing else.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'Alarms', { masterKey: key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.action = new SnsAction(this.topic);
  }

  private alarm(id: string, metric: IMetric, threshold: number, description: string): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }

  watchFunction(name: string, fn: ProjectFunction): void {
    const period = Duration.minutes(5);
    this.alarm(`${name}Errors`, fn.function.metricErrors({ period }), 1, `${name} failed`);
    this.alarm(`${name}Throttles`, fn.function.metricThrottles({ period }), 1, `${name} was throttled`);
  }

  watchQueue(name: string, queue: IQueue): void {
    this.alarm(
      `${name}NotEmpty`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      1,
      `Something landed in ${name}: an event a job gave up on`,
    );
  }

  watchApi(apiId: string): void {
    const metric = new Metric({
      namespace: 'AWS/ApiGateway',
      metricName: '5xx',
      dimensionsMap: { ApiId: apiId },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
    this.alarm('Api5xx', metric, 1, 'The API answered with a 5xx');
  }

  /**
   * The reminder jobs log `escalations` each time they run; a task is escalated exactly when it passes its
   * due time unreported, so their sum is the number of tasks that went overdue.
   */
  watchOverdueTasks(logGroups: Record<string, ILogGroup>, threshold: number): void {
    for (const [name, logGroup] of Object.entries(logGroups)) {
      new MetricFilter(this, `${name}Escalations`, {
        logGroup,
        filterPattern: FilterPattern.numberValue('$.escalations', '>', 0),
        metricNamespace: METRIC_NAMESPACE,
        metricName: ESCALATIONS_METRIC,
        metricValue: '$.escalations',
      });
    }
    const metric = new Metric({
      namespace: METRIC_NAMESPACE,
      metricName: ESCALATIONS_METRIC,
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
    this.alarm('TasksOverdue', metric, threshold, 'A reporting task passed its legal due time unreported');
  }
}
