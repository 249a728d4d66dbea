import { NAG_ENVIRONMENTS, nagAcknowledgements } from '@apigw-blueprints/local';
import { App, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { SfnApi, SfnApiStack } from '../src';

const acknowledgements = (root: IConstruct) => nagAcknowledgements(root).map((a) => `${a.id} ${a.path}`);
// aws-cdk-lib 2.257 gives validation plugins no construct tree, so the pack runs on the stack directly.
const check = (stack: Stack) => new AwsSolutionsChecks().validateScope(stack);

test('AwsSolutions passes with exactly these acknowledgements', () => {
  const stack = new SfnApiStack(new App(), 'Sfn', { env: { region: 'us-east-1' } });
  expect(check(stack).violations).toEqual([]);
  const executions = 'arn:<AWS::Partition>:states:us-east-1:<AWS::AccountId>:execution:<SfnApiStandardOrdersStateMachine152BF001.Name>:*';
  expect(acknowledgements(stack).sort()).toEqual([
    'AwsSolutions-APIG4 Sfn/SfnApi/Api/POST--start',
    'AwsSolutions-APIG4 Sfn/SfnApi/Api/POST--start-sync',
    'AwsSolutions-APIG4 Sfn/SfnApi/Api/POST--stop',
    'AwsSolutions-IAM5[Resource::*] Sfn/SfnApi/ExpressOrders/StateMachine/Role/DefaultPolicy',
    'AwsSolutions-IAM5[Resource::*] Sfn/SfnApi/PriceOrder/Role/DefaultPolicy',
    'AwsSolutions-IAM5[Resource::*] Sfn/SfnApi/StandardOrders/StateMachine/Role/DefaultPolicy',
    'AwsSolutions-IAM5[Resource::<SfnApiPriceOrderFunction66BC1CD1.Arn>:*] Sfn/SfnApi/ExpressOrders/StateMachine/Role/DefaultPolicy',
    'AwsSolutions-IAM5[Resource::<SfnApiPriceOrderFunction66BC1CD1.Arn>:*] Sfn/SfnApi/StandardOrders/StateMachine/Role/DefaultPolicy',
    `AwsSolutions-IAM5[Resource::${executions}] Sfn/SfnApi/Api/POST--stop/InvokeRole/DefaultPolicy`,
    'AwsSolutions-SF1 Sfn/SfnApi/StandardOrders/StateMachine',
  ].sort());
});

test('with the status route and in a region-agnostic stack, AwsSolutions still passes', () => {
  expect(check(new SfnApiStack(new App(), 'Sfn', { env: { region: 'us-east-1' }, sfnApi: { executionStatusRoute: true } })).violations).toEqual([]);
  expect(check(new SfnApiStack(new App(), 'Anywhere')).violations).toEqual([]);
});

// The stacks users write: every environment, and two of the construct side by side in a stack with an account.
test.each(NAG_ENVIRONMENTS)('$name: AwsSolutions passes with nothing unacknowledged', ({ env }) => {
  // With the status route: its function's DescribeExecution grant is acknowledged too.
  expect(check(new SfnApiStack(new App(), 'Matrix', { env, sfnApi: { executionStatusRoute: true } })).violations).toEqual([]);
});

test('two SfnApis in one stack with an account: AwsSolutions passes with nothing unacknowledged', () => {
  const stack = new Stack(new App(), 'Two', { env: NAG_ENVIRONMENTS.find((e) => e.env?.account)!.env });
  new SfnApi(stack, 'First', { executionStatusRoute: true });
  new SfnApi(stack, 'Second', { executionStatusRoute: true });
  expect(check(stack).violations).toEqual([]);
});
