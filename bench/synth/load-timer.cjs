// Preloaded into a profiled synth's Node processes (NODE_OPTIONS=--require; the CLI,
// npx and the app), it acts in the app's only (ts-node running bin/app.ts):
// - a V8 CPU profile from the first line (NODE_OPTIONS may not carry --cpu-prof),
//   written to BENCH_PROFILE_DIR/<pid>.cpuprofile at exit;
// - each require() charged to the package of the file it loads, its own time only
//   (the requires it makes are charged to theirs): resolve, read, transpile or
//   compile, and its top-level code; written to BENCH_PROFILE_DIR/<pid>.load.json.
const Module = require('node:module');
const { writeFileSync } = require('node:fs');
const { Session } = require('node:inspector');
const { join } = require('node:path');
const { packageOf } = require('./package-of.cjs');

const isApp = /ts-node/.test(process.argv[1] ?? '') && process.argv.some((a) => a.endsWith('bin/app.ts'));
const session = new Session();
if (isApp) {
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
}

const originalLoad = Module._load;
const byPackage = {};
// The nested load time of each require in progress, innermost last.
const nested = [];

Module._load = function load(request, parent, isMain) {
  // The entry runs the whole app: it is the frame the others are measured in, not a load.
  if (isMain || !isApp) return originalLoad.apply(this, arguments);
  const start = process.hrtime.bigint();
  nested.push(0n);
  try {
    return originalLoad.apply(this, arguments);
  } finally {
    const total = process.hrtime.bigint() - start;
    const own = total - nested.pop();
    if (nested.length) nested[nested.length - 1] += total;
    let file = request;
    try {
      file = Module._resolveFilename(request, parent, isMain);
    } catch {
      // a failed require: charged by its request
    }
    const name = packageOf(file) ?? 'other';
    byPackage[name] = (byPackage[name] ?? 0) + Number(own) / 1e6;
  }
};

process.on('exit', () => {
  if (!isApp) return;
  const dir = process.env.BENCH_PROFILE_DIR;
  // An in-thread inspector session answers synchronously, so this completes before the exit.
  session.post('Profiler.stop', (error, result) => {
    if (error) throw error;
    writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
  writeFileSync(join(dir, `${process.pid}.load.json`), JSON.stringify(byPackage));
});
