import { readFileSync } from 'node:fs';

// Lambda gives an execution environment `MemorySize` for everything in it
// and stops it past that ("Runtime exited with error: signal: killed",
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html).
// The runner measures what it can read without privileges on Linux: the
// resident memory of the environment's process and its descendants, from
// /proc. Elsewhere (macOS, Windows) it cannot, and says so at startup.

/** Whether this host lets the runner measure an environment's memory. */
export const MEMORY_MEASURABLE = process.platform === 'linux' && readable('/proc/self/status');

/** Resident bytes of `pid` and every process below it now; undefined once it is gone. */
export function residentBytes(pid: number): number | undefined {
  const own = statusKb(pid, 'VmRSS');
  if (own === undefined) return undefined;
  let total = own;
  for (const child of children(pid)) total += residentBytes(child) ?? 0;
  return total * 1024;
}

/**
 * The most `pid` itself has held resident since it started (`VmHWM`): a
 * burst shorter than the sampling interval still shows here, so a response
 * is not delivered from an environment that went past its memory.
 */
export function peakResidentBytes(pid: number): number | undefined {
  const kb = statusKb(pid, 'VmHWM');
  return kb === undefined ? undefined : kb * 1024;
}

function statusKb(pid: number, field: string): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const match = status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return match ? Number(match[1]) : 0;
}

function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function readable(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}
