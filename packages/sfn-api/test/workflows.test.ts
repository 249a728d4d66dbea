// The synthesized state machine definitions, run locally by aws-local-stepfunctions,
// with the pricing task resolved to the shipped bundle (assets/price-order/index.js).
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { SfnApiStack } from '../src';

// aws-local-stepfunctions 3 targets Node 22; Node 20 lacks Promise.withResolvers.
if (!(Promise as any).withResolvers) {
  (Promise as any).withResolvers = () => {
    let resolve!: (v: unknown) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StateMachine, ExecutionError } = require('aws-local-stepfunctions');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pricing = require(join(__dirname, '..', 'assets', 'price-order', 'index.js'));

const template = Template.fromStack(new SfnApiStack(new App(), 'Sfn', { env: { region: 'us-east-1' } }));

/** The ASL of the state machine whose logical id starts with `prefix`, tokens filled with placeholders. */
function definition(prefix: string) {
  const [, machine] = Object.entries(template.findResources('AWS::StepFunctions::StateMachine')).find(([id]) => id.startsWith(prefix)) as [string, any];
  const parts: unknown[] = machine.Properties.DefinitionString['Fn::Join'][1];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'arn:aws:lambda:us-east-1:123456789012:function:price-order')).join(''));
}

async function run(prefix: string, input: unknown) {
  const machine = new StateMachine(definition(prefix), { validationOptions: { checkArn: false } });
  const execution = machine.run(input, {
    overrides: {
      taskResourceLocalHandlers: { 'Price the order': (event: unknown) => pricing.handler(event) },
      waitTimeOverrides: { 'Wait before pricing': 0 },
    },
  });
  try {
    return { output: await execution.result };
  } catch (error) {
    if (!(error instanceof ExecutionError)) throw error;
    const cause = (error as any).cause ?? error;
    return { error: cause.name as string, cause: cause.cause ?? cause.message };
  }
}

const ORDER = { orderId: 'o-1', items: [{ sku: 'book-dune', quantity: 2 }, { sku: 'bookmark', quantity: 1 }] };
const PRICED = {
  orderId: 'o-1',
  currency: 'EUR',
  items: [
    { sku: 'book-dune', quantity: 2, unitPrice: 1299, lineTotal: 2598 },
    { sku: 'bookmark', quantity: 1, unitPrice: 250, lineTotal: 250 },
  ],
  total: 2848,
};

describe.each([['Express', 'SfnApiExpressOrders'], ['Standard', 'SfnApiStandardOrders']])('the %s order workflow', (_, prefix) => {
  test('a valid order ends priced', async () => {
    expect(await run(prefix, ORDER)).toEqual({ output: PRICED });
  });

  test('empty items end in the Fail state with its error and cause', async () => {
    expect(await run(prefix, { items: [] })).toEqual({ error: 'InvalidOrder', cause: 'an order needs a non-empty "items" array' });
    expect(await run(prefix, {})).toEqual({ error: 'InvalidOrder', cause: 'an order needs a non-empty "items" array' });
  });

  test.each([
    ['a zero quantity', { items: [{ sku: 'bookmark', quantity: 0 }] }],
    ['a quantity as text', { items: [{ sku: 'bookmark', quantity: '2' }] }],
    ['an item without a sku', { items: [{ quantity: 2 }] }],
  ])('%s fails the item check', async (__, order) => {
    expect(await run(prefix, order)).toEqual({ error: 'InvalidOrder', cause: 'every item needs a string sku and a quantity of at least 1' });
  });

  test('what only the pricing function can check (a whole number, a known SKU) fails with its cause', async () => {
    const fractional = await run(prefix, { items: [{ sku: 'bookmark', quantity: 1.5 }] });
    expect(fractional.error).toBe('InvalidOrder');
    expect(fractional.cause).toContain('items[0].quantity: must be a whole number, got 1.5');
    const unknown = await run(prefix, { items: [{ sku: 'book-ulysses', quantity: 1 }] });
    expect(unknown.error).toBe('InvalidOrder');
    expect(unknown.cause).toContain("items[0].sku: unknown 'book-ulysses'");
  });
});

test('only the Standard workflow waits (there is something to stop)', () => {
  expect(Object.keys(definition('SfnApiStandardOrders').States)).toContain('Wait before pricing');
  expect(Object.keys(definition('SfnApiExpressOrders').States)).not.toContain('Wait before pricing');
});
