// What every benchmark shares: where the repository is, the machine's description,
// progress lines, hyperfine runs, and the child processes a benchmark must clean up.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'node_modules', '.bin');

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
process.on('exit', () => scratchDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
/** A scratch folder, removed when the process exits. */
export function scratch(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `bench-${prefix}-`));
  scratchDirs.push(dir);
  return dir;
}

/** Fails early, with the fix, when hyperfine (a Debian package) is missing. */
export function requireHyperfine() {
  const found = spawnSync('hyperfine', ['--version'], { encoding: 'utf8' });
  if (found.status !== 0) {
    throw new Error('hyperfine is not installed: `apt-get install -y hyperfine` (Debian), then run the benchmark again');
  }
  return found.stdout.trim();
}

/**
 * Times `commands` with hyperfine in one invocation (side by side), each run also
 * under GNU time for its peak resident memory. Returns, per command, hyperfine's
 * median, min and max (s) and the median of the peak RSS (MiB) of its timed runs.
 */
export function hyperfine(commands, { runs, warmup = 1, prepare, cwd = ROOT, env = {} }) {
  const dir = scratch('hyperfine');
  const args = ['--runs', String(runs), '--warmup', String(warmup), '--export-json', join(dir, 'result.json'), '--style', 'basic'];
  if (prepare) args.push('--prepare', prepare);
  commands.forEach((command, i) => {
    // GNU time appends one line per run; hyperfine's warm-up runs come first.
    const wrapped = `/usr/bin/time -f %M -a -o ${join(dir, `rss-${i}`)} ${command.cmd}`;
    args.push('--command-name', command.name, command.cwd ? `cd ${command.cwd} && ${wrapped}` : wrapped);
  });
  execFileSync('hyperfine', args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  const results = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')).results;
  return results.map((r, i) => {
    const rssKiB = readFileSync(join(dir, `rss-${i}`), 'utf8').trim().split('\n').map(Number).filter((n) => Number.isFinite(n)).slice(-runs);
    return { name: commands[i].name, median: r.median, min: r.min, max: r.max, runs: r.times.length, rssMiB: median(rssKiB) / 1024 };
  });
}

/** The median of a few numbers (the runs of a measurement that hyperfine cannot time). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `median (min–max)` of runs, with a unit. */
export function spread(values, digits = 0, unit = '') {
  return `${median(values).toFixed(digits)}${unit} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
}

const processes = [];
process.on('exit', () => processes.forEach((kill) => kill()));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

/**
 * Starts a long-running child in its own process group and kills the whole group
 * when the benchmark ends, however it ends.
 */
export function startProcess(command, args, options = {}) {
  const child = spawn(command, args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const kill = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  processes.push(kill);
  // Read until forget(): a server's request log must not grow in memory, but its pipe must still drain.
  let output = '';
  let recording = true;
  const record = (d) => {
    if (recording) output += d;
  };
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);
  return {
    child,
    output: () => output,
    forget: () => {
      recording = false;
      output = '';
    },
    /** Stops the group and waits for the leader to exit. */
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      kill();
    }),
  };
}

/** Waits until `probe()` resolves truthy, polling every `everyMs`; fails after `timeoutMs`. */
export async function waitFor(probe, { timeoutMs = 120_000, everyMs = 50, what = 'the server' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
