import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** A stack with a region and no account, as every test and sample app uses. */
export function newStack(id = 'Test'): Stack {
  return new Stack(new App(), id, { env: { region: 'us-east-1' } });
}

/** A small inline function (no asset), for routes that need a handler. */
export function inlineFunction(scope: Construct, id: string): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  });
}

/** Every resource of `type` in the stack's template, as property objects. */
export function propertiesOf(stack: Stack, type: string): any[] {
  return Object.values(Template.fromStack(stack).findResources(type)).map((r: any) => r.Properties);
}

/** The IAM policy statements of the stack, flattened. */
export function statementsOf(stack: Stack): any[] {
  return propertiesOf(stack, 'AWS::IAM::Policy').flatMap((p) => p.PolicyDocument.Statement);
}

/**
 * Whether `arn` matches `pattern` under IAM's ArnLike rules: `*` any run of
 * characters (slashes included), `?` one character
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN).
 */
export function arnLike(pattern: string, arn: string): boolean {
  // IAM compares the six colon-separated parts one by one; wildcards do not cross a colon of the first five.
  const parts = (s: string) => {
    const split = s.split(':');
    return [...split.slice(0, 5), split.slice(5).join(':')];
  };
  const like = (p: string, v: string) => new RegExp(`^${p.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('')}$`).test(v);
  const [p, a] = [parts(pattern), parts(arn)];
  return p.length === a.length && p.every((part, i) => like(part, a[i]));
}

/** A template value with `Fn::Join` and `Ref` rendered from `refs` (pseudo parameters included). */
export function renderJoin(value: any, refs: Record<string, string>): string {
  if (typeof value === 'string') return value;
  if (value.Ref) {
    const key = Object.keys(refs).find((k) => value.Ref === k || value.Ref.startsWith(k));
    if (!key) throw new Error(`no value for Ref ${value.Ref}`);
    return refs[key];
  }
  const [separator, parts] = value['Fn::Join'];
  return parts.map((p: any) => renderJoin(p, refs)).join(separator);
}
