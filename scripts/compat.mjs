// API compatibility of the jsii libraries against the last release, with jsii-diff.
//   node scripts/compat.mjs            list the API changes; fail on a breaking one that
//                                      CHANGELOG.md's "## Unreleased" "### Breaking changes" does not name
//   node scripts/compat.mjs --baseline record the current assemblies as the release baseline
// A baseline is packages/<lib>/.api-baseline/ (.jsii and package.json: jsii-diff reads a
// package folder, and finds its dependencies' assemblies from there). Run after a build.
// A dot folder, so that jsii-docgen, which documents every .jsii it finds under the package
// outside dot folders, never takes the baseline (same name and version) for the package.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedPackages } from './published-packages.mjs';

const libraries = publishedPackages().filter((p) => p.jsii);
const env = { ...process.env, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };

if (process.argv.includes('--baseline')) {
  for (const lib of libraries) {
    const baseline = join(lib.dir, '.api-baseline');
    mkdirSync(baseline, { recursive: true });
    for (const file of ['.jsii', 'package.json']) copyFileSync(join(lib.dir, file), join(baseline, file));
    console.log(`compat: ${lib.name} baseline recorded in ${baseline}`);
  }
  process.exit(0);
}

const changelog = readFileSync('CHANGELOG.md', 'utf8');
const unreleased = changelog.match(/^## Unreleased\n([\s\S]*?)(?=^## |$(?![\s\S]))/m)?.[1] ?? '';
const breakingNotes = unreleased.match(/^### Breaking changes\n([\s\S]*?)(?=^### |$(?![\s\S]))/m)?.[1] ?? '';

let unmentioned = 0;
for (const lib of libraries) {
  const baseline = join(lib.dir, '.api-baseline');
  if (!existsSync(join(baseline, '.jsii'))) {
    console.log(`compat: ${lib.name} has no baseline yet (first release): nothing to compare`);
    continue;
  }
  // jsii-diff finds dependency assemblies only under the package's own node_modules.
  spawnSync('node', ['../../scripts/link-jsii-deps.mjs'], { cwd: lib.dir, stdio: 'inherit' });
  // The libraries are experimental until 1.0: every API change counts, not only those of stable APIs.
  const run = spawnSync('npx', ['jsii-diff', '--error-on', 'all', '--keys', '.api-baseline', '.'], { cwd: lib.dir, env, encoding: 'utf8' });
  const lines = `${run.stdout}${run.stderr}`.split('\n').filter((l) => /^(err|warn) +- /.test(l));
  if (run.status !== 0 && run.status !== 1) {
    console.error(`compat: jsii-diff failed for ${lib.name}:\n${run.stdout}${run.stderr}`);
    process.exit(2);
  }
  console.log(`compat: ${lib.name}: ${lines.length ? `${lines.length} API change(s)` : 'no breaking API change'}`);
  for (const line of lines) {
    // err  - PROP @scope/pkg.Type.member: ... [key]  ->  Type.member, which the changelog must name.
    const element = line.match(/ - \w+ @[^ /]+\/[^ .]+\.([^ :]+):/)?.[1];
    const named = element !== undefined && breakingNotes.includes(element);
    if (line.startsWith('err') && !named) unmentioned++;
    console.log(`  ${line}${line.startsWith('err') ? (named ? '  (in CHANGELOG.md)' : '  <- not in CHANGELOG.md "Breaking changes"') : ''}`);
  }
}
if (unmentioned) {
  console.error(`compat: ${unmentioned} breaking change(s) not named under "## Unreleased" / "### Breaking changes" in CHANGELOG.md`);
  process.exit(1);
}
