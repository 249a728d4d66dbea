import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Errors, Stack } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpIntegrationSubtype, HttpMethod, ParameterMapping, VpcLink, WebSocketApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import {
  DefaultWebSocketStage, HandlerFunction, HttpAlbIntegration, HttpAppConfigIntegration, HttpKinesisIntegration, HttpStepFunctionsIntegration,
  HttpUrlIntegration,
  PatternHttpApi, PatternMonitoring, WebSocketDynamoDbAction, WebSocketDynamoDbIntegration,
} from '../../src';
import { newStack } from '../helpers';

// One row per error code the README lists: each a validation error in aws-cdk-lib's sense,
// named after its condition, whose message names the class, the prop, the fix and where.
const machine = (stack: Stack, type: sfn.StateMachineType) =>
  new sfn.StateMachine(stack, 'M', { stateMachineType: type, definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'P')) });
const sfnRoute = (stack: Stack, props: Omit<ConstructorParameters<typeof HttpStepFunctionsIntegration>[1], 'stateMachine'>, type = sfn.StateMachineType.STANDARD) =>
  new HttpApi(stack, 'Api').addRoutes({ path: '/x', methods: [HttpMethod.POST], integration: new HttpStepFunctionsIntegration('Sfn', { stateMachine: machine(stack, type), ...props }) });
const connect = (stack: Stack, props: Partial<ConstructorParameters<typeof WebSocketDynamoDbIntegration>[1]>) => {
  const table = new dynamodb.Table(stack, 'T', { partitionKey: { name: 'connectionId', type: dynamodb.AttributeType.STRING } });
  new WebSocketApi(stack, 'Ws').addRoute('$connect', { integration: new WebSocketDynamoDbIntegration('Conn', { table, action: WebSocketDynamoDbAction.PUT_ITEM, ...props }) });
};
const handlerFolder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'handler-'));
  writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => ({});');
  return dir;
};
const EXEC_ARN = new ParameterMapping().custom('ExecutionArn', '$request.querystring.executionArn');

const CASES: Record<string, (stack: Stack) => unknown> = {
  TimeoutOutOfRange: () => new HttpUrlIntegration('Url', 'https://example.com', { timeout: Duration.minutes(1) }),
  UrlNotHttp: () => new HttpUrlIntegration('Url', 'ftp://example.com'),
  StopWithoutExecutionArn: (s) => sfnRoute(s, { subtype: HttpIntegrationSubtype.STEPFUNCTIONS_STOP_EXECUTION }),
  StartSyncOnStandard: (s) => sfnRoute(s, { subtype: HttpIntegrationSubtype.STEPFUNCTIONS_START_SYNC_EXECUTION }),
  StopOnExpress: (s) => sfnRoute(s,
    { subtype: HttpIntegrationSubtype.STEPFUNCTIONS_STOP_EXECUTION, parameterMapping: EXEC_ARN }, sfn.StateMachineType.EXPRESS),
  MachineTypeMismatch: (s) => sfnRoute(s, { stateMachineType: sfn.StateMachineType.EXPRESS }),
  ImportedMachineType: (s) => new HttpApi(s, 'Api').addRoutes({
    path: '/x',
    methods: [HttpMethod.POST],
    integration: new HttpStepFunctionsIntegration('Sfn', {
      stateMachine: sfn.StateMachine.fromStateMachineArn(s, 'Imported', 'arn:aws:states:us-east-1:111122223333:stateMachine:m'),
      subtype: HttpIntegrationSubtype.STEPFUNCTIONS_START_SYNC_EXECUTION,
    }),
  }),
  SubtypeNotStepFunctions: (s) => sfnRoute(s, { subtype: HttpIntegrationSubtype.SQS_SEND_MESSAGE }),
  SubtypeOfAnotherService: (s) => new HttpApi(s, 'Api', {
    defaultIntegration: new HttpKinesisIntegration('K', { stream: new kinesis.Stream(s, 'Stream'), subtype: HttpIntegrationSubtype.SQS_PURGE_QUEUE }),
  }),
  VpcLinkOrVpcRequired: (s) => new HttpApi(s, 'Api', {
    defaultIntegration: new HttpAlbIntegration('Alb', elbv2.ApplicationListener.fromApplicationListenerAttributes(s, 'L', {
      listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/lb/1/2',
      securityGroup: ec2.SecurityGroup.fromSecurityGroupId(s, 'Sg', 'sg-12345678'),
    })),
  }),
  RestrictNeedsOwnLink: (s) => {
    const vpc = new ec2.Vpc(s, 'Vpc');
    const listener = new elbv2.ApplicationLoadBalancer(s, 'Lb', { vpc }).addListener('L', { port: 80, open: false });
    listener.addTargets('T', { port: 80 });
    return new HttpApi(s, 'Api', { defaultIntegration: new HttpAlbIntegration('Alb', listener, { vpcLink: new VpcLink(s, 'Link', { vpc }), restrictToVpcLink: true }) });
  },
  ListenerPortUnknown: (s) => new HttpApi(s, 'Api', {
    defaultIntegration: new HttpAlbIntegration('Alb', elbv2.ApplicationListener.fromApplicationListenerAttributes(s, 'L', {
      listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/lb/1/2',
      securityGroup: ec2.SecurityGroup.fromSecurityGroupId(s, 'Sg', 'sg-12345678'),
    }), { vpc: new ec2.Vpc(s, 'Vpc'), restrictToVpcLink: true }),
  }),
  TtlHoursInvalid: (s) => connect(s, { ttlHours: 1.5 }),
  VelocityCharacterInText: (s) => connect(s, { staticAttributes: { room: '## x' } }),
  DuplicateAttributeName: (s) => connect(s, { staticAttributes: { ttl: 'x' } }),
  HandlerCodeMissing: (s) => new HandlerFunction(s, 'Fn', { codeDirectory: __dirname }),
  HandlerOptionInvalid: (s) => new HandlerFunction(s, 'Fn', { codeDirectory: handlerFolder(), options: { memorySize: 64 } }),
  AlarmThresholdInvalid: (s) => new PatternMonitoring(s, 'Monitoring', { owner: 'Demo', alarmThresholds: { serverErrorRate: 5 } }),
  TooManyAlarmMetrics: (s) => new PatternMonitoring(s, 'Monitoring', { owner: 'Demo' }).watchTable('Table',
    new dynamodb.Table(s, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } }), Object.values(dynamodb.Operation).slice(0, 11)),
  StageNameInvalid: (s) => new DefaultWebSocketStage(s, 'Stage', { webSocketApi: new WebSocketApi(s, 'Ws'), stageName: 'a b' }),
  AccountRoleTwice: (s) => {
    const stage = (stack: Stack) => new DefaultWebSocketStage(stack, 'Stage', { webSocketApi: new WebSocketApi(stack, 'Ws'), createCloudWatchRole: true });
    stage(new Stack(s.node.root as App, 'First', { env: { region: 'us-east-1' } }));
    stage(s);
  },
  ExistingApiConflict: (s) => PatternHttpApi.create(s, { owner: 'Demo', corsAllowMethods: [], existingApi: new HttpApi(s, 'Api'), throttle: { rateLimit: 1 } }),
  RouteExists: (s) => {
    const parts = PatternHttpApi.create(s, { owner: 'Demo', corsAllowMethods: [] });
    PatternHttpApi.addRoute(parts, '/x', HttpMethod.GET, new HttpUrlIntegration('A', 'https://example.com'));
    PatternHttpApi.addRoute(parts, '/x', HttpMethod.GET, new HttpUrlIntegration('B', 'https://example.com'));
  },
  DomainNeedsCertificate: (s) => PatternHttpApi.create(s, { owner: 'Demo', corsAllowMethods: [CorsHttpMethod.GET], domainName: 'api.example.com' }),
  AppConfigIdMapped: (s) => {
    const application = new appconfig.Application(s, 'App');
    const environment = new appconfig.Environment(s, 'Env', { application });
    const configuration = new appconfig.HostedConfiguration(s, 'Config', { application, content: appconfig.ConfigurationContent.fromInlineJson('{}') });
    return new HttpApi(s, 'Api', {
      defaultIntegration: new HttpAppConfigIntegration('Cfg', {
        application, environment, configuration, parameterMapping: new ParameterMapping().custom('Configuration', '$request.querystring.profile'),
      }),
    });
  },
};

test.each(Object.keys(CASES))('%s: a validation error named after its code, saying class, prop, fix and where', (code) => {
  let error: any;
  try {
    CASES[code](newStack());
  } catch (e) {
    error = e;
  }
  expect(error).toBeDefined();
  expect(Errors.isValidationError(error)).toBe(true);
  expect([error.code, error.name]).toEqual([code, code]);
  expect(error.message).toMatch(/^\[\w+\] [\w.' ]+: .+\. Fix: .+\. \((at Test(\/.+)?|integration '\w+', before it is bound to a route)\)$/s);
});
