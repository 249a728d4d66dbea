import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PatternMonitoringProps } from './pattern-monitoring-props';
import { configError } from '../../private/errors';

// Every alarm looks at 5-minute periods: long enough that a metric reported
// once a minute has five points, short enough to page within a quarter hour.
const PERIOD = Duration.minutes(5);
// An alarm on a metric math expression may use at most 10 metrics
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create-alarm-on-metric-math-expression.html).
const MAX_ALARM_METRICS = 10;

/**
 * Properties of a PatternMonitoring.
 */
export interface PatternMonitoringOptions extends PatternMonitoringProps {
  /** The pattern class, named in alarm descriptions, the dashboard and errors. */
  readonly owner: string;
}

/** One alarm (and one dashboard graph) on one metric. */
interface Watch {
  readonly id: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparison: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: cloudwatch.TreatMissingData;
  readonly description: string;
}

/**
 * The alarms and the dashboard of a pattern, built the same way in every
 * pattern: one `watch*` call per component adds its alarms (unless alarms
 * are off), sends them to the topic, and adds a dashboard row (when there is
 * a dashboard) with each metric drawn beside its threshold.
 */
export class PatternMonitoring extends Construct {
  /** The alarms created so far. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The dashboard, with `dashboard: true`. */
  public readonly dashboard?: cloudwatch.Dashboard;

  private readonly options: PatternMonitoringOptions;
  private readonly thresholds: Required<Omit<NonNullable<PatternMonitoringProps['alarmThresholds']>, 'clientErrorRate'>> & { clientErrorRate?: number };

  constructor(scope: Construct, id: string, options: PatternMonitoringOptions) {
    super(scope, id);
    this.options = options;
    const t = options.alarmThresholds ?? {};
    this.thresholds = {
      serverErrorRate: t.serverErrorRate ?? 0.05,
      clientErrorRate: t.clientErrorRate,
      webSocketClientErrorRate: t.webSocketClientErrorRate ?? 0.1,
      minimumRequests: t.minimumRequests ?? 10,
      latencyP99: t.latencyP99 ?? Duration.seconds(3),
      functionDurationShare: t.functionDurationShare ?? 0.8,
      utilizationPercent: t.utilizationPercent ?? 80,
    };
    for (const prop of ['serverErrorRate', 'clientErrorRate', 'webSocketClientErrorRate', 'functionDurationShare'] as const) {
      const value = t[prop];
      if (value !== undefined && !(value > 0 && value <= 1)) {
        configError(this, 'AlarmThresholdInvalid', options.owner, `alarmThresholds.${prop}`, `${value} is not a share between 0 and 1`, 'pass e.g. 0.05 for 5 %');
      }
    }
    const { minimumRequests, utilizationPercent } = this.thresholds;
    if (!Number.isInteger(minimumRequests) || minimumRequests < 1) {
      configError(this, 'AlarmThresholdInvalid', options.owner, 'alarmThresholds.minimumRequests', `${minimumRequests} is not a whole number >= 1`,
        'pass how many requests a period needs before its rate counts, e.g. 10');
    }
    if (!(utilizationPercent > 0 && utilizationPercent <= 100)) {
      configError(this, 'AlarmThresholdInvalid', options.owner, 'alarmThresholds.utilizationPercent', `${utilizationPercent} is not a percentage above 0`,
        'pass e.g. 80');
    }
    if (options.dashboard) this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard');
  }

  /**
   * An HTTP API stage: 5xx rate, p99 latency, and the 4xx rate when
   * `clientErrorRate` is set (`AWS/ApiGateway`, dimensions `ApiId` and `Stage`).
   */
  public watchHttpStage(component: string, apiId: string, stageName: string): void {
    const metric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/ApiGateway', metricName, dimensionsMap: { ApiId: apiId, Stage: stageName }, statistic, period: PERIOD });
    const requests = metric('Count', 'Sum');
    const watches: Watch[] = [
      this.rate('ServerErrorRate', metric('5xx', 'Sum'), requests, this.thresholds.serverErrorRate, `5xx answers of ${component}`),
      this.guarded('LatencyP99', metric('Latency', 'p99'), requests, this.thresholds.latencyP99.toMilliseconds(), `p99 latency of ${component} (ms)`),
    ];
    if (this.thresholds.clientErrorRate !== undefined) {
      watches.push(this.rate('ClientErrorRate', metric('4xx', 'Sum'), requests, this.thresholds.clientErrorRate, `4xx answers of ${component}`));
    }
    this.watch(component, watches);
  }

  /**
   * A WebSocket API stage: integration errors, execution errors, and the rate
   * of client errors among connects and messages (`AWS/ApiGateway`,
   * dimensions `ApiId` and `Stage`).
   */
  public watchWebSocketStage(component: string, apiId: string, stageName: string): void {
    const metric = (metricName: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/ApiGateway', metricName, dimensionsMap: { ApiId: apiId, Stage: stageName }, statistic: 'Sum', period: PERIOD });
    // A connect that API Gateway refuses counts in ClientError but not in ConnectCount, so the refused are added to the
    // total; MessageCount counts messages both to and from clients (a broadcast dilutes the share).
    const total = '(FILL(clientErrors, 0) + FILL(connects, 0) + FILL(messages, 0))';
    const clientErrorRate = new cloudwatch.MathExpression({
      expression: `IF(${total} >= ${this.thresholds.minimumRequests}, FILL(clientErrors, 0) / ${total}, 0)`,
      usingMetrics: { clientErrors: metric('ClientError'), connects: metric('ConnectCount'), messages: metric('MessageCount') },
      period: PERIOD,
      label: 'client errors / (client errors + connects + messages)',
    });
    this.watch(component, [
      this.count('IntegrationErrors', metric('IntegrationError'), `IntegrationError of ${component}: a backend failed or timed out`),
      this.count('ExecutionErrors', metric('ExecutionError'), `ExecutionError of ${component}: API Gateway failed to run an integration`),
      this.threshold('ClientErrorRate', clientErrorRate, this.thresholds.webSocketClientErrorRate,
        `ClientError share of ${component}'s connects and messages, in periods with at least ${this.thresholds.minimumRequests}`),
    ]);
  }

  /** A Lambda function: errors, throttles, and p99 duration above a share of its timeout. */
  public watchFunction(component: string, fn: lambda.IFunction, timeout: Duration): void {
    const share = this.thresholds.functionDurationShare;
    this.watch(component, [
      this.count('Errors', fn.metricErrors({ period: PERIOD }), `Errors of ${component}`),
      this.count('Throttles', fn.metricThrottles({ period: PERIOD }), `Throttles of ${component}: its concurrency ran out`, 1),
      this.guarded('DurationP99', fn.metricDuration({ period: PERIOD, statistic: 'p99' }), fn.metricInvocations({ period: PERIOD }),
        Math.round(timeout.toMilliseconds() * share),
        `p99 duration of ${component} above ${Math.round(share * 100)} % of its ${timeout.toSeconds()} s timeout (ms)`),
    ]);
  }

  /**
   * A DynamoDB table: read and write throttle events of the table and of
   * each named global secondary index (an index reports its own, under
   * `GlobalSecondaryIndexName`), and system errors of the operations the
   * pattern's code performs (at most 10).
   */
  public watchTable(component: string, table: dynamodb.ITable, operations: dynamodb.Operation[], indexNames: string[] = []): void {
    if (operations.length > MAX_ALARM_METRICS) {
      configError(this, 'TooManyAlarmMetrics', this.options.owner, 'operations', `${operations.length} operations would put more than ${MAX_ALARM_METRICS} metrics in one alarm`,
        `watch at most ${MAX_ALARM_METRICS} operations per alarm`);
    }
    const metric = (metricName: string, dimensions: Record<string, string> = {}) => new cloudwatch.Metric({
      namespace: 'AWS/DynamoDB', metricName, dimensionsMap: { TableName: table.tableName, ...dimensions }, statistic: 'Sum', period: PERIOD,
    });
    // SystemErrors is published per operation, and only for operations that failed: each series is filled with 0,
    // or a period in which one operation failed and the others did not would have no sum at all.
    const ids = operations.map((_, i) => `op${i}`);
    const systemErrors = new cloudwatch.MathExpression({
      expression: ids.map((id) => `FILL(${id}, 0)`).join(' + '),
      usingMetrics: Object.fromEntries(operations.map((operation, i) => [ids[i], metric('SystemErrors', { Operation: operation })])),
      period: PERIOD,
      label: `SystemErrors (${operations.join(', ')})`,
    });
    const indexThrottles = indexNames.map((indexName) => this.count(`${indexName.replace(/[^A-Za-z0-9]/g, '')}IndexThrottles`, new cloudwatch.MathExpression({
      expression: 'FILL(reads, 0) + FILL(writes, 0)',
      usingMetrics: {
        reads: metric('ReadThrottleEvents', { GlobalSecondaryIndexName: indexName }),
        writes: metric('WriteThrottleEvents', { GlobalSecondaryIndexName: indexName }),
      },
      period: PERIOD,
      label: `throttle events of index ${indexName}`,
    }), `Read and write throttle events of ${component}'s index ${indexName}`));
    this.watch(component, [
      this.count('ReadThrottles', metric('ReadThrottleEvents'), `ReadThrottleEvents of ${component}`),
      this.count('WriteThrottles', metric('WriteThrottleEvents'), `WriteThrottleEvents of ${component}`),
      ...indexThrottles,
      this.count('SystemErrors', systemErrors, `SystemErrors of ${component} (${operations.join(', ')}): DynamoDB failed requests`, 1),
    ]);
  }

  /** A state machine: failed, timed-out and throttled executions. */
  public watchStateMachine(component: string, machine: sfn.IStateMachine): void {
    this.watch(component, [
      this.count('ExecutionsFailed', machine.metricFailed({ period: PERIOD }), `ExecutionsFailed of ${component}`, 1),
      this.count('ExecutionsTimedOut', machine.metricTimedOut({ period: PERIOD }), `ExecutionsTimedOut of ${component}`, 1),
      this.count('ExecutionThrottled', machine.metricThrottled({ period: PERIOD }), `ExecutionThrottled of ${component}`, 1),
    ]);
  }

  /** An ALB target group: target 5xx rate, unhealthy hosts, p99 target response time. */
  public watchApplicationTargets(component: string, targetGroup: elbv2.ApplicationTargetGroup): void {
    const m = targetGroup.metrics;
    this.watch(component, [
      this.rate('TargetServerErrorRate', m.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: PERIOD }), m.requestCount({ period: PERIOD }),
        this.thresholds.serverErrorRate, `5xx answers of ${component}'s targets`),
      this.unhealthyHosts(m.unhealthyHostCount({ period: PERIOD, statistic: 'Maximum' }), component),
      {
        id: 'TargetResponseTimeP99',
        metric: m.targetResponseTime({ period: PERIOD, statistic: 'p99' }),
        threshold: this.thresholds.latencyP99.toSeconds({ integral: false }),
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        // Reported only when requests reach the targets.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        description: `p99 TargetResponseTime of ${component} (seconds)`,
      },
    ]);
  }

  /** An NLB target group: unhealthy hosts. */
  public watchNetworkTargets(component: string, targetGroup: elbv2.NetworkTargetGroup): void {
    this.watch(component, [this.unhealthyHosts(targetGroup.metrics.unHealthyHostCount({ period: PERIOD, statistic: 'Maximum' }), component)]);
  }

  /** A Fargate service: CPU and memory utilization. */
  public watchFargateService(component: string, service: ecs.FargateService): void {
    const utilization = (id: string, metric: cloudwatch.IMetric, what: string): Watch => ({
      id,
      metric,
      threshold: this.thresholds.utilizationPercent,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      // ECS reports every minute while the service runs; a gap means it is not running, which the
      // load balancer's unhealthy-host alarm reports: keep the last state rather than guess.
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
      description: `${what} utilization of ${component} (%)`,
    });
    this.watch(component, [
      utilization('CpuUtilization', service.metricCpuUtilization({ period: PERIOD }), 'CPU'),
      utilization('MemoryUtilization', service.metricMemoryUtilization({ period: PERIOD }), 'Memory'),
    ]);
  }

  /** Says why a component has no alarms: at synth (an info message) and, with a dashboard, in a row of its own. */
  public note(component: string, text: string): void {
    Annotations.of(this).addInfo(`[${this.options.owner}] ${component}: ${text}`);
    this.dashboard?.addWidgets(new cloudwatch.TextWidget({ markdown: `### ${component}\n${text}`, width: 24, height: 2 }));
  }

  /** A share of `part` in `total`, counted only in periods with enough requests. */
  private rate(id: string, part: cloudwatch.IMetric, total: cloudwatch.IMetric, threshold: number, what: string): Watch {
    const expression = new cloudwatch.MathExpression({
      expression: `IF(requests >= ${this.thresholds.minimumRequests}, FILL(errors, 0) / requests, 0)`,
      usingMetrics: { errors: part, requests: total },
      period: PERIOD,
      label: `share of ${what}`,
    });
    return this.threshold(id, expression, threshold, `Share of ${what}, in periods with at least ${this.thresholds.minimumRequests} requests`);
  }

  /**
   * A percentile above its threshold for three consecutive periods, counted
   * only in periods with at least `minimumRequests` of `volume`: at low
   * traffic a p99 is one slow request (a cold start).
   */
  private guarded(id: string, percentile: cloudwatch.IMetric, volume: cloudwatch.IMetric, threshold: number, description: string): Watch {
    return {
      id,
      metric: new cloudwatch.MathExpression({
        expression: `IF(volume >= ${this.thresholds.minimumRequests}, value, 0)`,
        usingMetrics: { value: percentile, volume },
        period: PERIOD,
        label: description,
      }),
      threshold,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      // No requests, no latency: nothing is wrong.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      description: `${description}, in periods with at least ${this.thresholds.minimumRequests} requests`,
    };
  }

  /** A share above its threshold for three consecutive periods. */
  private threshold(id: string, metric: cloudwatch.IMetric, threshold: number, description: string): Watch {
    return {
      id,
      metric,
      threshold,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      // A rate is computed from requests: no requests, no failures.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      description,
    };
  }

  /**
   * A count of failures: at least one in two of the last three periods by
   * default (one stray error does not page), or in `datapoints` of them.
   */
  private count(id: string, metric: cloudwatch.IMetric, description: string, datapoints = 2): Watch {
    return {
      id,
      metric,
      threshold: 1,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: datapoints,
      // Without traffic these metrics have no data (Lambda reports Errors and Throttles with each invocation;
      // DynamoDB, Step Functions and API Gateway report failures when there are some): no data, no failure.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      description,
    };
  }

  private unhealthyHosts(metric: cloudwatch.IMetric, component: string): Watch {
    return {
      id: 'UnhealthyHosts',
      metric,
      threshold: 1,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      // Load balancers report host counts every minute for a target group in use; a gap means
      // nothing reports on the targets, which is no better than unhealthy.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      description: `UnHealthyHostCount of ${component}'s targets`,
    };
  }

  private watch(component: string, watches: Watch[]): void {
    const prefix = component.replace(/[^A-Za-z0-9]/g, '');
    const alarmsOn = this.options.alarms ?? true;
    const graphs: cloudwatch.IWidget[] = [];
    for (const w of watches) {
      if (alarmsOn) {
        const alarm = new cloudwatch.Alarm(this, `${prefix}${w.id}`, {
          metric: w.metric,
          threshold: w.threshold,
          comparisonOperator: w.comparison,
          evaluationPeriods: w.evaluationPeriods,
          datapointsToAlarm: w.datapointsToAlarm,
          treatMissingData: w.treatMissingData,
          alarmDescription: `[${this.options.owner}] ${w.description}`,
        });
        if (this.options.alarmTopic) {
          alarm.addAlarmAction(new actions.SnsAction(this.options.alarmTopic));
          alarm.addOkAction(new actions.SnsAction(this.options.alarmTopic));
        }
        this.alarms.push(alarm);
      }
      graphs.push(new cloudwatch.GraphWidget({
        title: w.description,
        left: [w.metric],
        leftAnnotations: [{ value: w.threshold, label: 'alarm threshold' }],
        width: 6,
        height: 6,
      }));
    }
    if (this.dashboard) {
      this.dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `### ${component}`, width: 24, height: 1 }));
      this.dashboard.addWidgets(...graphs);
    }
  }
}
