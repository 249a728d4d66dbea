// What every benchmark shares: where the repository is, the machine's description,
// progress lines, whole-process timing (hyperfine, GNU time), and the child
// processes a benchmark must clean up.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'node_modules', '.bin');
/** nx as CI and `npm start` run it: no cloud, no daemon left behind, no terminal UI. */
export const NX_ENV = { NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };
const GNU_TIME = '/usr/bin/time';

const started = Date.now();
/** A progress line on stderr, with the time since the benchmark started. */
export function progress(line) {
  process.stderr.write(`[bench +${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
}

/** One line that says what machine and toolchain the numbers come from. */
export function machine() {
  const model = cpus()[0]?.model ?? 'unknown CPU';
  const cdk = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8')).version;
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  return `${cpus().length} × ${model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, aws-cdk-lib ${cdk}; load average before the run ${load}`;
}

const scratchDirs = [];
/** A scratch folder, removed when the process exits. */
export function scratch(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `bench-${prefix}-`));
  scratchDirs.push(dir);
  return dir;
}

/** Fails early, with the fix, when hyperfine or GNU time (Debian packages) is missing. */
export function requireTools() {
  if (spawnSync('hyperfine', ['--version']).status !== 0) {
    throw new Error('hyperfine is not installed: `apt-get install -y hyperfine` (Debian), then run the benchmark again');
  }
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is not installed: \`apt-get install -y time\` (Debian), then run the benchmark again`);
}

/**
 * Times `commands` with hyperfine, each run also under GNU time for its peak
 * resident memory (the largest process of its tree). With `rounds` above 1, hyperfine
 * runs again for each round with the commands in a rotated order, `runs` each, so
 * that a slow spell of a shared machine falls on all of them alike (one hyperfine
 * invocation times a command's runs back to back). Returns, per command, the median,
 * min and max (s) of all its timed runs and their median peak RSS (MiB). `shell:
 * false` runs them without a shell (hyperfine -N): less noise for short commands;
 * they may then have no `cd` or shell syntax.
 */
export function hyperfine(commands, { runs, rounds = 1, warmup = 1, prepare, shell = true, cwd = ROOT, env = {} }) {
  const times = commands.map(() => []);
  const rss = commands.map(() => []);
  for (let round = 0; round < rounds; round++) {
    if (rounds > 1) progress(`hyperfine round ${round + 1}/${rounds}`);
    const dir = scratch('hyperfine');
    const order = commands.map((_, k) => (k + round) % commands.length);
    const args = ['--runs', String(runs), '--warmup', String(warmup), '--export-json', join(dir, 'result.json'), '--style', 'basic'];
    if (prepare) args.push('--prepare', prepare);
    if (!shell) args.push('-N');
    for (const i of order) {
      const command = commands[i];
      // GNU time appends one line per run; hyperfine's warm-up runs come first.
      const wrapped = `${GNU_TIME} -f %M -a -o ${join(dir, `rss-${i}`)} ${command.cmd}`;
      args.push('--command-name', command.name, command.cwd ? `cd ${command.cwd} && ${wrapped}` : wrapped);
    }
    execFileSync('hyperfine', args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', rounds > 1 ? 'ignore' : 'inherit', 'inherit'] });
    const results = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')).results;
    order.forEach((i, k) => {
      const lines = readFileSync(join(dir, `rss-${i}`), 'utf8').trim().split('\n').map(Number);
      if (lines.length !== warmup + runs) throw new Error(`${commands[i].name}: GNU time wrote ${lines.length} lines for ${warmup} warm-ups + ${runs} runs`);
      times[i].push(...results[k].times);
      rss[i].push(...lines.slice(warmup).map((kib) => kib / 1024));
    });
  }
  return commands.map((c, i) => ({ name: c.name, median: median(times[i]), min: Math.min(...times[i]), max: Math.max(...times[i]), runs: times[i].length, rssMiB: median(rss[i]) }));
}

/**
 * Runs `commands` in rounds, each once per round in an order that rotates, so a
 * slow spell of a shared machine falls on all of them alike (hyperfine times one
 * command's runs back to back). GNU time measures each run: wall, user + system
 * CPU of the whole process tree, peak RSS. `prepare(command)` runs before each.
 */
export function timeRounds(commands, { runs, warmup = 1, env = {}, prepare = () => undefined }) {
  const dir = scratch('rounds');
  const samples = commands.map(() => []);
  for (let round = -warmup; round < runs; round++) {
    progress(round < 0 ? `warm-up round ${round + warmup + 1}/${warmup}` : `round ${round + 1}/${runs}`);
    const offset = (round + warmup) % commands.length;
    for (let k = 0; k < commands.length; k++) {
      const i = (k + offset) % commands.length;
      const command = commands[i];
      prepare(command);
      const out = join(dir, 'time');
      const run = spawnSync(GNU_TIME, ['-f', '%e %U %S %M', '-o', out, 'sh', '-c', command.cmd], {
        cwd: command.cwd ?? ROOT, env: { ...process.env, ...env, ...command.env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
      });
      if (run.status !== 0) throw new Error(`${command.name} failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
      const [wall, user, system, rssKiB] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
      if (round >= 0) samples[i].push({ wall, cpu: user + system, rssMiB: rssKiB / 1024, extra: command.collect?.() });
    }
  }
  return commands.map((c, i) => ({ name: c.name, samples: samples[i] }));
}

/** The median of a few numbers (the runs of one measurement). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `median (min–max)` of runs, with a unit. */
export function spread(values, digits = 0, unit = '') {
  return `${median(values).toFixed(digits)}${unit} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
}

const groups = new Set();
process.on('exit', () => {
  for (const pid of groups) signalGroup(pid, 'SIGKILL');
  scratchDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) process.on(signal, () => process.exit(code));

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}

/**
 * Starts a long-running child in its own process group, its output in a file
 * (a server's request log neither grows in memory nor loads this event loop);
 * the group is stopped when the benchmark ends, however it ends.
 */
export function startProcess(command, args, { env = {}, cwd = ROOT } = {}) {
  const log = join(scratch('process'), 'output.log');
  const fd = openSync(log, 'w');
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, ...env } });
  closeSync(fd);
  groups.add(child.pid);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  exited.then(() => groups.delete(child.pid));
  return {
    child,
    /** Resolves when the child exits, with its code or signal. */
    exited,
    /** Everything it printed so far. */
    output: () => readFileSync(log, 'utf8'),
    /** SIGTERM to the group (the runner stops its workers and removes its folders), SIGKILL 5 s later. */
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      // What the leader left running in its group.
      signalGroup(child.pid, 'SIGKILL');
    },
  };
}

/**
 * Waits until `probe()` resolves truthy, polling every `everyMs`; fails after
 * `timeoutMs`, or at once when `process` (from startProcess) exits first.
 */
export async function waitFor(probe, { timeoutMs = 120_000, everyMs = 50, what = 'the server', process: child } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch {
      // not yet
    }
    if (child && (child.child.exitCode !== null || child.child.signalCode !== null)) {
      throw new Error(`${what} exited (${child.child.exitCode ?? child.child.signalCode}) before it served:\n${child.output().slice(-4000)}`);
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
