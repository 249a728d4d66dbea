import { App, Stack } from 'aws-cdk-lib';
import { Template, Match } from 'aws-cdk-lib/assertions';
import { CorsHttpMethod, HttpApi, WebSocketApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ApiKind, CorsDefaults, DefaultHttpStage, DefaultWebSocketStage, JsonAccessLog, StageThrottle } from '../../src';
import { newStack } from '../helpers';

describe('DefaultHttpStage', () => {
  test('urlOutputId names the output exactly; two stages with their own outputs share a stack', () => {
    const stack = newStack();
    const httpApi = new HttpApi(stack, 'Api', { createDefaultStage: false });
    const named = new DefaultHttpStage(stack, 'Named', { httpApi, urlOutputId: 'ApiUrl' });
    new DefaultHttpStage(stack, 'Other', { httpApi, stageName: 'dev' });
    const outputs = Template.fromStack(stack).findOutputs('*');
    expect(Object.keys(outputs)).toEqual(['ApiUrl', expect.stringMatching(/^OtherUrl[0-9A-F]{8}$/)]);
    expect(named.urlOutput?.value).toBe(named.stage.url);
  });

  test('auto-deployed $default stage, JSON access logs to a retained log group, default throttling, URL output', () => {
    const stack = newStack();
    new DefaultHttpStage(stack, 'Stage', { httpApi: new HttpApi(stack, 'Api', { createDefaultStage: false }) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('AccessLog'), 'Arn'] }, Format: Match.anyValue() },
    });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 30 } });
    // The output's logical id comes from its path, so two stages never collide.
    expect(Object.keys(template.findOutputs('*'))).toEqual([expect.stringMatching(/^StageUrl[0-9A-F]{8}$/)]);
    const format = JSON.parse(template.findResources('AWS::ApiGatewayV2::Stage')[Object.keys(template.findResources('AWS::ApiGatewayV2::Stage'))[0]].Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', routeKey: '$context.routeKey', httpMethod: '$context.httpMethod' });
  });

  test('throttle and retention can be set; an empty output id writes no output', () => {
    const stack = newStack();
    new DefaultHttpStage(stack, 'Stage', {
      httpApi: new HttpApi(stack, 'Api', { createDefaultStage: false }),
      throttle: { rateLimit: 5 },
      accessLogRetention: logs.RetentionDays.ONE_WEEK,
      urlOutputId: '',
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 200 } });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    expect(Object.keys(template.findOutputs('*'))).toEqual([]);
  });
});

describe('DefaultWebSocketStage', () => {
  test('a prod stage with access logs, throttling, wss and callback URL outputs, and no account-wide role by default', () => {
    const stack = newStack();
    new DefaultWebSocketStage(stack, 'Stage', { webSocketApi: new WebSocketApi(stack, 'Api') });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: 'prod',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: Match.objectLike({ Format: Match.stringLikeRegexp('connectionId') }),
    });
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual([
      expect.stringMatching(/^StageCallbackUrl[0-9A-F]{8}$/), expect.stringMatching(/^StageUrl[0-9A-F]{8}$/),
    ]);
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  test('outputIdPrefix names the outputs exactly; two stages with their own outputs share a stack', () => {
    const stack = newStack();
    const api = new WebSocketApi(stack, 'Api');
    const named = new DefaultWebSocketStage(stack, 'Named', { webSocketApi: api, outputIdPrefix: 'Chat' });
    new DefaultWebSocketStage(stack, 'Other', { webSocketApi: api, stageName: 'dev' });
    const outputs = Template.fromStack(stack).findOutputs('*');
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['ChatUrl', 'ChatCallbackUrl']));
    expect(Object.keys(outputs)).toHaveLength(4);
    expect(named.urlOutput?.value).toBe(named.stage.url);
  });

  test('a stage name API Gateway would refuse fails at synth, naming stageName', () => {
    expect(() => new DefaultWebSocketStage(newStack(), 'Stage', { webSocketApi: new WebSocketApi(newStack('Other'), 'Api'), stageName: 'v1/beta' }))
      .toThrow(/^\[DefaultWebSocketStage\] stageName: 'v1\/beta' is not a stage name API Gateway accepts\. Fix: use 1 to 128 letters, digits, "-" and "_"\./);
  });

  test('createCloudWatchRole sets the account role before the stage is created', () => {
    const stack = newStack();
    new DefaultWebSocketStage(stack, 'Stage', { webSocketApi: new WebSocketApi(stack, 'Api'), createCloudWatchRole: true });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    const [accountId] = Object.keys(template.findResources('AWS::ApiGateway::Account'));
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as any;
    expect(stage.DependsOn).toContain(accountId);
  });

  test('two stages that ask for the account role in one stack share one role and one account setting', () => {
    const stack = newStack();
    const first = new DefaultWebSocketStage(stack, 'First', { webSocketApi: new WebSocketApi(stack, 'Api1'), createCloudWatchRole: true });
    const second = new DefaultWebSocketStage(stack, 'Second', { webSocketApi: new WebSocketApi(stack, 'Api2'), createCloudWatchRole: true });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    template.resourceCountIs('AWS::IAM::Role', 1);
    expect(first.cloudWatchRole).toBe(second.cloudWatchRole);
    const [accountId] = Object.keys(template.findResources('AWS::ApiGateway::Account'));
    for (const stage of Object.values(template.findResources('AWS::ApiGatewayV2::Stage')) as any[]) expect(stage.DependsOn).toContain(accountId);
  });

  test('two stacks setting the account role for the same account and Region fail at synth; different Regions do not', () => {
    const app = new App();
    const stage = (stack: Stack) => new DefaultWebSocketStage(stack, 'Stage', { webSocketApi: new WebSocketApi(stack, 'Api'), createCloudWatchRole: true });
    stage(new Stack(app, 'East', { env: { region: 'us-east-1' } }));
    expect(() => stage(new Stack(app, 'West', { env: { region: 'us-west-2' } }))).not.toThrow();
    expect(() => stage(new Stack(app, 'East2', { env: { region: 'us-east-1' } }))).toThrow(
      /^\[DefaultWebSocketStage\] createCloudWatchRole: East\/ApiGatewayAccountCloudWatchRole already sets the API Gateway CloudWatch Logs role of the same account and Region, .*Fix: turn createCloudWatchRole on in one stack of the app only/);
  });
});

describe('shared defaults', () => {
  test('StageThrottle fills in only what is left out', () => {
    expect(StageThrottle.withDefaults()).toEqual({ rateLimit: 100, burstLimit: 200 });
    expect(StageThrottle.withDefaults({ burstLimit: 10 })).toEqual({ rateLimit: 100, burstLimit: 10 });
  });

  test('CorsDefaults allows no origin unless named', () => {
    expect(CorsDefaults.restrictive()).toBeUndefined();
    expect(CorsDefaults.restrictive(['https://app.example.com'], [CorsHttpMethod.GET, CorsHttpMethod.POST])).toMatchObject({
      allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], allowHeaders: ['content-type', 'authorization'],
    });
  });

  test('CORS exposes the response headers the patterns send (Location after a 201, Retry-After after a 503) to browser scripts', () => {
    const stack = newStack();
    new HttpApi(stack, 'Api', { corsPreflight: CorsDefaults.restrictive(['https://app.example.com']) });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ ExposeHeaders: ['location', 'retry-after', 'apigw-requestid'] }),
    });
  });

  test('the access log fields are valid $context variables for each API kind', () => {
    expect(Object.values(JsonAccessLog.fields(ApiKind.HTTP)).every((v) => v.startsWith('$context.'))).toBe(true);
    expect(JsonAccessLog.fields(ApiKind.WEBSOCKET)).toMatchObject({ connectionId: '$context.connectionId', eventType: '$context.eventType' });
    expect(JsonAccessLog.fields(ApiKind.WEBSOCKET).httpMethod).toBeUndefined();
  });
});
