import { NAG_ENVIRONMENTS, nagAcknowledgements } from '@apigw-blueprints/local';
import { App, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { PrivateAlbApi, PrivateAlbApiStack, PrivateTarget } from '../src';

const acknowledgements = (root: IConstruct) => nagAcknowledgements(root).map((a) => `${a.id} ${a.path}`).sort();
// aws-cdk-lib 2.257 gives validation plugins no construct tree, so the pack runs on the stack directly.
const check = (stack: Stack) => new AwsSolutionsChecks().validateScope(stack);
const ROUTES = ['AwsSolutions-APIG4 Private/PrivateAlbApi/Api/ANY--{proxy+}', 'AwsSolutions-APIG4 Private/PrivateAlbApi/Api/DefaultRoute'];

test.each([
  ['ALB', undefined, ['AwsSolutions-S1 Private/PrivateAlbApi/AlbAccessLogs']],
  ['NLB', PrivateTarget.nlb(), ['AwsSolutions-ELB2 Private/PrivateAlbApi/Nlb']],
  ['Cloud Map', PrivateTarget.cloudMap(), []],
])('%s target: AwsSolutions passes with exactly these acknowledgements', (_, target, extra) => {
  const stack = new PrivateAlbApiStack(new App(), 'Private', { env: { region: 'us-east-1' }, privateAlbApi: { target } });
  expect(check(stack).violations).toEqual([]);
  expect(acknowledgements(stack)).toEqual([...ROUTES, ...extra].sort());
});

// The stacks users write: every environment, and two of the construct side by side in a stack with an account.
test.each(NAG_ENVIRONMENTS.filter((e) => e.env?.region))('$name: AwsSolutions passes with nothing unacknowledged', ({ env }) => {
  for (const target of [undefined, PrivateTarget.nlb(), PrivateTarget.cloudMap()]) {
    expect(check(new PrivateAlbApiStack(new App(), 'Matrix', { env, privateAlbApi: { target } })).violations).toEqual([]);
  }
});

test('no env: the ALB target asks for a region at synth (its access logs need one); NLB and Cloud Map targets pass AwsSolutions', () => {
  expect(() => new PrivateAlbApiStack(new App(), 'Matrix')).toThrow(/^\[PrivateAlbApi\] env\.region: ALB access logging needs a concrete region/);
  for (const target of [PrivateTarget.nlb(), PrivateTarget.cloudMap()]) {
    expect(check(new PrivateAlbApiStack(new App(), 'Matrix', { privateAlbApi: { target } })).violations).toEqual([]);
  }
});

test('two PrivateAlbApis in one stack with an account: AwsSolutions passes with nothing unacknowledged', () => {
  const stack = new Stack(new App(), 'Two', { env: NAG_ENVIRONMENTS.find((e) => e.env?.account)!.env });
  new PrivateAlbApi(stack, 'First');
  new PrivateAlbApi(stack, 'Second');
  expect(check(stack).violations).toEqual([]);
});
