import { UsageError } from '../assembly/usage-error';

/**
 * The order things stop in: servers first, so no request reaches what is
 * stopping; then the running executions, which may be waiting on functions;
 * then the functions' environments; then the embedded services (dynalite, endpoints) they call.
 */
export const STOP_ORDER = ['servers', 'executions', 'functions', 'services'] as const;
export type StopPhase = typeof STOP_ORDER[number];

/** How long one startup step may take before startup gives up. @default 30 s */
export const STEP_TIME_LIMIT_MS = 30_000;
/** How long stopping one thing may take: a stop that hangs must not hang the rest. */
const STOP_LIMIT_MS = 5_000;

/** A startup step that did not finish within its limit: the CLI exits 2 naming it. */
export class StartupStepTimeout extends UsageError {
  constructor(public readonly step: string, limitMs: number) {
    super(`startup step "${step}" did not finish within ${limitMs / 1000} s; everything started so far was stopped. `
      + 'Run again with APIGW_LOCAL_DEBUG=1 and report it if it happens again');
  }
}

/** Runs one stopper; a failure or a hang past STOP_LIMIT_MS is given up on, so the next still stops. */
async function withinStopLimit(stop: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, STOP_LIMIT_MS);
  });
  await Promise.race([stop().catch(() => undefined), limit]);
  clearTimeout(timer);
}

/** Startup was aborted (a signal) before it finished; what it started has been stopped. */
export class StartupAborted extends Error {
  public readonly name = 'StartupAborted';
  constructor(step: string) {
    super(`stopped while ${step}`);
  }
}

/** Options of a lifecycle. */
export interface LifecycleOptions {
  /** Each step's time limit. @default STEP_TIME_LIMIT_MS */
  readonly stepTimeLimitMs?: number;
  /** Aborts the startup: the current step is abandoned and everything started is stopped. */
  readonly signal?: AbortSignal;
}

/**
 * What the runner started, and how to stop it. Startup runs as named,
 * time-limited steps; whatever a step starts is owned here under a stop
 * phase. Once stopping, anything handed over late (by a step that outlived
 * its limit) is stopped at once, so nothing leaks.
 */
export class Lifecycle {
  private readonly owned = new Map<StopPhase, Array<() => Promise<void>>>(STOP_ORDER.map((p) => [p, []]));
  private stopping?: Promise<void>;

  constructor(private readonly options: LifecycleOptions = {}) {}

  /** Whether `stop()` has begun. */
  public get stopped(): boolean {
    return this.stopping !== undefined;
  }

  /** Takes ownership of something started; `stop` ends it. */
  public own(phase: StopPhase, stop: () => Promise<void>): void {
    if (this.stopping) {
      void stop().catch(() => undefined);
      return;
    }
    this.owned.get(phase)!.push(stop);
  }

  /**
   * Runs one startup step within the time limit. On a timeout, an abort or
   * an error, everything started so far is stopped before the error is thrown.
   */
  public async step<T>(name: string, run: () => Promise<T> | T): Promise<T> {
    const limitMs = this.options.stepTimeLimitMs ?? STEP_TIME_LIMIT_MS;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      if (this.options.signal?.aborted) throw new StartupAborted(name);
      return await Promise.race([
        Promise.resolve().then(run),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new StartupStepTimeout(name, limitMs)), limitMs);
          onAbort = () => reject(new StartupAborted(name));
          this.options.signal?.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
    } catch (error) {
      await this.stop();
      throw error;
    } finally {
      clearTimeout(timer);
      if (onAbort) this.options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Stops everything owned, phase by phase (each phase in reverse order of start); idempotent. */
  public stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const phase of STOP_ORDER) {
        for (const stop of this.owned.get(phase)!.reverse()) await withinStopLimit(stop);
      }
    })();
    return this.stopping;
  }
}
