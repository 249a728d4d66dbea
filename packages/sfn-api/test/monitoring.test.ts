import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SfnApi, SfnApiProps } from '../src';

function build(props: SfnApiProps = {}) {
  const stack = new Stack(new App(), 'Mine', { env: { region: 'us-east-1' } });
  const api = new SfnApi(stack, 'Orders', props);
  const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((r: any) => r.Properties);
  return { stack, api, alarms };
}
const byDescription = (list: any[], text: string) => list.filter((a) => a.AlarmDescription.includes(text));

test('the stage, both machines and the functions are watched through the shared monitoring', () => {
  const { stack, api, alarms } = build({ executionStatusRoute: true });
  // Stage 2, two machines 3 each, pricing and status functions 3 each.
  expect(alarms).toHaveLength(14);
  expect(api.alarms).toHaveLength(14);
  for (const [component, machine] of [['StandardMachine', api.standardStateMachine!], ['ExpressMachine', api.expressStateMachine!]] as const) {
    const found = byDescription(alarms, `of ${component}`);
    expect(found.map((a) => a.MetricName).sort()).toEqual(['ExecutionThrottled', 'ExecutionsFailed', 'ExecutionsTimedOut']);
    for (const alarm of found) {
      expect(alarm).toMatchObject({
        Namespace: 'AWS/States',
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        DatapointsToAlarm: 1,
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stack.getLogicalId(machine.node.defaultChild as any) } }],
      });
    }
  }
  expect(byDescription(alarms, 'Errors of PriceOrder')).toHaveLength(1);
  expect(byDescription(alarms, 'Errors of ExecutionStatus')).toHaveLength(1);
  expect(byDescription(alarms, 'Share of 5xx answers of API')).toHaveLength(1);
});

test('a topic gets every alarm; alarms: false keeps none; the dashboard names every component', () => {
  const stack = new Stack(new App(), 'Mine', { env: { region: 'us-east-1' } });
  const topic = new sns.Topic(stack, 'Pager');
  new SfnApi(stack, 'Orders', { alarmTopic: topic, dashboard: true });
  const template = Template.fromStack(stack);
  const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as any) };
  for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[]) {
    expect([alarm.Properties.AlarmActions, alarm.Properties.OKActions]).toEqual([[topicRef], [topicRef]]);
  }
  const body = JSON.stringify((Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0] as any).Properties.DashboardBody);
  for (const component of ['API', 'StandardMachine', 'ExpressMachine', 'PriceOrder']) expect(body).toContain(`### ${component}`);
  expect(build({ alarms: false }).alarms).toEqual([]);
});

test('with existingApi, the stage alarms watch existingApiStageName', () => {
  const stack = new Stack(new App(), 'Mine', { env: { region: 'us-east-1' } });
  new SfnApi(stack, 'Orders', { existingApi: new apigwv2.HttpApi(stack, 'Api', { createDefaultStage: false }), existingApiStageName: 'v1' });
  const stageAlarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((r: any) => r.Properties)
    .filter((a) => a.Metrics?.some((m: any) => m.MetricStat?.Metric.Namespace === 'AWS/ApiGateway'));
  expect(stageAlarms).toHaveLength(2);
  for (const alarm of stageAlarms) {
    for (const m of alarm.Metrics.filter((x: any) => x.MetricStat)) expect(m.MetricStat.Metric.Dimensions).toContainEqual({ Name: 'Stage', Value: 'v1' });
  }
});
