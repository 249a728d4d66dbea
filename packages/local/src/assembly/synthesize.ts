import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readJsonFile } from './json-file';
import { UsageError } from './usage-error';

/** How long an interrupted app has to end after SIGTERM before it gets SIGKILL. */
const SYNTH_KILL_GRACE_MS = 2_000;

/** A folder the runner can serve: a cloud assembly, or a CDK app to synthesize first. */
export type SourceKind = 'assembly' | 'app';

/** What `dir` holds: a cdk.out (manifest.json) or a CDK app (cdk.json); undefined for neither. */
export function sourceKind(dir: string): SourceKind | undefined {
  if (existsSync(join(dir, 'manifest.json'))) return 'assembly';
  if (existsSync(join(dir, 'cdk.json'))) return 'app';
  return undefined;
}

/**
 * Synthesizes the CDK app in `appDir` into `outdir` (by default cdk.json's
 * `output`, else `<appDir>/cdk.out`) and returns that folder. Runs the `app` command of cdk.json as the CDK CLI does (with
 * `CDK_OUTDIR` and the context of cdk.json and cdk.context.json), without the
 * CLI's credential and notice lookups, which need a network. The app's output
 * streams through `progress`. `signal` stops the app (its whole process
 * group) and rejects with `SynthInterrupted`; without one, SIGINT and
 * SIGTERM do that and end the process, so no app outlives it.
 */
export async function synthesizeApp(appDir: string, progress: (line: string) => void, outdir?: string, signal?: AbortSignal): Promise<string> {
  const dir = resolve(appDir);
  const cdkJson = readJsonFile(join(dir, 'cdk.json'), 'give the app\'s cdk.json as the CDK CLI reads it');
  if (typeof cdkJson.app !== 'string') throw new UsageError(`${join(dir, 'cdk.json')}: no "app" command to synthesize with; add one, e.g. "app": "npx ts-node bin/app.ts"`);
  if (signal?.aborted) throw new SynthInterrupted(appDir);
  const contextFile = join(dir, 'cdk.context.json');
  const context = {
    // What the CDK CLI asks every app for: the runner reads the asset and path metadata.
    'aws:cdk:enable-path-metadata': true,
    'aws:cdk:enable-asset-metadata': true,
    ...(cdkJson.context ?? {}),
    ...(existsSync(contextFile) ? readJsonFile(contextFile, 'fix it or delete it (the CDK CLI writes it again)') : {}),
  };
  const target = outdir ? resolve(outdir) : join(dir, cdkJson.output ?? 'cdk.out');
  progress(`synthesizing ${appDir} (${cdkJson.app}) ...`);
  const started = Date.now();
  const code = await new Promise<number>((done, fail) => {
    const child = spawn(cdkJson.app, {
      cwd: dir,
      shell: true,
      // Its own process group, so that a stop signal reaches the app under the shell (npx, ts-node) too.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CDK_OUTDIR: target, CDK_CONTEXT_JSON: JSON.stringify(context) },
    });
    const killGroup = (how: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, how);
      } catch {
        // already gone
      }
    };
    // However the runner ends (process.exit included), the app does not outlive it.
    const killOnExit = () => killGroup('SIGKILL');
    process.on('exit', killOnExit);
    const exitOnSignal = (how: NodeJS.Signals) => {
      killGroup(how);
      process.exit(130);
    };
    let interrupted = false;
    let killLater: NodeJS.Timeout | undefined;
    const abort = () => {
      interrupted = true;
      killGroup('SIGTERM');
      // An app that ignores SIGTERM gets SIGKILL; the synth ends when the app has.
      killLater = setTimeout(() => killGroup('SIGKILL'), SYNTH_KILL_GRACE_MS);
    };
    if (signal) {
      signal.addEventListener('abort', abort, { once: true });
    } else {
      process.once('SIGINT', exitOnSignal);
      process.once('SIGTERM', exitOnSignal);
    }
    const relay = (chunk: Buffer) => chunk.toString('utf8').split('\n').filter(Boolean).forEach((l) => progress(`  ${l}`));
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('error', fail);
    child.on('close', (status) => {
      // Its process group is gone; a later kill could reach another one that reuses the id.
      clearTimeout(killLater);
      signal?.removeEventListener('abort', abort);
      process.off('SIGINT', exitOnSignal);
      process.off('SIGTERM', exitOnSignal);
      process.off('exit', killOnExit);
      if (interrupted) fail(new SynthInterrupted(appDir));
      else done(status ?? 1);
    });
  });
  if (code !== 0) throw new UsageError(`synthesizing ${appDir} failed (exit ${code}); fix the app, or serve an existing cdk.out`);
  progress(`synthesized ${appDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return target;
}

/** The synth was stopped (a signal, or the caller's abort) before it ended. */
export class SynthInterrupted extends Error {
  public readonly name = 'SynthInterrupted';
  constructor(appDir: string) {
    super(`synthesizing ${appDir} was interrupted`);
  }
}
