import { existsSync, mkdirSync, mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../assembly/usage-error';

// dynalite keeps its tables in LevelDB through `level`; opening the store
// here first turns what dynalite would fail on later (an uncaught "Database
// is closed", or a CreateTable that never answers) into a clear message.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Level } = require('level') as { Level: new (path: string) => { open(): Promise<void>; close(): Promise<void> } };

/**
 * Makes `dir` ready to hold dynalite's data: created if missing, checked to
 * be a writable folder that no other process holds open. Any problem is a
 * UsageError that names the folder and the fix.
 */
export async function preparePersistDir(dir: string): Promise<string> {
  const path = resolve(dir);
  const problem = (what: string) => new UsageError(`--persist ${dir}: ${what}`);
  if (existsSync(path) && !statSync(path).isDirectory()) {
    throw problem('is a file, not a folder; give a folder (apigw-local creates it when missing)');
  }
  try {
    createFolder(path);
    // Permission bits stop nothing for root, and a read-only mount says nothing until written to.
    rmdirSync(mkdtempSync(join(path, '.apigw-local-probe-')));
  } catch (error) {
    throw problem(`cannot create or write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give a folder you can write`);
  }
  const store = new Level(path);
  try {
    await store.open();
  } catch (error) {
    const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
    if (cause?.code === 'LEVEL_LOCKED' || /lock/i.test(cause?.message ?? '')) {
      throw problem('another process (another apigw-local?) holds its data open; stop it, or give another folder');
    }
    throw problem(`holds no data dynalite can open (${cause?.message ?? (error as Error).message}); give an empty folder or one an earlier --persist wrote`);
  }
  await store.close();
  return path;
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir never returns for a
 * path under /proc (it retries the parent forever on ENOENT).
 */
function createFolder(path: string): void {
  const missing: string[] = [];
  for (let p = path; !existsSync(p); p = dirname(p)) missing.unshift(p);
  for (const p of missing) mkdirSync(p);
}
