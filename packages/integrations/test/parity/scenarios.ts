// Scenarios built twice, once with aws-cdk-lib's aws-apigatewayv2-integrations
// and once with ours, by code written against aws-cdk-lib's module only: that
// the same code compiles and runs with ours is the drop-in claim.
import { Duration, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as theirs from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { inlineFunction } from '../helpers';

type HttpNames = 'HttpLambdaIntegration' | 'HttpUrlIntegration' | 'HttpStepFunctionsIntegration' | 'HttpAlbIntegration'
| 'HttpNlbIntegration' | 'HttpServiceDiscoveryIntegration' | 'HttpSqsIntegration' | 'HttpEventBridgeIntegration';
type WebSocketNames = 'WebSocketLambdaIntegration' | 'WebSocketAwsIntegration' | 'WebSocketMockIntegration';

/** A constructor taking exactly the parameters aws-cdk-lib's class `C` takes, making an `R`. */
type SameConstructor<C, R> = C extends abstract new (...args: infer A) => unknown ? new (...args: A) => R : never;

/**
 * The classes a scenario may use, with aws-cdk-lib's constructor parameters.
 * (Class instance types are nominal through their private fields, so the
 * constructors are compared, which is what "change the import" needs.)
 */
export type Integrations =
  { [K in HttpNames]: SameConstructor<(typeof theirs)[K], apigwv2.HttpRouteIntegration> } &
  { [K in WebSocketNames]: SameConstructor<(typeof theirs)[K], apigwv2.WebSocketRouteIntegration> };

export type Scenario = (stack: Stack, m: Integrations) => void;

function machine(stack: Stack, id: string, type: sfn.StateMachineType) {
  return new sfn.StateMachine(stack, id, { stateMachineType: type, definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, `${id}Pass`)) });
}

function albListener(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'VPC');
  const lb = new elbv2.ApplicationLoadBalancer(stack, 'lb', { vpc });
  const listener = lb.addListener('listener', { port: 80 });
  listener.addTargets('target', { port: 80 });
  return listener;
}

export const SCENARIOS: Record<string, Scenario> = {
  'seed: Lambda GET /books': (stack, m) => {
    const httpApi = new apigwv2.HttpApi(stack, 'HttpApi');
    httpApi.addRoutes({ path: '/books', methods: [apigwv2.HttpMethod.GET], integration: new m.HttpLambdaIntegration('BooksIntegration', inlineFunction(stack, 'BooksDefaultFn')) });
  },
  'one Lambda shared by several routes': (stack, m) => {
    const api = new apigwv2.HttpApi(stack, 'HttpApi');
    const integration = new m.HttpLambdaIntegration('Books', inlineFunction(stack, 'Fn'));
    api.addRoutes({ path: '/books', methods: [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.POST], integration });
    api.addRoutes({ path: '/books/{id}', methods: [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.PUT, apigwv2.HttpMethod.DELETE], integration });
  },
  'payload 1.0, timeout and mapping': (stack, m) => {
    new apigwv2.HttpApi(stack, 'HttpApi', {
      defaultIntegration: new m.HttpLambdaIntegration('Fn', inlineFunction(stack, 'Fn'), {
        payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_1_0,
        timeout: Duration.seconds(12),
        parameterMapping: new apigwv2.ParameterMapping().appendHeader('x-source', apigwv2.MappingValue.custom('api')),
      }),
    });
  },
  'seed: URL proxy': (stack, m) => {
    const httpApi = new apigwv2.HttpApi(stack, 'HttpApi');
    httpApi.addRoutes({ path: '/books', methods: [apigwv2.HttpMethod.GET], integration: new m.HttpUrlIntegration('BooksIntegration', 'https://get-books-proxy.example.com') });
  },
  'URL proxy with method, mapping and timeout': (stack, m) => {
    new apigwv2.HttpApi(stack, 'HttpApi', {
      defaultIntegration: new m.HttpUrlIntegration('Proxy', 'https://example.com/{proxy}', {
        method: apigwv2.HttpMethod.POST,
        parameterMapping: new apigwv2.ParameterMapping().overwritePath(apigwv2.MappingValue.requestPath()).removeHeader('x-internal'),
        timeout: Duration.seconds(29),
      }),
    });
  },
  'seed: Step Functions start, start-sync, stop': (stack, m) => {
    const httpApi = new apigwv2.HttpApi(stack, 'HttpApi');
    const express = machine(stack, 'Express', sfn.StateMachineType.EXPRESS);
    const standard = machine(stack, 'Standard', sfn.StateMachineType.STANDARD);
    httpApi.addRoutes({ path: '/start', methods: [apigwv2.HttpMethod.POST], integration: new m.HttpStepFunctionsIntegration('StartExecutionIntegration', { stateMachine: express, subtype: apigwv2.HttpIntegrationSubtype.STEPFUNCTIONS_START_EXECUTION }) });
    httpApi.addRoutes({ path: '/start-sync', methods: [apigwv2.HttpMethod.POST], integration: new m.HttpStepFunctionsIntegration('StartSyncExecutionIntegration', { stateMachine: express, subtype: apigwv2.HttpIntegrationSubtype.STEPFUNCTIONS_START_SYNC_EXECUTION }) });
    httpApi.addRoutes({
      path: '/stop',
      methods: [apigwv2.HttpMethod.POST],
      integration: new m.HttpStepFunctionsIntegration('StopExecutionIntegration', {
        stateMachine: standard,
        subtype: apigwv2.HttpIntegrationSubtype.STEPFUNCTIONS_STOP_EXECUTION,
        parameterMapping: new apigwv2.ParameterMapping().custom('ExecutionArn', '$request.querystring.executionArn'),
      }),
    });
  },
  'seed: ALB': (stack, m) => {
    new apigwv2.HttpApi(stack, 'HttpProxyPrivateApi', { defaultIntegration: new m.HttpAlbIntegration('DefaultIntegration', albListener(stack)) });
  },
  'seed: ALB with the header mapping': (stack, m) => {
    new apigwv2.HttpApi(stack, 'HttpProxyPrivateApi', {
      defaultIntegration: new m.HttpAlbIntegration('DefaultIntegration', albListener(stack), {
        parameterMapping: new apigwv2.ParameterMapping().appendHeader('header2', apigwv2.MappingValue.requestHeader('header1')).removeHeader('header1'),
      }),
    });
  },
  'seed: ALB with a custom mapping, TLS and timeout': (stack, m) => {
    new apigwv2.HttpApi(stack, 'HttpProxyPrivateApi', {
      defaultIntegration: new m.HttpAlbIntegration('DefaultIntegration', albListener(stack), {
        parameterMapping: new apigwv2.ParameterMapping().custom('myKey', 'myValue'),
        secureServerName: 'backend.example.com',
        timeout: Duration.seconds(20),
      }),
    });
  },
  'seed: NLB': (stack, m) => {
    const vpc = new ec2.Vpc(stack, 'VPC');
    const lb = new elbv2.NetworkLoadBalancer(stack, 'lb', { vpc });
    const listener = lb.addListener('listener', { port: 80 });
    listener.addTargets('target', { port: 80 });
    new apigwv2.HttpApi(stack, 'HttpProxyPrivateApi', { defaultIntegration: new m.HttpNlbIntegration('DefaultIntegration', listener) });
  },
  'seed: Cloud Map': (stack, m) => {
    const vpc = new ec2.Vpc(stack, 'VPC');
    const vpcLink = new apigwv2.VpcLink(stack, 'VpcLink', { vpc });
    const namespace = new servicediscovery.PrivateDnsNamespace(stack, 'Namespace', { name: 'boobar.com', vpc });
    const service = namespace.createService('Service');
    new apigwv2.HttpApi(stack, 'HttpProxyPrivateApi', { defaultIntegration: new m.HttpServiceDiscoveryIntegration('DefaultIntegration', service, { vpcLink }) });
  },
  'SQS send (default mapping)': (stack, m) => {
    new apigwv2.HttpApi(stack, 'HttpApi').addRoutes({ path: '/messages', methods: [apigwv2.HttpMethod.POST], integration: new m.HttpSqsIntegration('Send', { queue: new sqs.Queue(stack, 'Queue') }) });
  },
  'EventBridge put events (default mapping)': (stack, m) => {
    const bus = new events.EventBus(stack, 'Bus');
    new apigwv2.HttpApi(stack, 'HttpApi').addRoutes({ path: '/events', methods: [apigwv2.HttpMethod.POST], integration: new m.HttpEventBridgeIntegration('Put', { eventBusRef: bus.eventBusRef }) });
  },
  'seed: WebSocket Lambda sendMessage': (stack, m) => {
    const webSocketApi = new apigwv2.WebSocketApi(stack, 'mywsapi');
    new apigwv2.WebSocketStage(stack, 'mystage', { webSocketApi, stageName: 'dev', autoDeploy: true });
    webSocketApi.addRoute('sendMessage', { integration: new m.WebSocketLambdaIntegration('SendMessageIntegration', inlineFunction(stack, 'MessageHandler')) });
  },
  'seed: WebSocket AWS $connect PutItem': (stack, m) => {
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const apiRole = new iam.Role(stack, 'ApiRole', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
    const webSocketApi = new apigwv2.WebSocketApi(stack, 'mywsapi');
    new apigwv2.WebSocketStage(stack, 'mystage', { webSocketApi, stageName: 'dev', autoDeploy: true });
    webSocketApi.addRoute('$connect', {
      integration: new m.WebSocketAwsIntegration('DynamodbPutItem', {
        integrationUri: `arn:aws:apigateway:${stack.region}:dynamodb:action/PutItem`,
        integrationMethod: apigwv2.HttpMethod.POST,
        credentialsRole: apiRole,
        requestTemplates: { 'application/json': JSON.stringify({ TableName: table.tableName, Item: { id: { S: '$context.requestId' } } }) },
      }),
    });
  },
  'WebSocket mock': (stack, m) => {
    const webSocketApi = new apigwv2.WebSocketApi(stack, 'mywsapi');
    webSocketApi.addRoute('sendMessage', {
      integration: new m.WebSocketMockIntegration('DefaultIntegration', { requestTemplates: { 'application/json': JSON.stringify({ statusCode: 200 }) }, templateSelectionExpression: '\\$default' }),
      returnResponse: true,
    });
  },
};
