import { send } from './client';
import { serveFixture } from './fixture';
import { waitFor } from './wait';
import { RunningStack } from '../src/runner/serve-options';

const ENV_HANDLER = 'exports.handler = async () => ({ statusCode: 200, body: JSON.stringify(process.env) });';
const THROWS = 'exports.handler = async () => { console.log(\'about to fail\'); throw new TypeError(\'no such book\'); };';
const SLEEPS = 'exports.handler = async (event) => { await new Promise((r) => setTimeout(r, Number(event.queryStringParameters.ms))); return { statusCode: 200, body: \'woke\' }; };';
// Unmodified SDK code: no endpoint, no credentials in the source.
const WRITES_TABLE = `
const { DynamoDBClient, PutItemCommand, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const client = new DynamoDBClient({});
exports.handler = async () => {
  await client.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { pk: { S: 'k' }, v: { S: 'stored' } } }));
  const { Item } = await client.send(new GetItemCommand({ TableName: process.env.TABLE, Key: { pk: { S: 'k' } } }));
  return { statusCode: 200, body: Item.v.S };
};`;
// An action the embedded Step Functions does not emulate: the call must stay on loopback.
const CALLS_SFN = `
const { SFNClient, ListActivitiesCommand } = require('@aws-sdk/client-sfn');
exports.handler = async () => {
  try {
    await new SFNClient({}).send(new ListActivitiesCommand({}));
    return 'reached';
  } catch (e) {
    return { name: e.name, status: e.$metadata.httpStatusCode, message: e.message };
  }
};`;
// uuid is installed beside the runner, ws nowhere near: neither is in a Lambda runtime.
const REQUIRES_MISSING = 'exports.handler = async (e) => ({ statusCode: 200, body: typeof require(e.queryStringParameters.name) });';
// Each line carries the function's TAG: stdout and stderr reach the pool as two streams, in no fixed order.
const LOGS_AT_EVERY_LEVEL = `exports.handler = async () => {
  const tag = process.env.TAG;
  console.trace(tag + ' at trace'); console.debug(tag + ' at debug'); console.log(tag + ' at log');
  console.info(tag + ' at info'); console.warn(tag + ' at warn'); console.error(tag + ' at error');
  // Past the console (and its level filter): the last line of each stream, after which nothing more comes.
  process.stdout.write(tag + ' end of stdout\\n'); process.stderr.write(tag + ' end of stderr\\n');
  return { statusCode: 200, body: 'logged' };
};`;
const FAILS_AT_INIT = 'throw new Error(\'cannot start\'); exports.handler = async () => ({ statusCode: 200 });';

let running: RunningStack;
let base: string;
const lines: string[] = [];

beforeAll(async () => {
  running = await serveFixture({
    functions: {
      EnvA: { source: ENV_HANDLER, environment: { SHARED: 'from-a', ONLY_A: 'a' } },
      EnvB: { source: ENV_HANDLER, environment: { SHARED: 'from-b' } },
      Throws: { source: THROWS },
      Sleeps: { source: SLEEPS, timeout: 1 },
      WritesTable: { source: WRITES_TABLE, environment: { TABLE: { Ref: 'Table' } } },
      RequiresMissing: { source: REQUIRES_MISSING },
      CallsSfn: { source: CALLS_SFN },
      FailsAtInit: { source: FAILS_AT_INIT },
      LogsWarn: { source: LOGS_AT_EVERY_LEVEL, environment: { TAG: 'logs-warn' }, properties: { LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN' } } },
      LogsJson: { source: LOGS_AT_EVERY_LEVEL, environment: { TAG: 'logs-json' }, properties: { LoggingConfig: { LogFormat: 'JSON' } } },
      LogsText: { source: LOGS_AT_EVERY_LEVEL, environment: { TAG: 'logs-text' }, properties: { LoggingConfig: { LogFormat: 'Text', ApplicationLogLevel: 'ERROR' } } },
    },
    routes: [
      { routeKey: 'GET /a', fn: 'EnvA' },
      { routeKey: 'GET /b', fn: 'EnvB' },
      { routeKey: 'GET /throws', fn: 'Throws' },
      { routeKey: 'GET /sleeps', fn: 'Sleeps' },
      { routeKey: 'GET /table', fn: 'WritesTable' },
      { routeKey: 'GET /missing', fn: 'RequiresMissing' },
      { routeKey: 'GET /sfn', fn: 'CallsSfn' },
      { routeKey: 'GET /init', fn: 'FailsAtInit' },
      { routeKey: 'GET /logs-warn', fn: 'LogsWarn' },
      { routeKey: 'GET /logs-text', fn: 'LogsText' },
      { routeKey: 'GET /logs-json', fn: 'LogsJson' },
      { routeKey: 'GET /slow-integration', fn: 'Sleeps', integration: { TimeoutInMillis: 300 } },
    ],
    resources: {
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' },
      },
    },
  }, lines);
  base = running.apis[0].stageUrls.$default;
});
afterAll(() => running.stop());

test('two functions with clashing variables each see their own, plus the standard Lambda ones, and not the runner\'s', async () => {
  process.env.RUNNER_ONLY = 'secret';
  const [a, b] = await Promise.all([send(`${base}/a`), send(`${base}/b`)]).then((r) => r.map((x) => x.json()))
    .finally(() => delete process.env.RUNNER_ONLY);
  expect(a).toMatchObject({ SHARED: 'from-a', ONLY_A: 'a' });
  expect(b.SHARED).toBe('from-b');
  expect(b.ONLY_A).toBeUndefined();
  expect(a.RUNNER_ONLY).toBeUndefined();
  const fnA = running.functions.find((f) => f.logicalId === 'EnvA')!;
  expect(a).toMatchObject({
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_LAMBDA_FUNCTION_NAME: fnA.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fnA.name}`,
    _HANDLER: 'index.handler',
    AWS_ENDPOINT_URL_DYNAMODB: running.dynamoDbEndpoint,
    AWS_ENDPOINT_URL_SFN: running.stepFunctionsEndpoint,
    AWS_ACCESS_KEY_ID: expect.any(String),
    AWS_SECRET_ACCESS_KEY: expect.any(String),
  });
  expect(a.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
});

test('an unmodified SDK client reaches the embedded DynamoDB through AWS_ENDPOINT_URL_DYNAMODB', async () => {
  const reply = await send(`${base}/table`);
  expect([reply.status, reply.text]).toEqual([200, 'stored']);
});

test('an SDK call the runner does not emulate never leaves loopback: a 501 NotEmulated error the SDK parses', async () => {
  lines.length = 0;
  const reply = await send(`${base}/sfn`);
  expect(reply.json()).toEqual({ name: 'NotEmulated', status: 501, message: 'states (AWSStepFunctions.ListActivities) is not emulated by apigw-local' });
  expect(lines).toContain('a function called states (AWSStepFunctions.ListActivities), which the runner does not emulate: answered 501 NotEmulated');
});

test.each(['uuid', 'ws', 'dynalite'])('a package neither bundled nor in the Lambda runtime (%s) is not found, as on Lambda (500)', async (name) => {
  lines.length = 0;
  const reply = await send(`${base}/missing?name=${name}`);
  expect([reply.status, reply.json()]).toEqual([500, { message: 'Internal Server Error' }]);
  expect(lines.join('\n')).toContain(`Cannot find module '${name}'`);
});

test('an error while the code loads fails the invocation (500) and is tried again on the next, as Lambda retries init', async () => {
  lines.length = 0;
  for (let i = 0; i < 2; i++) {
    const reply = await send(`${base}/init`);
    expect([reply.status, reply.json()]).toEqual([500, { message: 'Internal Server Error' }]);
  }
  // Each environment's own output arrives through its process's stderr, which may trail the 500.
  await waitFor(() => lines.filter((l) => l.includes('Error: cannot start')).length >= 2, 'both environments\' init errors');
  expect(lines.filter((l) => l.includes('INIT_REPORT Phase: init Status: error Error Type: Error'))).toHaveLength(2);
});

test('past the integration\'s TimeoutInMillis: 503 {"message":"Service Unavailable"}, while the function runs on', async () => {
  lines.length = 0;
  const reply = await send(`${base}/slow-integration?ms=800`);
  expect([reply.status, reply.json()]).toEqual([503, { message: 'Service Unavailable' }]);
  expect(lines.join('\n')).toContain('the integration timed out after 300 ms');
});

test('a handler that throws: 500 {"message":"Internal Server Error"}; its output and error printed with the function name', async () => {
  lines.length = 0;
  const reply = await send(`${base}/throws`);
  expect([reply.status, reply.json()]).toEqual([500, { message: 'Internal Server Error' }]);
  const name = running.functions.find((f) => f.logicalId === 'Throws')!.name;
  expect(lines).toContain(`[${name}] about to fail`);
  expect(lines.join('\n')).toContain(`[${name}] TypeError: no such book`);
  expect(reply.text).not.toMatch(/no such book/);
});

test('a handler past its timeout: 500, "Task timed out" printed, and the next call gets a fresh worker that works', async () => {
  lines.length = 0;
  const slow = await send(`${base}/sleeps?ms=5000`);
  expect([slow.status, slow.json()]).toEqual([500, { message: 'Internal Server Error' }]);
  expect(lines.join('\n')).toMatch(/Task timed out after 1\.00 seconds/);
  const quick = await send(`${base}/sleeps?ms=1`);
  expect([quick.status, quick.text]).toEqual([200, 'woke']);
});

// Lambda filters application logs by level only in the JSON log format
// (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html).
test.each([
  ['JSON at WARN drops trace, debug, log and info', '/logs-warn', ['at warn', 'at error']],
  ['JSON without a level filters at INFO', '/logs-json', ['at log', 'at info', 'at warn', 'at error']],
  ['Text ignores the level: every line is kept', '/logs-text', ['at trace', 'at debug', 'at log', 'at info', 'at warn', 'at error']],
])('application log level: %s', async (_name, path, kept) => {
  const tag = path.slice(1);
  expect((await send(`${base}${path}`)).status).toBe(200);
  const levels = ['at trace', 'at debug', 'at log', 'at info', 'at warn', 'at error'];
  const logged = () => levels.filter((text) => lines.some((l) => l.includes(`${tag} ${text}`)));
  // Once both streams' last lines are in, every line the handler wrote is.
  await waitFor(() => ['stdout', 'stderr'].every((stream) => lines.some((l) => l.includes(`${tag} end of ${stream}`))), `${tag}'s last lines`);
  expect(logged()).toEqual(kept);
});
