// Part 2: every handler bundle's size, and its cold module initialisation (a fresh
// Node process loading it) beside a fresh process loading only the AWS SDK clients
// it imports, and beside Node starting with nothing to load. All in one hyperfine run.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { hyperfine, progress, ROOT } from '../lib/common.mjs';

const LOADER = join(ROOT, 'bench', 'bundles', 'load.cjs');

/** Every shipped bundle: packages/<pkg>/assets/<handler>/index.js. */
export function findBundles() {
  const found = [];
  for (const pkg of readdirSync(join(ROOT, 'packages'))) {
    const assets = join(ROOT, 'packages', pkg, 'assets');
    let handlers = [];
    try {
      handlers = readdirSync(assets);
    } catch {
      continue;
    }
    for (const handler of handlers) {
      const file = join(assets, handler, 'index.js');
      const code = readFileSync(file, 'utf8');
      // esbuild keeps the SDK external (Lambda's runtime provides it): these are what the bundle loads besides itself.
      const sdk = [...new Set([...code.matchAll(/require\("(@(?:aws-sdk|smithy)\/[^"]+)"\)/g)].map((m) => m[1]))].sort();
      let mapBytes = 0;
      try {
        mapBytes = statSync(`${file}.map`).size;
      } catch {
        // no source map
      }
      found.push({ name: `${pkg}/${handler}`, file, bytes: statSync(file).size, gzipBytes: gzipSync(code).length, mapBytes, sdk });
    }
  }
  return found;
}

export async function run({ runs }) {
  const bundles = findBundles();
  const sdkSets = [...new Set(bundles.filter((b) => b.sdk.length).map((b) => b.sdk.join(' ')))];
  const commands = [
    { name: 'node (nothing loaded)', cmd: `${process.execPath} ${LOADER}` },
    ...sdkSets.map((set) => ({ name: `SDK: ${set}`, cmd: `${process.execPath} ${LOADER} sdk ${set}` })),
    ...bundles.map((b) => ({ name: b.name, cmd: `${process.execPath} ${LOADER} handler ${b.file}` })),
  ];
  const rounds = Math.max(runs, 5) * 2;
  progress(`bundles: ${bundles.length} bundles, ${sdkSets.length} SDK floors: hyperfine, ${commands.length} commands in ${rounds} rounds of 1 warm-up + 2 runs`);
  // Rounds in rotated order: these runs are short, and a shared machine drifts within a minute.
  // Without a shell (hyperfine -N): its start-up would be noise as large as a small bundle's init.
  const timed = hyperfine(commands, { runs: 2, rounds, warmup: 1, shell: false, env: { NODE_PATH: join(ROOT, 'node_modules') } });
  const byName = Object.fromEntries(timed.map((t) => [t.name, t]));
  const bare = byName['node (nothing loaded)'];
  const ms = (s) => (s * 1000).toFixed(0);
  const kb = (n) => (n / 1024).toFixed(1);
  const lines = [
    `Each a fresh \`node\` process (${relative(ROOT, LOADER)}), hyperfine in ${rounds} rounds, each command once warm-up and twice timed per round in a rotated order: ${rounds * 2} timed runs each. Init = the process's median minus that of Node loading nothing (${ms(bare.median)} ms, ${ms(bare.min)}–${ms(bare.max)}); the SDK floor loads the same \`@aws-sdk/*\` modules and builds the same clients (one DynamoDBClient, wrapped in the document client where the handler uses it), nothing else. A difference of medians: init times of a few ms are noise, and can come out below zero.`,
    '',
    '| bundle | KiB (gzip) | map KiB | imports | process ms median (min–max) | init ms | SDK floor init ms | × floor |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const b of bundles) {
    const t = byName[b.name];
    const floor = b.sdk.length ? byName[`SDK: ${b.sdk.join(' ')}`] : bare;
    const init = (t.median - bare.median) * 1000;
    const floorInit = (floor.median - bare.median) * 1000;
    lines.push(`| ${b.name} | ${kb(b.bytes)} (${kb(b.gzipBytes)}) | ${kb(b.mapBytes)} | ${b.sdk.join(', ') || 'none'} | ${ms(t.median)} (${ms(t.min)}–${ms(t.max)}) | ${init.toFixed(0)} | ${b.sdk.length ? floorInit.toFixed(0) : '—'} | ${b.sdk.length ? (init / floorInit).toFixed(2) : '—'} |`);
  }
  return { markdown: lines.join('\n'), data: { bundles, timed } };
}
