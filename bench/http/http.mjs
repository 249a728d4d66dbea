// Part 3: the local runner serving the books API under autocannon, beside a bare
// node:http server doing the same DynamoDB calls on the same embedded dynalite;
// then `npm start` to its first answer beside `cdk synth` of the same app.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BIN, median, NX_ENV, progress, ROOT, scratch, spread, startProcess, timeRounds, waitFor } from '../lib/common.mjs';
import { SYNTH_ENV, synthArgs } from '../synth/synth.mjs';

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
  execFileSync(join(BIN, 'cdk'), synthArgs(join(out, 'cdk.out')), {
    cwd: join(ROOT, 'bench', 'http', 'books-unthrottled'), env: { ...process.env, ...SYNTH_ENV }, stdio: ['ignore', 'ignore', 'inherit'],
  });

  const runner = startProcess(process.execPath, [join(ROOT, 'packages', 'local', 'lib', 'cli.js'), 'serve', join(out, 'cdk.out'), '--port', '0']);
  const baseline = startProcess(process.execPath, [join(ROOT, 'bench', 'http', 'baseline-server.mjs')]);
  let rows;
  try {
    const runnerUrl = await waitFor(() => servedUrl(runner.output()), { what: 'the local runner', process: runner });
    const baselineUrl = await waitFor(() => `http://127.0.0.1:${baseline.output().match(/listening (\d+)/)[1]}`, { what: 'the baseline server', process: baseline });
    const servers = [{ name: 'local runner', url: runnerUrl }, { name: 'bare node:http', url: baselineUrl }];
    for (const s of servers) s.bookId = await createBook(s.url);

    rows = [];
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
  } finally {
    await Promise.all([runner.stop(), baseline.stop()]);
  }
  // With the servers above stopped: nothing else runs while npm start is timed.
  const startup = await measureStart(runs);
  return report(rows, startup, runs);
}

/** The `$default` stage URL in the runner's banner, once it printed `Ready.`. */
const servedUrl = (output) => output.includes('Ready.') && output.match(/stage \$default: (http:\/\/127\.0\.0\.1:\d+)/)[1];

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
  return { rps: result.requests.average, mean: result.latency.average, p50: result.latency.p50, p99: result.latency.p99 };
}

/**
 * `npm start -- --port 0` until GET /books answers 200, with the nx cache warm (the
 * build is a cache hit; the runner synthesizes apps/books-app, then serves), alternating
 * with `cdk synth -q` of apps/books-app alone (both write apps/books-app/cdk.out).
 */
async function measureStart(runs) {
  const times = [];
  const synth = [];
  // What npm start and the runner print of their steps: the nx build (a cache hit) and the synth.
  const steps = { build: [], synth: [] };
  const coldStart = { cold: [], warm: [] };
  const synthCommand = { name: 'cdk synth apps/books-app', cwd: join(ROOT, 'apps', 'books-app'), cmd: `${join(BIN, 'cdk')} synth -q --no-notices` };
  for (let i = 1; i <= runs; i++) {
    progress(`http: npm start to the first answer, run ${i}/${runs}`);
    const started = performance.now();
    const start = startProcess('npm', ['start', '--', '--port', '0'], { env: NX_ENV });
    try {
      const url = await waitFor(() => servedUrl(start.output()), { timeoutMs: 300_000, everyMs: 20, what: 'npm start', process: start });
      await waitFor(async () => (await fetch(`${url}/books`, { signal: AbortSignal.timeout(5000) })).status === 200, { what: 'GET /books', process: start, everyMs: 20 });
      times.push((performance.now() - started) / 1000);
      // A function not called yet: its first request starts an execution environment (process, runtime, handler module); the second finds it warm.
      for (const kind of ['cold', 'warm']) {
        const sent = performance.now();
        await createBook(url);
        coldStart[kind].push(performance.now() - sent);
      }
      const output = start.output();
      steps.build.push(Number(output.match(/built in (\d+) s/)?.[1]));
      steps.synth.push(Number(output.match(/synthesized \S+ in ([\d.]+) s/)?.[1]));
    } finally {
      await start.stop();
    }
    progress(`http: cdk synth of apps/books-app alone, run ${i}/${runs}`);
    synth.push(...timeRounds([synthCommand], { runs: 1, warmup: i === 1 ? 1 : 0, env: SYNTH_ENV })[0].samples.map((s) => s.wall));
  }
  return { times, synth, steps, coldStart };
}

function report(rows, startup, runs) {
  const lines = [
    `The books stack (bench/http/books-unthrottled: apps/books-app's stack with the stage throttle at the account quota, so no 429s) served by \`apigw-local serve\` with its defaults (an execution environment, a process, per concurrent request, up to \`--max-concurrency\` 16 for all functions together: at 16 clients the function under load runs up to 16 warm environments, as Lambda would scale it), beside bench/http/baseline-server.mjs: node:http doing the same PutItem / consistent GetItem on the runner's own embedded dynalite (\`startDynamoDb\`), with no limit. autocannon, in the bench process: ${WARMUP_S} s warm-up, then ${runs} runs of ${DURATION_S} s per server, alternating; every answer had to be 2xx. Median of the runs (min–max). autocannon records latency in whole milliseconds, so at 1 client the percentiles (1–5 ms) are coarse; the mean is given too.`,
    '',
    '| route | clients | server | req/s | mean ms | p50 ms | p99 ms |',
    '|---|---|---|---|---|---|---|',
  ];
  const ratios = [];
  for (const row of rows) {
    for (const [name, results] of Object.entries(row.results)) {
      lines.push(`| ${row.route} | ${row.connections} | ${name} | ${spread(results.map((r) => r.rps))} | ${spread(results.map((r) => r.mean), 2)} | ${spread(results.map((r) => r.p50))} | ${spread(results.map((r) => r.p99))} |`);
    }
    const [r, b] = Object.values(row.results);
    // autocannon's whole milliseconds: a baseline percentile of 0 ms leaves no ratio.
    const ratio = (key) => {
      const base = median(b.map((x) => x[key]));
      return base > 0 ? (median(r.map((x) => x[key])) / base).toFixed(2) : 'n/a (baseline under 1 ms)';
    };
    ratios.push(`| ${row.route} | ${row.connections} | ${ratio('rps')} | ${ratio('mean')} | ${ratio('p50')} | ${ratio('p99')} |`);
  }
  lines.push(
    '',
    'Runner ÷ baseline, medians. For req/s below 1 is slower; for latency above 1 is slower. The target is p99 ≤ 1.5 at 16 clients.',
    '',
    '| route | clients | req/s | mean | p50 | p99 |',
    '|---|---|---|---|---|---|',
    ...ratios,
  );
  lines.push(
    '',
    `\`npm start -- --port 0\` (nx cache warm: the build is a cache hit; the runner synthesizes apps/books-app, then serves) to the first 200 of GET /books: ${spread(startup.times, 1, ' s')} over ${startup.times.length} runs, alternating with \`cdk synth -q\` of apps/books-app alone (GNU time): ${spread(startup.synth, 1, ' s')}; ratio ${(median(startup.times) / median(startup.synth)).toFixed(2)}. Of npm start's time, as it printed: the nx build (all cache hits) ${spread(startup.steps.build, 0, ' s')} (whole seconds), the runner's synth (the app command without the CDK CLI) ${spread(startup.steps.synth, 1, ' s')}, the rest is npm, starting the servers and the first request.`,
    '',
    `Cold start of one execution environment, in the same npm start runs: the first POST /books (its function not called before: the process starts, the Node.js runtime loads the handler and the AWS SDK, then the request runs) ${spread(startup.coldStart.cold, 0, ' ms')}, against the second, warm, ${spread(startup.coldStart.warm, 1, ' ms')}.`,
  );
  return { markdown: lines.join('\n'), data: { rows, startup } };
}
