// Runs every package's unit tests (not integ snapshots, which are recorded with
// the pinned version) against the newest aws-cdk-lib on the registry, in a
// scratch copy of the repository so the working tree and its lock file stay as they are.
import { execFileSync, execSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Outside the repository: a copy cannot go into a folder of itself.
const scratch = mkdtempSync(join(tmpdir(), 'apigw-blueprints-latest-'));
// Installed or generated: the scratch copy installs and builds its own.
const skip = new Set(['node_modules', '.git', '.nx', 'cdk.out', 'coverage', 'test-reports']);
const latest = execFileSync('npm', ['view', 'aws-cdk-lib', 'version'], { encoding: 'utf8' }).trim();
console.log(`test:latest: aws-cdk-lib ${latest} in ${scratch}`);

const root = resolve('.');
cpSync(root, scratch, { recursive: true, filter: (src) => !src.slice(root.length).split('/').some((part) => skip.has(part)) });
rmSync(join(scratch, 'package-lock.json'));
const manifests = ['package.json', ...['packages', 'apps'].flatMap((dir) =>
  readdirSync(join(scratch, dir)).map((name) => join(dir, name, 'package.json')))];
for (const manifest of manifests) {
  const path = join(scratch, manifest);
  if (!existsSync(path)) continue;
  const pkg = JSON.parse(readFileSync(path, 'utf8'));
  for (const field of ['dependencies', 'devDependencies']) {
    if (pkg[field]?.['aws-cdk-lib']) pkg[field]['aws-cdk-lib'] = latest;
  }
  // The root pins aws-cdk-lib 2.257's cloud-assembly-schema; the newest release brings its own.
  delete pkg.overrides;
  writeFileSync(path, JSON.stringify(pkg, null, 2) + '\n');
}
const run = (cmd) => execSync(cmd, { cwd: scratch, stdio: 'inherit', env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false' } });
run('npm install --no-audit --no-fund');
run('node -e "const v=require(\'aws-cdk-lib/package.json\').version; if (v!==process.argv[1]) throw new Error(\'aws-cdk-lib \'+v); console.log(\'using aws-cdk-lib\', v)" ' + latest);
run('npx nx run-many --output-style=stream --skip-nx-cache -t test');
