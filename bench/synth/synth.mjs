// Part 1: `cdk synth` of every sample app beside the floor (an empty stack) and a
// hand-written books app, in one hyperfine run; then a CPU profile of each app
// process, bucketed, to show what an app adds over the floor.
import { join } from 'node:path';
import { BIN, hyperfine, median, progress, ROOT, scratch } from '../lib/common.mjs';
import { BUCKETS, profileApp } from './profile.mjs';

const HERE = join(ROOT, 'bench', 'synth');
export const APPS = [
  { name: 'floor (empty stack)', dir: join(HERE, 'floor') },
  { name: 'hand-written books', dir: join(HERE, 'hand-written-books') },
  { name: 'books-app', dir: join(ROOT, 'apps', 'books-app') },
  { name: 'sfn-app', dir: join(ROOT, 'apps', 'sfn-app') },
  { name: 'private-alb-app', dir: join(ROOT, 'apps', 'private-alb-app') },
  { name: 'websocket-chat-app', dir: join(ROOT, 'apps', 'websocket-chat-app') },
  { name: 'websocket-chat-app + cdk-nag', dir: join(HERE, 'websocket-chat-nag') },
  { name: 'composed-app', dir: join(ROOT, 'apps', 'composed-app') },
];
// Offline and quiet: the same flags for every app; no notices or telemetry calls out.
export const SYNTH_ENV = { CDK_DEFAULT_REGION: 'us-east-1', CDK_DISABLE_CLI_TELEMETRY: 'true' };
export const synthCommand = (out) => `${BIN}/cdk synth -q --no-notices -o ${out}`;

export async function run({ runs }) {
  const out = scratch('synth');
  progress(`synth: hyperfine, ${APPS.length} apps × (1 warm-up + ${runs} runs), about ${Math.round(APPS.length * (runs + 1) * 9 / 60)} min`);
  const timed = hyperfine(APPS.map((a, i) => ({ name: a.name, cwd: a.dir, cmd: synthCommand(join(out, String(i))) })), { runs, env: SYNTH_ENV });
  const floor = timed[0];
  const handWritten = timed[1];

  const profileRuns = Math.min(3, runs);
  const profiles = [];
  for (const a of APPS) {
    progress(`synth: CPU profile of ${a.name} (${profileRuns} runs)`);
    const samples = [];
    for (let i = 0; i < profileRuns; i++) samples.push(profileApp(a.dir));
    const ms = Object.fromEntries(BUCKETS.map((b) => [b.name, median(samples.map((s) => s.ms[b.name]))]));
    const packages = [...new Set(samples.flatMap((s) => Object.keys(s.loadingByPackage)))];
    const loading = Object.fromEntries(packages.map((p) => [p, median(samples.map((s) => s.loadingByPackage[p] ?? 0))]));
    profiles.push({ name: a.name, ms, loading, rssMiB: median(samples.map((s) => s.rssMiB)) });
  }
  return report({ runs, timed, floor, handWritten, profiles, profileRuns });
}

function report({ runs, timed, floor, handWritten, profiles, profileRuns }) {
  const s = (x) => x.toFixed(2);
  const lines = [
    `\`cdk synth -q\` (the repository's CDK CLI, app command \`npx ts-node -T --prefer-ts-exts bin/app.ts\`), hyperfine: 1 warm-up + ${runs} runs each, all in one invocation. Peak memory is GNU time's maximum resident set of the largest process (the app or the CLI), median of the runs.`,
    '',
    '| app | median s (min–max) | × floor | × hand-written | peak MiB |',
    '|---|---|---|---|---|',
    ...timed.map((t) => `| ${t.name} | ${s(t.median)} (${s(t.min)}–${s(t.max)}) | ${(t.median / floor.median).toFixed(2)} | ${(t.median / handWritten.median).toFixed(2)} | ${t.rssMiB.toFixed(0)} |`),
    '',
    `Inside the app process (V8 CPU profile of \`bin/app.ts\` under ts-node, median ms of ${profileRuns} runs; the CLI's own time is not in it):`,
    '',
    `| bucket | ${profiles.map((p) => p.name).join(' | ')} |`,
    `|---|${profiles.map(() => '---').join('|')}|`,
    ...BUCKETS.map((b) => `| ${b.name} | ${profiles.map((p) => p.ms[b.name].toFixed(0)).join(' | ')} |`),
    `| **total** | ${profiles.map((p) => Object.values(p.ms).reduce((a, b) => a + b, 0).toFixed(0)).join(' | ')} |`,
    `| app process peak MiB (profiled) | ${profiles.map((p) => p.rssMiB.toFixed(0)).join(' | ')} |`,
    '',
    'Module loading by the package whose code ran (ms, the five largest per app):',
    '',
    ...profiles.map((p) => `- ${p.name}: ${Object.entries(p.loading).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`),
  ];
  const floorProfile = profiles[0];
  const added = profiles.slice(2).map((p) => ({
    name: p.name,
    items: BUCKETS.map((b) => [b.name, p.ms[b.name] - floorProfile.ms[b.name]]).sort((a, b) => b[1] - a[1]).slice(0, 3),
  }));
  lines.push('', 'What each app adds over the floor, the three largest buckets (ms):', '');
  for (const a of added) lines.push(`- ${a.name}: ${a.items.map(([k, v]) => `${k} +${v.toFixed(0)}`).join('; ')}`);
  return { markdown: lines.join('\n'), data: { timed, profiles } };
}
