import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from '../../src';
import { inlineFunction, newStack, propertiesOf } from '../helpers';

describe('WebSocketLambdaIntegration', () => {
  test("the seed's sendMessage route: an AWS_PROXY integration and a permission for that route key", () => {
    const stack = newStack();
    const handler = inlineFunction(stack, 'Handler');
    const api = new WebSocketApi(stack, 'mywsapi');
    new WebSocketStage(stack, 'mystage', { webSocketApi: api, stageName: 'dev', autoDeploy: true });
    api.addRoute('sendMessage', { integration: new WebSocketLambdaIntegration('SendMessageIntegration', handler) });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':apigateway:us-east-1:lambda:path/2015-03-31/functions/')])] },
    });
    const [permission] = propertiesOf(stack, 'AWS::Lambda::Permission');
    expect(permission).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' });
    expect(JSON.stringify(permission.SourceArn)).toMatch(/\/\*sendMessage"/);
  });

  test('one permission per route when a function answers several routes', () => {
    const stack = newStack();
    const handler = inlineFunction(stack, 'Handler');
    const api = new WebSocketApi(stack, 'Api');
    api.addRoute('join', { integration: new WebSocketLambdaIntegration('Join', handler) });
    api.addRoute('leave', { integration: new WebSocketLambdaIntegration('Leave', handler) });
    const arns = propertiesOf(stack, 'AWS::Lambda::Permission').map((p) => JSON.stringify(p.SourceArn));
    expect(arns.map((a) => a.match(/\/\*(\w+)"/)![1]).sort()).toEqual(['join', 'leave']);
  });

  test.each([Duration.millis(10), Duration.seconds(30)])('a timeout of %s fails: WebSocket APIs allow 50 ms to 29 s', (timeout) => {
    const stack = newStack();
    expect(() => new WebSocketLambdaIntegration('I', inlineFunction(stack, 'H'), { timeout }))
      .toThrow(/\[WebSocketLambdaIntegration\] timeout: \d+ ms is outside what WebSocket API integrations accept \(50 ms to 29 s\)/);
  });
});
