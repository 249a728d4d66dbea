// Where a synth's time goes inside the app process. The app runs under the CDK CLI
// as in the timed runs, with load-timer.cjs preloaded (NODE_OPTIONS) to take its
// V8 CPU profile and time its requires. Each sample goes to one bucket by the frames on its stack above the
// app's entry (below it sit the loaders that run the whole app): the first bucket
// that matches, in the order listed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BIN, scratch } from '../lib/common.mjs';

const require = createRequire(import.meta.url);
const { packageOf } = require('./package-of.cjs');
const LOAD_TIMER = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, 'load-timer.cjs');

const isLoader = (f) => f.url.startsWith('node:internal/modules') || ['Module._load', 'Module._compile', 'Module.require'].includes(f.functionName);
export const BUCKETS = [
  { name: 'TypeScript transpile (ts-node)', matches: (f) => f.url.includes('/typescript/lib/') },
  { name: 'cdk-nag (loading it, its rules)', matches: (f) => f.url.includes('/cdk-nag/') },
  {
    name: 'assets (staging, hashing, esbuild)',
    matches: (f) => /aws-cdk-lib\/(core\/lib\/(fs\/|asset-staging|bundling)|aws-lambda-nodejs\/|aws-s3-assets\/)/.test(f.url),
  },
  { name: 'module loading (resolve, read, compile, top-level code)', matches: isLoader },
  {
    name: 'synthesis (prepare, resolve, write templates)',
    matches: (f) => /aws-cdk-lib\/core\/lib\/(private\/(synthesis|resolve|prepare-app|refs)|stack-synthesizers\/)/.test(f.url),
  },
  { name: 'garbage collection', matches: (f) => f.functionName === '(garbage collector)' },
  { name: 'V8 and native code', matches: (f) => f.functionName === '(program)' },
  { name: 'construct tree and other JS', matches: () => true },
];
const OTHER = BUCKETS[BUCKETS.length - 1].name;

/**
 * Profiles one `cdk synth` of the app in `appDir` (with `appCommand`): ms by
 * bucket, the "other JS" bucket by package, and load-timer ms by package.
 */
export function profileApp(appDir, appCommand, env) {
  const dir = scratch('profile');
  mkdirSync(join(dir, 'prof'));
  const result = spawnSync(join(BIN, 'cdk'), ['synth', '-q', '--no-notices', '-o', join(dir, 'out'), '--app', appCommand], {
    cwd: appDir,
    encoding: 'utf8',
    env: { ...process.env, ...env, NODE_OPTIONS: `--require=${LOAD_TIMER}`, BENCH_PROFILE_DIR: join(dir, 'prof') },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`profiling ${appDir} failed:\n${result.stderr}`);
  const files = readdirSync(join(dir, 'prof'));
  const cpu = files.filter((f) => f.endsWith('.cpuprofile'));
  if (cpu.length !== 1) throw new Error(`profiling ${appDir}: expected the profile of one app process, found ${cpu.length}`);
  const read = (f) => JSON.parse(readFileSync(join(dir, 'prof', f), 'utf8'));
  return { ...bucketize(read(cpu[0])), loadByPackage: read(cpu[0].replace('.cpuprofile', '.load.json')) };
}

/** ms by bucket of one .cpuprofile, and the catch-all bucket's ms by package. */
export function bucketize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map();
  const classify = (id) => {
    if (memo.has(id)) return memo.get(id);
    const frames = [];
    for (let at = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at).callFrame);
    // frames runs leaf to root; keep what the entry called (or all, before the entry ran).
    const entry = frames.findLastIndex((f) => f.url.endsWith('/bin/app.ts'));
    const above = entry >= 0 ? frames.slice(0, entry) : frames;
    const bucket = (BUCKETS.find((b) => above.some((f) => b.matches(f))) ?? BUCKETS[BUCKETS.length - 1]).name;
    // The catch-all, by the package of the nearest frame with a source file.
    const owner = bucket === OTHER ? packageOf(frames.find((f) => f.url && !f.url.startsWith('node:'))?.url) ?? 'node builtins' : undefined;
    memo.set(id, { bucket, owner });
    return memo.get(id);
  };
  const ms = Object.fromEntries(BUCKETS.map((b) => [b.name, 0]));
  const otherByPackage = {};
  profile.samples.forEach((id, i) => {
    if (byId.get(id).callFrame.functionName === '(idle)') return;
    const { bucket, owner } = classify(id);
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    ms[bucket] += delta;
    if (owner) otherByPackage[owner] = (otherByPackage[owner] ?? 0) + delta;
  });
  return { ms, otherByPackage };
}
