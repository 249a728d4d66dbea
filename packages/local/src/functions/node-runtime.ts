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
 * from the environment, as on Lambda.
 */
export function nodeRuntimeCommand(): [string, string] {
  if (!existsSync(BOOTSTRAP)) throw new Error(`${BOOTSTRAP} is missing: build @apigw-blueprints/local first`);
  return [process.execPath, BOOTSTRAP];
}
