// Part 1: `cdk synth` of every sample app beside the floor (an empty stack) and a
// hand-written books app, in interleaved rounds; then a CPU profile and require
// timings of each app process, to show what an app adds over the floor.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, median, progress, ROOT, scratch, spread, timeRounds } from '../lib/common.mjs';
import { BUCKETS, profileApp } from './profile.mjs';

const HERE = join(ROOT, 'bench', 'synth');
export const APPS = [
  { name: 'floor (empty stack)', dir: join(HERE, 'floor') },
  { name: 'hand-written books', dir: join(HERE, 'hand-written-books') },
  { name: 'books-app', dir: join(ROOT, 'apps', 'books-app') },
  { name: 'sfn-app', dir: join(ROOT, 'apps', 'sfn-app') },
  { name: 'private-alb-app', dir: join(ROOT, 'apps', 'private-alb-app') },
  { name: 'websocket-chat-app', dir: join(ROOT, 'apps', 'websocket-chat-app') },
  { name: 'websocket-chat-app without cdk-nag', dir: join(HERE, 'websocket-chat-without-nag') },
  { name: 'composed-app', dir: join(ROOT, 'apps', 'composed-app') },
];
// Every sample app's cdk.json `app` command; the bench apps' cdk.json has the same.
export const APP_COMMAND = 'npx ts-node -T --prefer-ts-exts bin/app.ts';
// Offline and quiet: the same flags for every app; no notices or telemetry calls out.
export const SYNTH_ENV = { CDK_DEFAULT_REGION: 'us-east-1', CDK_DISABLE_CLI_TELEMETRY: 'true' };
export const synthArgs = (out) => ['synth', '-q', '--no-notices', '-o', out];

export async function run({ runs }) {
  const out = scratch('synth');
  const rounds = runs * 2;
  progress(`synth: ${APPS.length} apps in ${rounds} interleaved rounds after a warm-up round, about ${Math.round(APPS.length * (rounds + 1) * 6 / 60)} min`);
  const commands = APPS.map((a, i) => {
    const outdir = join(out, `app-${i}`);
    const appRss = join(out, `app-rss-${i}`);
    // The app command as cdk.json has it, under GNU time for the app's own peak memory.
    const app = `/usr/bin/time -f %M -a -o ${appRss} ${APP_COMMAND}`;
    return {
      name: a.name,
      cwd: a.dir,
      outdir,
      cmd: `${join(BIN, 'cdk')} ${synthArgs(outdir).join(' ')} --app '${app}'`,
      collect: () => Number(readFileSync(appRss, 'utf8').trim().split('\n').pop()) / 1024,
    };
  });
  // A fresh cloud assembly each run: asset staging copies into it, as a first synth does.
  const timed = timeRounds(commands, { runs: rounds, env: SYNTH_ENV, prepare: (c) => rmSync(c.outdir, { recursive: true, force: true }) });

  // Profiles in interleaved rounds too, in a rotating order: a busy spell of the
  // shared machine then lands on every app, not on whichever ran during it.
  const samplesOf = APPS.map(() => []);
  for (let i = 0; i < runs; i++) {
    progress(`synth: profile round ${i + 1}/${runs} (${APPS.length} apps)`);
    for (let k = 0; k < APPS.length; k++) {
      const j = (i + k) % APPS.length;
      samplesOf[j].push(profileApp(APPS[j].dir, APP_COMMAND, SYNTH_ENV));
    }
  }
  const profiles = [];
  for (const [j, a] of APPS.entries()) {
    const samples = samplesOf[j];
    const medians = (key) => {
      const names = [...new Set(samples.flatMap((s) => Object.keys(s[key])))];
      return Object.fromEntries(names.map((n) => [n, median(samples.map((s) => s[key][n] ?? 0))]));
    };
    profiles.push({ name: a.name, ms: medians('ms'), other: medians('otherByPackage'), load: medians('loadByPackage') });
  }
  return report({ runs, rounds, timed, profiles });
}

function report({ runs, rounds, timed, profiles }) {
  const med = (t, key) => median(t.samples.map((s) => s[key]));
  const [floor, hand] = timed;
  const top = (obj, n) => Object.entries(obj).sort((a, b) => b[1] - a[1]).slice(0, n);
  const lines = [
    `\`cdk synth -q\` into a fresh folder, app command \`${APP_COMMAND}\` for every app. The apps ran in ${rounds} rounds, each app once per round in a rotating order, after one warm-up round; GNU time measured each run: wall time, CPU (user + system, the CLI, npx and the app together; less disturbed by other work on a shared machine than wall time), the app process's peak memory and the largest of the tree (the CDK CLI). Median (min–max) of the ${rounds} runs.`,
    '',
    '| app | wall s | × floor | × hand-written | CPU s | CPU × floor | CPU × hand-written | app MiB | largest MiB |',
    '|---|---|---|---|---|---|---|---|---|',
    ...timed.map((t) => `| ${t.name} | ${spread(t.samples.map((s) => s.wall), 2)} | ${(med(t, 'wall') / med(floor, 'wall')).toFixed(2)} | ${(med(t, 'wall') / med(hand, 'wall')).toFixed(2)} | ${spread(t.samples.map((s) => s.cpu), 2)} | ${(med(t, 'cpu') / med(floor, 'cpu')).toFixed(2)} | ${(med(t, 'cpu') / med(hand, 'cpu')).toFixed(2)} | ${median(t.samples.map((s) => s.extra)).toFixed(0)} | ${med(t, 'rssMiB').toFixed(0)} |`),
    '',
    `Inside the app process: a V8 CPU profile (1 ms samples) taken by bench/synth/load-timer.cjs while the CLI ran the app as above, in ${runs} interleaved rounds (each app once per round, rotating), median ms of the ${runs} runs. A sample goes to the first bucket, in this order, that a frame on its stack (above bin/app.ts) matches: so "cdk-nag" holds loading cdk-nag and what it loads, as well as its rules; "assets" holds esbuild, which runs in a child process while the app waits for it.`,
    '',
    `| bucket | ${profiles.map((p) => p.name).join(' | ')} |`,
    `|---|${profiles.map(() => '---').join('|')}|`,
    ...BUCKETS.map((b) => `| ${b.name} | ${profiles.map((p) => (p.ms[b.name] ?? 0).toFixed(0)).join(' | ')} |`),
    `| **total** | ${profiles.map((p) => Object.values(p.ms).reduce((a, b) => a + b, 0).toFixed(0)).join(' | ')} |`,
    '',
    'require() time by the package of the file loaded, its own share only (resolve, read, transpile or compile, top-level code; what it requires in turn is charged to that package), measured by the same preload: the five largest, ms.',
    '',
    ...profiles.map((p) => `- ${p.name}: ${top(p.load, 5).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')} (all: ${Object.values(p.load).reduce((a, b) => a + b, 0).toFixed(0)})`),
    '',
    '"Construct tree and other JS" by the package of the code that ran, the three largest, ms:',
    '',
    ...profiles.map((p) => `- ${p.name}: ${top(p.other, 3).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')}`),
    '',
    'What each app adds over the floor, the three largest buckets (ms):',
    '',
    ...profiles.slice(1).map((p) => `- ${p.name}: ${BUCKETS.map((b) => [b.name, (p.ms[b.name] ?? 0) - (profiles[0].ms[b.name] ?? 0)]).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${k} +${v.toFixed(0)}`).join('; ')}`),
  ];
  return { markdown: lines.join('\n'), data: { timed, profiles } };
}
