// Runs every package's unit tests (not integ snapshots, which are recorded with
// the pinned version) against the newest aws-cdk-lib on the registry, in a
// scratch copy of the repository so the working tree and its lock file stay as they are.
import { execFileSync, execSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const scratch = join(process.cwd(), '.scratch', 'latest');
const skip = new Set(['node_modules', '.git', '.nx', '.scratch', 'cdk.out', 'lib', 'dist', 'coverage', 'test-reports']);
const latest = execFileSync('npm', ['view', 'aws-cdk-lib', 'version'], { encoding: 'utf8' }).trim();
console.log(`test:latest: aws-cdk-lib ${latest} in ${scratch}`);

rmSync(scratch, { recursive: true, force: true });
cpSync('.', scratch, { recursive: true, filter: (src) => !src.split('/').some((part) => skip.has(part)) });
rmSync(join(scratch, 'package-lock.json'), { force: true });
const manifests = ['package.json', ...['packages', 'apps'].flatMap((dir) =>
  readdirSync(join(scratch, dir)).map((name) => join(dir, name, 'package.json')))];
for (const manifest of manifests) {
  const path = join(scratch, manifest);
  if (!existsSync(path)) continue;
  const pkg = JSON.parse(readFileSync(path, 'utf8'));
  for (const field of ['dependencies', 'devDependencies']) {
    if (pkg[field]?.['aws-cdk-lib']) pkg[field]['aws-cdk-lib'] = latest;
  }
  writeFileSync(path, JSON.stringify(pkg, null, 2) + '\n');
}
const run = (cmd) => execSync(cmd, { cwd: scratch, stdio: 'inherit', env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false' } });
run('npm install --no-audit --no-fund');
run('node -e "const v=require(\'aws-cdk-lib/package.json\').version; if (v!==process.argv[1]) throw new Error(\'aws-cdk-lib \'+v); console.log(\'using aws-cdk-lib\', v)" ' + latest);
run('npx nx run-many --output-style=stream --skip-nx-cache -t test');
