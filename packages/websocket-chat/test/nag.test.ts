import { NAG_ENVIRONMENTS, nagAcknowledgements } from '@apigw-blueprints/local';
import { App, Stack } from 'aws-cdk-lib';
import { WebSocketIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { AwsSolutionsChecks } from 'cdk-nag';
import { WebSocketChat, WebSocketChatStack } from '../src';

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

// The stacks users write: every environment, and two of the construct side by side in a stack with an account.
test.each(NAG_ENVIRONMENTS)('$name: AwsSolutions passes with nothing unacknowledged', ({ env }) => {
  expect(check(new WebSocketChatStack(new App(), 'Matrix', { env })).violations).toEqual([]);
});

test('two WebSocketChats in one stack with an account: AwsSolutions passes with nothing unacknowledged', () => {
  const stack = new Stack(new App(), 'Two', { env: NAG_ENVIRONMENTS.find((e) => e.env?.account)!.env });
  new WebSocketChat(stack, 'First');
  new WebSocketChat(stack, 'Second');
  expect(check(stack).violations).toEqual([]);
});
