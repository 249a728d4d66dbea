import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutionEnvironment, NOT_TAKEN } from './execution-environment';
import { InvokeOutcome, MAX_PAYLOAD_BYTES, requestTooLarge, STOPPED } from './invoke-outcome';
import { lambdaEnvironment } from './lambda-environment';
import { nodeRuntimeCommand } from './node-runtime';
import { layOutRuntimeModules } from './runtime-modules';
import { FunctionModel, qualifierOf, unqualifiedArn } from '../model/functions';

export type { InvokeOutcome } from './invoke-outcome';

/** How many environments the pool runs and what they connect to. */
export interface FunctionPoolOptions {
  /**
   * Execution environments of all functions together (`--max-concurrency`).
   * Past it, invocations wait in arrival order.
   * @default 16
   */
  readonly maxConcurrency?: number;
  /** `AWS_REGION` of every function. */
  readonly region: string;
  /** `AWS_ENDPOINT_URL_<SERVICE>` values (DYNAMODB, ...) of the embedded services. */
  readonly endpoints?: Record<string, string>;
  /** `AWS_ENDPOINT_URL`: where SDK calls to every other service go. */
  readonly fallbackEndpoint?: string;
  /** A CA certificate file the functions trust besides the public ones (`NODE_EXTRA_CA_CERTS`). @default - the public ones only */
  readonly trustedCaFile?: string;
  /** Where handler output and the pool's own lines go. @default console.log */
  readonly log?: (line: string) => void;
  /** How long an environment's Init phase may take before it is stopped and retried (Lambda's 10 s). @default 10000 */
  readonly initLimitMs?: number;
  /** How often a working environment's memory is sampled, in ms. @default 50 */
  readonly memorySampleMs?: number;
}

interface FunctionState {
  readonly model: FunctionModel;
  readonly codeDir: string;
  readonly environments: ExecutionEnvironment[];
  /** Invocations of this function waiting for an environment. */
  waiting: number;
}

interface Waiter {
  readonly fn: FunctionState;
  /** The version to run: environments serve one version each, as on Lambda. */
  readonly version: string;
  readonly take: (environment: ExecutionEnvironment | undefined) => void;
}

/** Lambda's default account concurrency is 1,000; the runner's default is what a laptop runs comfortably. */
export const DEFAULT_MAX_CONCURRENCY = 16;
/** "The Init phase is limited to 10 seconds" (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html). */
export const INIT_LIMIT_MS = 10_000;

// Lambda's answer to an invocation past the function's reserved concurrency
// (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors).
const THROTTLED: InvokeOutcome = { ok: false, errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.', throttled: true };

/**
 * Runs Lambda functions as Lambda scales them
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html): one
 * invocation at a time per execution environment, a new environment for a
 * concurrent request when no warm one is idle, up to the function's
 * `ReservedConcurrentExecutions` (past it, throttled) and the runner's
 * `maxConcurrency` for all functions together (past it, the runner's choice:
 * requests wait in arrival order; when the pool is full, an idle environment
 * of another function makes room). Each environment is a process of its own
 * (see ExecutionEnvironment).
 */
export class FunctionPool {
  private readonly functions = new Map<string, FunctionState>();
  private readonly queue: Waiter[] = [];
  private readonly maxConcurrency: number;
  private readonly log: (line: string) => void;
  private readonly scratch: string[] = [];
  /** The folder of the environments' own empty HOME folders, so no user's shared AWS files are ever found. */
  private readonly home: string;
  /** The runtime's `node_modules`: the SDK the runner supplies. */
  private readonly runtimeModules: string;
  private stopped = false;
  private draining = false;
  private drainAgain = false;

  constructor(models: FunctionModel[], private readonly options: FunctionPoolOptions) {
    this.maxConcurrency = options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
    this.log = options.log ?? ((line) => console.log(line));
    const scratch = this.scratchDir('apigw-local-pool-');
    this.home = join(scratch, 'home');
    mkdirSync(this.home);
    this.runtimeModules = layOutRuntimeModules(join(scratch, 'runtime'));
    // Checked once, at construction: a missing runtime is a build fault, not a failed invocation.
    nodeRuntimeCommand({ memoryMb: 128, runtime: '', environment: {} });
    for (const model of models) {
      if (model.notEmulated || !model.code) continue;
      this.functions.set(model.arn, { model, codeDir: this.codeDir(model), environments: [], waiting: 0 });
    }
  }

  /**
   * Whether the pool can run the function with this ARN: unqualified, or
   * qualified with `$LATEST`, one of its versions or one of its aliases.
   */
  public has(arn: string): boolean {
    return this.target(arn) !== undefined;
  }

  /**
   * Invokes a function synchronously (RequestResponse) with `event`. A
   * qualified ARN runs the version it names (an alias: the version it points
   * to), in environments of that version: the handler's
   * `context.invokedFunctionArn` is `arn` as given.
   */
  public async invoke(arn: string, event: unknown): Promise<InvokeOutcome> {
    const target = this.target(arn);
    if (!target) throw new Error(`no local function ${arn}`);
    const { fn, version } = target;
    if (this.stopped) return STOPPED;
    const payload = JSON.stringify(event ?? null);
    const bytes = Buffer.byteLength(payload);
    if (bytes > MAX_PAYLOAD_BYTES) {
      this.log(`[${fn.model.name}] not invoked: its ${bytes}-byte event is past Lambda's ${MAX_PAYLOAD_BYTES}-byte payload limit`);
      return requestTooLarge(bytes);
    }
    const reserved = fn.model.reservedConcurrency;
    if (reserved !== undefined && fn.environments.filter((e) => e.busy).length + fn.waiting >= reserved) {
      this.log(`[${fn.model.name}] throttled: ${reserved} concurrent invocations are its ReservedConcurrentExecutions`);
      return THROTTLED;
    }
    for (let first = true; ; first = false) {
      const environment = await this.environmentFor(fn, version, first);
      if (!environment) return STOPPED;
      let outcome: InvokeOutcome | typeof NOT_TAKEN;
      try {
        outcome = await environment.invoke(payload, arn);
      } finally {
        environment.busy = false;
        this.drain();
      }
      if (outcome !== NOT_TAKEN) return outcome.ok ? { ...outcome, executedVersion: version } : outcome;
    }
  }

  /** The function and version an ARN names, if the pool runs them. */
  private target(arn: string): { fn: FunctionState; version: string } | undefined {
    const fn = this.functions.get(unqualifiedArn(arn));
    const qualifier = qualifierOf(arn);
    if (!fn) return undefined;
    if (qualifier === undefined || qualifier === '$LATEST') return { fn, version: '$LATEST' };
    const version = fn.model.qualifiers?.[qualifier];
    return version === undefined ? undefined : { fn, version };
  }

  /** Waits for an idle or new environment; an invocation handed back by an ended one goes first. */
  private environmentFor(fn: FunctionState, version: string, first: boolean): Promise<ExecutionEnvironment | undefined> {
    fn.waiting++;
    return new Promise((resolve) => {
      const take = (taken: ExecutionEnvironment | undefined) => {
        // At once, not when the caller resumes: the next call counts this one as running.
        fn.waiting--;
        resolve(taken);
      };
      if (first) this.queue.push({ fn, version, take });
      else this.queue.unshift({ fn, version, take });
      this.drain();
    });
  }

  /** Stops every environment, fails queued invocations and removes the pool's folders. */
  public async stop(): Promise<void> {
    this.stopped = true;
    for (const waiter of this.queue.splice(0)) waiter.take(undefined);
    this.stopAll();
    process.off('exit', this.stopAll);
  }

  /** The number of live environments, per function name (for tests and the CLI). */
  public environmentCounts(): Record<string, number> {
    return Object.fromEntries([...this.functions.values()].map((f) => [f.model.name, f.environments.length]));
  }

  /**
   * Kills every environment's process group and removes the folders;
   * synchronous, so that it also runs on the process's `exit` (a second
   * Ctrl-C exits without stop()), leaving no process or folder behind.
   */
  private readonly stopAll = () => {
    this.stopped = true;
    for (const fn of this.functions.values()) {
      for (const environment of fn.environments.splice(0)) environment.stop(STOPPED);
    }
    for (const dir of this.scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
  };

  private scratchDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.scratch.push(dir);
    if (this.scratch.length === 1) process.on('exit', this.stopAll);
    return dir;
  }

  private codeDir(model: FunctionModel): string {
    const code = model.code!;
    if ('dir' in code) return code.dir;
    if ('zip' in code) throw new Error(`${model.logicalId}: its .zip code is not unpacked (CodeFolders.place)`);
    // "If you specify source code inline for a Node.js function, the index file that CloudFormation creates
    // uses the extension .js" (AWS::Lambda::Function Code): `Handler: app.handler` finds no module here either.
    const dir = this.scratchDir('apigw-local-inline-');
    writeFileSync(join(dir, 'index.js'), code.inline);
    return dir;
  }

  /**
   * Hands idle or new environments to waiters, oldest first. A waiter held
   * back by the pool's limit takes the next environment that goes idle,
   * whichever function it served; one whose function has an idle
   * environment does not wait behind it.
   */
  private drain(): void {
    // Stopping an environment to make room calls drain again: that call only asks for another pass.
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = true;
    try {
      do {
        this.drainAgain = false;
        for (let i = 0; i < this.queue.length && !this.stopped; i++) {
          const waiter = this.queue[i];
          const environment = waiter.fn.environments.find((e) => e.alive && !e.busy && e.version === waiter.version)
            ?? this.newEnvironment(waiter.fn, waiter.version);
          if (!environment) continue;
          this.queue.splice(i--, 1);
          environment.busy = true;
          waiter.take(environment);
        }
      } while (this.drainAgain);
    } finally {
      this.draining = false;
    }
  }

  private newEnvironment(fn: FunctionState, version: string): ExecutionEnvironment | undefined {
    const all = [...this.functions.values()];
    if (all.reduce((n, f) => n + f.environments.length, 0) >= this.maxConcurrency) {
      // Full: an idle environment of another function or version makes room (its own waiters, if any, come later in the queue).
      const idle = all.flatMap((f) => f.environments).find((e) => !e.busy && (e.version !== version || !fn.environments.includes(e)));
      if (!idle) return undefined;
      idle.stop(STOPPED);
    }
    const { region, endpoints = {}, fallbackEndpoint, trustedCaFile } = this.options;
    // A HOME of its own: what one environment writes there no other reads.
    const home = mkdtempSync(join(this.home, 'env-'));
    const environment = new ExecutionEnvironment({
      model: fn.model,
      codeDir: fn.codeDir,
      env: lambdaEnvironment(fn.model, {
        codeDir: fn.codeDir, runtimeModules: this.runtimeModules, version, region, endpoints, fallbackEndpoint, home, trustedCaFile,
      }),
      command: nodeRuntimeCommand(fn.model),
      initLimitMs: this.options.initLimitMs ?? INIT_LIMIT_MS,
      memorySampleMs: this.options.memorySampleMs ?? 50,
      log: this.log,
    });
    environment.onGone(() => {
      rmSync(home, { recursive: true, force: true });
      const index = fn.environments.indexOf(environment);
      if (index >= 0) fn.environments.splice(index, 1);
      this.drain();
    });
    fn.environments.push(environment);
    return environment;
  }
}
