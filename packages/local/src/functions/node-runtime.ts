import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FunctionModel } from '../model/functions';

// Under ts-jest the pool runs from src/, the runtime only ever from compiled JS.
const BOOTSTRAP = __filename.endsWith('.ts')
  ? join(__dirname, '..', '..', 'lib', 'functions', 'node-bootstrap.js')
  : join(__dirname, 'node-bootstrap.js');

/**
 * The command of a Node.js execution environment: the runner's own Node.js
 * running the bootstrap, as Lambda's Node.js runtimes start `node` with
 * their runtime client. Node.js itself reads the function's `NODE_OPTIONS`
 * from the environment. V8's old space is capped below `MemorySize` (the
 * runner's choice; Lambda sizes its runtime's heap by the function's memory
 * and documents no figure), so the heap is collected before the
 * environment's memory runs out rather than growing past it.
 */
export function nodeRuntimeCommand(fn: Pick<FunctionModel, 'memoryMb' | 'runtime' | 'environment'>): [string, ...string[]] {
  if (!existsSync(BOOTSTRAP)) throw new Error(`${BOOTSTRAP} is missing: build @apigw-blueprints/local first`);
  return [process.execPath, `--max-old-space-size=${Math.max(16, Math.floor(fn.memoryMb * HEAP_SHARE))}`, ...disabledFeatures(fn), BOOTSTRAP];
}

/**
 * Lambda turns off `require()` of an ES module on its Node.js 20 and 22
 * runtimes and module syntax detection on Node.js 22, each re-enabled by its
 * positive flag in the function's `NODE_OPTIONS`
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html, the table of
 * experimental features). Without it a bundle that works here fails on Lambda.
 * Only flags this Node.js knows are passed.
 */
function disabledFeatures(fn: Pick<FunctionModel, 'runtime' | 'environment'>): string[] {
  const major = Number(/^nodejs(\d+)/.exec(fn.runtime)?.[1] ?? 0);
  const features = major === 20 ? ['require-module'] : major === 22 ? ['require-module', 'detect-module'] : [];
  const options = (fn.environment.NODE_OPTIONS ?? '').split(/\s+/);
  return features
    .filter((feature) => !options.includes(`--experimental-${feature}`))
    .map((feature) => `--no-experimental-${feature}`)
    .filter((flag) => process.allowedNodeEnvironmentFlags.has(flag));
}

/** The share of `MemorySize` V8's old space may take; the rest is the runtime, buffers and new space. */
const HEAP_SHARE = 0.85;
