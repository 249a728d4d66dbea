import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SfnApiStack } from '../src';

const template = Template.fromStack(new SfnApiStack(new App(), 'Sfn', { env: { region: 'us-east-1' } }));

test('POST /executions/sync starts the Express machine synchronously', () => {
  template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /executions/sync' });
  template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
    IntegrationSubtype: 'StepFunctions-StartSyncExecution',
    RequestParameters: { StateMachineArn: Match.anyValue() },
  });
  template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'EXPRESS' });
});

test('API Gateway may only StartSyncExecution on that machine', () => {
  template.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: [Match.objectLike({ Action: 'states:StartSyncExecution', Resource: { Ref: Match.stringLikeRegexp('Express') } })] },
  });
});
