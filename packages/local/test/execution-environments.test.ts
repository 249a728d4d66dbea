// Execution environments as Lambda's, on an app built with aws-cdk-lib's
// own constructs (HttpApi, lambda.Function, HttpLambdaIntegration), served
// by the runner with its defaults.
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { Duration, Stack } from 'aws-cdk-lib';
import { HttpApi, HttpIntegrationSubtype, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration, HttpStepFunctionsIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Code, Function as LambdaFunction, FunctionProps, Runtime } from 'aws-cdk-lib/aws-lambda';
import { DefinitionBody, Pass, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { codeFolder, synthStack } from './cdk-app';
import { send } from './client';
import { RunningStack } from '../src/runner/serve-options';
import { serveStack } from '../src/runner/serve-stack';

// Calls another route of its own function through the API, as a handler fetching its own API does.
const SELF_CALLING = `
exports.handler = async (event) => {
  if (event.rawPath === '/leaf') {
    await new Promise((r) => setTimeout(r, 100));
    return { statusCode: 200, body: 'leaf' };
  }
  const leaf = await fetch(process.env.API_URL + '/leaf');
  return { statusCode: 200, body: 'outer+' + (await leaf.text()) };
};`;
const SLEEPS = 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 600)); return { statusCode: 200, body: \'slept\' }; };';
// Throws outside the handler's promise on its first call; answers on the next.
const THROWS_LATER = `
exports.handler = async (event) => {
  if (event.rawPath === '/crash') {
    setTimeout(() => { throw new RangeError('thrown in a timer'); }, 10);
    await new Promise((r) => setTimeout(r, 500));
  }
  return { statusCode: 200, body: 'pid ' + process.pid };
};`;
const SLEEPS_2S = 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 2000)); return \'slept\'; };';
const REPORTS_PLACE = `
const { readFileSync } = require('node:fs');
exports.handler = async (event, context) => ({
  statusCode: 200,
  body: JSON.stringify({
    offsetMinutes: new Date(Date.UTC(2026, 0, 15)).getTimezoneOffset(),
    zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    cwd: process.cwd(),
    template: readFileSync('./template.html', 'utf8'),
    maxHeaderSize: require('node:http').maxHeaderSize,
    env: process.env,
    context: { ...context, remaining: context.getRemainingTimeInMillis() },
  }),
});`;
// Holds 400 MB of zero-filled Buffers: resident, past a 128 MB function's memory.
const HOGS_MEMORY = `
exports.handler = async (event) => {
  if (event.rawPath === '/hog') {
    const held = [];
    for (let i = 0; i < 40; i++) held.push(Buffer.alloc(10 * 1024 * 1024, 1));
    await new Promise((r) => setTimeout(r, 300));
    return { statusCode: 200, body: 'held ' + held.length * 10 + ' MB' };
  }
  return { statusCode: 200, body: 'fine' };
};`;
// Its module takes 1.5 s to load: past the (shortened) init limit, within a 3 s timeout, past a 1 s one.
const SLOW_INIT = `
const until = Date.now() + 1500;
while (Date.now() < until) { /* a slow init: loading, connecting, warming caches */ }
exports.handler = async () => ({ statusCode: 200, body: 'initialized' });`;
// Unmodified SDK code: no endpoint, no credentials, no region in the source.
const USES_SDK = `
const { DynamoDBClient, PutItemCommand, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const { SFNClient, ListActivitiesCommand } = require('@aws-sdk/client-sfn');
const { ApiGatewayManagementApiClient, GetConnectionCommand } = require('@aws-sdk/client-apigatewaymanagementapi');
const client = new DynamoDBClient({});
exports.handler = async () => {
  await client.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { pk: { S: 'k' }, v: { S: 'stored' } } }));
  const { Item } = await client.send(new GetItemCommand({ TableName: process.env.TABLE, Key: { pk: { S: 'k' } } }));
  // An action the embedded Step Functions lacks, and a service the runner does not embed (AWS_ENDPOINT_URL, the catch-all).
  let sfn;
  try { await new SFNClient({}).send(new ListActivitiesCommand({})); sfn = 'reached'; } catch (e) { sfn = e.name + ' ' + e.$metadata?.httpStatusCode; }
  let other;
  try { await new ApiGatewayManagementApiClient({}).send(new GetConnectionCommand({ ConnectionId: 'c' })); other = 'reached'; } catch (e) { other = e.name + ' ' + e.$metadata?.httpStatusCode; }
  const credentials = await client.config.credentials();
  const home = require('node:os').homedir();
  const sees = {
    accessKeyId: credentials.accessKeyId,
    profile: process.env.AWS_PROFILE ?? null,
    homeIsEmpty: require('node:fs').readdirSync(home).length === 0,
    homeIsTheHosts: home === process.env.HOST_HOME,
  };
  let aws;
  try {
    await new DynamoDBClient({ endpoint: 'https://dynamodb.eu-west-1.amazonaws.com' }).send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'k' } } }));
    aws = 'reached AWS';
  } catch (e) { aws = (e.code || e.name) + (/never reaches AWS/.test(e.message) ? ' by the runner' : ''); }
  return { statusCode: 200, body: JSON.stringify({ stored: Item.v.S, region: await client.config.region(), sfn, other, aws, sees }) };
};`;

// A describe block, so that its afterAll restores the host's variables before the leak guard looks.
describe('on a developer\'s machine', () => {
  const lines: string[] = [];
  let running: RunningStack;
  let base: string;
  // The host as a developer's machine might be: another time zone, a profile, and a shared config that would send the SDK to AWS.
  const HOST = { TZ: 'America/New_York', AWS_PROFILE: 'dev', HOME: '', AWS_CONFIG_FILE: undefined, AWS_SHARED_CREDENTIALS_FILE: undefined };
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    const home = codeFolder({
      '.aws/config': '[default]\nregion = ap-south-1\nignore_configured_endpoint_urls = true\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n'
        + '[profile dev]\nregion = ap-south-1\nignore_configured_endpoint_urls = true\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\n',
      '.aws/credentials': '[default]\naws_access_key_id = AKIAREALKEY\naws_secret_access_key = real\n[dev]\naws_access_key_id = AKIAREALKEY\naws_secret_access_key = real\n',
    });
    for (const [name, value] of Object.entries({ ...HOST, HOME: home })) {
      saved[name] = process.env[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    const cdkOut = synthStack((stack: Stack) => {
      const api = new HttpApi(stack, 'Api');
      const route = (path: string, target: LambdaFunction) => api.addRoutes({
        path, methods: [HttpMethod.GET], integration: new HttpLambdaIntegration(`${target.node.id}${path.replace(/\W/g, '')}`, target),
      });
      type Files = Record<string, string>;
      const fn = (id: string, source: string, props: Partial<FunctionProps> = {}, files: Files = {}) => new LambdaFunction(stack, id, {
        runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset(codeFolder({ 'index.js': source, ...files })), ...props,
      });
      // Sixteen environments start at once on a busy machine: past the test's short init limit, an init is
      // retried within the function's timeout, so the timeout leaves room for that.
      const selfCalling = fn('SelfCalling', SELF_CALLING, { environment: { API_URL: api.apiEndpoint }, timeout: Duration.seconds(20) });
      route('/self', selfCalling);
      route('/leaf', selfCalling);
      route('/reserved', fn('Reserved', SLEEPS, { reservedConcurrentExecutions: 1 }));
      route('/place', fn('Place', REPORTS_PLACE, { environment: { NODE_OPTIONS: '--max-http-header-size=32768' } }, { 'template.html': '<p>beside the handler</p>' }));
      route('/tokyo', fn('Tokyo', REPORTS_PLACE, { environment: { TZ: 'Asia/Tokyo' } }, { 'template.html': 'tokyo' }));
      const hog = fn('Hog', HOGS_MEMORY, { memorySize: 128 });
      route('/hog', hog);
      route('/small', hog);
      route('/init-3s', fn('SlowInitLongTimeout', SLOW_INIT, { timeout: Duration.seconds(3) }));
      route('/init-1s', fn('SlowInitShortTimeout', SLOW_INIT, { timeout: Duration.seconds(1) }));
      const table = new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING }, billingMode: BillingMode.PAY_PER_REQUEST });
      const crashes = fn('Crashes', THROWS_LATER);
      route('/crash', crashes);
      route('/after-crash', crashes);
      route('/import', fn('ImportsMissing', 'require(\'left-out-of-the-bundle\'); exports.handler = async () => ({ statusCode: 200 });'));
      route('/syntax', fn('BadSyntax', 'exports.handler = async () => {;'));
      route('/sdk', fn('UsesSdk', USES_SDK, { environment: { TABLE: table.tableName, HOST_HOME: home, AWS_PROFILE: 'dev' } }));
      // A workflow that calls a function Lambda always throttles, then one that times out, catching each error by name.
      const afterTimeout = new Pass(stack, 'AfterTimeout', { parameters: { 'throttled.$': '$.throttled.Error', 'timedOut.$': '$.timedOut.Error' } });
      const timeoutCall = new LambdaInvoke(stack, 'CallTimesOut', { lambdaFunction: fn('TimesOut', SLEEPS_2S, { timeout: Duration.seconds(1) }) })
        .addCatch(afterTimeout, { errors: ['Lambda.Unknown'], resultPath: '$.timedOut' });
      const throttledCall = new LambdaInvoke(stack, 'CallThrottled', { lambdaFunction: fn('NeverRuns', SLEEPS, { reservedConcurrentExecutions: 0 }) })
        .addCatch(new Pass(stack, 'AfterThrottle').next(timeoutCall), { errors: ['Lambda.TooManyRequestsException'], resultPath: '$.throttled' });
      const machine = new StateMachine(stack, 'Workflow', { stateMachineType: StateMachineType.EXPRESS, definitionBody: DefinitionBody.fromChainable(throttledCall) });
      api.addRoutes({
        path: '/workflow',
        methods: [HttpMethod.POST],
        integration: new HttpStepFunctionsIntegration('Workflow', { stateMachine: machine, subtype: HttpIntegrationSubtype.STEPFUNCTIONS_START_SYNC_EXECUTION }),
      });
    });
    running = await serveStack({ source: cdkOut, port: 0, initLimitMs: 500, log: (line) => lines.push(line) });
    base = running.apis[0].stageUrls.$default;
  }, 60_000);

  afterAll(async () => {
    await running?.stop();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test('eight concurrent requests to a function that calls another route of itself all answer 200', async () => {
    const replies = await Promise.all(Array.from({ length: 8 }, () => send(`${base}/self`)));
    expect(replies.map((r) => [r.status, r.text])).toEqual(Array.from({ length: 8 }, () => [200, 'outer+leaf']));
  }, 30_000);

  test('past the function\'s reserved concurrency, Lambda throttles: the HTTP API answers 500, and the function\'s own call succeeds', async () => {
    const replies = await Promise.all(Array.from({ length: 3 }, () => send(`${base}/reserved`)));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 500, 500]);
    expect(replies.filter((r) => r.status === 500).map((r) => r.json())).toEqual([{ message: 'Internal Server Error' }, { message: 'Internal Server Error' }]);
    expect(lines.some((l) => l.includes('[UserApp-Reserved') && l.includes('throttled'))).toBe(true);
    expect((await send(`${base}/reserved`)).status).toBe(200);
  });

  test('in a workflow, a throttled function is Lambda.TooManyRequestsException and a timed-out one Lambda.Unknown, as Step Functions reports them', async () => {
    const reply = await send(`${base}/workflow`, { method: 'POST', body: '{}' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.json().output)).toEqual({ throttled: 'Lambda.TooManyRequestsException', timedOut: 'Lambda.Unknown' });
  }, 20_000);

  test('an exception nothing catches fails the invocation with its type, as Lambda\'s Node.js runtime reports it; the next one gets a new environment', async () => {
    const first = await send(`${base}/after-crash`);
    const crash = await send(`${base}/crash`);
    expect([crash.status, crash.json()]).toEqual([500, { message: 'Internal Server Error' }]);
    expect(lines.some((l) => /\[UserApp-Crashes[^\]]*\] RangeError: thrown in a timer/.test(l))).toBe(true);
    const after = await send(`${base}/after-crash`);
    expect(after.status).toBe(200);
    expect(after.text).not.toBe(first.text);
  });

  test('code that cannot load fails its init typed as Lambda types it: a missing module, a syntax error', async () => {
    for (const [path, type] of [['/import', 'Runtime.ImportModuleError'], ['/syntax', 'Runtime.UserCodeSyntaxError']]) {
      expect((await send(`${base}${path}`)).status).toBe(500);
      expect(lines.filter((l) => l.includes(`Phase: init Status: error Error Type: ${type}`))).toHaveLength(1);
    }
  });

  test('UTC whatever the host\'s zone, the function\'s own TZ when it sets one; working directory, NODE_OPTIONS, variables and context as on Lambda', async () => {
    const place = (await send(`${base}/place`)).json();
    expect(process.env.TZ).toBe('America/New_York');
    expect([place.offsetMinutes, place.zone]).toEqual([0, 'UTC']);
    expect(place.cwd).toBe(place.env.LAMBDA_TASK_ROOT);
    expect(place.template).toBe('<p>beside the handler</p>');
    expect(place.maxHeaderSize).toBe(32768);
    expect(place.env).toMatchObject({
      TZ: ':UTC',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      _HANDLER: 'index.handler',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    });
    expect(place.env.AWS_LAMBDA_FUNCTION_NAME).toMatch(/^UserApp-Place/);
    expect(place.env.AWS_LAMBDA_RUNTIME_API).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(place.env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(place.context).toMatchObject({
      functionName: place.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: '$LATEST',
      memoryLimitInMB: '128',
      logGroupName: `/aws/lambda/${place.env.AWS_LAMBDA_FUNCTION_NAME}`,
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(place.context.invokedFunctionArn).toMatch(new RegExp(`^arn:aws:lambda:eu-west-1:\\d{12}:function:${place.env.AWS_LAMBDA_FUNCTION_NAME}$`));
    expect(place.context.awsRequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(place.context.remaining).toBeGreaterThan(2000);
    expect(place.context.remaining).toBeLessThanOrEqual(3000);

    const tokyo = (await send(`${base}/tokyo`)).json();
    expect([tokyo.offsetMinutes, tokyo.zone]).toEqual([-540, 'Asia/Tokyo']);
    expect(tokyo.template).toBe('tokyo');
  });

  test('a 128 MB function holding 400 MB fails like Lambda\'s "signal: killed" (500); the runner and the function serve on', async () => {
    const hog = await send(`${base}/hog`);
    expect([hog.status, hog.json()]).toEqual([500, { message: 'Internal Server Error' }]);
    expect(lines.some((l) => /\[UserApp-Hog[^\]]*\] RequestId: \S+ Error: Runtime exited with error: signal: killed/.test(l))).toBe(true);
    const after = await send(`${base}/small`);
    expect([after.status, after.text]).toEqual([200, 'fine']);
  }, 20_000);

  test('an init past the limit is stopped and retried within the function\'s timeout: 200 with 3 s, "Task timed out" with 1 s', async () => {
    const long = await send(`${base}/init-3s`);
    expect([long.status, long.text]).toEqual([200, 'initialized']);
    expect(lines.some((l) => /\[UserApp-SlowInitLongTimeout[^\]]*\] INIT_REPORT Init Duration: 500\.00 ms Phase: init Status: timeout/.test(l))).toBe(true);
    const short = await send(`${base}/init-1s`);
    expect(short.status).toBe(500);
    expect(lines.some((l) => /\[UserApp-SlowInitShortTimeout[^\]]*\] \S+ Task timed out after 1\.00 seconds/.test(l))).toBe(true);
  }, 20_000);

  test('under a HOME whose shared config sets a region, ignore_configured_endpoint_urls, FIPS and dual-stack, with AWS_PROFILE set, handlers reach only loopback', async () => {
    const reply = await send(`${base}/sdk`);
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({
      stored: 'stored',
      region: 'eu-west-1',
      sfn: 'NotEmulated 501',
      // Every other service: the runner's catch-all, on loopback.
      other: 'NotEmulated 501',
      // Neither the host's credentials nor its profile nor its home: the environment's own.
      sees: { accessKeyId: 'AKIALOCALRUNNER00000', profile: null, homeIsEmpty: true, homeIsTheHosts: false },
      // An endpoint given in code cannot reach AWS either: AWS's names do not resolve in an environment.
      aws: 'ENOTFOUND by the runner',
    });
    // The item is in the runner's table afterwards.
    const local = new DynamoDBClient({ endpoint: running.dynamoDbEndpoint, region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, useFipsEndpoint: false, useDualstackEndpoint: false });
    const { Items } = await local.send(new ScanCommand({ TableName: running.tables[0].table.name }));
    expect(Items).toEqual([{ pk: { S: 'k' }, v: { S: 'stored' } }]);
    local.destroy();
  });
});
