import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { join } from 'node:path';
import { send } from './client';
import { ECHO_HANDLER, writeAssembly } from './fixture';
import { tempDir } from './temp-dirs';

// The built CLI, as `apigw-local` runs it.
const CLI = join(__dirname, '..', 'lib', 'cli.js');

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
  // The runner's own message is the last line; the AWS SDK may print a Node.js version notice before it.
  return { status: result.status, stderr: result.stderr.trim().split('\n').pop(), allStderr: result.stderr, stdout: result.stdout };
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
