import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { WebSocketChatStack } from '../src';

const template = Template.fromStack(new WebSocketChatStack(new App(), 'Chat', { env: { region: 'us-east-1' } }));

test('routes messages by $request.body.action and connects without a Lambda', () => {
  template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' });
  template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$connect' });
  template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$disconnect' });
  template.resourceCountIs('AWS::Lambda::Function', 0);
  template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
    IntegrationType: 'AWS',
    IntegrationUri: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('dynamodb:action/PutItem$')])] },
  });
});

test('each connection route may make exactly its own DynamoDB call', () => {
  const actions = Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement.map((s: any) => s.Action)).sort();
  expect(actions).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem']);
});

test('the table expires items on ttl and indexes connections by room', () => {
  template.hasResourceProperties('AWS::DynamoDB::Table', {
    TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'byRoom' })],
  });
});
