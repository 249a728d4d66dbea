import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every test, worker and CLI the tests start writes its temp folders under
 * one folder of this run (TMPDIR, which os.tmpdir() reads and children
 * inherit); global-teardown.ts removes it and fails on what the runner itself left there.
 */
export default function globalSetup(): void {
  process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'apigw-local-tests-'));
}
