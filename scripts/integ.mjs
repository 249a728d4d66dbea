// Runs integ-runner over test/integ.*.ts of the package in the current directory.
//   verify: compare each test with its committed snapshot (offline, no credentials)
//   update: re-record snapshots without deploying (--dry-run)
// A package without integ tests passes with a note, so every package exposes the target.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const mode = process.argv[2];
const tests = existsSync('test') ? readdirSync('test').filter((f) => /^integ\..+\.ts$/.test(f)) : [];
if (tests.length === 0) {
  console.log('integ: no test/integ.*.ts in this package');
  process.exit(0);
}
const args = ['integ-runner', '--language', 'typescript', '--directory', 'test', '--parallel-regions', 'us-east-1'];
if (mode === 'update') args.push('--update-on-failed', '--dry-run', '--force');
else if (mode !== 'verify') {
  console.error('usage: integ.mjs verify|update');
  process.exit(2);
}
const run = spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' } });
process.exit(run.status ?? 1);
