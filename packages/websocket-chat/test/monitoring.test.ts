import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { WebSocketChat, WebSocketChatProps } from '../src';

function build(props: WebSocketChatProps = {}) {
  const stack = new Stack(new App(), 'Mine', { env: { region: 'us-east-1' } });
  const chat = new WebSocketChat(stack, 'Chat', props);
  const template = Template.fromStack(stack);
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r: any) => r.Properties);
  return { stack, chat, template, alarms };
}
const one = (list: any[], text: string) => {
  const found = list.filter((a) => a.AlarmDescription.includes(text));
  expect({ text, count: found.length }).toEqual({ text, count: 1 });
  return found[0];
};

test('the WebSocket stage: integration and execution errors, and the client error share, on ApiId and Stage', () => {
  const { stack, chat, alarms } = build({ stageName: 'live' });
  // Stage 3, three functions 3 each, the table 3 and its room index 1.
  expect(alarms).toHaveLength(16);
  expect(chat.alarms).toHaveLength(16);
  for (const alarm of alarms) expect(alarm).toMatchObject({ EvaluationPeriods: 3 });
  const dimensions = [{ Name: 'ApiId', Value: { Ref: stack.getLogicalId(chat.api.node.defaultChild as any) } }, { Name: 'Stage', Value: 'live' }];
  expect(one(alarms, 'IntegrationError of API')).toMatchObject({
    Namespace: 'AWS/ApiGateway', MetricName: 'IntegrationError', Statistic: 'Sum', Dimensions: dimensions, Period: 300, Threshold: 1, DatapointsToAlarm: 2,
  });
  expect(one(alarms, 'ExecutionError of API')).toMatchObject({ MetricName: 'ExecutionError', Dimensions: dimensions });
  const clientErrors = one(alarms, 'ClientError share of API');
  // A connect API Gateway refuses is a ClientError without a ConnectCount: the refused count in the total.
  const total = '(FILL(clientErrors, 0) + FILL(connects, 0) + FILL(messages, 0))';
  expect(clientErrors.Metrics.find((m: any) => m.Expression).Expression).toBe(`IF(${total} >= 10, FILL(clientErrors, 0) / ${total}, 0)`);
  const inputs = clientErrors.Metrics.filter((m: any) => m.MetricStat);
  expect(inputs.map((m: any) => [m.Id, m.MetricStat.Metric.MetricName, m.MetricStat.Metric.Dimensions]))
    .toEqual([['clientErrors', 'ClientError', dimensions], ['connects', 'ConnectCount', dimensions], ['messages', 'MessageCount', dimensions]]);
  expect(clientErrors.Threshold).toBe(0.1);
});

test('the functions against their timeout, and the table with the operations the chat performs', () => {
  const { stack, chat, alarms } = build();
  const duration = one(alarms, 'p99 duration of SendMessage');
  expect(duration.Threshold).toBe(8000);
  expect(duration.Metrics.find((m: any) => m.Id === 'value').MetricStat.Metric.Dimensions)
    .toEqual([{ Name: 'FunctionName', Value: { Ref: stack.getLogicalId(chat.sendMessageFunction.node.defaultChild as any) } }]);
  const table = { Ref: stack.getLogicalId(chat.table.node.defaultChild as any) };
  expect(one(alarms, 'ReadThrottleEvents of Connections')).toMatchObject({ Namespace: 'AWS/DynamoDB', Dimensions: [{ Name: 'TableName', Value: table }] });
  expect(one(alarms, 'WriteThrottleEvents of Connections')).toMatchObject({ MetricName: 'WriteThrottleEvents' });
  // The room index reports its own throttling, which table-level metrics do not include.
  const index = one(alarms, "throttle events of Connections's index byRoom");
  expect(index.Metrics.filter((m: any) => m.MetricStat).map((m: any) => [m.MetricStat.Metric.MetricName, m.MetricStat.Metric.Dimensions])).toEqual([
    ['ReadThrottleEvents', [{ Name: 'GlobalSecondaryIndexName', Value: 'byRoom' }, { Name: 'TableName', Value: table }]],
    ['WriteThrottleEvents', [{ Name: 'GlobalSecondaryIndexName', Value: 'byRoom' }, { Name: 'TableName', Value: table }]],
  ]);
  const systemErrors = one(alarms, 'SystemErrors of Connections');
  const operations = systemErrors.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'Operation').Value);
  expect(operations.sort()).toEqual(['DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem']);
});

test('a topic gets every alarm, on ALARM and OK; alarms: false keeps none; the dashboard names every component', () => {
  const stack = new Stack(new App(), 'Mine', { env: { region: 'us-east-1' } });
  const topic = new sns.Topic(stack, 'Pager');
  new WebSocketChat(stack, 'Chat', { alarmTopic: topic, dashboard: true });
  const template = Template.fromStack(stack);
  const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as any) };
  for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[]) {
    expect([alarm.Properties.AlarmActions, alarm.Properties.OKActions]).toEqual([[topicRef], [topicRef]]);
  }
  const body = JSON.stringify((Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0] as any).Properties.DashboardBody);
  for (const component of ['API', 'Join', 'SendMessage', 'DefaultRoute', 'Connections']) expect(body).toContain(`### ${component}`);
  expect(build({ alarms: false }).alarms).toEqual([]);
});

test('the client error share is a prop', () => {
  expect(one(build({ alarmThresholds: { webSocketClientErrorRate: 0.5 } }).alarms, 'ClientError share').Threshold).toBe(0.5);
});
