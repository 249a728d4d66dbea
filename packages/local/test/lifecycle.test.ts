import { createServer, Server } from 'node:net';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { send } from './client';
import { serveFixture } from './fixture';
import { waitFor } from './wait';
import { Lifecycle, StartupAborted, StartupStepTimeout } from '../src/runner/lifecycle';

describe('Lifecycle', () => {
  test('a step past its limit fails naming the step, after stopping what started: servers, executions, functions, services', async () => {
    const stopped: string[] = [];
    const lifecycle = new Lifecycle({ stepTimeLimitMs: 50 });
    const record = (what: string) => async () => {
      stopped.push(what);
    };
    await lifecycle.step('start things', () => {
      lifecycle.own('services', record('dynalite'));
      lifecycle.own('services', record('sfn endpoint'));
      lifecycle.own('servers', record('http api'));
      lifecycle.own('functions', record('pool'));
      lifecycle.own('executions', record('step functions'));
      lifecycle.own('servers', record('websocket api'));
    });
    const hang = lifecycle.step('create the tables in DynamoDB', () => new Promise(() => undefined));
    await expect(hang).rejects.toThrow(new StartupStepTimeout('create the tables in DynamoDB', 50));
    await expect(hang).rejects.toThrow('startup step "create the tables in DynamoDB" did not finish within 0.05 s; everything started so far was stopped.');
    // Servers first, then executions, functions and services; within a phase, the last started stops first.
    expect(stopped).toEqual(['websocket api', 'http api', 'step functions', 'pool', 'sfn endpoint', 'dynalite']);
  });

  test('what a step hands over after startup gave up is stopped at once, and stop() runs once', async () => {
    const lifecycle = new Lifecycle();
    let stops = 0;
    lifecycle.own('services', async () => {
      stops++;
    });
    await Promise.all([lifecycle.stop(), lifecycle.stop()]);
    expect(stops).toBe(1);
    const late = jest.fn(async () => undefined);
    lifecycle.own('servers', late);
    expect(late).toHaveBeenCalledTimes(1);
  });

  test('an abort ends the running step and stops what started; a later step does not begin', async () => {
    const abort = new AbortController();
    const lifecycle = new Lifecycle({ signal: abort.signal });
    const stop = jest.fn(async () => undefined);
    lifecycle.own('functions', stop);
    const waiting = lifecycle.step('listen on the APIs\' ports', () => new Promise(() => undefined));
    abort.abort();
    await expect(waiting).rejects.toThrow(StartupAborted);
    expect(stop).toHaveBeenCalledTimes(1);
    const run = jest.fn();
    await expect(lifecycle.step('later', run)).rejects.toThrow('stopped while later');
    expect(run).not.toHaveBeenCalled();
  });
});

/** Listens on `count` consecutive loopback ports after a free one, which it returns (free). */
async function occupyPortsAfter(count: number): Promise<{ port: number; release(): Promise<void> }> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    const servers: Server[] = [];
    const release = () => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))).then(() => undefined);
    try {
      for (let p = port + 1; p <= port + count; p++) {
        const server = createServer();
        await new Promise<void>((resolve, reject) => server.once('error', reject).listen(p, '127.0.0.1', resolve));
        servers.push(server);
      }
      return { port, release };
    } catch {
      await release();
    }
  }
}

const listeningServers = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

test('a startup step that fails after an API server listens stops it and every service before serveStack rejects', async () => {
  // The HTTP API takes the free port; the WebSocket API finds none of the next 100 free.
  const before = listeningServers();
  const busy = await occupyPortsAfter(100);
  try {
    const serving = serveFixture({
      routes: [{ routeKey: 'GET /x', integration: { IntegrationType: 'HTTP_PROXY', IntegrationUri: 'http://127.0.0.1:1' } }],
      resources: {
        Chat: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'chat', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' } },
        ChatStage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Chat' }, StageName: 'dev' } },
      },
    }, [], { port: busy.port });
    await expect(serving).rejects.toThrow(`no free port from ${busy.port + 1} to ${busy.port + 100} on 127.0.0.1; pass --port N`);
    await expect(send(`http://127.0.0.1:${busy.port}/x`)).rejects.toThrow(/ECONNREFUSED/);
    // The HTTP API's server, dynalite and both endpoints are closed: only the test's own 100 remain.
    expect(listeningServers()).toBe(before + 100);
  } finally {
    await busy.release();
  }
});

test('stop() ends running executions of both types and an in-flight StartSyncExecution, however long their Wait', async () => {
  const waits = (type: string) => ({
    Type: 'AWS::StepFunctions::StateMachine',
    Properties: { StateMachineType: type, Definition: { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 15, End: true } } } },
  });
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const timersBefore = timers();
  const lines: string[] = [];
  const running = await serveFixture({ resources: { Standard: waits('STANDARD'), Express: waits('EXPRESS') } }, lines);
  const logged = (status: string) => lines.filter((l) => l.startsWith('Step Functions: ') && l.includes(` ${status}`));
  const [standard, express] = ['Standard', 'Express'].map((id) => running.stateMachines.find((m) => m.logicalId === id)!.arn);
  const sfn = new SFNClient({ endpoint: running.stepFunctionsEndpoint, region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1, disableHostPrefix: true });
  try {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: standard }));
    await sfn.send(new StartExecutionCommand({ stateMachineArn: express }));
    const sync = sfn.send(new StartSyncExecutionCommand({ stateMachineArn: express })).then((r) => r.status, (e: Error) => e.name);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await waitFor(() => logged('RUNNING').length === 3, 'three executions, the synchronous one included, to start');
    const started = Date.now();
    await running.stop();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(running.stepFunctions.describeExecution(executionArn)).toMatchObject({ status: 'ABORTED', stopDate: expect.any(Date) });
    expect(logged('ABORTED (the runner stopped)')).toHaveLength(3);
    // The caller is answered at once (the endpoint closes after the executions), not after 15 s.
    expect(await sync).toBe('ABORTED');
    sfn.destroy();
    // No Wait state's 15 s timer is left: every execution, the EXPRESS ones included, was aborted
    // (closing sockets hold timers of their own for a moment).
    await waitFor(() => timers() <= timersBefore, 'the Wait states\' timers to end', 2_000);
  } finally {
    sfn.destroy();
    await running.stop();
  }
});
