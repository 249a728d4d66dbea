import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import { send } from './client';
import { ECHO_HANDLER, serveFixture, writeAssembly } from './fixture';
import { tempDir } from './temp-dirs';
import { waitFor } from './wait';

// The built CLI, as `apigw-local` runs it.
const CLI = join(__dirname, '..', 'lib', 'cli.js');

// Without Node's process warnings (the AWS SDK's Node.js version notice), so that the runner's own
// message is all of stderr: each bad input must be exactly one line.
const CLI_ENV = { ...process.env, NODE_NO_WARNINGS: '1' };

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000, env: CLI_ENV });
  return { status: result.status, stderr: result.stderr.trim(), allStderr: result.stderr, stdout: result.stdout };
}

test('a missing folder: exit 2, one line saying what to give', () => {
  const r = run('serve', '/no/such/folder');
  expect(r.status).toBe(2);
  expect(r.stderr).toBe('apigw-local: /no/such/folder: neither a CDK app folder (cdk.json) nor a cloud assembly (manifest.json); give one of those');
});

test('a cloud assembly without stacks: exit 2', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '53.0.0', artifacts: {} }));
  const r = run('serve', dir);
  expect(r.status).toBe(2);
  expect(r.stderr).toBe(`apigw-local: ${dir}: the cloud assembly holds no stacks; synthesize an app that defines one`);
});

test('several stacks without --stack: exit 2, naming them; an unknown --stack too', () => {
  const dir = writeAssembly({ routes: [] }, 'One');
  const other = writeAssembly({ routes: [] }, 'Two');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  manifest.artifacts.Two = { ...manifest.artifacts.One, displayName: 'Two', properties: { templateFile: 'Two.template.json' } };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'Two.template.json'), readFileSync(join(other, 'Two.template.json')));
  const r = run('serve', dir);
  expect([r.status, r.stderr]).toEqual([2, `apigw-local: ${dir} holds 2 stacks (One, Two); pick one with --stack NAME`]);
  const unknown = run('serve', dir, '--stack', 'Three');
  expect([unknown.status, unknown.stderr]).toEqual([2, `apigw-local: no stack Three in ${dir}; its stacks: One, Two`]);
});

test('an app whose synth fails: exit 2, saying so', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ app: 'node -e "process.exit(3)"' }));
  const r = run('serve', dir);
  expect(r.status).toBe(2);
  expect(r.stderr).toBe(`apigw-local: synthesizing ${dir} failed (exit 3); fix the app, or serve an existing cdk.out`);
});

test('a bad --port, an unknown flag, no command: exit 2 with usage', () => {
  const dir = writeAssembly({ routes: [] });
  expect(run('serve', dir, '--port', 'abc')).toMatchObject({ status: 2, stderr: 'apigw-local: --port abc: give a whole number from 0 to 65535' });
  expect(run('serve', dir, '--colour')).toMatchObject({ status: 2, stderr: expect.stringMatching(/^apigw-local: Unknown option '--colour'/) });
  expect(run()).toMatchObject({ status: 2, allStderr: expect.stringContaining('usage: apigw-local serve <app-dir|cdk.out>') });
  expect(run('serve', dir, '--max-concurrency', '0')).toMatchObject({ status: 2, stderr: 'apigw-local: --max-concurrency 0: give a whole number from 1 to 1000' });
});

test('--max-workers is gone with worker threads: exit 2 naming --max-concurrency', () => {
  const dir = writeAssembly({ routes: [] });
  expect(run('serve', dir, '--max-workers', '4')).toMatchObject({
    status: 2,
    stderr: 'apigw-local: --max-workers is gone: functions run in execution environments, one process each; give --max-concurrency N (all functions together, default 16)',
  });
});

test('a bad --target or --jwks: exit 2, one line saying what to give', () => {
  const dir = writeAssembly({ routes: [] });
  expect(run('serve', dir, '--target', 'localhost:8080')).toMatchObject({
    status: 2, stderr: 'apigw-local: --target localhost:8080: give an http(s) URL, alone or as <IntegrationLogicalId>=URL',
  });
  expect(run('serve', dir, '--jwks', '/no/such.json')).toMatchObject({ status: 2, stderr: expect.stringMatching(/^apigw-local: --jwks \/no\/such\.json: ENOENT.*give a JSON file/) });
  const notJwks = join(tempDir(), 'keys.json');
  writeFileSync(notJwks, '{"kid":"k1"}');
  expect(run('serve', dir, '--jwks', notJwks)).toMatchObject({ status: 2, stderr: `apigw-local: --jwks ${notJwks}: no "keys" array; give the JSON the issuer's jwks_uri serves` });
});

describe('with a port', () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise((resolve) => busy.close(resolve)));

  test('a busy port: exit 2, saying which and how to fix', () => {
    const r = run('serve', writeAssembly({ routes: [] }), '--port', String(port));
    expect([r.status, r.stderr]).toEqual([2, `apigw-local: port ${port} on 127.0.0.1 is in use; stop what uses it or pass --port N`]);
  });
});

test('serve synthesizes an app folder, answers requests, and stops cleanly on SIGINT', async () => {
  // An "app" whose synth copies a ready assembly into its cdk.out, as `cdk synth` would write one.
  const assembly = writeAssembly({ functions: { Echo: { source: ECHO_HANDLER } }, routes: [{ routeKey: 'GET /echo', fn: 'Echo' }] });
  const app = tempDir();
  mkdirSync(join(app, 'bin'));
  writeFileSync(join(app, 'bin', 'synth.js'), `require('node:fs').cpSync(${JSON.stringify(assembly)}, process.env.CDK_OUTDIR, { recursive: true });`);
  writeFileSync(join(app, 'cdk.json'), JSON.stringify({ app: 'node bin/synth.js' }));
  const child = spawn(process.execPath, [CLI, 'serve', app, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => out.includes('Ready.') && resolve());
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  expect(out).toMatch(/synthesizing .* \(node bin\/synth\.js\) \.\.\./);
  const url = /stage \$default: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1];
  expect(out).toContain(`curl -i "${url}/echo"`);
  expect((await send(`${url}/echo`)).status).toBe(200);
  const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.kill('SIGINT');
  expect(await exit).toBe(0);
  await expect(send(`${url}/echo`)).rejects.toThrow(/ECONNREFUSED/);
});

/** Starts `apigw-local serve` and resolves once it printed "Ready."; `exited` resolves with its exit code. */
async function startCli(...args: string[]) {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: CLI_ENV });
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => out.includes('Ready.') && resolve());
    void exited.then((code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  return { child, exited, output: () => out };
}

describe('--persist', () => {
  test('a file, not a folder: exit 2 naming it and the fix', () => {
    const file = join(tempDir(), 'data.db');
    writeFileSync(file, 'x');
    expect(run('serve', writeAssembly({ routes: [] }), '--persist', file)).toMatchObject({
      status: 2, stderr: `apigw-local: --persist ${file}: is a file, not a folder; give a folder (apigw-local creates it when missing)`,
    });
  });

  test('an existing folder no one can write (read-only /sys, which stops root too): exit 2', () => {
    expect(run('serve', writeAssembly({ routes: [] }), '--persist', '/sys')).toMatchObject({
      status: 2, stderr: expect.stringMatching(/^apigw-local: --persist \/sys: cannot create or write it \((EPERM|EACCES|EROFS)\); give a folder you can write$/),
    });
  });

  test('a folder no one can create (under /proc, which stops root too): exit 2 at once, no hang', () => {
    const started = Date.now();
    expect(run('serve', writeAssembly({ routes: [] }), '--persist', '/proc/apigw-local/data')).toMatchObject({
      status: 2, stderr: 'apigw-local: --persist /proc/apigw-local/data: cannot create or write it (ENOENT); give a folder you can write',
    });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  test('a folder another runner holds open: exit 2, saying so', async () => {
    const dir = join(tempDir(), 'nested', 'data');
    const holder = await serveFixture({ routes: [] }, [], { persistDir: dir });
    try {
      expect(run('serve', writeAssembly({ routes: [] }), '--persist', dir)).toMatchObject({
        status: 2, stderr: `apigw-local: --persist ${dir}: another process (another apigw-local?) holds its data open; stop it, or give another folder`,
      });
    } finally {
      await holder.stop();
    }
  });
});

test('a malformed apigw-local.json: exit 2 naming the file, the line and the column; nothing started', () => {
  const app = tempDir();
  writeFileSync(join(app, 'cdk.json'), JSON.stringify({ app: 'node -e "process.exit(3)"' }));
  writeFileSync(join(app, 'apigw-local.json'), '{\n  "notes": ["a"],\n  bodies: {}\n}');
  const r = run('serve', app);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(new RegExp(`^apigw-local: ${join(app, 'apigw-local.json')}: not valid JSON \\(.*line 3 column 3\\); fix the JSON or delete the file`));
  // Read before the synth: the app (which would exit 3) never ran.
  expect(r.allStderr).not.toContain('synthesizing');
});

test('a malformed cdk.json: exit 2 naming the file and where', () => {
  const app = tempDir();
  writeFileSync(join(app, 'cdk.json'), '{"app": "node bin/app.js",}');
  const r = run('serve', app);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(new RegExp(`^apigw-local: ${join(app, 'cdk.json')}: not valid JSON \\(.*line 1 column 27\\); give the app's cdk.json as the CDK CLI reads it$`));
});

test('a malformed manifest.json or template: exit 2 naming the file', () => {
  const dir = writeAssembly({ routes: [] });
  writeFileSync(join(dir, 'Fixture.template.json'), '{"Resources": ');
  expect(run('serve', dir)).toMatchObject({ status: 2, stderr: expect.stringMatching(new RegExp(`^apigw-local: ${join(dir, 'Fixture.template.json')}: not valid JSON .*; synthesize the app again$`)) });
  writeFileSync(join(dir, 'manifest.json'), 'not json');
  expect(run('serve', dir)).toMatchObject({ status: 2, stderr: expect.stringMatching(new RegExp(`^apigw-local: ${join(dir, 'manifest.json')}: not valid JSON`)) });
});

describe('stopping while executions wait', () => {
  // A STANDARD and an EXPRESS execution waiting 15 s, and a request in flight on a StartSyncExecution route.
  const waits = (type: string) => ({
    Type: 'AWS::StepFunctions::StateMachine',
    Properties: { StateMachineType: type, Definition: { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 15, End: true } } } },
  });
  const start = (subtype: string, machine: string) => ({
    IntegrationType: 'AWS_PROXY', IntegrationSubtype: `StepFunctions-${subtype}`, PayloadFormatVersion: '1.0', RequestParameters: { StateMachineArn: { Ref: machine } },
  });
  const assembly = () => writeAssembly({
    resources: { Standard: waits('STANDARD'), Express: waits('EXPRESS') },
    routes: [
      { routeKey: 'POST /standard', integration: start('StartExecution', 'Standard') },
      { routeKey: 'POST /express', integration: start('StartExecution', 'Express') },
      { routeKey: 'POST /sync', integration: start('StartSyncExecution', 'Express') },
    ],
  });

  async function busyCli() {
    const cli = await startCli(assembly(), '--port', '0');
    const url = /stage \$default: (http:\/\/127\.0\.0\.1:\d+)/.exec(cli.output())![1];
    expect((await send(`${url}/standard`, { method: 'POST' })).status).toBe(200);
    expect((await send(`${url}/express`, { method: 'POST' })).status).toBe(200);
    const sync = send(`${url}/sync`, { method: 'POST' }).catch((e: Error) => e);
    const logged = (status: string) => cli.output().split('\n').filter((l) => l.startsWith('Step Functions: ') && l.includes(` ${status}`));
    await waitFor(() => logged('RUNNING').length === 3, 'the three executions, the synchronous one included, to start');
    return { ...cli, sync, logged };
  }

  test('SIGTERM: every execution and the in-flight StartSyncExecution stop, and the process exits 0 within 5 s', async () => {
    const { child, exited, output, sync, logged } = await busyCli();
    const started = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(output()).toContain('stopping: servers, executions, functions, services');
    expect(logged('ABORTED (the runner stopped)')).toHaveLength(3);
    // The client is not left waiting 15 s: its connection ends with the server, which stops first.
    expect(await sync).toMatchObject({ message: 'socket hang up', code: 'ECONNRESET' });
  });
});

describe('a signal during the synth of an app that ignores SIGTERM', () => {
  /** An app whose synth writes its pid, ignores SIGTERM and would run for a minute. */
  function stubbornApp() {
    const app = tempDir();
    const pidFile = join(app, 'synth.pid');
    writeFileSync(join(app, 'synth.js'), `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));
process.on('SIGTERM', () => undefined);
setTimeout(() => undefined, 60000);`);
    writeFileSync(join(app, 'cdk.json'), JSON.stringify({ app: 'node synth.js' }));
    return { app, pidFile };
  }
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  async function interrupt(signals: number) {
    const { app, pidFile } = stubbornApp();
    const child = spawn(process.execPath, [CLI, 'serve', app], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 'the app to start synthesizing');
    const appPid = Number(readFileSync(pidFile, 'utf8'));
    const started = Date.now();
    child.kill('SIGINT');
    if (signals > 1) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill('SIGINT');
    }
    const code = await exited;
    const took = Date.now() - started;
    await waitFor(() => !alive(appPid), 'the app to end');
    return { code, took };
  }

  test('one signal: the app gets SIGTERM, then SIGKILL after 2 s; the runner exits 130 once it has ended', async () => {
    const { code, took } = await interrupt(1);
    expect(code).toBe(130);
    expect(took).toBeGreaterThanOrEqual(1_900);
    expect(took).toBeLessThan(5_000);
  });

  test('a second signal exits at once, and still ends the app', async () => {
    const { code, took } = await interrupt(2);
    expect(code).toBe(130);
    expect(took).toBeLessThan(1_500);
  });
});
