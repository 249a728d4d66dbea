import { App, Stack } from 'aws-cdk-lib';
import { HttpApi, WebSocketApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HttpUrlIntegration } from '../../src';
import { cfnIntegrationOf, defaultPolicyOf, httpDefaultRouteOf, webSocketRouteOf } from '../../src/private/children';

test('each accessor finds the child aws-cdk-lib creates', () => {
  const stack = new Stack(new App(), 'S');
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/k'] }));
  expect(defaultPolicyOf(role)).toBeInstanceOf(iam.Policy);
  const http = new HttpApi(stack, 'Http', { defaultIntegration: new HttpUrlIntegration('Url', 'https://example.com') });
  expect(httpDefaultRouteOf(http).node.path).toBe('S/Http/DefaultRoute');
  const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
  const ws = new WebSocketApi(stack, 'Ws', { connectRouteOptions: { integration: new WebSocketLambdaIntegration('Connect', fn) } });
  expect(webSocketRouteOf(ws, '$connect').node.path).toBe('S/Ws/$connect-Route');
  expect(cfnIntegrationOf(httpDefaultRouteOf(http), 'Url').node.path).toBe('S/Http/DefaultRoute/Url/Resource');
});

test('a missing child fails naming the parent, the id and what was expected', () => {
  const stack = new Stack(new App(), 'S');
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  expect(() => defaultPolicyOf(role)).toThrow("S/Role has no child 'DefaultPolicy' (the policy aws-cdk-lib adds to a role with its first statement (addToPrincipalPolicy))");
  const ws = new WebSocketApi(stack, 'Ws');
  expect(() => webSocketRouteOf(ws, '$disconnect')).toThrow("S/Ws has no child '$disconnect-Route' (the route WebSocketApi creates for $disconnect)");
  expect(() => httpDefaultRouteOf(new HttpApi(stack, 'Http'))).toThrow("S/Http has no child 'DefaultRoute'");
});
