import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BooksApiStack } from '../src';

const template = Template.fromStack(new BooksApiStack(new App(), 'Books', { env: { region: 'us-east-1' } }));

test('GET /books is a Lambda proxy route (payload 2.0) to an arm64 function on the newest Node.js runtime', () => {
  template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /books' });
  template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
  template.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'nodejs24.x',
    Architectures: ['arm64'],
    TracingConfig: { Mode: 'Active' },
    Environment: { Variables: { TABLE_NAME: Match.anyValue() } },
  });
});

test('the table is on-demand, with point-in-time recovery, and retained', () => {
  template.hasResource('AWS::DynamoDB::Table', {
    DeletionPolicy: 'Retain',
    Properties: Match.objectLike({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  });
});

test('the list function may only Scan the table', () => {
  const policies = template.findResources('AWS::IAM::Policy');
  const actions = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .filter((s: any) => String(s.Action).startsWith('dynamodb:'))
    .map((s: any) => s.Action);
  expect(actions).toEqual(['dynamodb:Scan']);
});
