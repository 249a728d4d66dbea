// The AWS SDK the runner supplies to functions, as Lambda's Node.js runtime
// supplies its own: a `node_modules` folder of the runtime
// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html, "SDK versions
// included in the runtime") on every function's `NODE_PATH`.
import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The runner's own package.json: its `@aws-sdk/*` dependencies are what it supplies. */
const RUNNER_PACKAGE = join(__dirname, '..', '..', 'package.json');

/**
 * Lays out the runtime's SDK in `folder/node_modules`: one link per package,
 * each resolved on its own from where npm put it (beside the runner, hoisted
 * to a workspace root, or nested under another package), so that no install
 * layout hides one of them. Each supplied package's own `@aws-sdk/*`
 * dependencies are linked too (`@aws-sdk/util-dynamodb` under
 * `lib-dynamodb`), as the runtime holds the whole SDK. A link resolves to
 * the real folder, so each package's own dependencies come from its install.
 */
export function layOutRuntimeModules(folder: string): string {
  const modules = join(folder, 'node_modules');
  const runner = JSON.parse(readFileSync(RUNNER_PACKAGE, 'utf8')) as { dependencies?: Record<string, string> };
  const linked = new Set<string>();
  const link = (name: string, from: string) => {
    if (linked.has(name)) return;
    const dir = packageDir(name, from);
    if (!dir) return;
    linked.add(name);
    const at = join(modules, name);
    mkdirSync(dirname(at), { recursive: true });
    symlinkSync(dir, at, 'dir');
    const own = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dependency of Object.keys(own.dependencies ?? {})) if (dependency.startsWith('@aws-sdk/')) link(dependency, dir);
  };
  for (const name of Object.keys(runner.dependencies ?? {})) {
    if (!name.startsWith('@aws-sdk/')) continue;
    link(name, dirname(RUNNER_PACKAGE));
    if (!linked.has(name)) throw new Error(`${name}, a dependency of @apigw-blueprints/local, is not installed: run npm install`);
  }
  return modules;
}

/**
 * The real folder of package `name` as Node.js resolves it from `from`.
 * Found through the package's entry point, not `name/package.json`, which a
 * package's `exports` may hide.
 */
function packageDir(name: string, from: string): string | undefined {
  let entry: string;
  try {
    entry = require.resolve(name, { paths: [from] });
  } catch {
    return undefined;
  }
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return realpathSync(dir);
  }
  return undefined;
}
