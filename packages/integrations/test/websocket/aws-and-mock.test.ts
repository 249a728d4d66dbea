import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpMethod, PassthroughBehavior, WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { WebSocketAwsIntegration, WebSocketMockIntegration } from '../../src';
import { newStack } from '../helpers';

describe('WebSocketAwsIntegration', () => {
  test("the seed's $connect route writing to DynamoDB", () => {
    const stack = newStack();
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const apiRole = new iam.Role(stack, 'ApiRole', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
    const api = new WebSocketApi(stack, 'mywsapi');
    new WebSocketStage(stack, 'mystage', { webSocketApi: api, stageName: 'dev', autoDeploy: true });
    api.addRoute('$connect', {
      integration: new WebSocketAwsIntegration('DynamodbPutItem', {
        integrationUri: `arn:aws:apigateway:${Stack.of(stack).region}:dynamodb:action/PutItem`,
        integrationMethod: HttpMethod.POST,
        credentialsRole: apiRole,
        requestTemplates: { 'application/json': JSON.stringify({ TableName: table.tableName, Item: { id: { S: '$context.requestId' } } }) },
        passthroughBehavior: PassthroughBehavior.NEVER,
      }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS',
      IntegrationUri: 'arn:aws:apigateway:us-east-1:dynamodb:action/PutItem',
      IntegrationMethod: 'POST',
      PassthroughBehavior: 'NEVER',
      CredentialsArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiRole'), 'Arn'] },
    });
  });
});

describe('WebSocketMockIntegration', () => {
  test('a MOCK integration with its templates', () => {
    const stack = newStack();
    const api = new WebSocketApi(stack, 'Api');
    api.addRoute('sendMessage', {
      integration: new WebSocketMockIntegration('Mock', { requestTemplates: { 'application/json': '{"statusCode": 200}' }, templateSelectionExpression: '\\$default' }),
      returnResponse: true,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'MOCK',
      RequestTemplates: { 'application/json': '{"statusCode": 200}' },
      TemplateSelectionExpression: '\\$default',
    });
  });
});
