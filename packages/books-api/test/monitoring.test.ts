import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BooksApi, BooksApiProps } from '../src';

/** A BooksApi in a stack of its own; `withTopic` passes a topic of that stack as alarmTopic. */
function build(props: BooksApiProps = {}, withTopic = false) {
  const stack = new Stack(new App(), 'Mine', { env: { region: 'us-east-1' } });
  const topic = new sns.Topic(stack, 'Pager');
  const books = new BooksApi(stack, 'Books', { ...props, alarmTopic: withTopic ? topic : undefined });
  return { stack, books, topic, template: Template.fromStack(stack) };
}
const alarms = (template: Template) => Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r: any) => r.Properties);
const ref = (stack: Stack, construct: { node: { defaultChild?: unknown } }) => ({ Ref: stack.getLogicalId(construct.node.defaultChild as any) });
/** The metrics an alarm reads: its own, or those of its expression. */
const metricsOf = (alarm: any) => alarm.Metrics
  ? alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => ({ id: m.Id, ...m.MetricStat.Metric, stat: m.MetricStat.Stat }))
  : [{ Namespace: alarm.Namespace, MetricName: alarm.MetricName, Dimensions: alarm.Dimensions, stat: alarm.ExtendedStatistic ?? alarm.Statistic }];
const byDescription = (list: any[], text: string) => {
  const found = list.filter((a) => a.AlarmDescription.includes(text));
  expect({ text, count: found.length }).toEqual({ text, count: 1 });
  return found[0];
};

test('by default: the stage, each of the five functions and the table are watched (20 alarms), with no actions and no dashboard', () => {
  const { template, books, stack } = build();
  const list = alarms(template);
  expect(list).toHaveLength(20);
  expect(books.alarms).toHaveLength(20);
  expect(books.dashboard).toBeUndefined();
  template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  for (const alarm of list) expect(alarm.AlarmActions).toBeUndefined();

  const api = ref(stack, books.api);
  const serverErrors = byDescription(list, 'Share of 5xx answers of API');
  expect(metricsOf(serverErrors)).toEqual([
    { id: 'errors', Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: [{ Name: 'ApiId', Value: api }, { Name: 'Stage', Value: '$default' }], stat: 'Sum' },
    { id: 'requests', Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiId', Value: api }, { Name: 'Stage', Value: '$default' }], stat: 'Sum' },
  ]);
  expect(serverErrors.Metrics.find((m: any) => m.Expression).Expression).toBe('IF(requests >= 10, FILL(errors, 0) / requests, 0)');
  expect(serverErrors).toMatchObject({ Threshold: 0.05, EvaluationPeriods: 3, DatapointsToAlarm: 3, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching' });

  // p99 only in periods with enough requests: at low traffic it is one cold start.
  const latency = byDescription(list, 'p99 latency of API');
  expect(latency).toMatchObject({ Threshold: 3000, EvaluationPeriods: 3, DatapointsToAlarm: 3, TreatMissingData: 'notBreaching' });
  expect(latency.Metrics.find((m: any) => m.Expression).Expression).toBe('IF(volume >= 10, value, 0)');
  expect(metricsOf(latency).map((m: any) => [m.id, m.MetricName, m.stat])).toEqual([['value', 'Latency', 'p99'], ['volume', 'Count', 'Sum']]);
  for (const m of latency.Metrics.filter((x: any) => x.MetricStat)) expect(m.MetricStat.Period).toBe(300);

  const createErrors = byDescription(list, 'Errors of CreateBook');
  expect(createErrors).toMatchObject({
    Namespace: 'AWS/Lambda',
    MetricName: 'Errors',
    Statistic: 'Sum',
    Threshold: 1,
    EvaluationPeriods: 3,
    DatapointsToAlarm: 2,
    Dimensions: [{ Name: 'FunctionName', Value: ref(stack, books.createFunction) }],
  });
  // 80 % of the 10-second timeout, in periods with at least 10 invocations.
  const duration = byDescription(list, 'p99 duration of GetBook');
  expect(duration.Threshold).toBe(8000);
  expect(metricsOf(duration).map((m: any) => [m.MetricName, m.stat, m.Dimensions])).toEqual([
    ['Duration', 'p99', [{ Name: 'FunctionName', Value: ref(stack, books.readFunction) }]],
    ['Invocations', 'Sum', [{ Name: 'FunctionName', Value: ref(stack, books.readFunction) }]],
  ]);
  expect(byDescription(list, 'Throttles of DeleteBook')).toMatchObject({ MetricName: 'Throttles', DatapointsToAlarm: 1 });

  const table = ref(stack, books.table as any);
  expect(byDescription(list, 'ReadThrottleEvents of Table')).toMatchObject({ Namespace: 'AWS/DynamoDB', MetricName: 'ReadThrottleEvents', Dimensions: [{ Name: 'TableName', Value: table }] });
  expect(byDescription(list, 'WriteThrottleEvents of Table')).toMatchObject({ MetricName: 'WriteThrottleEvents' });
  const systemErrors = byDescription(list, 'SystemErrors of Table');
  expect(metricsOf(systemErrors).map((m: any) => m.Dimensions)).toEqual(['Scan', 'PutItem', 'GetItem', 'UpdateItem', 'DeleteItem'].map((operation) => [
    { Name: 'Operation', Value: operation }, { Name: 'TableName', Value: table },
  ]));
  for (const m of metricsOf(systemErrors)) expect(m).toMatchObject({ Namespace: 'AWS/DynamoDB', MetricName: 'SystemErrors', stat: 'Sum' });
  // Each operation's series is filled, so one failing operation is enough.
  expect(systemErrors.Metrics.find((m: any) => m.Expression).Expression).toBe('FILL(op0, 0) + FILL(op1, 0) + FILL(op2, 0) + FILL(op3, 0) + FILL(op4, 0)');
});

test('every alarm notifies the topic on ALARM and on OK', () => {
  const { template, stack, topic } = build({}, true);
  const topicRef = ref(stack, topic);
  for (const alarm of alarms(template)) {
    expect(alarm.AlarmActions).toEqual([topicRef]);
    expect(alarm.OKActions).toEqual([topicRef]);
  }
});

test('alarms: false creates none; dashboard: true draws one row per component with thresholds', () => {
  const quiet = build({ alarms: false });
  expect(alarms(quiet.template)).toEqual([]);
  expect(quiet.books.alarms).toEqual([]);

  const { template } = build({ dashboard: true });
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as any[];
  const body = JSON.stringify(dashboard.Properties.DashboardBody);
  for (const component of ['API', 'ListBooks', 'CreateBook', 'GetBook', 'UpdateBook', 'DeleteBook', 'Table']) expect(body).toContain(`### ${component}`);
  expect(body).toContain('alarm threshold');
});

test('thresholds are props: a tighter 5xx rate and latency, and a 4xx alarm when asked for', () => {
  const alarmThresholds = { serverErrorRate: 0.01, latencyP99: Duration.millis(800), clientErrorRate: 0.3, minimumRequests: 50 };
  const { template } = build({ alarmThresholds });
  const list = alarms(template);
  expect(list).toHaveLength(21);
  const serverErrors = byDescription(list, 'Share of 5xx answers of API');
  expect(serverErrors.Threshold).toBe(0.01);
  expect(serverErrors.Metrics.find((m: any) => m.Expression).Expression).toBe('IF(requests >= 50, FILL(errors, 0) / requests, 0)');
  expect(byDescription(list, 'p99 latency of API').Threshold).toBe(800);
  expect(metricsOf(byDescription(list, 'Share of 4xx answers of API'))[0].MetricName).toBe('4xx');
  expect(() => build({ alarmThresholds: { serverErrorRate: 5 } })).toThrow(/\[BooksApi\] alarmThresholds\.serverErrorRate: 5 is not a share between 0 and 1/);
  expect(() => build({ alarmThresholds: { minimumRequests: 0 } })).toThrow(/\[BooksApi\] alarmThresholds\.minimumRequests: 0 is not a whole number >= 1/);
});

test("with existingApi: the stage named by existingApiStageName, else the API's default stage, else none with a note", () => {
  const stack = new Stack(new App(), 'Mine', { env: { region: 'us-east-1' } });
  const stageOf = (books: BooksApi) => {
    const latency = alarms(Template.fromStack(stack)).filter((a) => a.AlarmDescription.startsWith('[BooksApi] p99 latency'))
      .find((a) => JSON.stringify(a.Metrics).includes(stack.getLogicalId(books.api.node.defaultChild as any)));
    return latency?.Metrics.find((m: any) => m.Id === 'value').MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'Stage').Value;
  };
  const named = new BooksApi(stack, 'Named', { existingApi: new apigwv2.HttpApi(stack, 'A'), existingApiStageName: 'live' });
  const byDefault = new BooksApi(stack, 'ByDefault', { existingApi: new apigwv2.HttpApi(stack, 'B') });
  const none = new BooksApi(stack, 'None', { existingApi: new apigwv2.HttpApi(stack, 'C', { createDefaultStage: false }), dashboard: true });
  expect([stageOf(named), stageOf(byDefault), stageOf(none)]).toEqual(['live', '$default', undefined]);
  expect([named.alarms.length, byDefault.alarms.length, none.alarms.length]).toEqual([20, 20, 18]);
  expect(JSON.stringify((Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'))[0] as any).Properties.DashboardBody))
    .toContain('no stage alarms');
  expect(() => new BooksApi(stack, 'Stray', { existingApiStageName: 'live' }))
    .toThrow(/^\[BooksApi\] existingApiStageName: names a stage of existingApi, and no existingApi was given\./);
});
