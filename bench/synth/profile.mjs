// Where a synth's time goes inside the app process: a V8 CPU profile of the app
// command (ts-node, as cdk.json runs it), each sample put in one bucket by the
// frames on its stack above the app's entry (bin/app.ts: below it sit the loaders
// that run the whole app). The first bucket that matches wins, in this order.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, scratch } from '../lib/common.mjs';

export const BUCKETS = [
  { name: 'TypeScript transpile (ts-node)', matches: (f) => f.url.includes('/typescript/lib/') },
  {
    name: 'module loading (resolve, read, compile)',
    matches: (f) => f.url.startsWith('node:internal/modules') || ['Module._load', 'Module._compile', 'Module.require', 'compileFunction', 'wrapSafe'].includes(f.functionName),
  },
  { name: 'cdk-nag rules', matches: (f) => f.url.includes('/cdk-nag/') },
  {
    name: 'assets: staging, hashing, esbuild',
    matches: (f) => /aws-cdk-lib\/(core\/lib\/(fs\/|asset-staging|bundling)|aws-lambda-nodejs\/|aws-s3-assets\/)/.test(f.url),
  },
  {
    name: 'synthesis: prepare, resolve, write templates',
    matches: (f) => /aws-cdk-lib\/core\/lib\/(private\/(synthesis|resolve|prepare-app|refs)|stack-synthesizers\/)/.test(f.url),
  },
  { name: 'garbage collection', matches: (f) => f.functionName === '(garbage collector)' },
  { name: 'V8 and native code', matches: (f) => f.functionName === '(program)' },
  { name: 'construct tree and other JS', matches: () => true },
];

/** Profiles the app in `appDir` once: ms by bucket, loading ms by package, the process's peak RSS. */
export function profileApp(appDir) {
  const dir = scratch('profile');
  const result = spawnSync('/usr/bin/time', ['-f', '%M', '-o', join(dir, 'rss'), process.execPath, '--cpu-prof', '--cpu-prof-dir', join(dir, 'prof'), '-r', 'ts-node/register', 'bin/app.ts'], {
    cwd: appDir,
    encoding: 'utf8',
    // As `ts-node -T --prefer-ts-exts` and the CDK CLI run it.
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PREFER_TS_EXTS: 'true', CDK_OUTDIR: join(dir, 'out'), CDK_DEFAULT_REGION: 'us-east-1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`profiling ${appDir} failed:\n${result.stderr}`);
  const file = readdirSync(join(dir, 'prof')).find((f) => f.endsWith('.cpuprofile'));
  const rssMiB = Number(readFileSync(join(dir, 'rss'), 'utf8').trim()) / 1024;
  return { ...bucketize(JSON.parse(readFileSync(join(dir, 'prof', file), 'utf8'))), rssMiB };
}

/** ms by bucket of one .cpuprofile. */
export function bucketize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const bucketOf = new Map();
  const bucketFor = (id) => {
    if (bucketOf.has(id)) return bucketOf.get(id);
    const frames = [];
    for (let at = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at).callFrame);
    // frames runs leaf to root; keep what the entry called (or all, before the entry ran).
    const entry = frames.findLastIndex((f) => f.url.endsWith('/bin/app.ts'));
    if (entry >= 0) frames.splice(entry);
    const bucket = (BUCKETS.find((b) => frames.some((f) => b.matches(f))) ?? BUCKETS[BUCKETS.length - 1]).name;
    // Module loading, further by the package whose code runs (or is compiled) nearest the leaf.
    const owner = bucket === LOADING ? ownerOf(frames) : undefined;
    bucketOf.set(id, { bucket, owner });
    return bucketOf.get(id);
  };
  const ms = Object.fromEntries(BUCKETS.map((b) => [b.name, 0]));
  const loadingByPackage = {};
  profile.samples.forEach((id, i) => {
    if (byId.get(id).callFrame.functionName === '(idle)') return;
    const { bucket, owner } = bucketFor(id);
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    ms[bucket] += delta;
    if (owner) loadingByPackage[owner] = (loadingByPackage[owner] ?? 0) + delta;
  });
  return { ms, loadingByPackage };
}

const LOADING = BUCKETS[1].name;

// The require hooks `ts-node` installs, which every module of a ts-node app passes through.
const HOOKS = new Set(['ts-node', '@cspotcode/source-map-support', 'v8-compile-cache-lib']);
const LOADER_STEPS = [
  ['compile', /^(wrapSafe|Script|ContextifyScript|compileFunction\w*|runInThisContext)$/],
  ['read', /^(readFile\w*|tryReadSync|readSync|openSync|closeSync)$/],
  ['resolve', /^(internalModuleStat|stat\w*|realpathSync|toRealPath|tryFile|tryExtensions|_findPath|tryPackage|readPackage\w*)$/],
  ['hash (compile cache key)', /^(update|digest|createHash|Hash)$/],
];

/** Who a loading sample's time belongs to: the nearest frame with a source decides. */
function ownerOf(frames) {
  const nearest = frames.find((f) => f.url);
  // Node's loader by the function at the leaf: compileFunction (V8 compiling a module), readFileSync, stat, ...
  if (!nearest || nearest.url.startsWith('node:')) return `Node.js loader: ${LOADER_STEPS.find(([, re]) => re.test(frames[0].functionName))?.[0] ?? 'other'}`;
  const name = packageOf(nearest.url);
  return name === undefined ? 'other' : HOOKS.has(name) ? 'ts-node require hooks' : `${name} (module code)`;
}

/** `aws-cdk-lib/aws-ec2`, `cdk-nag`, `@apigw-blueprints/books-api`, ... for a module's file URL. */
function packageOf(url) {
  const file = url.replace(/^file:\/\//, '');
  const inModules = file.lastIndexOf('/node_modules/');
  if (inModules >= 0) {
    const parts = file.slice(inModules + '/node_modules/'.length).split('/');
    const name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    const rest = parts.slice(name.split('/').length);
    return name === 'aws-cdk-lib' && rest.length > 1 ? `aws-cdk-lib/${rest[0]}` : name;
  }
  const ours = file.match(/\/(packages|apps)\/([^/]+)\//);
  return ours ? `@apigw-blueprints/${ours[2]}` : undefined;
}

export const relative = (dir) => dir.replace(`${ROOT}/`, '');
