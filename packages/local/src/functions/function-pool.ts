import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { lambdaEnvironment } from './lambda-environment';
import type { InvokeMessage, ResultMessage, WorkerSetup } from './lambda-worker';
import { FunctionModel } from '../model/functions';

/** The result of one invocation: the handler's JSON result, or the error Lambda would report. */
export type InvokeOutcome =
  | { readonly ok: true; readonly payload: unknown }
  | { readonly ok: false; readonly errorType: string; readonly errorMessage: string };

/** How many workers the pool runs and what they connect to. */
export interface FunctionPoolOptions {
  /** All functions together. @default 8 */
  readonly maxWorkers?: number;
  /** Warm workers one function may keep. @default 2 */
  readonly maxWorkersPerFunction?: number;
  /** `AWS_REGION` of every function. */
  readonly region: string;
  /** `AWS_ENDPOINT_URL_<SERVICE>` values (DYNAMODB, ...) of the embedded services. */
  readonly endpoints?: Record<string, string>;
  /** `AWS_ENDPOINT_URL`: where SDK calls to every other service go. */
  readonly fallbackEndpoint?: string;
  /** Where handler output and the pool's own lines go. @default console.log */
  readonly log?: (line: string) => void;
}

interface Slot {
  readonly fn: FunctionState;
  readonly worker: Worker;
  busy: boolean;
  current?: { id: number; settle: (outcome: InvokeOutcome) => void; timer: NodeJS.Timeout };
}

interface FunctionState {
  readonly model: FunctionModel;
  readonly codeDir: string;
  readonly slots: Slot[];
}

interface Waiter {
  readonly fn: FunctionState;
  readonly take: (slot: Slot | undefined) => void;
}

const STOPPED: InvokeOutcome = { ok: false, errorType: 'Runtime.Stopped', errorMessage: 'the local runner stopped' };

// The SDK packages the runner depends on stand where the Lambda runtime keeps its own.
const RUNTIME_MODULES = dirname(dirname(dirname(require.resolve('@aws-sdk/client-dynamodb/package.json'))));
// Under ts-jest the pool runs from src/, the worker only ever from compiled JS.
const WORKER_FILE = __filename.endsWith('.ts')
  ? join(__dirname, '..', '..', 'lib', 'functions', 'lambda-worker.js')
  : join(__dirname, 'lambda-worker.js');

/**
 * Runs Lambda functions in worker threads, one invocation at a time per
 * worker as in a Lambda execution environment
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html).
 * Each worker has its own `process.env`, so two functions' variables never
 * mix, and no handler runs on the runner's thread. Requests beyond the
 * limits wait in one queue, in arrival order; when the pool is full, an idle
 * worker of another function makes room.
 */
export class FunctionPool {
  private readonly functions = new Map<string, FunctionState>();
  private readonly queue: Waiter[] = [];
  private readonly maxWorkers: number;
  private readonly perFunction: number;
  private readonly log: (line: string) => void;
  private readonly scratch: string[] = [];
  private nextId = 1;
  private stopped = false;

  constructor(models: FunctionModel[], private readonly options: FunctionPoolOptions) {
    this.maxWorkers = options.maxWorkers ?? 8;
    this.perFunction = options.maxWorkersPerFunction ?? 2;
    this.log = options.log ?? ((line) => console.log(line));
    if (!existsSync(WORKER_FILE)) throw new Error(`${WORKER_FILE} is missing: build @apigw-blueprints/local first`);
    for (const model of models) {
      if (model.notEmulated || !model.code) continue;
      this.functions.set(model.arn, { model, codeDir: this.codeDir(model), slots: [] });
    }
  }

  /** Whether the pool can run the function with this (unqualified) ARN. */
  public has(arn: string): boolean {
    return this.functions.has(arn);
  }

  /** Invokes a function synchronously (RequestResponse) with `event`. */
  public async invoke(arn: string, event: unknown): Promise<InvokeOutcome> {
    const fn = this.functions.get(arn);
    if (!fn) throw new Error(`no local function ${arn}`);
    if (this.stopped) return STOPPED;
    const slot = await new Promise<Slot | undefined>((take) => {
      this.queue.push({ fn, take });
      this.drain();
    });
    if (!slot) return STOPPED;
    const awsRequestId = randomUUID();
    const timeoutMs = fn.model.timeoutSeconds * 1000;
    return new Promise<InvokeOutcome>((resolve) => {
      const id = this.nextId++;
      const timer = setTimeout(() => {
        // Lambda stops a function at its timeout and resets the environment
        // (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html).
        const seconds = fn.model.timeoutSeconds.toFixed(2);
        this.log(`${prefix(fn.model)} ${awsRequestId} Task timed out after ${seconds} seconds`);
        this.discard(slot, { ok: false, errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${seconds} seconds` });
      }, timeoutMs);
      slot.current = { id, timer, settle: resolve };
      const message: InvokeMessage = { id, event, awsRequestId, deadlineMs: Date.now() + timeoutMs };
      slot.worker.postMessage(message);
    });
  }

  /** Terminates every worker and removes inline-code folders. */
  public async stop(): Promise<void> {
    this.stopped = true;
    for (const waiter of this.queue.splice(0)) waiter.take(undefined);
    const slots = [...this.functions.values()].flatMap((f) => f.slots);
    for (const slot of slots) this.discard(slot, STOPPED);
    await Promise.all(slots.map((s) => s.worker.terminate()));
    this.removeScratch();
    process.off('exit', this.removeScratch);
  }

  /** Removes the inline-code folders; synchronous, so that it also runs on the process's `exit`. */
  private readonly removeScratch = () => {
    for (const dir of this.scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
  };

  /** The number of live workers, per function name (for tests and the CLI). */
  public workerCounts(): Record<string, number> {
    return Object.fromEntries([...this.functions.values()].map((f) => [f.model.name, f.slots.length]));
  }

  private codeDir(model: FunctionModel): string {
    const code = model.code!;
    if ('dir' in code) return code.dir;
    // Inline (ZipFile) code is written out under the handler's file name, as Lambda does.
    const dir = mkdtempSync(join(tmpdir(), 'apigw-local-inline-'));
    this.scratch.push(dir);
    // However the process ends (a second Ctrl-C exits without stop()), the folder goes with it.
    if (this.scratch.length === 1) process.on('exit', this.removeScratch);
    writeFileSync(join(dir, `${model.handler.slice(0, model.handler.lastIndexOf('.'))}.js`), code.inline);
    return dir;
  }

  /**
   * Hands idle or new workers to waiters, oldest first. A waiter held back by
   * its function's limit lets later ones pass; one held back by the pool's
   * limit takes the next worker that goes idle, whichever function it served.
   */
  private drain(): void {
    for (let i = 0; i < this.queue.length && !this.stopped; i++) {
      const waiter = this.queue[i];
      const slot = this.idleSlot(waiter.fn) ?? this.newSlot(waiter.fn);
      if (!slot) continue;
      this.queue.splice(i--, 1);
      slot.busy = true;
      waiter.take(slot);
    }
  }

  private idleSlot(fn: FunctionState): Slot | undefined {
    return fn.slots.find((s) => !s.busy);
  }

  private newSlot(fn: FunctionState): Slot | undefined {
    if (fn.slots.length >= this.perFunction) return undefined;
    const all = [...this.functions.values()];
    if (all.reduce((n, f) => n + f.slots.length, 0) >= this.maxWorkers) {
      // Full: reclaim an idle worker of another function (its own waiters, if any, come later in the queue).
      const idle = all.filter((f) => f !== fn).flatMap((f) => f.slots).find((s) => !s.busy);
      if (!idle) return undefined;
      this.remove(idle);
      void idle.worker.terminate();
    }
    return this.spawn(fn);
  }

  private spawn(fn: FunctionState): Slot {
    const date = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
    const setup: WorkerSetup = {
      codeDir: fn.codeDir,
      handler: fn.model.handler,
      functionName: fn.model.name,
      functionArn: fn.model.arn,
      memoryMb: fn.model.memoryMb,
      logGroupName: fn.model.logGroupName,
      logStreamName: `${date}/[$LATEST]${randomBytes(16).toString('hex')}`,
      runtimeModules: RUNTIME_MODULES,
      applicationLogLevel: fn.model.applicationLogLevel,
    };
    const { region, endpoints = {}, fallbackEndpoint } = this.options;
    const placement = { codeDir: fn.codeDir, region, endpoints, fallbackEndpoint, runtimeModules: RUNTIME_MODULES };
    const env = { ...lambdaEnvironment(fn.model, placement), AWS_LAMBDA_LOG_STREAM_NAME: setup.logStreamName };
    const worker = new Worker(WORKER_FILE, { workerData: setup, env, execArgv: [], stdout: true, stderr: true });
    const slot: Slot = { fn, worker, busy: false };
    this.prefixLines(worker.stdout, fn.model);
    this.prefixLines(worker.stderr, fn.model);
    worker.on('message', (result: ResultMessage) => this.settle(slot, result));
    worker.on('error', (error) => {
      this.log(`${prefix(fn.model)} worker failed: ${error.stack ?? error.message}`);
      this.discard(slot, { ok: false, errorType: 'Runtime.ExitError', errorMessage: error.message });
    });
    worker.on('exit', () => this.discard(slot, { ok: false, errorType: 'Runtime.ExitError', errorMessage: 'the function\'s worker exited' }));
    fn.slots.push(slot);
    return slot;
  }

  private settle(slot: Slot, result: ResultMessage): void {
    const current = slot.current;
    if (!current || current.id !== result.id) return;
    clearTimeout(current.timer);
    slot.current = undefined;
    slot.busy = false;
    if (result.ok) {
      current.settle({ ok: true, payload: JSON.parse(result.payload) });
    } else {
      // Lambda logs a failed invocation's error as the runtime reports it.
      this.log(`${prefix(slot.fn.model)} ${result.errorType}: ${result.errorMessage}${result.stack ? `\n${result.stack}` : ''}`);
      current.settle({ ok: false, errorType: result.errorType, errorMessage: result.errorMessage });
    }
    this.drain();
  }

  /** Takes a worker out of service (timeout, crash, stop), failing its invocation. */
  private discard(slot: Slot, outcome: InvokeOutcome): void {
    const current = slot.current;
    slot.current = undefined;
    if (current) {
      clearTimeout(current.timer);
      current.settle(outcome);
    }
    if (this.remove(slot)) void slot.worker.terminate();
    this.drain();
  }

  private remove(slot: Slot): boolean {
    const index = slot.fn.slots.indexOf(slot);
    if (index < 0) return false;
    slot.fn.slots.splice(index, 1);
    return true;
  }

  private prefixLines(stream: Readable, model: FunctionModel): void {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.log(`${prefix(model)} ${line}`));
  }
}

function prefix(model: FunctionModel): string {
  return `[${model.name}]`;
}
