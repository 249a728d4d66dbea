import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningStack, serveStack } from '@apigw-blueprints/local';

// The sfn app as `cdk synth` writes it, served by the local runner: the real
// template's Step Functions integrations and parameter mappings, the real
// state machine definitions in aws-local-stepfunctions, the shipped pricing
// and status bundles in execution environments.
let running: RunningStack;
let base: string;

beforeAll(async () => {
  running = await serveStack({ source: join(__dirname, '..'), synthOutdir: mkdtempSync(join(tmpdir(), 'sfn-app-local-')), port: 0, log: () => undefined });
  base = running.apis[0].stageUrls.$default;
}, 120_000);
afterAll(async () => {
  await running?.stop();
});

async function post(path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() as any };
}

const ORDER = { orderId: 'o-7', items: [{ sku: 'book-dune', quantity: 2 }, { sku: 'bookmark', quantity: 1 }] };

test('serves every route of the app with nothing left out', () => {
  expect(running.apis[0].routeKeys.sort()).toEqual(['GET /executions/{name}', 'POST /start', 'POST /start-sync', 'POST /stop']);
  expect(running.notEmulated).toEqual([]);
  expect(running.stateMachines.map((m) => m.type).sort()).toEqual(['EXPRESS', 'STANDARD']);
});

test('/start-sync returns the priced order with status SUCCEEDED', async () => {
  const { status, body } = await post('/start-sync', ORDER);
  expect(status).toBe(200);
  expect(body.status).toBe('SUCCEEDED');
  expect(body.executionArn).toMatch(/^arn:aws:states:us-east-1:\d{12}:express:[^:]+:[^:]+:[0-9a-f-]{36}$/);
  expect(JSON.parse(body.output)).toEqual({
    orderId: 'o-7',
    currency: 'EUR',
    items: [
      { sku: 'book-dune', quantity: 2, unitPrice: 1299, lineTotal: 2598 },
      { sku: 'bookmark', quantity: 1, unitPrice: 250, lineTotal: 250 },
    ],
    total: 2848,
  });
  expect(JSON.parse(body.input)).toEqual(ORDER);
});

test('an invalid order ends FAILED with its error and cause, still with 200 as StartSyncExecution answers', async () => {
  const empty = await post('/start-sync', { items: [] });
  expect(empty).toMatchObject({ status: 200, body: { status: 'FAILED', error: 'InvalidOrder', cause: 'an order needs a non-empty "items" array' } });
  expect(empty.body.output).toBeUndefined();

  // The pricing function's own rejection: caught by the workflow, its cause the Lambda error JSON.
  const fractional = await post('/start-sync', { items: [{ sku: 'bookmark', quantity: 1.5 }] });
  expect(fractional.body).toMatchObject({ status: 'FAILED', error: 'InvalidOrder' });
  expect(JSON.parse(fractional.body.cause)).toMatchObject({ errorType: 'InvalidOrder', errorMessage: expect.stringContaining('items[0].quantity: must be a whole number, got 1.5') });
});

test('/start returns an execution that GET /executions/{name} reports RUNNING and /stop?executionArn= stops', async () => {
  const started = await post('/start', ORDER);
  expect(started.status).toBe(200);
  expect(Object.keys(started.body).sort()).toEqual(['executionArn', 'startDate']);
  const arn: string = started.body.executionArn;
  const name = arn.split(':').pop()!;

  const describe = async () => {
    const res = await fetch(`${base}/executions/${name}`);
    return { status: res.status, body: await res.json() as any };
  };
  // The Standard workflow waits 30 s before pricing: it is still running.
  expect(await describe()).toMatchObject({ status: 200, body: { name, executionArn: arn, status: 'RUNNING' } });

  const stopped = await post(`/stop?executionArn=${encodeURIComponent(arn)}`);
  expect(stopped.status).toBe(200);
  expect(typeof stopped.body.stopDate).toBe('number');
  expect(await describe()).toMatchObject({ status: 200, body: { status: 'ABORTED', stopDate: expect.any(String) } });
});

test('/stop without executionArn is 400 naming the parameter, before Step Functions is called', async () => {
  const { status, body } = await post('/stop');
  expect(status).toBe(400);
  expect(body.message).toMatch(/^ExecutionArn is required/);
});

test('/stop of an execution that does not exist passes Step Functions\' error on', async () => {
  const arn = running.stateMachines.find((m) => m.type === 'STANDARD')!.arn.replace(':stateMachine:', ':execution:') + ':nope';
  const { status, body } = await post(`/stop?executionArn=${encodeURIComponent(arn)}`);
  expect(status).toBe(400);
  expect(body).toEqual({ __type: 'ExecutionDoesNotExist', message: `Execution Does Not Exist: '${arn}'` });
});

test('GET /executions/{name} of an unknown name is the status function\'s 404', async () => {
  const res = await fetch(`${base}/executions/does-not-exist`);
  expect(res.status).toBe(404);
  expect(await res.json()).toHaveProperty('message');
});
