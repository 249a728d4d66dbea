import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { InvokeOutcome, MAX_PAYLOAD_BYTES, responseTooLarge, STOPPED } from './invoke-outcome';
import { MEMORY_MEASURABLE, peakResidentBytes, residentBytes } from './memory-use';
import { RuntimeApi, RuntimeReport } from './runtime-api';
import { FunctionModel } from '../model/functions';

/** How one execution environment is started. */
export interface EnvironmentSettings {
  readonly model: FunctionModel;
  /** The code folder: the process's working directory, as `LAMBDA_TASK_ROOT` on Lambda. */
  readonly codeDir: string;
  /** The whole environment of the process, but `AWS_LAMBDA_RUNTIME_API`. */
  readonly env: Record<string, string>;
  /** The runtime's command: the program and its arguments. */
  readonly command: readonly [string, ...string[]];
  /** How long the Init phase may take before Lambda stops it and retries. */
  readonly initLimitMs: number;
  /** How often the environment's memory is sampled while it works. */
  readonly memorySampleMs: number;
  readonly log: (line: string) => void;
}

type Step = { readonly kind: 'ready' } | { readonly kind: 'limit' } | { readonly kind: 'not-taken' } | { readonly kind: 'done'; readonly outcome: InvokeOutcome };

/** What `invoke` answers for an invocation the runtime never took. */
export const NOT_TAKEN = Symbol('not taken');

/**
 * One Lambda execution environment: a process of its own running the
 * function's runtime, which takes one invocation at a time through its
 * Runtime API (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html).
 * A process gives each function what Lambda gives it and a thread cannot:
 * its own time zone, working directory, `NODE_OPTIONS` and memory limit.
 * Once it times out, crashes, runs out of memory or fails its init, it is
 * gone: the pool starts a new one for the next invocation, as Lambda does.
 */
export class ExecutionEnvironment {
  /** Whether the pool has given it an invocation that has not settled yet. */
  public busy = false;
  private child?: ChildProcess;
  private api?: RuntimeApi;
  private started = false;
  private gone = false;
  private requestId?: string;
  private wake?: (step: Step) => void;
  private sampler?: NodeJS.Timeout;
  private readonly goneListeners: Array<() => void> = [];

  constructor(private readonly settings: EnvironmentSettings) {}

  /** The version it runs (`AWS_LAMBDA_FUNCTION_VERSION`): an environment serves one version only. */
  public get version(): string {
    return this.settings.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST';
  }

  /** Whether it can still take invocations. */
  public get alive(): boolean {
    return !this.gone;
  }

  /** Calls `listener` once the environment is gone. */
  public onGone(listener: () => void): void {
    this.goneListeners.push(listener);
  }

  /**
   * Runs one invocation, starting the environment first if it is new.
   * `NOT_TAKEN`: the runtime ended before it took the invocation (it exits
   * after an exception nothing caught), which then belongs to another
   * environment, as Lambda only fails an invocation a runtime took.
   */
  public async invoke(payload: string, functionArn: string): Promise<InvokeOutcome | typeof NOT_TAKEN> {
    const timeoutMs = this.settings.model.timeoutSeconds * 1000;
    const requestId = randomUUID();
    this.requestId = requestId;
    let deadlineMs: number | undefined;
    if (!this.started) {
      this.started = true;
      const init = await this.init(this.settings.initLimitMs);
      if (init.kind === 'done') return init.outcome;
      if (init.kind === 'limit') {
        // "If the Init phase times out, Lambda retries it at the time of the first
        // function invocation with the configured function timeout"
        // (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib):
        // the retried init and the invocation share the function's timeout.
        this.settings.log(`${this.prefix} INIT_REPORT Init Duration: ${this.settings.initLimitMs.toFixed(2)} ms Phase: init Status: timeout`);
        this.killProcess();
        deadlineMs = Date.now() + timeoutMs;
        const retry = await this.init(timeoutMs);
        if (retry.kind === 'done') return retry.outcome;
        if (retry.kind === 'limit') return this.timedOut(requestId);
      }
    }
    if (this.gone) return exited(requestId, 'the environment is gone');
    return this.run(requestId, payload, functionArn, deadlineMs ?? Date.now() + timeoutMs);
  }

  /** Stops the process and fails what it was doing with `outcome`. */
  public stop(outcome: InvokeOutcome): void {
    this.finish({ kind: 'done', outcome });
    this.retire();
  }

  private get prefix(): string {
    return `[${this.settings.model.name}]`;
  }

  /** Starts the process and waits for its first poll, an init error, an exit, or `limitMs`. */
  private async init(limitMs: number): Promise<Step> {
    // Reports of an earlier process's server (one stopped at the init limit) are not this one's.
    const api = new RuntimeApi((report) => api === this.api && this.onReport(report));
    this.api = api;
    let child: ChildProcess;
    try {
      const address = await api.listen();
      if (this.gone || api !== this.api) {
        api.close();
        return { kind: 'done', outcome: STOPPED };
      }
      const [program, ...args] = this.settings.command;
      child = spawn(program, args, {
        cwd: this.settings.codeDir,
        env: { ...this.settings.env, AWS_LAMBDA_RUNTIME_API: address },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so that stopping it also stops whatever the handler started.
        detached: true,
      });
    } catch (error) {
      api.close();
      this.retire();
      return { kind: 'done', outcome: exited(this.requestId!, `the runtime did not start: ${(error as Error).message}`) };
    }
    this.child = child;
    this.prefixLines(child.stdout!);
    this.prefixLines(child.stderr!);
    child.on('error', (error) => this.lost(child, `the runtime did not start: ${error.message}`));
    child.on('exit', (code, signal) => this.lost(child, signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal}` : `exit status ${code}`));
    this.sample();
    const timer = setTimeout(() => this.finish({ kind: 'limit' }), limitMs);
    const step = await this.next();
    clearTimeout(timer);
    if (step.kind !== 'ready') this.stopSampling();
    return step;
  }

  private async run(requestId: string, event: string, functionArn: string, deadlineMs: number): Promise<InvokeOutcome | typeof NOT_TAKEN> {
    const timer = setTimeout(() => this.finish({ kind: 'done', outcome: this.timedOut(requestId) }), Math.max(0, deadlineMs - Date.now()));
    this.sample();
    this.api!.deliver({ requestId, event, deadlineMs, functionArn });
    const step = await this.next();
    clearTimeout(timer);
    this.stopSampling();
    if (step.kind === 'not-taken') return NOT_TAKEN;
    return step.kind === 'done' ? step.outcome : exited(requestId, 'the runtime stopped answering');
  }

  private next(): Promise<Step> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  private finish(step: Step): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.(step);
  }

  private onReport(report: RuntimeReport): void {
    switch (report.kind) {
      case 'ready':
        this.finish({ kind: 'ready' });
        return;

      case 'init-error':
        // Lambda fails the invocation with the init error and starts afresh on the next one.
        this.settings.log(`${this.prefix} INIT_REPORT Phase: init Status: error Error Type: ${report.errorType}`);
        this.finish({ kind: 'done', outcome: { ok: false, errorType: report.errorType, errorMessage: report.errorMessage } });
        this.retire();
        return;
      case 'response':
      case 'error':
        if (report.requestId !== this.requestId) return;
        if (this.overMemory(true)) return;
        if (report.kind === 'response') {
          const bytes = Buffer.byteLength(report.payload);
          this.finish({ kind: 'done', outcome: bytes > MAX_PAYLOAD_BYTES ? this.tooLarge(bytes) : parsePayload(report.payload) });
        } else {
          // Lambda logs a failed invocation's error as the runtime reports it.
          this.settings.log(`${this.prefix} ${report.errorType}: ${report.errorMessage}${report.stack ? `\n${report.stack}` : ''}`);
          this.finish({ kind: 'done', outcome: { ok: false, errorType: report.errorType, errorMessage: report.errorMessage } });
        }
    }
  }

  /** The process ended (or never started): whatever it was doing fails as Lambda's `Runtime.ExitError`. */
  private lost(child: ChildProcess, reason: string): void {
    if (child !== this.child) return;
    if (this.wake && this.api?.holding && reason.startsWith('exit status')) {
      this.finish({ kind: 'not-taken' });
    } else if (this.wake) {
      this.settings.log(`${this.prefix} RequestId: ${this.requestId} Error: Runtime exited with error: ${reason}`);
      this.finish({ kind: 'done', outcome: exited(this.requestId!, reason) });
    }
    this.retire();
  }

  private tooLarge(bytes: number): InvokeOutcome {
    const outcome = responseTooLarge(bytes);
    this.settings.log(`${this.prefix} ${outcome.ok ? '' : `${outcome.errorType}: ${outcome.errorMessage}`}`);
    return outcome;
  }

  private timedOut(requestId: string): InvokeOutcome {
    // Lambda stops a function at its timeout and resets the environment.
    const seconds = this.settings.model.timeoutSeconds.toFixed(2);
    this.settings.log(`${this.prefix} ${requestId} Task timed out after ${seconds} seconds`);
    this.retire();
    return { ok: false, errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${seconds} seconds`, unhandled: true };
  }

  private sample(): void {
    if (!MEMORY_MEASURABLE || this.sampler) return;
    this.sampler = setInterval(() => this.overMemory(false), this.settings.memorySampleMs);
  }

  private stopSampling(): void {
    clearInterval(this.sampler);
    this.sampler = undefined;
  }

  /** Past `MemorySize` (now, or at its peak when a response arrives): the process is killed, as Lambda kills it. */
  private overMemory(atPeak: boolean): boolean {
    const pid = this.child?.pid;
    if (!MEMORY_MEASURABLE || pid === undefined) return false;
    const limit = this.settings.model.memoryMb * 1024 * 1024;
    // At a response one read of the process's own peak (the sampler covers its children): it is on every request's path.
    const used = (atPeak ? peakResidentBytes(pid) : residentBytes(pid)) ?? 0;
    if (used <= limit) return false;
    this.settings.log(`${this.prefix} ${Math.ceil(used / 1048576)} MB in use, past the function's MemorySize of ${this.settings.model.memoryMb} MB`);
    this.lost(this.child!, 'signal: killed');
    return true;
  }

  private killProcess(): void {
    const child = this.child;
    this.child = undefined;
    this.stopSampling();
    this.api?.close();
    // The whole group: the runtime may be gone while something the handler started lives on.
    if (child?.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  /** Out of service for good: the pool starts a new environment for the next invocation. */
  private retire(): void {
    this.killProcess();
    if (this.gone) return;
    this.gone = true;
    for (const listener of this.goneListeners.splice(0)) listener();
  }

  private prefixLines(stream: Readable): void {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.settings.log(`${this.prefix} ${line}`));
  }
}

function exited(requestId: string, reason: string): InvokeOutcome {
  return { ok: false, errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${reason}`, unhandled: true };
}

function parsePayload(payload: string): InvokeOutcome {
  try {
    return { ok: true, payload: JSON.parse(payload) };
  } catch {
    // The Node.js runtime always posts JSON; another runtime might not.
    return { ok: false, errorType: 'Runtime.InvalidResponsePayload', errorMessage: 'the function\'s response is not JSON' };
  }
}
