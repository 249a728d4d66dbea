// Part 4: 100 `ws` clients in one chat room on the local runner, beside a bare
// `ws` server broadcasting the same payload: connects per second, and the time
// from one sendmessage to its delivery at the last of the 100 clients.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { BIN, median, progress, ROOT, scratch, spread, startProcess, waitFor } from '../lib/common.mjs';
import { SYNTH_ENV, synthArgs } from '../synth/synth.mjs';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');

const CLIENTS = 100;
const MESSAGES = 10;
let rounds = 0;
// One chat line's worth of text.
const DATA = 'The spice extends life. The spice expands consciousness.';

export async function run({ runs }) {
  const out = scratch('websocket');
  progress('websocket: synthesizing bench/websocket/chat-unthrottled (the chat stack, stage throttle at the account quota)');
  execFileSync(join(BIN, 'cdk'), synthArgs(join(out, 'cdk.out')), {
    cwd: join(ROOT, 'bench', 'websocket', 'chat-unthrottled'), env: { ...process.env, ...SYNTH_ENV }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  const runner = startProcess(process.execPath, [join(ROOT, 'packages', 'local', 'lib', 'cli.js'), 'serve', join(out, 'cdk.out'), '--port', '0']);
  const baseline = startProcess(process.execPath, [join(ROOT, 'bench', 'websocket', 'baseline-server.mjs')]);
  try {
    const runnerUrl = await waitFor(() => runner.output().includes('Ready.') && runner.output().match(/WebSocket API .* stage \S+: (ws:\/\/\S+)/)[1], { what: 'the local runner', process: runner });
    const baselineUrl = await waitFor(() => `ws://127.0.0.1:${baseline.output().match(/listening (\d+)/)[1]}`, { what: 'the baseline server', process: baseline });
    const servers = [{ name: 'local runner', url: runnerUrl }, { name: 'bare ws', url: baselineUrl }];
    const results = Object.fromEntries(servers.map((s) => [s.name, []]));
    // A first round per server, not counted: the runner starts its execution environments on first use, as Lambda has cold starts.
    for (const s of servers) {
      progress(`websocket: ${s.name}: warm-up round`);
      await round(s.url);
    }
    for (let i = 1; i <= runs; i++) {
      for (const s of servers) {
        progress(`websocket: ${s.name}: run ${i}/${runs} (${CLIENTS} clients, ${MESSAGES} messages)`);
        results[s.name].push(await round(s.url));
      }
    }
    return report(results, runs);
  } finally {
    await Promise.all([runner.stop(), baseline.stop()]);
  }
}

/** Connects CLIENTS clients, joins them to a new room, sends MESSAGES messages one at a time; closes them all. */
async function round(url) {
  // A room of its own: a late $disconnect of the previous round cannot add members to it.
  const room = `bench-${++rounds}`;
  const connectStarted = performance.now();
  const clients = await Promise.all(Array.from({ length: CLIENTS }, () => connect(url)));
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  try {
    await Promise.all(clients.map((c) => c.request({ action: 'join', room }, (m) => m.type === 'joined')));
    const deliveries = [];
    for (let i = 0; i < MESSAGES; i++) {
      const data = `${DATA} #${i}`;
      const arrivals = clients.map((c) => c.next((m) => m.type === 'message' && m.data === data).then((got) => got.at));
      const sentReply = clients[0].next((m) => m.type === 'sent').then((got) => got.message);
      const sent = performance.now();
      clients[0].socket.send(JSON.stringify({ action: 'sendmessage', data }));
      const [reply, ...times] = await Promise.all([sentReply, ...arrivals]);
      if (reply.delivered !== CLIENTS) throw new Error(`sendmessage delivered to ${reply.delivered} of ${CLIENTS} clients`);
      deliveries.push(Math.max(...times) - sent);
    }
    return { connectsPerSecond: CLIENTS / connectSeconds, lastDeliveryMs: median(deliveries) };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

/**
 * A client that hands each message to the first waiter it matches, or keeps it in
 * an inbox for a waiter still to come; an error frame (throttled, a failing
 * integration) fails every waiter at once rather than as a timeout.
 */
function connect(url) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const waiting = [];
    const inbox = [];
    const fail = (error) => waiting.splice(0).forEach((w) => w.reject(error));
    socket.on('message', (raw) => {
      const at = performance.now();
      let message;
      try {
        message = JSON.parse(raw.toString('utf8'));
      } catch {
        return fail(new Error(`not JSON: ${raw.toString('utf8').slice(0, 200)}`));
      }
      if (message.type === 'error' || message.message === 'Internal server error' || message.message === 'Forbidden') {
        return fail(new Error(`the server answered ${JSON.stringify(message)}`));
      }
      const i = waiting.findIndex((w) => w.matches(message));
      if (i >= 0) return waiting.splice(i, 1)[0].resolve({ message, at });
      return inbox.push({ message, at });
    });
    socket.once('open', () => {
      socket.off('error', reject);
      socket.on('error', fail);
      // The first message `matches` accepts, and when it arrived.
      const next = (matches, timeoutMs = 30_000) => new Promise((res, rej) => {
        const kept = inbox.findIndex((m) => matches(m.message));
        if (kept >= 0) return res(inbox.splice(kept, 1)[0]);
        const waiter = { matches, resolve: (got) => { clearTimeout(timer); res(got); }, reject: (e) => { clearTimeout(timer); rej(e); } };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          rej(new Error(`no message like ${matches} within ${timeoutMs} ms`));
        }, timeoutMs);
        return waiting.push(waiter);
      });
      resolve({
        socket,
        next,
        request: (body, matches) => {
          const reply = next(matches).then((got) => got.message);
          socket.send(JSON.stringify(body));
          return reply;
        },
        close: () => new Promise((res) => {
          if (socket.readyState === WebSocket.CLOSED) return res();
          socket.once('close', res);
          return socket.close();
        }),
      });
    });
    socket.once('error', reject);
  });
}

function report(results, runs) {
  const [runner, bare] = Object.values(results);
  const lines = [
    `The chat stack (bench/websocket/chat-unthrottled: apps/websocket-chat-app's stack with the stage throttle at the account quota) served by \`apigw-local serve\`, beside bench/websocket/baseline-server.mjs (a bare \`ws\` server broadcasting the chat's message shape). Per run: ${CLIENTS} \`ws\` clients connect at once and join a room new to the run; client 0 sends ${MESSAGES} messages one after another, each timed from its send to its arrival at the last of the ${CLIENTS} (the sender included; the runner's sendmessage function answers after its last PostToConnection); the run's value is the median of the ${MESSAGES}. One warm-up round per server, then ${runs} runs alternating. Median of the runs (min–max).`,
    '',
    '| server | connects/s | sendmessage → last of 100, ms |',
    '|---|---|---|',
    ...Object.entries(results).map(([name, r]) => `| ${name} | ${spread(r.map((x) => x.connectsPerSecond))} | ${spread(r.map((x) => x.lastDeliveryMs), 1)} |`),
    '',
    `Runner ÷ baseline: delivery time ${(median(runner.map((x) => x.lastDeliveryMs)) / median(bare.map((x) => x.lastDeliveryMs))).toFixed(1)}×, connects/s ${(median(runner.map((x) => x.connectsPerSecond)) / median(bare.map((x) => x.connectsPerSecond))).toFixed(2)}×.`,
  ];
  return { markdown: lines.join('\n'), data: results };
}
