// jsii-docgen resolves the assemblies of a package's dependencies only under
// that package's own node_modules, but npm workspaces hoist them to the root.
// Link each jsii dependency and peer into the package's node_modules before
// docgen runs (npm install may prune the links, so this runs every time).
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const require = createRequire(resolve('package.json'));
const names = new Set([...Object.keys(pkg.peerDependencies ?? {}), ...Object.keys(pkg.dependencies ?? {})]);
for (const name of names) {
  const local = join('node_modules', name);
  if (existsSync(join(local, '.jsii'))) continue;
  let found;
  try {
    found = dirname(require.resolve(`${name}/package.json`));
  } catch {
    continue;
  }
  if (!existsSync(join(found, '.jsii'))) continue;
  if (existsSync(local) || isLink(local)) rmSync(local, { recursive: true, force: true });
  mkdirSync(dirname(local), { recursive: true });
  symlinkSync(found, local, 'dir');
}

function isLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
