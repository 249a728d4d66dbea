// Where a bare import of a function's code is looked for, as Lambda's
// Node.js runtime looks: shared by the CommonJS resolver (environment-guards)
// and the ES module resolve hook (esm-resolve-hook), which runs in a loader
// thread of its own.
import { realpathSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/** The folders of the function's own code: its code folder and its `NODE_PATH` entries (layers, the runtime's modules). */
export interface ModuleSearch {
  /** A file under one of these is the function's code, whose bare imports are confined. */
  readonly roots: string[];
  /** `NODE_PATH`, in order. */
  readonly paths: string[];
}

/**
 * The search of an environment, from the variables Lambda sets. Folders as
 * their real paths: Node.js names a loaded file by its real path (a temp
 * folder under a linked `/var`, as on macOS, included).
 */
export function moduleSearch(env: NodeJS.ProcessEnv): ModuleSearch {
  const paths = (env.NODE_PATH ?? '').split(':').filter(Boolean).map(real);
  return { roots: [real(env.LAMBDA_TASK_ROOT ?? process.cwd()), ...paths], paths };
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path; // A NODE_PATH entry that does not exist holds nothing.
  }
}

/** The root `file` lies under, if it is the function's code. */
export function rootOf(search: ModuleSearch, file: string): string | undefined {
  return search.roots.find((root) => file === root || file.startsWith(root.endsWith(sep) ? root : root + sep));
}

/**
 * The folders searched for a bare import made by `file` (under `root`): the
 * `node_modules` folders from the file's own up to the root, never above it
 * (a repository's node_modules is not part of what Lambda runs), then
 * `NODE_PATH`.
 */
export function searchFolders(search: ModuleSearch, root: string, file: string): string[] {
  const own: string[] = [];
  for (let dir = dirname(file); dir === root || dir.startsWith(root + sep); dir = dirname(dir)) {
    // A folder inside node_modules sees its siblings first (Node.js reaches them from the parent folder).
    own.push(dir.endsWith(`${sep}node_modules`) ? dir : join(dir, 'node_modules'));
    if (dir === root) break;
  }
  return [...own, ...search.paths];
}

/** Whether `specifier` is a bare package import (not relative, absolute, a URL, a builtin or a package's `#import`). */
export function isBare(specifier: string, isBuiltin: (s: string) => boolean): boolean {
  return !/^(\.|\/|#|[a-z][a-z0-9+.-]*:)/i.test(specifier) && !isBuiltin(specifier);
}

/** The package part of a bare specifier: `@scope/name` or `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
