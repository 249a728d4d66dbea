import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-dirs';
import { FunctionPool } from '../src/functions/function-pool';
import { FunctionModel } from '../src/model/functions';

const fn = (name: string, source: string): FunctionModel => ({
  logicalId: name,
  name,
  arn: `arn:aws:lambda:us-east-1:111111111111:function:${name}`,
  runtime: 'nodejs24.x',
  handler: 'index.handler',
  code: { inline: source },
  timeoutSeconds: 10,
  memoryMb: 128,
  logGroupName: `/aws/lambda/${name}`,
  environment: {},
});

// Reports the worker's thread id and how many invocations run in it at once.
const REPORTS = `
let running = 0;
exports.handler = async (event) => {
  running++;
  const overlap = running;
  await new Promise((r) => setTimeout(r, event.ms));
  running--;
  return { thread: require('node:worker_threads').threadId, overlap };
};`;

test('one invocation at a time per worker, at most 2 workers per function, the rest queued', async () => {
  const pool = new FunctionPool([fn('A', REPORTS)], { region: 'us-east-1', log: () => undefined });
  try {
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => pool.invoke(fn('A', '').arn, { ms: 150 })));
    const payloads = outcomes.map((o) => (o.ok ? o.payload : o)) as Array<{ thread: number; overlap: number }>;
    expect(payloads.every((p) => p.overlap === 1)).toBe(true);
    expect(new Set(payloads.map((p) => p.thread)).size).toBe(2);
    expect(pool.workerCounts()).toEqual({ A: 2 });
  } finally {
    await pool.stop();
  }
});

test('the pool-wide limit holds, and an idle worker of another function makes room', async () => {
  const models = ['A', 'B', 'C'].map((n) => fn(n, REPORTS));
  const pool = new FunctionPool(models, { region: 'us-east-1', maxWorkers: 2, log: () => undefined });
  try {
    await Promise.all([pool.invoke(models[0].arn, { ms: 50 }), pool.invoke(models[0].arn, { ms: 50 })]);
    expect(pool.workerCounts()).toEqual({ A: 2, B: 0, C: 0 });
    const [b, c] = await Promise.all([pool.invoke(models[1].arn, { ms: 50 }), pool.invoke(models[2].arn, { ms: 50 })]);
    expect([b.ok, c.ok]).toEqual([true, true]);
    expect(Object.values(pool.workerCounts()).reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(2);
    expect(pool.workerCounts()).toEqual({ A: 0, B: 1, C: 1 });
  } finally {
    await pool.stop();
  }
});

test('first come, first served: a function waiting for room gets the next worker that goes idle, ahead of later calls', async () => {
  const [a, b] = ['A', 'B'].map((n) => fn(n, REPORTS));
  const pool = new FunctionPool([a, b], { region: 'us-east-1', maxWorkers: 2, log: () => undefined });
  const finished: string[] = [];
  // B's calls run long enough that A's worker start (slow on a busy machine) cannot decide the order.
  const call = (model: FunctionModel, label: string) => pool.invoke(model.arn, { ms: model === a ? 50 : 400 }).then(() => finished.push(label));
  try {
    const first = [call(b, 'B1'), call(b, 'B2')];
    const waiting = call(a, 'A');
    const later = ['B3', 'B4', 'B5', 'B6'].map((label) => call(b, label));
    await Promise.all([...first, waiting, ...later]);
    // A arrived before B3..B6, so it runs in the first round that frees a worker.
    expect(finished.indexOf('A')).toBeLessThan(finished.indexOf('B4'));
  } finally {
    await pool.stop();
  }
});

test('stop() fails queued and later invocations instead of leaving them hanging', async () => {
  const model = fn('A', REPORTS);
  const pool = new FunctionPool([model], { region: 'us-east-1', maxWorkers: 1, log: () => undefined });
  const running = pool.invoke(model.arn, { ms: 2000 });
  const queued = pool.invoke(model.arn, { ms: 1 });
  await new Promise((r) => setTimeout(r, 100));
  await pool.stop();
  const stopped = { ok: false, errorType: 'Runtime.Stopped', errorMessage: 'the local runner stopped' };
  expect(await running).toEqual(stopped);
  expect(await queued).toEqual(stopped);
  expect(await pool.invoke(model.arn, { ms: 1 })).toEqual(stopped);
});

test('inline-code folders go with the process even when it exits without stop() (a second Ctrl-C)', () => {
  // A process that writes a function's inline code out, invokes it, prints the folder and exits at once.
  const script = `
    const { FunctionPool } = require(${JSON.stringify(join(__dirname, '..', 'lib', 'functions', 'function-pool.js'))});
    const model = ${JSON.stringify(fn('Inline', 'exports.handler = async () => "ok";'))};
    const pool = new FunctionPool([model], { region: 'us-east-1', log: () => undefined });
    pool.invoke(model.arn, {}).then((outcome) => {
      const dir = require('node:fs').readdirSync(require('node:os').tmpdir()).filter((n) => n.startsWith('apigw-local-inline-'));
      console.log(JSON.stringify({ outcome, dirs: dir.map((n) => require('node:path').join(require('node:os').tmpdir(), n)) }));
      process.exit(0);
    });`;
  // A temp folder of its own: other test files' pools write theirs to the run's.
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, TMPDIR: tempDir() } });
  const { outcome, dirs } = JSON.parse(result.stdout.trim().split('\n').pop()!);
  expect(outcome).toEqual({ ok: true, payload: 'ok' });
  expect(dirs.length).toBeGreaterThan(0);
  expect(dirs.filter((d: string) => existsSync(d))).toEqual([]);
});
