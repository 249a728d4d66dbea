// Part 5: `npm test` (README's test command) wall time, cold (nx cache cleared
// before each run: every build, test and integ target runs) and warm (all cache hits).
import { hyperfine, NX_ENV, progress } from './lib/common.mjs';

export async function run({ runs, coldRuns }) {
  progress(`tests: npm test cold, ${coldRuns} run(s) after \`nx reset\` each (about 13 min a run on 2 cores)`);
  const [cold] = hyperfine([{ name: 'npm test (cold)', cmd: 'npm test' }], { runs: coldRuns, warmup: 0, prepare: 'npx nx reset', env: NX_ENV });
  progress(`tests: npm test warm, 1 warm-up + ${runs} runs`);
  const [warm] = hyperfine([{ name: 'npm test (warm)', cmd: 'npm test' }], { runs, warmup: 1, env: NX_ENV });
  const min = (s) => `${(s / 60).toFixed(1)} min`;
  const lines = [
    '`npm test` (every nx `test` and `integ` target, the consumer test, `compat`, the bench type-check) from the repository root, hyperfine. Cold: `npx nx reset` before each run, so every build and test target runs; what lives outside nx stays warm (the built `lib/` folders, which the build rewrites, `*.tsbuildinfo`, jest\'s cache, the npm cache the consumer test installs from, the OS page cache). Warm: nothing changed since the previous run, so nx replays every target from its cache; `compat` and the bench type-check run each time.',
    '',
    '| | runs | median (min–max) | peak MiB (largest process) |',
    '|---|---|---|---|',
    `| cold | ${cold.runs} | ${min(cold.median)} (${min(cold.min)}–${min(cold.max)}) | ${cold.rssMiB.toFixed(0)} |`,
    `| warm | ${warm.runs} | ${warm.median.toFixed(1)} s (${warm.min.toFixed(1)}–${warm.max.toFixed(1)}) | ${warm.rssMiB.toFixed(0)} |`,
    '',
    `Warm ÷ cold: ${(warm.median / cold.median).toFixed(3)}.`,
  ];
  return { markdown: lines.join('\n'), data: { cold, warm } };
}
