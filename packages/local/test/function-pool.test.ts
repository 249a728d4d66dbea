import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-dirs';
import { waitFor } from './wait';
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

// Reports its environment's process id and how many invocations run in it at once.
const REPORTS = `
let running = 0;
exports.handler = async (event) => {
  running++;
  const overlap = running;
  await new Promise((r) => setTimeout(r, event.ms));
  running--;
  return { pid: process.pid, overlap };
};`;

test('one invocation at a time per environment; a concurrent request gets a new environment, a later one reuses a warm one', async () => {
  const pool = new FunctionPool([fn('A', REPORTS)], { region: 'us-east-1', log: () => undefined });
  try {
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => pool.invoke(fn('A', '').arn, { ms: 300 })));
    const payloads = outcomes.map((o) => (o.ok ? o.payload : o)) as Array<{ pid: number; overlap: number }>;
    expect(payloads.map((p) => p.overlap)).toEqual([1, 1, 1, 1, 1, 1]);
    const pids = new Set(payloads.map((p) => p.pid));
    expect(pids.size).toBe(6);
    expect(pids.has(process.pid)).toBe(false);
    expect(pool.environmentCounts()).toEqual({ A: 6 });
    const later = await pool.invoke(fn('A', '').arn, { ms: 1 });
    expect(later.ok && pids.has((later.payload as { pid: number }).pid)).toBe(true);
    expect(pool.environmentCounts()).toEqual({ A: 6 });
  } finally {
    await pool.stop();
  }
});

test('past ReservedConcurrentExecutions, Lambda\'s TooManyRequestsException at once, not a wait', async () => {
  const model = { ...fn('A', REPORTS), reservedConcurrency: 2 };
  const pool = new FunctionPool([model], { region: 'us-east-1', log: () => undefined });
  try {
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => pool.invoke(model.arn, { ms: 300 })));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(2);
    expect(outcomes.filter((o) => !o.ok)).toEqual([
      { ok: false, errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.', throttled: true },
      { ok: false, errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.', throttled: true },
    ]);
    expect((await pool.invoke(model.arn, { ms: 1 })).ok).toBe(true);
  } finally {
    await pool.stop();
  }
});

test('the pool-wide limit holds, and an idle environment of another function makes room', async () => {
  const models = ['A', 'B', 'C'].map((n) => fn(n, REPORTS));
  const pool = new FunctionPool(models, { region: 'us-east-1', maxConcurrency: 2, log: () => undefined });
  try {
    await Promise.all([pool.invoke(models[0].arn, { ms: 50 }), pool.invoke(models[0].arn, { ms: 50 })]);
    expect(pool.environmentCounts()).toEqual({ A: 2, B: 0, C: 0 });
    const [b, c] = await Promise.all([pool.invoke(models[1].arn, { ms: 50 }), pool.invoke(models[2].arn, { ms: 50 })]);
    expect([b.ok, c.ok]).toEqual([true, true]);
    expect(Object.values(pool.environmentCounts()).reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(2);
    expect(pool.environmentCounts()).toEqual({ A: 0, B: 1, C: 1 });
  } finally {
    await pool.stop();
  }
});

test('first come, first served: a function waiting for room gets the next environment that goes idle, ahead of later calls', async () => {
  const [a, b] = ['A', 'B'].map((n) => fn(n, REPORTS));
  const pool = new FunctionPool([a, b], { region: 'us-east-1', maxConcurrency: 2, log: () => undefined });
  const finished: string[] = [];
  // B's calls run long enough that A's environment start (slow on a busy machine) cannot decide the order.
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
  const pool = new FunctionPool([model], { region: 'us-east-1', maxConcurrency: 1, log: () => undefined });
  const running = pool.invoke(model.arn, { ms: 2000 });
  const queued = pool.invoke(model.arn, { ms: 1 });
  await new Promise((r) => setTimeout(r, 100));
  await pool.stop();
  const stopped = { ok: false, errorType: 'Runtime.Stopped', errorMessage: 'the local runner stopped' };
  expect(await running).toEqual(stopped);
  expect(await queued).toEqual(stopped);
  expect(await pool.invoke(model.arn, { ms: 1 })).toEqual(stopped);
});

test('environments and inline-code folders go with the process even when it exits without stop() (a second Ctrl-C)', async () => {
  // A process that writes a function's inline code out, invokes it, prints the folders and the environment's pid, and exits at once.
  const script = `
    const { FunctionPool } = require(${JSON.stringify(join(__dirname, '..', 'lib', 'functions', 'function-pool.js'))});
    const model = ${JSON.stringify(fn('Inline', 'exports.handler = async () => process.pid;'))};
    const pool = new FunctionPool([model], { region: 'us-east-1', log: () => undefined });
    pool.invoke(model.arn, {}).then((outcome) => {
      const tmp = require('node:os').tmpdir();
      const dirs = require('node:fs').readdirSync(tmp).filter((n) => n.startsWith('apigw-local-')).map((n) => require('node:path').join(tmp, n));
      console.log(JSON.stringify({ outcome, dirs }));
      process.exit(0);
    });`;
  // A temp folder of its own: other test files' pools write theirs to the run's.
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, TMPDIR: tempDir() } });
  const { outcome, dirs } = JSON.parse(result.stdout.trim().split('\n').pop()!);
  expect(outcome.ok).toBe(true);
  expect(dirs.length).toBe(2);
  expect(dirs.filter((d: string) => existsSync(d))).toEqual([]);
  await waitFor(() => !processRuns(outcome.payload), 'the environment\'s process to end', 2000);
});

/** Whether the process runs (a zombie no one reaped yet does not). */
function processRuns(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
