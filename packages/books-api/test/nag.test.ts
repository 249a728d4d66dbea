import { NAG_ENVIRONMENTS, nagAcknowledgements } from '@apigw-blueprints/local';
import { App, Stack } from 'aws-cdk-lib';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BooksApi, BooksApiStack } from '../src';

const acknowledgements = nagAcknowledgements;

function check(stack: Stack) {
  // aws-cdk-lib 2.257 gives validation plugins no construct tree, so the pack is run on the stack directly.
  return new AwsSolutionsChecks().validateScope(stack);
}

const FUNCTIONS = ['ListBooks', 'CreateBook', 'GetBook', 'UpdateBook', 'DeleteBook'];
const ROUTES = ['GET--books', 'POST--books', 'GET--books--{id}', 'PUT--books--{id}', 'DELETE--books--{id}'];

test('AwsSolutions passes with exactly these acknowledgements, each with its reason', () => {
  const stack = new BooksApiStack(new App(), 'Books', { env: { region: 'us-east-1' } });
  const report = check(stack);
  expect(report.violations).toEqual([]);
  expect(report.success).toBe(true);

  const acks = acknowledgements(stack);
  expect(acks.map(({ id, path }) => `${id} ${path}`).sort()).toEqual([
    ...FUNCTIONS.map((f) => `AwsSolutions-IAM5[Resource::*] Books/Books/${f}/Role/DefaultPolicy`),
    ...ROUTES.map((r) => `AwsSolutions-APIG4 Books/Books/Api/${r}`),
  ].sort());
  for (const ack of acks) {
    expect(ack.reason).toMatch(ack.id.startsWith('AwsSolutions-IAM5') ? /xray:PutTraceSegments.*no resource-level permissions/ : /No authorizer was given \(prop `authorizer`\)/);
  }
});

test('with an authorizer, routes need no APIG4 acknowledgement', () => {
  const stack = new BooksApiStack(new App(), 'Books', { env: { region: 'us-east-1' }, books: { authorizer: new HttpIamAuthorizer() } });
  expect(check(stack).violations).toEqual([]);
  expect(acknowledgements(stack).filter((a) => a.id === 'AwsSolutions-APIG4')).toEqual([]);
});

// The stacks users write: every environment, and two of the construct side by side in a stack with an account.
test.each(NAG_ENVIRONMENTS)('$name: AwsSolutions passes with nothing unacknowledged', ({ env }) => {
  expect(check(new BooksApiStack(new App(), 'Matrix', { env })).violations).toEqual([]);
});

test('two BooksApis in one stack with an account: AwsSolutions passes with nothing unacknowledged', () => {
  const stack = new Stack(new App(), 'Two', { env: NAG_ENVIRONMENTS.find((e) => e.env?.account)!.env });
  new BooksApi(stack, 'First');
  new BooksApi(stack, 'Second');
  expect(check(stack).violations).toEqual([]);
});
