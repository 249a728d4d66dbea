// The Node.js runtime of one execution environment: the process the pool
// starts for a function, in the function's code folder, with the environment
// Lambda gives it. Like Lambda's own Node.js runtime it talks to the Lambda
// Runtime API (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html)
// at AWS_LAMBDA_RUNTIME_API: init (load the handler) or report an init error,
// then take one invocation at a time from `invocation/next` and post its
// response or error. Everything it needs comes from the variables Lambda
// sets (`_HANDLER`, `LAMBDA_TASK_ROOT`, `AWS_LAMBDA_*`): no private channel.
// Never imported by the runner.
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { confineEsmResolution, confineResolution, guardNetwork } from './environment-guards';
import { filterConsole } from './log-level-filter';
import { moduleSearch } from './module-search';

const env = process.env;
const API = `http://${env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One call to the Runtime API. The runner going away ends this process, as Lambda ends an environment. */
function call(method: 'GET' | 'POST', path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve) => {
    const req = request(`${API}${path}`, { method, agent, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => process.exit(1));
    });
    req.on('error', () => process.exit(1));
    req.end(body);
  });
}

type Handler = (event: unknown, context: unknown, callback?: (error?: unknown, result?: unknown) => void) => unknown;

/**
 * `import()` as Node.js runs it: TypeScript would compile a plain `import()`
 * in this CommonJS file to `require()`, which cannot load an ES module graph
 * with top-level await.
 */
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/**
 * Loads `file.export` of `_HANDLER` from the code folder as Lambda's Node.js
 * runtime does (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html):
 * `file.js`, `file.mjs` or `file.cjs`; a `.mjs` file, and a `.js` file under
 * `"type": "module"` (or one `require()` refuses as an ES module), through
 * `import()`, so ES modules and top-level await work, whatever this Node.js
 * does with `require()` of an ES module; a load failure typed
 * as Lambda types it (`Runtime.ImportModuleError`, `Runtime.UserCodeSyntaxError`,
 * `Runtime.HandlerNotFound`).
 */
async function loadHandler(): Promise<Handler> {
  // Lambda's Node.js runtime splits `dir/file.export.path` at the first dot of its last segment.
  const spec = env._HANDLER ?? '';
  const dot = spec.indexOf('.', spec.lastIndexOf('/') + 1);
  const file = spec.slice(0, dot);
  const exportName = spec.slice(dot + 1);
  const base = join(env.LAMBDA_TASK_ROOT ?? process.cwd(), file);
  const path = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((p) => existsSync(p));
  if (!path) throw Object.assign(new Error(`Cannot find module '${file}'`), { name: 'Runtime.ImportModuleError' });
  let module: unknown;
  try {
    module = isEsModule(path) ? await importEsm(path) : await requireOrImport(path);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e?.code === 'MODULE_NOT_FOUND' || e?.code === 'ERR_MODULE_NOT_FOUND') e.name = 'Runtime.ImportModuleError';
    else if (e instanceof SyntaxError) Object.defineProperty(e, 'name', { value: 'Runtime.UserCodeSyntaxError' });
    throw error;
  }
  const handler = exportName.split('.').reduce((m: any, key) => m?.[key], module);
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(`${file}.${exportName} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  }
  return handler;
}

/** `.mjs`, or `.js` whose nearest package.json says `"type": "module"`, as Node.js decides a file's module system. */
function isEsModule(path: string): boolean {
  if (path.endsWith('.mjs')) return true;
  if (!path.endsWith('.js')) return false;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module';
      } catch {
        return false; // Node.js itself fails on a malformed package.json: require() reports it.
      }
    }
    if (dir === dirname(dir)) return false;
  }
}

async function requireOrImport(path: string): Promise<unknown> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
    return importEsm(path);
  }
}

function importEsm(path: string): Promise<unknown> {
  confineEsmResolution(moduleSearch(env));
  return importModule(pathToFileURL(path).href);
}

/** The Node.js runtime's context object (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html). */
function context(next: Reply) {
  const deadline = Number(next.headers['lambda-runtime-deadline-ms']);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: String(next.headers['lambda-runtime-invoked-function-arn']),
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: String(next.headers['lambda-runtime-aws-request-id']),
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** Runs the handler, promise or callback style, to its result. */
function run(handler: Handler, next: Reply): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const callback = (error?: unknown, result?: unknown) => (error ? reject(error) : resolve(result));
    const event = JSON.parse(next.body);
    const returned = handler.length >= 3 ? handler(event, context(next), callback) : handler(event, context(next));
    if (handler.length < 3 || (returned && typeof (returned as Promise<unknown>).then === 'function')) {
      Promise.resolve(returned).then(resolve, reject);
    }
  });
}

/** The Runtime API's error document. */
function errorBody(error: unknown): { type: string; body: string } {
  const e = error instanceof Error ? error : new Error(String(error));
  const type = e.name || 'Error';
  return { type, body: JSON.stringify({ errorType: type, errorMessage: e.message, stackTrace: (e.stack ?? '').split('\n').slice(1).map((l) => l.trim()) }) };
}

async function main(): Promise<void> {
  let handler: Handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    const { type, body } = errorBody(error);
    // Lambda's Node.js runtime prints an init error before reporting it.
    console.error(`${type}: ${(error as Error)?.message ?? error}`);
    await call('POST', '/init/error', body, { 'lambda-runtime-function-error-type': type });
    process.exit(1);
  }
  for (;;) {
    const next = await call('GET', '/invocation/next');
    const id = String(next.headers['lambda-runtime-aws-request-id']);
    current = id;
    try {
      const result = await run(handler, next);
      // Lambda hands back the result JSON-encoded; `undefined` becomes `null`.
      await call('POST', `/invocation/${id}/response`, JSON.stringify(result ?? null));
    } catch (error) {
      const { type, body } = errorBody(error);
      await call('POST', `/invocation/${id}/error`, body, { 'lambda-runtime-function-error-type': type });
    }
    current = undefined;
  }
}

/** The invocation running now, which an error thrown outside the handler's own promise fails. */
let current: string | undefined;

/**
 * An exception nothing caught, or a rejection nothing handled, ends the
 * environment as in Lambda's Node.js runtime: printed, reported as the
 * running invocation's error, then the process exits and the next
 * invocation gets a new environment.
 */
function crash(error: unknown, type?: string): void {
  const report = errorBody(error);
  const errorType = type ?? report.type;
  console.error(`${errorType}: ${(error as Error)?.stack ?? error}`);
  const id = current;
  current = undefined;
  if (!id) process.exit(1);
  const body = JSON.stringify({ ...JSON.parse(report.body), errorType });
  void call('POST', `/invocation/${id}/error`, body, { 'lambda-runtime-function-error-type': errorType }).then(() => process.exit(1));
}

process.on('uncaughtException', (error) => crash(error));
process.on('unhandledRejection', (reason) => crash(reason, 'Runtime.UnhandledPromiseRejection'));

confineResolution(moduleSearch(env));
guardNetwork();
if (env.AWS_LAMBDA_LOG_FORMAT === 'JSON' && env.AWS_LAMBDA_LOG_LEVEL) filterConsole(console, env.AWS_LAMBDA_LOG_LEVEL);
void main();
