import { readFileSync } from 'node:fs';
import { UsageError } from './usage-error';

/**
 * A JSON file the runner was pointed at, parsed; a missing, unreadable or
 * malformed one is a UsageError naming it (`label`: the file, or the flag
 * that gave it), where it broke (the parser's line and column) and `fix`.
 */
export function readJsonFile<T = any>(file: string, fix: string, label = file): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${label}: ${(error as Error).message}; ${fix}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${label}: not valid JSON (${(error as Error).message}${position(text, error as Error)}); ${fix}`);
  }
}

/** Node 20's parser names a character offset (`at position 12`); people look for lines. */
function position(text: string, error: Error): string {
  const at = /at position (\d+)/.exec(error.message);
  if (!at || /line \d+/.test(error.message)) return '';
  const before = text.slice(0, Number(at[1])).split('\n');
  return `, line ${before.length} column ${before[before.length - 1].length + 1}`;
}
