// The entry point of one function worker: a Lambda execution environment for
// one function, running one invocation at a time. Runs on its own thread with
// its own `process.env` (set by the pool); never imported by the runner.
import dns from 'node:dns';
import { existsSync } from 'node:fs';
import Module from 'node:module';
import { isAbsolute, join, sep } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { filterConsole } from './log-level-filter';

/** What the pool tells a worker when it starts it. */
export interface WorkerSetup {
  readonly codeDir: string;
  readonly handler: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly memoryMb: number;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** A node_modules folder holding the AWS SDK v3 packages (`@aws-sdk/*`) the Lambda runtime provides. */
  readonly runtimeModules: string;
  /** The function's ApplicationLogLevel, with JSON logging: console lines below it are dropped. */
  readonly applicationLogLevel?: string;
}

/** One invocation, from the pool. */
export interface InvokeMessage {
  readonly id: number;
  readonly event: unknown;
  readonly awsRequestId: string;
  readonly deadlineMs: number;
}

/** The outcome of one invocation, to the pool. */
export type ResultMessage =
  | { readonly id: number; readonly ok: true; readonly payload: string }
  | { readonly id: number; readonly ok: false; readonly errorType: string; readonly errorMessage: string; readonly stack?: string };

const setup = workerData as WorkerSetup;

/**
 * The SDK puts a host prefix before some operations' endpoint even when the
 * endpoint is a custom one: Step Functions' StartSyncExecution goes to
 * `sync-<host>` (its `hostPrefix` trait; aws/aws-sdk-js-v3#3451), which for
 * the runner's `127.0.0.1` endpoints resolves nowhere. On AWS the prefixed
 * host exists; here, in the worker only, `sync-127.0.0.1` and
 * `sync-localhost` resolve to the loopback host they prefix.
 */
function resolvePrefixedLoopback(): void {
  const lookup = dns.lookup;
  (dns as any).lookup = function (hostname: string, ...rest: unknown[]) {
    const loopback = typeof hostname === 'string' && /^sync-(127\.0\.0\.1|localhost)$/.test(hostname) ? hostname.slice('sync-'.length) : hostname;
    return (lookup as any).call(this, loopback, ...rest);
  };
}

/**
 * Resolves bare imports of the function's code the way Lambda does: from the
 * code's own node_modules, then `@aws-sdk/*` from the runtime's
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html). Folders
 * above the code (a repository's node_modules) are not searched, and the
 * runner's other dependencies are not offered: a package the bundle lacks
 * fails here as it would on Lambda.
 */
function confineResolution(): void {
  const loader = Module as unknown as {
    _resolveFilename(request: string, parent: { filename?: string } | undefined, ...rest: unknown[]): string;
    _findPath(request: string, paths: string[], isMain: boolean): string | false;
  };
  const original = loader._resolveFilename;
  const codeRoot = setup.codeDir.endsWith(sep) ? setup.codeDir : setup.codeDir + sep;
  const ownModules = [join(setup.codeDir, 'node_modules')];
  const runtimeModules = [setup.runtimeModules];
  loader._resolveFilename = function (request, parent, ...rest) {
    const bare = !request.startsWith('.') && !isAbsolute(request) && !request.startsWith('node:') && !Module.builtinModules.includes(request);
    if (bare && parent?.filename?.startsWith(codeRoot)) {
      const found = loader._findPath(request, ownModules, false)
        || (request.startsWith('@aws-sdk/') && loader._findPath(request, runtimeModules, false));
      if (found) return found;
      const error = new Error(`Cannot find module '${request}' (not in the function's code nor in the Lambda runtime's modules)`) as Error & { code: string };
      error.code = 'MODULE_NOT_FOUND';
      throw error;
    }
    return original.call(this, request, parent, ...rest);
  };
}

type Handler = (event: unknown, context: unknown, callback?: (error?: unknown, result?: unknown) => void) => unknown;

/** Loads `file.export` of the handler string from the code folder (Lambda's `Runtime.ImportModuleError` / `Runtime.HandlerNotFound`). */
function loadHandler(): Handler {
  const dot = setup.handler.lastIndexOf('.');
  const file = setup.handler.slice(0, dot);
  const exportName = setup.handler.slice(dot + 1);
  const base = join(setup.codeDir, file);
  const path = ['.js', '.cjs', '.mjs'].map((ext) => base + ext).find((p) => existsSync(p));
  if (!path) throw Object.assign(new Error(`Cannot find module '${file}'`), { name: 'Runtime.ImportModuleError' });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(path);
  const handler = exportName.split('.').reduce((m: any, key) => m?.[key], module);
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(`${file}.${exportName} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  }
  return handler;
}

let handler: Handler | undefined;

function context(message: InvokeMessage) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: setup.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: setup.functionArn,
    memoryLimitInMB: String(setup.memoryMb),
    awsRequestId: message.awsRequestId,
    logGroupName: setup.logGroupName,
    logStreamName: setup.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, message.deadlineMs - Date.now()),
  };
}

/** Runs the handler, promise or callback style, to its result. */
function run(message: InvokeMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // An init error fails this invocation and is tried again on the next, as Lambda retries a failed init.
    handler ??= loadHandler();
    const fn = handler;
    const callback = (error?: unknown, result?: unknown) => (error ? reject(error) : resolve(result));
    const returned = fn.length >= 3 ? fn(message.event, context(message), callback) : fn(message.event, context(message));
    if (fn.length < 3 || (returned && typeof (returned as Promise<unknown>).then === 'function')) {
      Promise.resolve(returned).then(resolve, reject);
    }
  });
}

function failure(id: number, error: unknown): ResultMessage {
  const e = error instanceof Error ? error : new Error(String(error));
  return { id, ok: false, errorType: e.name || 'Error', errorMessage: e.message, stack: e.stack };
}

confineResolution();
resolvePrefixedLoopback();
if (setup.applicationLogLevel) filterConsole(console, setup.applicationLogLevel);
parentPort!.on('message', (message: InvokeMessage) => {
  run(message).then(
    (result) => {
      // Lambda hands back the result JSON-encoded; `undefined` becomes `null`.
      let reply: ResultMessage;
      try {
        reply = { id: message.id, ok: true, payload: JSON.stringify(result ?? null) };
      } catch (error) {
        reply = failure(message.id, error);
      }
      parentPort!.postMessage(reply);
    },
    (error) => parentPort!.postMessage(failure(message.id, error)),
  );
});
