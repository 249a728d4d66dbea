// What `npm install` gives a user, tested from the outside: packs every published package,
// checks each tarball against its allowlist, installs the tarballs into a scratch CDK app
// outside the monorepo (with the pinned aws-cdk-lib, or the newest with --latest), type-checks
// it with the strict tsconfig `cdk init` writes, synthesizes every pattern and two
// integrations with zero warnings, serves the books stack with `npx apigw-local` and sends
// requests through it. Cleans up after itself (--keep leaves the scratch folder).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { allowed, publishedPackages } from './published-packages.mjs';

const started = Date.now();
const root = resolve(process.argv.includes('--root') ? process.argv[process.argv.indexOf('--root') + 1] : join(import.meta.dirname, '..'));
const latest = process.argv.includes('--latest');
const keep = process.argv.includes('--keep');
const step = (text) => console.log(`consumer-test [${((Date.now() - started) / 1000).toFixed(0)} s] ${text}`);
const run = (cmd, args, cwd, env = {}) => execFileSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });

const scratch = mkdtempSync(join(tmpdir(), 'apigw-consumer-'));
const USER_SDK_VERSION = '3.1000.0';
let server;
try {
  // 1. Pack, and hold each tarball to its allowlist.
  const tarballs = join(scratch, 'tarballs');
  mkdirSync(tarballs);
  const dependencies = {};
  for (const pkg of publishedPackages(root)) {
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tarballs], pkg.dir));
    const stray = packed.files.map((f) => f.path).filter((path) => !allowed(path, pkg.files));
    if (stray.length) throw new Error(`${pkg.name}: the tarball holds files outside its allowlist ${JSON.stringify(pkg.files)}: ${stray.join(', ')}`);
    for (const required of pkg.files.filter((entry) => existsSync(join(pkg.dir, entry)))) {
      if (!packed.files.some((f) => f.path === required || f.path.startsWith(required))) throw new Error(`${pkg.name}: the tarball lacks ${required}`);
    }
    step(`${packed.filename}: ${packed.entryCount} files, ${(packed.size / 1024).toFixed(1)} KiB (unpacked ${(packed.unpackedSize / 1024).toFixed(1)} KiB)`);
    dependencies[pkg.name] = `file:tarballs/${packed.filename}`;
  }

  // 2. A CDK app of a user's, outside the monorepo's module resolution.
  const app = join(scratch, 'app');
  mkdirSync(join(app, 'bin'), { recursive: true });
  const cdkLib = latest ? run('npm', ['view', 'aws-cdk-lib', 'version'], scratch).trim() : JSON.parse(readFileSync(join(root, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8')).version;
  const typescript = JSON.parse(readFileSync(join(root, 'node_modules', 'typescript', 'package.json'), 'utf8')).version;
  writeFileSync(join(app, 'package.json'), JSON.stringify({
    name: 'consumer-app',
    private: true,
    dependencies: {
      ...Object.fromEntries(Object.entries(dependencies).map(([n, v]) => [n, v.replace('file:', 'file:../')])), 'aws-cdk-lib': cdkLib, 'constructs': '^10.5.1',
      // A user's own SDK at another version than the runner's: npm nests the runner's client-dynamodb
      // under it and hoists its client-sfn, and the runner must still find each.
      '@aws-sdk/client-dynamodb': USER_SDK_VERSION,
      'cdk-nag': JSON.parse(readFileSync(join(root, 'node_modules', 'cdk-nag', 'package.json'), 'utf8')).version,
    },
    devDependencies: { typescript, '@types/node': '^20' },
  }, null, 2));
  // The compiler options `cdk init app --language typescript` writes (strict).
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['es2022'], declaration: true, strict: true,
      noImplicitAny: true, strictNullChecks: true, noImplicitThis: true, alwaysStrict: true, noUnusedLocals: false, noUnusedParameters: false,
      noImplicitReturns: true, noFallthroughCasesInSwitch: false, inlineSourceMap: true, inlineSources: true, experimentalDecorators: true,
      strictPropertyInitialization: false, typeRoots: ['./node_modules/@types'], rootDir: '.', outDir: 'build',
    },
    exclude: ['node_modules', 'cdk.out', 'build'],
  }, null, 2));
  writeFileSync(join(app, 'bin', 'app.ts'), readFileSync(join(import.meta.dirname, 'consumer-app.ts.txt'), 'utf8'));
  step(`installing the tarballs with aws-cdk-lib ${cdkLib} into ${app}`);
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app);

  // 3. Type-check and synthesize.
  run('npx', ['tsc', '-p', '.'], app);
  step('type-checked with the strict tsconfig of `cdk init`');
  run('node', ['build/bin/app.js'], app, { CDK_OUTDIR: join(app, 'cdk.out'), CDK_DEFAULT_REGION: 'us-east-1' });
  const messages = JSON.parse(run('node', ['-e', "console.log(JSON.stringify(require('@apigw-blueprints/local').synthMessages('cdk.out')))"], app));
  if (messages.length) throw new Error(`synth warned or failed:\n${JSON.stringify(messages, null, 2)}`);
  const manifest = JSON.parse(readFileSync(join(app, 'cdk.out', 'manifest.json'), 'utf8'));
  const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack').map(([id]) => id).sort();
  step(`synthesized ${stacks.join(', ')} in an account with no warning and no unacknowledged cdk-nag finding`);

  // 4. The runner, as a user starts it, on that cdk.out.
  let base = await serve('Books');
  const created = await fetch(`${base}/books`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Dune', author: 'Frank Herbert' }) });
  const book = await created.json();
  const read = await fetch(`${base}/books/${book.id}`);
  const stored = await read.json();
  if (created.status !== 201 || read.status !== 200 || stored.title !== 'Dune') {
    throw new Error(`through apigw-local: POST /books ${created.status} ${JSON.stringify(book)}, GET ${read.status} ${JSON.stringify(stored)}`);
  }
  step(`npx apigw-local serve ./cdk.out: POST /books 201, GET /books/{id} 200 at ${base}`);
  await stopServer();

  // 5. A handler of the user's reaches every service the runner embeds, whatever npm did with the SDK packages.
  const nested = (client) => existsSync(join(app, 'node_modules', '@apigw-blueprints', 'local', 'node_modules', '@aws-sdk', client));
  // The layout this step is about: the runner's client-dynamodb under it, its client-sfn elsewhere.
  if (!nested('client-dynamodb') || nested('client-sfn')) throw new Error(`npm laid the SDK out otherwise than this test expects: client-dynamodb nested ${nested('client-dynamodb')}, client-sfn nested ${nested('client-sfn')}`);
  const layout = ['client-dynamodb', 'client-sfn'].map((c) => `@aws-sdk/${c}: ${nested(c) ? 'nested' : 'hoisted'}`);
  base = await serve('Reach');
  const reached = await fetch(`${base}/reach`);
  const answer = await reached.text();
  const expected = JSON.stringify({ dynamodb: 'stored', stepFunctions: '{"done":true}', connections: 'GoneException' });
  if (reached.status !== 200 || answer !== expected) throw new Error(`through apigw-local: GET /reach ${reached.status} ${answer}, expected ${expected}`);
  step(`with the app's own @aws-sdk/client-dynamodb ${USER_SDK_VERSION} (runner's ${layout.join(', ')}): a handler reached DynamoDB, Step Functions and @connections`);
  step(`passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
} catch (error) {
  console.error(`consumer-test: ${error.stderr ?? ''}${error.stdout ?? ''}${error.message}`);
  process.exitCode = 1;
} finally {
  await stopServer();
  if (keep) console.log(`consumer-test: kept ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
}

/** Starts `npx apigw-local serve` on one stack of the app, as a user does; resolves to its HTTP API's URL. */
async function serve(stack) {
  // In a process group of its own: npx runs the runner as a child, and both must stop.
  server = spawn('npx', ['apigw-local', 'serve', './cdk.out', '--stack', stack, '--port', '0'], { cwd: join(scratch, 'app'), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const started = server;
  return new Promise((resolveUrl, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`apigw-local printed no HTTP API URL in 60 s:\n${output}`)), 60_000);
    const read = (chunk) => {
      output += chunk;
      const url = output.match(/HTTP API .*?: (http:\/\/127\.0\.0\.1:\d+)/);
      if (url) { clearTimeout(timer); resolveUrl(url[1]); }
    };
    started.stdout.on('data', read);
    started.stderr.on('data', read);
    started.on('exit', (code) => reject(new Error(`apigw-local exited (${code}):\n${output}`)));
  });
}

/** Stops the runner started last: SIGINT to its group, SIGKILL if it has not exited in 10 s. */
async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  process.kill(-server.pid, 'SIGINT');
  const stopped = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]);
  if (!stopped) process.kill(-server.pid, 'SIGKILL');
}
