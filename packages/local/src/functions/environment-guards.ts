// What an execution environment's runtime installs before it loads a
// handler, so that the function's code sees Lambda's module layout and can
// never reach AWS from the runner. Runs inside the environment's process.
import dns from 'node:dns';
import Module, { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isBare, ModuleSearch, rootOf, searchFolders } from './module-search';

/**
 * Resolves bare `require()`s of the function's code the way Lambda's Node.js
 * runtime does: from the code's own node_modules folders, then `NODE_PATH`
 * (the layers, the runtime's SDK, the code folder; see lambdaEnvironment).
 * Folders above the code (a repository's node_modules) are not searched, and
 * the runner's other dependencies are not offered: a package the bundle
 * lacks fails here as it would on Lambda. ES modules: see confineEsmResolution.
 */
export function confineResolution(search: ModuleSearch): void {
  const loader = Module as unknown as {
    _resolveFilename(request: string, parent: { filename?: string } | undefined, ...rest: unknown[]): string;
    _findPath(request: string, paths: string[], isMain: boolean): string | false;
  };
  const original = loader._resolveFilename;
  loader._resolveFilename = function (request, parent, ...rest) {
    const root = parent?.filename && isBare(request, isBuiltin) ? rootOf(search, parent.filename) : undefined;
    if (root) {
      const found = loader._findPath(request, searchFolders(search, root, parent!.filename!), false);
      if (found) return found;
      const error = new Error(`Cannot find module '${request}' (not in the function's code, its layers nor the Lambda runtime's modules)`) as Error & { code: string };
      error.code = 'MODULE_NOT_FOUND';
      throw error;
    }
    return original.call(this, request, parent, ...rest);
  };
}

/**
 * The same search for ES modules, through the loader's resolve hook (see
 * esm-resolve-hook). Registered only before an ES module handler loads: the
 * hook's loader thread costs each environment about 90 ms of start-up (70 ms
 * of CPU), which a CommonJS function should not pay. `module.register` arrived
 * in Node.js 20.6; before it, ES modules resolve as Node.js resolves them.
 */
export function confineEsmResolution(search: ModuleSearch): void {
  const register = (Module as unknown as { register?: (specifier: string, options: { parentURL: string; data: ModuleSearch }) => void }).register;
  register?.(pathToFileURL(join(__dirname, 'esm-resolve-hook.js')).href, { parentURL: pathToFileURL(__filename).href, data: search });
}

/**
 * AWS's public endpoint domains (https://docs.aws.amazon.com/general/latest/gr/rande.html,
 * the dual-stack `api.aws`, the China partition). A name under them never
 * resolves in an environment, so no client, however it is configured, can
 * send a request to AWS from the runner.
 */
const AWS_DOMAINS = /(^|\.)(amazonaws\.com|amazonaws\.com\.cn|api\.aws|c2s\.ic\.gov|sc2s\.sgov\.gov)\.?$/i;

/**
 * The host names an environment resolves differently from the host:
 * - AWS's own never resolve (the promise that handlers never reach AWS holds
 *   whatever endpoint a client was given in code);
 * - the SDK puts a host prefix before some operations' endpoint even when the
 *   endpoint is a custom one: Step Functions' StartSyncExecution goes to
 *   `sync-<host>` (its `hostPrefix` trait; aws/aws-sdk-js-v3#3451), which for
 *   the runner's `127.0.0.1` endpoints resolves nowhere. On AWS the prefixed
 *   host exists; here `sync-127.0.0.1` and `sync-localhost` resolve to the
 *   loopback host they prefix.
 */
export function guardNetwork(): void {
  const lookup = dns.lookup;
  (dns as any).lookup = function (hostname: string, ...rest: unknown[]) {
    if (typeof hostname === 'string' && AWS_DOMAINS.test(hostname)) {
      const callback = rest[rest.length - 1] as (error: Error) => void;
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (apigw-local: a function never reaches AWS; its SDK clients use the runner's endpoints)`), {
        code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname,
      });
      process.nextTick(() => callback(error));
      return {};
    }
    const loopback = typeof hostname === 'string' && /^sync-(127\.0\.0\.1|localhost)$/.test(hostname) ? hostname.slice('sync-'.length) : hostname;
    return (lookup as any).call(this, loopback, ...rest);
  };
}
