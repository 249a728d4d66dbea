// Every HTTP integration class on one HTTP API, synthesized and snapshotted.
// Deploying it (integ-runner without --dry-run) checks that API Gateway accepts
// each integration; the assertion calls the Lambda route through the API.
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import {
  HttpAlbIntegration,
  HttpAppConfigIntegration,
  HttpEventBridgeIntegration,
  HttpKinesisIntegration,
  HttpLambdaIntegration,
  HttpNlbIntegration,
  HttpServiceDiscoveryIntegration,
  HttpSqsIntegration,
  HttpStepFunctionsIntegration,
  HttpUrlIntegration,
} from '../src';

const app = new App();
const stack = new Stack(app, 'IntegHttpIntegrations', { env: { region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' } });
const api = new apigwv2.HttpApi(stack, 'Api');
const post = [apigwv2.HttpMethod.POST];

const hello = new lambda.Function(stack, 'Hello', {
  runtime: lambda.Runtime.NODEJS_24_X,
  architecture: lambda.Architecture.ARM_64,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({ hello: "world" }) });'),
});
api.addRoutes({ path: '/lambda', methods: [apigwv2.HttpMethod.GET], integration: new HttpLambdaIntegration('Lambda', hello, { timeout: Duration.seconds(30) }) });
api.addRoutes({ path: '/url', methods: [apigwv2.HttpMethod.GET], integration: new HttpUrlIntegration('Url', 'https://aws.amazon.com') });

const express = new sfn.StateMachine(stack, 'Express', { stateMachineType: sfn.StateMachineType.EXPRESS, definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'ExpressPass')) });
const standard = new sfn.StateMachine(stack, 'Standard', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Wait(stack, 'Wait', { time: sfn.WaitTime.duration(Duration.minutes(5)) })) });
api.addRoutes({ path: '/sfn/start', methods: post, integration: new HttpStepFunctionsIntegration('Start', { stateMachine: standard }) });
api.addRoutes({ path: '/sfn/start-sync', methods: post, integration: new HttpStepFunctionsIntegration('StartSync', { stateMachine: express, subtype: apigwv2.HttpIntegrationSubtype.STEPFUNCTIONS_START_SYNC_EXECUTION }) });
api.addRoutes({
  path: '/sfn/stop',
  methods: post,
  integration: new HttpStepFunctionsIntegration('Stop', {
    stateMachine: standard,
    subtype: apigwv2.HttpIntegrationSubtype.STEPFUNCTIONS_STOP_EXECUTION,
    parameterMapping: new apigwv2.ParameterMapping().custom('ExecutionArn', '$request.querystring.executionArn'),
  }),
});

api.addRoutes({ path: '/sqs', methods: post, integration: new HttpSqsIntegration('Sqs', { queue: new sqs.Queue(stack, 'Queue') }) });
api.addRoutes({ path: '/events', methods: post, integration: new HttpEventBridgeIntegration('Events', { eventBusRef: new events.EventBus(stack, 'Bus').eventBusRef }) });
api.addRoutes({ path: '/kinesis', methods: post, integration: new HttpKinesisIntegration('Kinesis', { stream: new kinesis.Stream(stack, 'Stream', { shardCount: 1 }) }) });

const application = new appconfig.Application(stack, 'AppConfigApp');
const environment = new appconfig.Environment(stack, 'AppConfigEnv', { application });
const configuration = new appconfig.HostedConfiguration(stack, 'AppConfigProfile', {
  application,
  deployTo: [environment],
  content: appconfig.ConfigurationContent.fromInlineJson(JSON.stringify({ feature: true })),
});
api.addRoutes({ path: '/config', methods: [apigwv2.HttpMethod.GET], integration: new HttpAppConfigIntegration('Config', { application, environment, configuration }) });

// Private integrations: an internal ALB admitting only the VPC link, an NLB, a Cloud Map service.
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
const isolated = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, vpcSubnets: isolated });
const albListener = alb.addListener('Http', { port: 80, open: false, defaultAction: elbv2.ListenerAction.fixedResponse(200, { messageBody: 'alb' }) });
api.addRoutes({ path: '/alb', methods: [apigwv2.HttpMethod.GET], integration: new HttpAlbIntegration('Alb', albListener, { restrictToVpcLink: true, vpcLinkSubnets: isolated }) });
const nlb = new elbv2.NetworkLoadBalancer(stack, 'Nlb', { vpc, vpcSubnets: isolated });
const nlbListener = nlb.addListener('Tcp', { port: 80, defaultAction: elbv2.NetworkListenerAction.forward([new elbv2.NetworkTargetGroup(stack, 'NlbTargets', { vpc, port: 80 })]) });
api.addRoutes({ path: '/nlb', methods: [apigwv2.HttpMethod.GET], integration: new HttpNlbIntegration('Nlb', nlbListener, { vpcLinkSubnets: isolated }) });
const service = new servicediscovery.PrivateDnsNamespace(stack, 'Namespace', { name: 'integ.internal', vpc }).createService('Service');
api.addRoutes({ path: '/cloudmap', methods: [apigwv2.HttpMethod.GET], integration: new HttpServiceDiscoveryIntegration('CloudMap', service, { vpc, vpcLinkSubnets: isolated, timeout: Duration.seconds(10) }) });

// The assertion stack needs the test stack's region to read its outputs.
const assertionStack = new Stack(app, 'IntegHttpIntegrationsAssertions', { env: { region: stack.region } });
const integ = new IntegTest(app, 'HttpIntegrations', { testCases: [stack], regions: [stack.region], assertionStack, diffAssets: true });
integ.assertions.httpApiCall(`${api.apiEndpoint}/lambda`).expect(ExpectedResult.objectLike({ status: 200, body: { hello: 'world' } }));
