import { App, ArnFormat, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { acknowledgeNagRule, nagText } from '../../src/private/nag';

const KEY = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;
// aws-cdk-lib writes a rule's id as `annotation::<id>` (2.257) or `Annotation::<id>` (later); cdk-nag matches both.
const idsOn = (scope: iam.Role) => scope.node.metadata.filter((m) => m.type === KEY).flatMap((m) => Object.keys(m.data)).map((id) => id.replace(/^annotation::/i, ''));

describe('nagText: a value as cdk-nag prints it in a finding id', () => {
  test.each([
    ['an environment-agnostic stack: pseudo parameters as <AWS::...>', undefined, 'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:m:*'],
    ['a stack with an account and a region: literals', { account: '123456789012', region: 'eu-west-1' }, 'arn:<AWS::Partition>:states:eu-west-1:123456789012:execution:m:*'],
  ])('%s', (_, env, expected) => {
    const stack = new Stack(new App(), 'S', { env });
    expect(nagText(stack, stack.formatArn({ service: 'states', resource: 'execution', resourceName: 'm:*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }))).toBe(expected);
  });

  test('Ref, GetAtt, Sub (its ${} as <>), ImportValue, anything else as JSON', () => {
    const stack = new Stack(new App(), 'S');
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    const id = stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
    expect(nagText(stack, fn.functionName)).toBe(`<${id}>`);
    expect(nagText(stack, `${fn.functionArn}:*`)).toBe(`<${id}.Arn>:*`);
    expect(nagText(stack, Fn.sub('arn:${AWS::Partition}:s3:::bucket/*'))).toBe('arn:<AWS::Partition>:s3:::bucket/*');
    expect(nagText(stack, Fn.importValue('Shared'))).toBe('Shared');
    expect(nagText(stack, '*')).toBe('*');
    // The array form of Fn::Sub, and anything else, print as their JSON.
    expect(nagText(stack, { 'Fn::Sub': ['arn:${P}:x', { P: 'aws' }] })).toBe('["arn:${P}:x",{"P":"aws"}]');
    expect(nagText(stack, { 'Fn::Select': [0, ['a', 'b']] })).toBe('{"Fn::Select":[0,["a","b"]]}');
  });
});

describe('acknowledgeNagRule', () => {
  test('a whole rule through Validations.acknowledge; a finding as cdk-nag prints it, however aws-cdk-lib would rewrite it', () => {
    const stack = new Stack(new App(), 'S');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    acknowledgeNagRule(role, 'AwsSolutions-APIG4', 'a reason long enough to read');
    acknowledgeNagRule(role, 'AwsSolutions-IAM5', 'a reason long enough to read', { resource: '*' });
    acknowledgeNagRule(role, 'AwsSolutions-IAM5', 'a reason long enough to read', { resource: 'arn:aws:s3:::my bucket/*' });
    expect(idsOn(role).sort()).toEqual(['AwsSolutions-APIG4', 'AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-IAM5[Resource::arn:aws:s3:::my bucket/*]']);
  });

  test('a finding whose id holds more \'::\' (<AWS::Partition>) is recorded as acknowledge() records it, with its reason', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'us-east-1' } });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const managed = iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole');
    acknowledgeNagRule(role, 'AwsSolutions-IAM4', 'the managed policy Lambda documents', { policy: managed.managedPolicyArn });
    expect(role.node.metadata.filter((m) => m.type === KEY).map((m) => m.data)).toEqual([
      { 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]': 'the managed policy Lambda documents' },
    ]);
  });
});
