// The resolve hook of a Node.js execution environment's ES module loader
// (https://nodejs.org/api/module.html#customization-hooks), registered by the
// bootstrap. "Starting with Node.js 18, Lambda searches folders in the
// NODE_PATH environment variable when loading ES modules"
// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html): Node.js
// itself never does, so an ES module handler would not find the runtime's
// SDK nor a layer's packages, and would find a repository's node_modules
// above the code instead. Runs in the loader's own thread: it sees only what
// `initialize` is given.
import { existsSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isBare, ModuleSearch, packageName, rootOf, searchFolders } from './module-search';

interface ResolveContext {
  readonly parentURL?: string;
  readonly conditions: string[];
  readonly importAttributes?: Record<string, string>;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<{ url: string; format?: string }>;

let search: ModuleSearch = { roots: [], paths: [] };

/** Receives the environment's search from the bootstrap. */
export function initialize(data: ModuleSearch): void {
  search = data;
}

/**
 * A bare import of the function's code is resolved from the first folder
 * of its search that holds the package, by Node.js's own resolution from
 * there (so `exports` and conditions apply); none: `ERR_MODULE_NOT_FOUND`,
 * as on Lambda. Every other import is Node.js's.
 */
export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve) {
  const parent = context.parentURL?.startsWith('file:') ? fileURLToPath(context.parentURL) : undefined;
  const root = parent && isBare(specifier, isBuiltin) ? rootOf(search, parent) : undefined;
  if (!parent || !root) return nextResolve(specifier, context);
  const name = packageName(specifier);
  for (const folder of searchFolders(search, root, parent)) {
    // Only node_modules folders hold packages; NODE_PATH's code folder entry serves CommonJS file lookups.
    if (!folder.endsWith('node_modules') || !existsSync(join(folder, name))) continue;
    // Resolved as if imported by a file beside the folder: Node.js looks in that folder first.
    return nextResolve(specifier, { ...context, parentURL: pathToFileURL(join(folder, '..', '[apigw-local].mjs')).href });
  }
  throw Object.assign(new Error(`Cannot find package '${name}' imported from ${parent} (not in the function's code, its layers nor the Lambda runtime's modules)`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}
