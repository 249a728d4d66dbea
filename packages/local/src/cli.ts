#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { readAssembly } from './assembly/cloud-assembly';
import { sourceKind, SynthInterrupted } from './assembly/synthesize';
import { UsageError } from './assembly/usage-error';
import { banner, readExamples } from './banner';
import { parseTargets, readJwks } from './cli-options';
import { formatSummary, summarise } from './describe';
import { StartupAborted, STOP_ORDER } from './runner/lifecycle';
import { RunningStack } from './runner/serve-options';
import { serveStack } from './runner/serve-stack';

/** How long stopping may take after Ctrl-C before the process exits anyway. */
const STOP_DEADLINE_MS = 5_000;

const USAGE = [
  'usage: apigw-local serve <app-dir|cdk.out> [--port N] [--stack NAME] [--persist DIR] [--max-concurrency N]',
  '                         [--target URL | --target <IntegrationLogicalId>=URL ...] [--jwks FILE]',
  '                         [--ws-idle-timeout SECONDS] [--ws-max-lifetime SECONDS]',
  '       apigw-local describe <cdk.out>',
].join('\n');

function wholeNumber(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${flag} ${value}: give a whole number from ${min} to ${max}`);
  return n;
}

function seconds(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value * 1000;
}

/**
 * How the runner ends. Ctrl-C and SIGTERM: the first aborts the startup or
 * stops what runs, and the process exits within 5 s whatever is still
 * running; a second exits at once. A fault after startup stops everything
 * the same way before the process exits 1.
 */
class Shutdown {
  public readonly abort = new AbortController();
  private running?: RunningStack;
  private signals = 0;
  private readonly signalled: Promise<void>;

  constructor() {
    this.signalled = new Promise((resolve) => {
      const onSignal = () => {
        if (++this.signals > 1) process.exit(130);
        void this.stop().then(resolve);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    process.on('uncaughtException', (error) => {
      console.error(`apigw-local: ${internalError(error)}`);
      void this.stop().then(() => process.exit(1));
    });
  }

  /** What a signal or a fault stops. */
  public serving(running: RunningStack): void {
    this.running = running;
  }

  /** Resolves once a signal came and what ran has stopped. */
  public whenSignalled(): Promise<void> {
    return this.signalled;
  }

  private stop(): Promise<void> {
    console.log(`stopping: ${STOP_ORDER.join(', ')}`);
    setTimeout(() => {
      console.error(`apigw-local: still stopping after ${STOP_DEADLINE_MS / 1000} s; exiting anyway`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    this.abort.abort();
    return this.running?.stop() ?? Promise.resolve();
  }
}

/** A fault of the runner's own: one line, the stack only on request. */
function internalError(error: Error): string {
  return `internal error: ${error.message}${process.env.APIGW_LOCAL_DEBUG ? `\n${error.stack}` : ' (APIGW_LOCAL_DEBUG=1 shows where)'}`;
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: {
        'port': { type: 'string' },
        'stack': { type: 'string' },
        'persist': { type: 'string' },
        'max-concurrency': { type: 'string' },
        // Gone with worker threads; kept only to say what replaced it.
        'max-workers': { type: 'string' },
        'target': { type: 'string', multiple: true },
        'jwks': { type: 'string' },
        'ws-idle-timeout': { type: 'string' },
        'ws-max-lifetime': { type: 'string' },
      },
    });
  } catch (error) {
    // Node's parser errors (unknown option, missing value) are mistakes in the command line.
    if (/^ERR_PARSE_ARGS_/.test((error as NodeJS.ErrnoException).code ?? '')) throw new UsageError((error as Error).message);
    throw error;
  }
}

async function serve(args: string[], shutdown: Shutdown): Promise<number> {
  const { values, positionals } = parse(args);
  if (positionals.length !== 1) throw new UsageError(`serve takes one folder (a CDK app or a cdk.out)\n${USAGE}`);
  const source = positionals[0];
  if (values['max-workers'] !== undefined) {
    throw new UsageError('--max-workers is gone: functions run in execution environments, one process each; give --max-concurrency N (all functions together, default 16)');
  }
  // Read before anything starts: a malformed file stops the CLI with nothing to clean up.
  const examples = sourceKind(source) === 'app' ? readExamples(source) : {};
  const running = await serveStack({
    source,
    stack: values.stack,
    // 0: any free port (tests use it).
    port: wholeNumber(values.port, '--port', 0, 65535),
    persistDir: values.persist,
    maxConcurrency: wholeNumber(values['max-concurrency'], '--max-concurrency', 1, 1000),
    targets: parseTargets(values.target ?? []),
    jwks: values.jwks === undefined ? undefined : readJwks(values.jwks),
    wsIdleTimeoutMs: seconds(wholeNumber(values['ws-idle-timeout'], '--ws-idle-timeout', 1, 600)),
    wsMaxLifetimeMs: seconds(wholeNumber(values['ws-max-lifetime'], '--ws-max-lifetime', 1, 7200)),
    signal: shutdown.abort.signal,
  });
  shutdown.serving(running);
  try {
    console.log(banner(running, examples, values.persist));
  } catch (error) {
    await running.stop();
    throw error;
  }
  await shutdown.whenSignalled();
  return 0;
}

function describe(args: string[]): number {
  if (args.length !== 1) throw new UsageError(`describe takes one cdk.out folder\n${USAGE}`);
  const stacks = readAssembly(args[0]);
  if (stacks.length === 0) throw new UsageError(`${args[0]}: the cloud assembly holds no stacks`);
  console.log(stacks.map((s) => formatSummary(summarise(s))).join('\n\n'));
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const shutdown = new Shutdown();
  try {
    if (command === 'serve') return await serve(rest, shutdown);
    if (command === 'describe') return describe(rest);
    throw new UsageError(USAGE);
  } catch (error) {
    // Stopped by a signal during startup: what started has been stopped; nothing to report.
    if (error instanceof StartupAborted || error instanceof SynthInterrupted) return 130;
    // Mistakes in the command line, a folder or a file: one line that says what and how to fix.
    if (error instanceof UsageError) {
      console.error(`apigw-local: ${error.message}`);
      return 2;
    }
    console.error(`apigw-local: ${internalError(error as Error)}`);
    return 1;
  }
}

// Exit explicitly: whatever a function or a library left pending (a timer, a socket) must not keep the runner alive.
void main(process.argv.slice(2)).then((code) => process.exit(code));
