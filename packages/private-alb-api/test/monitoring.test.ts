import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PrivateAlbApi, PrivateAlbApiProps, PrivateTarget } from '../src';

function build(props: PrivateAlbApiProps = {}) {
  const stack = new Stack(new App(), 'Mine', { env: { region: 'us-east-1' } });
  const api = new PrivateAlbApi(stack, 'Service', props);
  const template = Template.fromStack(stack);
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r: any) => r.Properties);
  return { stack, api, template, alarms };
}
const described = (list: any[], text: string) => list.filter((a) => a.AlarmDescription.includes(text));
const ref = (stack: Stack, c: { node: { defaultChild?: unknown } }) => ({ Ref: stack.getLogicalId(c.node.defaultChild as any) });

test('ALB: the stage, target 5xx share, unhealthy hosts, p99 target response time, and the Fargate service', () => {
  const { stack, api, alarms } = build();
  // Stage 2, targets 3, service 2.
  expect(alarms).toHaveLength(7);
  const targetGroup = api.target.targetGroup as elbv2.ApplicationTargetGroup;
  const tgDimension = { Name: 'TargetGroup', Value: { 'Fn::GetAtt': [stack.getLogicalId(targetGroup.node.defaultChild as any), 'TargetGroupFullName'] } };
  // The target group's load balancer, as app/<name>/<id> cut from its listener's ARN.
  const listener = api.target.loadBalancer!.node.findChild('Http');
  const fromListener = (part: number) => ({ 'Fn::Select': [part, { 'Fn::Split': ['/', { Ref: stack.getLogicalId(listener.node.defaultChild as any) }] }] });
  const lbDimension = { Name: 'LoadBalancer', Value: { 'Fn::Join': ['', [fromListener(1), '/', fromListener(2), '/', fromListener(3)]] } };
  const [unhealthy] = described(alarms, 'UnHealthyHostCount of LoadBalancer');
  expect(unhealthy).toMatchObject({
    Namespace: 'AWS/ApplicationELB',
    MetricName: 'UnHealthyHostCount',
    Statistic: 'Maximum',
    TreatMissingData: 'breaching',
    Period: 300,
    Threshold: 1,
    EvaluationPeriods: 2,
    DatapointsToAlarm: 2,
  });
  expect(unhealthy.Dimensions).toEqual(expect.arrayContaining([tgDimension, lbDimension]));
  expect(unhealthy.Dimensions).toHaveLength(2);
  const [responseTime] = described(alarms, 'p99 TargetResponseTime of LoadBalancer');
  expect(responseTime).toMatchObject({ MetricName: 'TargetResponseTime', ExtendedStatistic: 'p99', Threshold: 3, Period: 300, EvaluationPeriods: 3 });
  expect(responseTime.Dimensions).toEqual(expect.arrayContaining([tgDimension, lbDimension]));
  const [serverErrors] = described(alarms, "5xx answers of LoadBalancer's targets");
  expect(serverErrors.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName)).toEqual(['HTTPCode_Target_5XX_Count', 'RequestCount']);
  expect(serverErrors).toMatchObject({ Threshold: 0.05, EvaluationPeriods: 3, DatapointsToAlarm: 3 });
  for (const [metric, text] of [['CPUUtilization', 'CPU utilization of Service'], ['MemoryUtilization', 'Memory utilization of Service']]) {
    const [alarm] = described(alarms, text);
    expect(alarm).toMatchObject({ Namespace: 'AWS/ECS', MetricName: metric, Statistic: 'Average', Threshold: 80, TreatMissingData: 'missing', EvaluationPeriods: 3 });
    expect(alarm.Dimensions).toEqual([
      { Name: 'ClusterName', Value: { Ref: stack.getLogicalId(api.target.service!.cluster.node.defaultChild as any) } },
      { Name: 'ServiceName', Value: { 'Fn::GetAtt': [stack.getLogicalId(api.target.service!.node.defaultChild as any), 'Name'] } },
    ]);
  }
  expect(described(alarms, 'Share of 5xx answers of API')).toHaveLength(1);
});

test('NLB: unhealthy hosts in AWS/NetworkELB; Cloud Map: the service only, with a dashboard note', () => {
  const nlb = build({ target: PrivateTarget.nlb() });
  const [unhealthy] = described(nlb.alarms, 'UnHealthyHostCount');
  expect(unhealthy).toMatchObject({ Namespace: 'AWS/NetworkELB', MetricName: 'UnHealthyHostCount', Statistic: 'Maximum', TreatMissingData: 'breaching' });
  const nlbTargets = nlb.api.target.targetGroup as elbv2.NetworkTargetGroup;
  expect(unhealthy.Dimensions).toEqual(expect.arrayContaining([
    { Name: 'TargetGroup', Value: { 'Fn::GetAtt': [nlb.stack.getLogicalId(nlbTargets.node.defaultChild as any), 'TargetGroupFullName'] } },
  ]));
  expect(nlb.alarms).toHaveLength(5);

  const cloudMap = build({ target: PrivateTarget.cloudMap(), dashboard: true });
  expect(cloudMap.alarms.map((a) => a.MetricName ?? 'math').sort()).toEqual(['CPUUtilization', 'MemoryUtilization', 'math', 'math']);
  const body = JSON.stringify((Object.values(cloudMap.template.findResources('AWS::CloudWatch::Dashboard'))[0] as any).Properties.DashboardBody);
  for (const component of ['API', 'Cloud Map', 'Service']) expect(body).toContain(`### ${component}`);
});

test('an existing listener: only the stage is watched; a topic gets every alarm', () => {
  const stack = new Stack(new App(), 'Mine', { env: { region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc');
  const listener = elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'Listener', {
    listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/lb/1/2',
    securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-123'),
    defaultPort: 80,
  });
  const topic = new sns.Topic(stack, 'Pager');
  const api = new PrivateAlbApi(stack, 'Service', { vpc, target: PrivateTarget.alb({ existingListener: listener }), alarmTopic: topic });
  expect(api.alarms).toHaveLength(2);
  for (const alarm of Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')) as any[]) {
    expect([alarm.Properties.AlarmActions, alarm.Properties.OKActions]).toEqual([[ref(stack, topic)], [ref(stack, topic)]]);
  }
});

test('alarms: false creates none; the ALB dashboard has a row per component', () => {
  expect(build({ alarms: false }).alarms).toEqual([]);
  const { template } = build({ dashboard: true });
  const body = JSON.stringify((Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0] as any).Properties.DashboardBody);
  for (const component of ['API', 'LoadBalancer', 'Service']) expect(body).toContain(`### ${component}`);
  expect(body).toContain('alarm threshold');
});
