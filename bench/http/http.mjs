// Part 3: the local runner serving the books API under autocannon, beside a bare
// node:http server doing the same DynamoDB calls on the same embedded dynalite;
// then `npm start` to its first answer beside `cdk synth` of the same app.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BIN, hyperfine, median, progress, ROOT, scratch, spread, startProcess, waitFor } from '../lib/common.mjs';
import { SYNTH_ENV, synthCommand } from '../synth/synth.mjs';
import { execFileSync } from 'node:child_process';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

// The fixed settings: 16 connections for 20 s after a 5 s warm-up; and 1 connection.
const DURATION_S = 20;
const WARMUP_S = 5;
const CONNECTIONS = [1, 16];
const BOOK = JSON.stringify({ title: 'Dune', author: 'Frank Herbert', year: 1965 });

export async function run({ runs }) {
  const out = scratch('http');
  progress('http: synthesizing bench/http/books-unthrottled (the books stack, stage throttle at the account quota)');
  execFileSync(join(BIN, 'cdk'), ['synth', '-q', '--no-notices', '-o', join(out, 'cdk.out')], {
    cwd: join(ROOT, 'bench', 'http', 'books-unthrottled'), env: { ...process.env, ...SYNTH_ENV }, stdio: ['ignore', 'ignore', 'inherit'],
  });

  const runner = startProcess(process.execPath, [join(ROOT, 'packages', 'local', 'lib', 'cli.js'), 'serve', join(out, 'cdk.out'), '--port', '0']);
  const baseline = startProcess(process.execPath, [join(ROOT, 'bench', 'http', 'baseline-server.mjs')]);
  try {
    const runnerUrl = await waitFor(() => runner.output().includes('Ready.') && runner.output().match(/stage \$default: (http:\/\/127\.0\.0\.1:\d+)/)[1], { what: 'the local runner' });
    const baselineUrl = await waitFor(() => `http://127.0.0.1:${baseline.output().match(/listening (\d+)/)[1]}`, { what: 'the baseline server' });
    runner.forget();
    const servers = [{ name: 'local runner', url: runnerUrl }, { name: 'bare node:http', url: baselineUrl }];
    for (const s of servers) s.bookId = await createBook(s.url);

    const rows = [];
    for (const route of ['GET /books/{id}', 'POST /books']) {
      for (const connections of CONNECTIONS) {
        const results = Object.fromEntries(servers.map((s) => [s.name, []]));
        for (const s of servers) {
          progress(`http: ${route}, ${connections} client(s), ${s.name}: ${WARMUP_S} s warm-up`);
          await load(s, route, connections, WARMUP_S);
        }
        // Alternating runs: a slow spell of the shared machine hits both sides.
        for (let i = 1; i <= runs; i++) {
          for (const s of servers) {
            progress(`http: ${route}, ${connections} client(s), ${s.name}: run ${i}/${runs} (${DURATION_S} s)`);
            results[s.name].push(await load(s, route, connections, DURATION_S));
          }
        }
        rows.push({ route, connections, results });
      }
    }
    const startup = await measureStart(runs);
    return report(rows, startup, runs);
  } finally {
    await Promise.all([runner.stop(), baseline.stop()]);
  }
}

async function createBook(url) {
  const res = await fetch(`${url}/books`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BOOK });
  if (res.status !== 201) throw new Error(`POST ${url}/books answered ${res.status}: ${await res.text()}`);
  return (await res.json()).id;
}

/** One autocannon run; fails on any error or non-2xx answer (a 429 would mean the throttle, not the API, was timed). */
async function load(server, route, connections, duration) {
  const request = route === 'POST /books'
    ? { url: `${server.url}/books`, method: 'POST', headers: { 'content-type': 'application/json' }, body: BOOK }
    : { url: `${server.url}/books/${server.bookId}`, method: 'GET' };
  const result = await autocannon({ ...request, connections, duration });
  if (result.errors || result.timeouts || result.non2xx) {
    throw new Error(`${server.name} ${route}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

/** `npm start -- --port P` until GET /books answers, with the nx cache warm; beside `cdk synth` of apps/books-app. */
async function measureStart(runs) {
  const times = [];
  for (let i = 1; i <= runs; i++) {
    const port = 3900 + i;
    progress(`http: npm start to the first answer, run ${i}/${runs}`);
    const started = Date.now();
    const start = startProcess('npm', ['start', '--', '--port', String(port)]);
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/books`)).status === 200, { timeoutMs: 300_000, what: 'npm start' });
      times.push((Date.now() - started) / 1000);
    } finally {
      await start.stop();
    }
  }
  progress(`http: cdk synth of apps/books-app alone, hyperfine ${runs} runs`);
  const [synth] = hyperfine([{ name: 'cdk synth apps/books-app', cwd: join(ROOT, 'apps', 'books-app'), cmd: synthCommand(scratch('start-synth')) }], { runs, env: SYNTH_ENV });
  return { times, synth };
}

function report(rows, startup, runs) {
  const lines = [
    `The books stack (bench/http/books-unthrottled: apps/books-app's stack with the stage throttle at the account quota, so no 429s) served by \`apigw-local serve\`, beside bench/http/baseline-server.mjs: node:http doing the same PutItem / consistent GetItem on the runner's own embedded dynalite (\`startDynamoDb\`). autocannon, in the bench process: ${WARMUP_S} s warm-up, then ${runs} runs of ${DURATION_S} s per server, alternating; every answer had to be 2xx. Median of the runs (min–max).`,
    '',
    '| route | clients | server | req/s | p50 ms | p99 ms |',
    '|---|---|---|---|---|---|',
  ];
  const ratios = [];
  for (const row of rows) {
    for (const [name, results] of Object.entries(row.results)) {
      lines.push(`| ${row.route} | ${row.connections} | ${name} | ${spread(results.map((r) => r.rps))} | ${spread(results.map((r) => r.p50))} | ${spread(results.map((r) => r.p99))} |`);
    }
    const [r, b] = Object.values(row.results);
    const ratio = (key) => (median(r.map((x) => x[key])) / median(b.map((x) => x[key]))).toFixed(2);
    ratios.push(`| ${row.route} | ${row.connections} | ${ratio('rps')} | ${ratio('p50')} | ${ratio('p99')} |`);
  }
  lines.push('', 'Runner ÷ baseline (medians; the target is p99 ≤ 1.5 at 16 clients):', '', '| route | clients | req/s | p50 | p99 |', '|---|---|---|---|---|', ...ratios);
  const startMedian = median(startup.times);
  lines.push(
    '',
    `\`npm start\` (nx cache warm: the build is a cache hit; the runner synthesizes apps/books-app, then serves) to the first 200 of GET /books: ${spread(startup.times, 1, ' s')} over ${startup.times.length} runs, beside \`cdk synth -q\` of apps/books-app alone: ${startup.synth.median.toFixed(1)} s (${startup.synth.min.toFixed(1)}–${startup.synth.max.toFixed(1)}); ratio ${(startMedian / startup.synth.median).toFixed(2)}.`,
  );
  return { markdown: lines.join('\n'), data: { rows, startup } };
}
