// `npm run bench [-- <name>...] [--runs N]`: builds what the benchmarks serve and
// synthesize (nx, cached), runs them one after another, and rewrites each one's
// results section in bench/README.md with the machine, the date and the command.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { machine, NX_ENV, progress, requireTools, ROOT } from './lib/common.mjs';

const BENCHES = {
  synth: { title: '1. Synth cost', module: './synth/synth.mjs', needsBuild: true },
  bundles: { title: '2. Handler bundles', module: './bundles/bundles.mjs', needsBuild: true },
  http: { title: '3. Local runner, HTTP', module: './http/http.mjs', needsBuild: true },
  websocket: { title: '4. Local runner, WebSocket', module: './websocket/websocket.mjs', needsBuild: true },
  tests: { title: '5. Test suite', module: './tests.mjs', needsBuild: false },
};

const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '5' }, 'cold-runs': { type: 'string', default: '5' } } });
const names = positionals.length ? positionals : Object.keys(BENCHES);
const unknown = names.filter((n) => !BENCHES[n]);
if (unknown.length) {
  console.error(`npm run bench: no benchmark ${unknown.join(', ')}; pick from ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
const count = (flag) => {
  const n = Number(values[flag]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`npm run bench: --${flag} must be a whole number of at least 1 (got ${values[flag]})`);
    process.exit(2);
  }
  return n;
};
const runs = count('runs');
const coldRuns = count('cold-runs');
// Fewer runs are for a quick look: printed, not recorded as the results (the issue asks for medians of at least 5).
// --cold-runs counts only for the tests benchmark.
const recorded = (name) => runs >= 5 && (name !== 'tests' || coldRuns >= 5);
requireTools();
if (names.some((n) => BENCHES[n].needsBuild)) {
  progress('building every package (nx, cached) ...');
  const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...NX_ENV }, maxBuffer: 256 * 1024 * 1024 });
  if (build.status !== 0) {
    process.stderr.write(build.stdout + build.stderr);
    process.exit(build.status ?? 1);
  }
}

const readme = join(ROOT, 'bench', 'README.md');
for (const name of names) {
  const bench = BENCHES[name];
  const where = machine();
  progress(`${name}: ${bench.title}`);
  const { run } = await import(bench.module);
  const { markdown } = await run({ runs, coldRuns });
  const flags = [runs === 5 ? '' : ` --runs ${runs}`, name === 'tests' && coldRuns !== 5 ? ` --cold-runs ${coldRuns}` : ''].join('');
  const command = `npm run bench -- ${name}${flags}`;
  const section = [`### ${bench.title}`, '', `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${command}\` on ${where}.`, '', markdown].join('\n');
  process.stdout.write(`\n${section}\n\n`);
  if (recorded(name)) {
    writeFileSync(readme, replaceSection(readFileSync(readme, 'utf8'), name, section));
    progress(`${name}: done, bench/README.md updated`);
  } else {
    progress(`${name}: done; with --runs or --cold-runs under 5 the results are printed only, bench/README.md keeps the recorded ones`);
  }
}

/** Replaces the text between `<!-- bench:name -->` and `<!-- /bench:name -->`, or appends it. */
function replaceSection(text, name, section) {
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const block = `${open}\n${section}\n${close}`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start >= 0 && end > start) return text.slice(0, start) + block + text.slice(end + close.length);
  return `${text.trimEnd()}\n\n${block}\n`;
}
