import {
  DescribeExecutionCommand, SFNClient, StartExecutionCommand, StartSyncExecutionCommand, StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { send } from './client';
import { serveFixture } from './fixture';
import { RunningStack } from '../src/runner/serve-options';

// The embedded Step Functions, through the unmodified SDK as handlers reach it
// (AWS_ENDPOINT_URL_SFN), and through API Gateway's Step Functions subtypes.
const DOUBLE = `exports.handler = async (event) => {
  if (event.n < 0) { const e = new Error('n must not be negative, got ' + event.n); e.name = 'Negative'; throw e; }
  return { n: event.n * 2 };
};`;
// StartSyncExecution carries the SDK's "sync-" host prefix: this goes through the worker's loopback resolution.
const CALLS_SYNC = `const { SFNClient, StartSyncExecutionCommand } = require('@aws-sdk/client-sfn');
exports.handler = async (event) => {
  const r = await new SFNClient({}).send(new StartSyncExecutionCommand({ stateMachineArn: process.env.MACHINE, input: event.body }));
  return { statusCode: 200, body: JSON.stringify({ status: r.status, output: r.output, error: r.error, cause: r.cause }) };
};`;

const fnArn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
/** A DefinitionString as CDK writes it: the ASL text joined around the function's ARN (where the ASL says "FN"). */
function definition(states: Record<string, unknown>, startAt: string) {
  const [before, after] = JSON.stringify({ StartAt: startAt, States: states }).split('"FN"');
  return { 'Fn::Join': ['', [before, '"', fnArn('Double'), '"', after]] };
}

let running: RunningStack;
let sfn: SFNClient;
let url: string;
let standardArn: string;
let expressArn: string;

beforeAll(async () => {
  running = await serveFixture({
    functions: { Double: { source: DOUBLE }, CallsSync: { source: CALLS_SYNC, environment: { MACHINE: { Ref: 'Express' } } } },
    resources: {
      Standard: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          StateMachineType: 'STANDARD',
          DefinitionString: definition({ Hold: { Type: 'Wait', Seconds: 60, Next: 'Double' }, Double: { Type: 'Task', Resource: 'FN', End: true } }, 'Hold'),
        },
      },
      Express: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          StateMachineType: 'EXPRESS',
          Definition: {
            StartAt: 'Double',
            States: {
              Double: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Parameters: { 'FunctionName': fnArn('Double'), 'Payload.$': '$' },
                ResultSelector: { 'n.$': '$.Payload.n', 'status.$': '$.StatusCode' },
                Catch: [{ ErrorEquals: ['Negative'], ResultPath: '$.failure', Next: 'Rejected' }],
                End: true,
              },
              Rejected: { Type: 'Fail', Error: 'Rejected', CausePath: '$.failure.Cause' },
            },
          },
        },
      },
      Quick: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { DefinitionString: definition({ Double: { Type: 'Task', Resource: 'FN', End: true } }, 'Double') },
      },
      Slow: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { Definition: { StartAt: 'Hold', TimeoutSeconds: 1, States: { Hold: { Type: 'Wait', Seconds: 30, End: true } } } },
      },
      Broken: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { Definition: { StartAt: 'P', States: { P: { Type: 'Pass', Unknown: 1, End: true } } } },
      },
      Queue: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          StateMachineType: 'EXPRESS',
          Definition: { StartAt: 'Send', States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'x' }, End: true } } },
        },
      },
    },
    routes: [
      { routeKey: 'POST /sync', fn: 'CallsSync' },
      {
        routeKey: 'POST /start/{name}',
        integration: {
          IntegrationType: 'AWS_PROXY',
          IntegrationSubtype: 'StepFunctions-StartExecution',
          PayloadFormatVersion: '1.0',
          RequestParameters: { StateMachineArn: { Ref: 'Standard' }, Name: '$request.path.name', Input: '{"n": ${request.querystring.n}}' },
        },
      },
      {
        routeKey: 'POST /express-stop',
        integration: {
          IntegrationType: 'AWS_PROXY',
          IntegrationSubtype: 'StepFunctions-StopExecution',
          PayloadFormatVersion: '1.0',
          RequestParameters: { ExecutionArn: '$request.body.arn', Cause: '$request.header.x-cause' },
        },
      },
      {
        routeKey: 'POST /stop-standard',
        integration: {
          IntegrationType: 'AWS_PROXY',
          IntegrationSubtype: 'StepFunctions-StopExecution',
          PayloadFormatVersion: '1.0',
          RequestParameters: { ExecutionArn: '$request.querystring.arn', Cause: '$request.header.x-cause', Error: 'StoppedByApi' },
        },
      },
      {
        routeKey: 'POST /wrong-type',
        integration: {
          IntegrationType: 'AWS_PROXY',
          IntegrationSubtype: 'StepFunctions-StartSyncExecution',
          PayloadFormatVersion: '1.0',
          RequestParameters: { StateMachineArn: { Ref: 'Standard' } },
        },
      },
    ],
  });
  sfn = new SFNClient({ endpoint: running.stepFunctionsEndpoint, region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, disableHostPrefix: true });
  url = running.apis[0].stageUrls.$default;
  standardArn = running.stateMachines.find((m) => m.logicalId === 'Standard')!.arn;
  expressArn = running.stateMachines.find((m) => m.logicalId === 'Express')!.arn;
});
afterAll(async () => {
  sfn?.destroy();
  await running?.stop();
});

const failure = (promise: Promise<unknown>) => promise.then(
  () => { throw new Error('expected an error'); },
  (e: any) => ({ name: e.name, status: e.$metadata?.httpStatusCode, message: e.message }),
);

test('a STANDARD execution runs in the background; StopExecution aborts it with its error and cause, as DescribeExecution then reports', async () => {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: standardArn, name: 'order-1', input: '{"n":2}' }));
  expect(executionArn).toBe(standardArn.replace(':stateMachine:', ':execution:') + ':order-1');
  const running1 = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  expect(running1).toMatchObject({ name: 'order-1', status: 'RUNNING', input: '{"n":2}', stateMachineArn: standardArn });
  expect(running1.startDate).toBeInstanceOf(Date);

  const { stopDate } = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Cancelled', cause: 'by the test' }));
  expect(stopDate).toBeInstanceOf(Date);
  const stopped = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'by the test' });
  expect(stopped.output).toBeUndefined();
});

/** DescribeExecution until the execution is no longer RUNNING (bounded). */
async function settled(executionArn: string) {
  for (let i = 0; i < 100; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${executionArn} still RUNNING`);
}

test('a STANDARD execution ends SUCCEEDED with its output, or FAILED with the Lambda task\'s error and cause', async () => {
  const quick = running.stateMachines.find((m) => m.logicalId === 'Quick')!.arn;
  const ok = await sfn.send(new StartExecutionCommand({ stateMachineArn: quick, input: '{"n":4}' }));
  expect(await settled(ok.executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"n":8}', stopDate: expect.any(Date) });
  const bad = await sfn.send(new StartExecutionCommand({ stateMachineArn: quick, input: '{"n":-4}' }));
  const failed = await settled(bad.executionArn!);
  expect(failed).toMatchObject({ status: 'FAILED', error: 'Negative' });
  expect(JSON.parse(failed.cause!)).toMatchObject({ errorType: 'Negative', errorMessage: 'n must not be negative, got -4' });
});

test('a machine past its TimeoutSeconds ends TIMED_OUT with States.Timeout', async () => {
  const slow = running.stateMachines.find((m) => m.logicalId === 'Slow')!.arn;
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: slow }));
  expect(await settled(executionArn!)).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
});

test('a definition the interpreter rejects is listed at startup; starting it is 501 NotEmulated, not a crash', async () => {
  expect(running.notEmulated).toContainEqual({ what: expect.stringMatching(/^a definition the interpreter rejects/), where: 'Broken' });
  const broken = running.stateMachines.find((m) => m.logicalId === 'Broken')!.arn;
  expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: broken })))).toMatchObject({ name: 'NotEmulated', status: 501 });
});

test('the same name with the same input while running is the same execution; other input is ExecutionAlreadyExists', async () => {
  const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: standardArn, name: 'twice', input: '{"n":1}' }));
  const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: standardArn, name: 'twice', input: '{"n":1}' }));
  expect(again.executionArn).toBe(first.executionArn);
  expect(again.startDate).toEqual(first.startDate);
  expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: standardArn, name: 'twice', input: '{"n":3}' }))))
    .toEqual({ name: 'ExecutionAlreadyExists', status: 400, message: `Execution Already Exists: '${first.executionArn}'` });
});

test('the errors Step Functions returns, as the SDK parses them', async () => {
  const sync = await failure(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: standardArn })));
  expect(sync).toMatchObject({ name: 'StateMachineTypeNotSupported', status: 400 });
  const express = await sfn.send(new StartExecutionCommand({ stateMachineArn: expressArn, input: '{"n":1}' }));
  expect(express.executionArn).toMatch(/:express:/);
  const { executionArn } = express;
  for (const command of [new DescribeExecutionCommand({ executionArn }), new StopExecutionCommand({ executionArn })]) {
    expect(await failure(sfn.send(command as any))).toEqual({ name: 'InvalidArn', status: 400, message: "Invalid Arn: 'Resource type not valid in this context: express'" });
  }
  const unknown = standardArn.replace(/[^:]+$/, 'Nope');
  expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: unknown }))))
    .toEqual({ name: 'StateMachineDoesNotExist', status: 400, message: `State Machine Does Not Exist: '${unknown}'` });
  expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: standardArn, name: 'has space' })))).toMatchObject({ name: 'InvalidName' });
  expect(await failure(sfn.send(new StartExecutionCommand({ stateMachineArn: standardArn, input: '{not json' })))).toMatchObject({ name: 'InvalidExecutionInput' });
  const missing = standardArn.replace(':stateMachine:', ':execution:') + ':never';
  expect(await failure(sfn.send(new DescribeExecutionCommand({ executionArn: missing })))).toMatchObject({ name: 'ExecutionDoesNotExist' });
});

test('a handler\'s StartSyncExecution (sync- host prefix) runs the EXPRESS machine; the optimized lambda:invoke wraps the payload', async () => {
  const ok = await send(`${url}/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":21}' });
  expect(ok.json()).toEqual({ status: 'SUCCEEDED', output: '{"n":42,"status":200}' });
});

test('a function error is the state\'s error, its cause the Lambda error JSON; a Catch routes it on', async () => {
  const caught = await send(`${url}/sync`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":-1}' });
  const body = caught.json();
  expect(body).toMatchObject({ status: 'FAILED', error: 'Rejected' });
  expect(JSON.parse(body.cause)).toEqual({ errorType: 'Negative', errorMessage: 'n must not be negative, got -1', trace: [] });
});

test('a Task resource the runner does not run is listed at startup, and fails its execution with NotEmulated', async () => {
  expect(running.notEmulated).toContainEqual({ what: 'Task resource arn:aws:states:::sqs:sendMessage', where: 'Queue (Send)' });
  const queueArn = running.stateMachines.find((m) => m.logicalId === 'Queue')!.arn;
  const r = await running.stepFunctions.startSyncExecution({ stateMachineArn: queueArn });
  expect(r).toMatchObject({ status: 'FAILED', error: 'NotEmulated' });
});

describe('API Gateway Step Functions subtypes', () => {
  test('StartExecution with Name from the path and Input from a ${} template of the query string', async () => {
    const reply = await send(`${url}/start/from-api?n=5`, { method: 'POST' });
    expect(reply.status).toBe(200);
    const { executionArn } = reply.json();
    expect(executionArn).toMatch(/:execution:[^:]+:from-api$/);
    expect(running.stepFunctions.describeExecution(executionArn)).toMatchObject({ input: '{"n": 5}', status: 'RUNNING' });
  });

  test('StopExecution of an EXPRESS execution: Step Functions\' InvalidArn, passed on with 400', async () => {
    const express = await sfn.send(new StartExecutionCommand({ stateMachineArn: expressArn, input: '{"n":1}' }));
    const reply = await send(`${url}/express-stop`, { method: 'POST', headers: { 'x-cause': 'no' }, body: JSON.stringify({ arn: express.executionArn }) });
    expect([reply.status, reply.json()]).toEqual([400, { __type: 'InvalidArn', message: "Invalid Arn: 'Resource type not valid in this context: express'" }]);
    expect(reply.headers['x-amzn-errortype']).toBe('InvalidArn');
  });

  test('StopExecution with ExecutionArn from the query, Cause from a header and a static Error', async () => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: standardArn, input: '{"n":1}' }));
    const reply = await send(`${url}/stop-standard?arn=${encodeURIComponent(executionArn!)}`, { method: 'POST', headers: { 'x-cause': 'customer cancelled' } });
    expect(reply.status).toBe(200);
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'ABORTED', error: 'StoppedByApi', cause: 'customer cancelled' });
  });

  test('StopExecution with the ARN missing from the body: 400 naming the parameter', async () => {
    const reply = await send(`${url}/express-stop`, { method: 'POST', body: '{}' });
    expect([reply.status, reply.json()]).toEqual([400, { message: 'ExecutionArn is required: the mapping $request.body.arn gave no value' }]);
  });

  test('StartSyncExecution on a STANDARD machine: StateMachineTypeNotSupported, 400', async () => {
    const reply = await send(`${url}/wrong-type`, { method: 'POST', body: '{}' });
    expect(reply.status).toBe(400);
    expect(reply.json().__type).toBe('StateMachineTypeNotSupported');
  });
});
