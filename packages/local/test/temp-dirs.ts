import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The prefixes of the folders tests make on purpose; global-teardown.ts removes them with the run's temp folder. */
export const TEST_DIR_PREFIXES = ['apigw-local-test-', 'apigw-local-fixture-'];

/** A fresh folder in the run's temp folder (global-setup.ts), removed when the run ends. */
export function tempDir(prefix: 'apigw-local-test-' | 'apigw-local-fixture-' = 'apigw-local-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
