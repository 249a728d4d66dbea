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
  // Stage 3, three functions 3 each, the table 3.
  expect(alarms).toHaveLength(15);
  expect(chat.alarms).toHaveLength(15);
  const dimensions = [{ Name: 'ApiId', Value: { Ref: stack.getLogicalId(chat.api.node.defaultChild as any) } }, { Name: 'Stage', Value: 'live' }];
  expect(one(alarms, 'IntegrationError of API')).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: 'IntegrationError', Statistic: 'Sum', Dimensions: dimensions });
  expect(one(alarms, 'ExecutionError of API')).toMatchObject({ MetricName: 'ExecutionError', Dimensions: dimensions });
  const clientErrors = one(alarms, 'ClientError share of API');
  expect(clientErrors.Metrics.find((m: any) => m.Expression).Expression).toBe('IF((connects + messages) >= 10, clientErrors / (connects + messages), 0)');
  const inputs = clientErrors.Metrics.filter((m: any) => m.MetricStat);
  expect(inputs.map((m: any) => [m.Id, m.MetricStat.Metric.MetricName, m.MetricStat.Metric.Dimensions]))
    .toEqual([['clientErrors', 'ClientError', dimensions], ['connects', 'ConnectCount', dimensions], ['messages', 'MessageCount', dimensions]]);
  expect(clientErrors.Threshold).toBe(0.1);
});

test('the functions against their timeout, and the table with the operations the chat performs', () => {
  const { stack, chat, alarms } = build();
  expect(one(alarms, 'p99 duration of SendMessage')).toMatchObject({ Threshold: 8000, Dimensions: [{ Name: 'FunctionName', Value: { Ref: stack.getLogicalId(chat.sendMessageFunction.node.defaultChild as any) } }] });
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
