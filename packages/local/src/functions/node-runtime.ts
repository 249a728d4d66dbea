import { existsSync } from 'node:fs';
import { join } from 'node:path';

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
export function nodeRuntimeCommand(memoryMb: number): [string, ...string[]] {
  if (!existsSync(BOOTSTRAP)) throw new Error(`${BOOTSTRAP} is missing: build @apigw-blueprints/local first`);
  return [process.execPath, `--max-old-space-size=${Math.max(16, Math.floor(memoryMb * HEAP_SHARE))}`, BOOTSTRAP];
}

/** The share of `MemorySize` V8's old space may take; the rest is the runtime, buffers and new space. */
const HEAP_SHARE = 0.85;
