// What a release would publish, offline and without publishing: the version (one for
// every package), the changelog entry, and each tarball's files and size from
// `npm pack --dry-run --json`. Run after a build (the tarballs hold lib/ and .jsii).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allowed, publishedPackages } from './published-packages.mjs';

const packages = publishedPackages();
const versions = new Set(packages.map((p) => p.version));
if (versions.size !== 1) {
  console.error(`release: the packages disagree on the version (${[...versions].join(', ')}); it is set once, in .projenrc.ts`);
  process.exit(1);
}
const [version] = versions;
const tags = execFileSync('git', ['tag', '--list', 'v*'], { encoding: 'utf8' }).split('\n').filter(Boolean);
console.log(`next version: ${version}${tags.includes(`v${version}`) ? ` (already tagged: raise WORKSPACE_VERSION in .projenrc.ts)` : ''}`);
console.log(`last release tag: ${tags.at(-1) ?? 'none (this would be the first release)'}`);

const changelog = readFileSync('CHANGELOG.md', 'utf8');
// The version's own section once written, else what is unreleased.
const section = (title) => changelog.match(new RegExp(`^## ${title.replace(/[.()]/g, '\\$&')}[^\n]*\n([\\s\\S]*?)(?=^## |$(?![\\s\\S]))`, 'm'));
const entry = section(version) ?? section('Unreleased');
console.log(`\nCHANGELOG.md entry for ${version}:\n${entry ? entry[1].trim() : '(none: add an "## Unreleased" section)'}\n`);

let failed = !entry;
for (const pkg of packages) {
  if (!existsSync(join(pkg.dir, 'lib'))) {
    console.error(`${pkg.name}: no lib/; build first (npm run build:all)`);
    failed = true;
    continue;
  }
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: pkg.dir, encoding: 'utf8' }));
  const stray = packed.files.map((f) => f.path).filter((path) => !allowed(path, pkg.files));
  console.log(`${packed.id}: ${packed.entryCount} files, ${(packed.size / 1024).toFixed(1)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(1)} KiB unpacked`);
  for (const file of packed.files) console.log(`  ${String(file.size).padStart(8)}  ${file.path}`);
  if (stray.length) {
    console.error(`${pkg.name}: files outside the allowlist ${JSON.stringify(pkg.files)}: ${stray.join(', ')}`);
    failed = true;
  }
}
console.log('\nNothing was published.');
process.exit(failed ? 1 : 0);
