import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { tempDir } from './temp-dirs';

/**
 * Synthesizes a stack built by `build` with aws-cdk-lib's own constructs, as
 * a user's app would be, into a temporary cdk.out; returns that folder.
 */
export function synthStack(build: (stack: Stack) => void, region = 'eu-west-1', outdir = tempDir()): string {
  const app = new App({ outdir });
  build(new Stack(app, 'UserApp', { env: { region } }));
  app.synth();
  return outdir;
}

/** A folder of handler files (`{ 'index.js': source, ... }`), for `Code.fromAsset`. */
export function codeFolder(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
