import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as theirs from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as ours from '../../src';
import { arnLike, newStack, propertiesOf, renderJoin } from '../helpers';
import { Integrations, Scenario, SCENARIOS } from './scenarios';

// Typed as aws-cdk-lib's module: this assignment compiling is part of the drop-in claim.
const OURS: Integrations = ours;

function templateOf(scenario: Scenario, m: Integrations) {
  const stack = newStack('Parity');
  scenario(stack, m);
  return Template.fromStack(stack).toJSON();
}

describe('same CloudFormation as aws-cdk-lib for the same input', () => {
  test.each(Object.keys(SCENARIOS))('%s', (name) => {
    const expected = templateOf(SCENARIOS[name], theirs);
    expect(templateOf(SCENARIOS[name], OURS)).toEqual(expected);
  });
});

// Each deliberate difference, shown side by side (listed in the README). Props only
// we accept are passed `as any`, since the scenarios are typed as aws-cdk-lib's module.
describe('deliberate differences', () => {
  function both(build: (stack: Stack, m: Integrations) => void) {
    const a = newStack('Theirs');
    const b = newStack('Ours');
    build(a, theirs);
    build(b, OURS);
    return { theirs: a, ours: b };
  }

  test('Cloud Map: the timeout reaches the template (aws-cdk-lib drops it)', () => {
    const { theirs: a, ours: b } = both((stack, m) => {
      const vpc = new ec2.Vpc(stack, 'VPC');
      const vpcLink = new apigwv2.VpcLink(stack, 'VpcLink', { vpc });
      const service = new servicediscovery.PrivateDnsNamespace(stack, 'Ns', { name: 'x.internal', vpc }).createService('Svc');
      new apigwv2.HttpApi(stack, 'Api', { defaultIntegration: new m.HttpServiceDiscoveryIntegration('CloudMap', service, { vpcLink, timeout: Duration.seconds(10) } as any) });
    });
    expect(propertiesOf(a, 'AWS::ApiGatewayV2::Integration')[0].TimeoutInMillis).toBeUndefined();
    expect(propertiesOf(b, 'AWS::ApiGatewayV2::Integration')[0].TimeoutInMillis).toBe(10_000);
  });

  test('HTTP timeouts of 29-30 s: accepted (HTTP APIs allow 30 s; aws-cdk-lib refuses over 29 s)', () => {
    const build = (m: Integrations) => () => {
      const stack = newStack();
      new apigwv2.HttpApi(stack, 'Api', { defaultIntegration: new m.HttpUrlIntegration('Url', 'https://example.com', { timeout: Duration.seconds(30) }) });
      Template.fromStack(stack);
      return propertiesOf(stack, 'AWS::ApiGatewayV2::Integration')[0].TimeoutInMillis;
    };
    expect(build(theirs)).toThrow(/29 seconds/);
    expect(build(OURS)()).toBe(30_000);
  });

  test("Step Functions: a caller's mapping without StateMachineArn gets it (aws-cdk-lib sends a call that cannot work)", () => {
    const { theirs: a, ours: b } = both((stack, m) => {
      const machine = new sfn.StateMachine(stack, 'M', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
      new apigwv2.HttpApi(stack, 'Api', {
        defaultIntegration: new m.HttpStepFunctionsIntegration('Sfn', { stateMachine: machine, parameterMapping: new apigwv2.ParameterMapping().custom('Input', '$request.body') }),
      });
    });
    expect(Object.keys(propertiesOf(a, 'AWS::ApiGatewayV2::Integration')[0].RequestParameters)).toEqual(['Input']);
    expect(Object.keys(propertiesOf(b, 'AWS::ApiGatewayV2::Integration')[0].RequestParameters).sort()).toEqual(['Input', 'StateMachineArn']);
  });

  test('Step Functions: STOP_EXECUTION without ExecutionArn fails at synth (aws-cdk-lib maps StateMachineArn silently)', () => {
    const build = (m: Integrations) => () => {
      const stack = newStack();
      const machine = new sfn.StateMachine(stack, 'M', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
      new apigwv2.HttpApi(stack, 'Api', { defaultIntegration: new m.HttpStepFunctionsIntegration('Stop', { stateMachine: machine, subtype: apigwv2.HttpIntegrationSubtype.STEPFUNCTIONS_STOP_EXECUTION }) });
      return propertiesOf(stack, 'AWS::ApiGatewayV2::Integration')[0].RequestParameters;
    };
    expect(Object.keys(build(theirs)())).toEqual(['StateMachineArn']);
    expect(build(OURS)).toThrow(/ExecutionArn/);
  });

  test("SQS: a caller's mapping without QueueUrl gets it (aws-cdk-lib sends a call without a queue)", () => {
    const { theirs: a, ours: b } = both((stack, m) => {
      new apigwv2.HttpApi(stack, 'Api', {
        defaultIntegration: new m.HttpSqsIntegration('Sqs', { queue: new sqs.Queue(stack, 'Q'), parameterMapping: new apigwv2.ParameterMapping().custom('MessageBody', '$request.body') }),
      });
    });
    expect(Object.keys(propertiesOf(a, 'AWS::ApiGatewayV2::Integration')[0].RequestParameters)).toEqual(['MessageBody']);
    expect(Object.keys(propertiesOf(b, 'AWS::ApiGatewayV2::Integration')[0].RequestParameters).sort()).toEqual(['MessageBody', 'QueueUrl']);
  });

  test("EventBridge: the caller's ParameterMapping object is left as it was (aws-cdk-lib adds EventBusName to it)", () => {
    const mappings: Record<string, string[]> = {};
    for (const [name, m] of [['theirs', theirs], ['ours', OURS]] as const) {
      const stack = newStack();
      const mapping = new apigwv2.ParameterMapping().custom('Detail', '$request.body');
      const bus = new events.EventBus(stack, 'Bus');
      new apigwv2.HttpApi(stack, 'Api', { defaultIntegration: new m.HttpEventBridgeIntegration('Eb', { eventBusRef: bus.eventBusRef, parameterMapping: mapping }) });
      Template.fromStack(stack);
      mappings[name] = Object.keys(mapping.mappings);
    }
    expect(mappings).toEqual({ theirs: ['Detail', 'EventBusName'], ours: ['Detail'] });
  });

  test('an imported ALB listener with only a vpc: a VPC link is created (aws-cdk-lib requires vpcLink)', () => {
    const build = (m: Integrations) => () => {
      const stack = newStack();
      const vpc = new ec2.Vpc(stack, 'VPC');
      const listener = elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'L', {
        listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/1/2',
        securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-1'),
      });
      new apigwv2.HttpApi(stack, 'Api', { defaultIntegration: new m.HttpAlbIntegration('Alb', listener, { vpc } as any) });
      return propertiesOf(stack, 'AWS::ApiGatewayV2::VpcLink').length;
    };
    expect(build(theirs)).toThrow(/vpcLink/);
    expect(build(OURS)()).toBe(1);
  });

  test('a URL that is not http(s) fails at synth (aws-cdk-lib deploys it, and AWS rejects it)', () => {
    expect(() => new theirs.HttpUrlIntegration('U', 'ftp://example.com')).not.toThrow();
    expect(() => new ours.HttpUrlIntegration('U', 'ftp://example.com')).toThrow(/not an absolute http/);
  });

  test('Step Functions: STOP_EXECUTION on an EXPRESS machine fails at synth (aws-cdk-lib synthesizes it)', () => {
    const build = (m: Integrations) => () => {
      const stack = newStack();
      const machine = new sfn.StateMachine(stack, 'M', { stateMachineType: sfn.StateMachineType.EXPRESS, definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
      new apigwv2.HttpApi(stack, 'Api', {
        defaultIntegration: new m.HttpStepFunctionsIntegration('Stop', {
          stateMachine: machine,
          subtype: apigwv2.HttpIntegrationSubtype.STEPFUNCTIONS_STOP_EXECUTION,
          parameterMapping: new apigwv2.ParameterMapping().custom('ExecutionArn', '$request.querystring.executionArn'),
        }),
      });
      Template.fromStack(stack);
    };
    expect(build(theirs)).not.toThrow();
    expect(build(OURS)).toThrow(expect.objectContaining({ code: 'StopOnExpress' }));
  });

  test('Lambda, scopePermissionToRoute: false: the permission also covers the $default route (aws-cdk-lib\'s */*/* does not)', () => {
    const refs = { 'AWS::Partition': 'aws', 'AWS::AccountId': '111122223333', 'Api': 'a1b2c3d4e5' };
    const defaultRouteCall = 'arn:aws:execute-api:us-east-1:111122223333:a1b2c3d4e5/prod/$default';
    const { theirs: a, ours: b } = both((stack, m) => {
      const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
      const api = new apigwv2.HttpApi(stack, 'Api', { defaultIntegration: new m.HttpLambdaIntegration('Fn', fn, { scopePermissionToRoute: false }) });
      api.addRoutes({ path: '/b', methods: [apigwv2.HttpMethod.GET], integration: new m.HttpLambdaIntegration('B', fn, { scopePermissionToRoute: false }) });
    });
    const covers = (stack: Stack) => propertiesOf(stack, 'AWS::Lambda::Permission').some((p) => arnLike(renderJoin(p.SourceArn, refs), defaultRouteCall));
    expect([covers(a), covers(b)]).toEqual([false, true]);
    // Otherwise the same: one permission per function and API, the same integrations and routes.
    for (const type of ['AWS::ApiGatewayV2::Integration', 'AWS::ApiGatewayV2::Route']) expect(propertiesOf(b, type)).toEqual(propertiesOf(a, type));
    const withoutSource = (stack: Stack) => propertiesOf(stack, 'AWS::Lambda::Permission').map(({ SourceArn, ...rest }) => rest);
    expect(withoutSource(b)).toEqual(withoutSource(a));
  });
});
