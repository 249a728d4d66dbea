import { nagAcknowledgements } from '@apigw-blueprints/local';
import { App, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { PrivateAlbApiStack, PrivateTarget } from '../src';

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
