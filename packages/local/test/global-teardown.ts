import { readdirSync, rmSync } from 'node:fs';
import { TEST_DIR_PREFIXES } from './temp-dirs';

/**
 * Removes the run's temp folder. Folders the tests made on purpose (through
 * temp-dirs.ts) are expected there; anything else was left by the runner
 * (an inline-code folder a stopped pool did not remove, ...) and fails the run.
 */
export default function globalTeardown(): void {
  const dir = process.env.TMPDIR!;
  const left = readdirSync(dir).filter((name) => !TEST_DIR_PREFIXES.some((prefix) => name.startsWith(prefix)));
  rmSync(dir, { recursive: true, force: true });
  if (left.length) throw new Error(`the runner left these in the temp directory: ${left.join(', ')}`);
}
