import { nagAcknowledgements } from '@apigw-blueprints/local';
import { App, Stack } from 'aws-cdk-lib';
import { WebSocketIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { AwsSolutionsChecks } from 'cdk-nag';
import { WebSocketChatStack } from '../src';

const acknowledgements = nagAcknowledgements;
// aws-cdk-lib 2.257 gives validation plugins no construct tree, so the pack runs on the stack directly.
const check = (stack: Stack) => new AwsSolutionsChecks().validateScope(stack);

test('AwsSolutions passes with exactly these acknowledgements', () => {
  const stack = new WebSocketChatStack(new App(), 'Chat', { env: { region: 'us-east-1' } });
  expect(check(stack).violations).toEqual([]);
  const acks = acknowledgements(stack);
  expect(acks.map(({ id, path }) => `${id} ${path}`).sort()).toEqual([
    'AwsSolutions-APIG4 Chat/Chat/Api/$connect-Route',
    'AwsSolutions-APIG4 Chat/Chat/Api/$default-Route',
    'AwsSolutions-APIG4 Chat/Chat/Api/$disconnect-Route',
    'AwsSolutions-APIG4 Chat/Chat/Api/join-Route',
    'AwsSolutions-APIG4 Chat/Chat/Api/sendmessage-Route',
    'AwsSolutions-IAM5[Resource::*] Chat/Chat/DefaultRoute/Role/DefaultPolicy',
    'AwsSolutions-IAM5[Resource::*] Chat/Chat/Join/Role/DefaultPolicy',
    'AwsSolutions-IAM5[Resource::*] Chat/Chat/SendMessage/Role/DefaultPolicy',
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:us-east-1:<AWS::AccountId>:<ChatApi86739009>/prod/*/@connections/*] Chat/Chat/SendMessage/Role/DefaultPolicy',
  ]);
  for (const ack of acks) expect(ack.reason.length).toBeGreaterThan(40);
});

test('with a connect authorizer, $connect needs no acknowledgement; a region-agnostic stack passes too', () => {
  const stack = new WebSocketChatStack(new App(), 'Chat', { env: { region: 'us-east-1' }, chat: { connectAuthorizer: new WebSocketIamAuthorizer() } });
  expect(check(stack).violations).toEqual([]);
  expect(acknowledgements(stack).map((a) => a.path)).not.toContain('Chat/Chat/Api/$connect-Route');
  expect(check(new WebSocketChatStack(new App(), 'Anywhere')).violations).toEqual([]);
});
