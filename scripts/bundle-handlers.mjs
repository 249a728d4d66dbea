// Bundles each Lambda entry point `handlers/<name>.ts` of the package in the
// current directory into `assets/<name>/index.js` (+ source map). Constructs
// load the result with `lambda.Code.fromAsset`, so neither users of a pattern
// nor `cdk synth` need esbuild or Docker. Shared handler code lives in
// sub-folders of handlers/ and is bundled into each entry that imports it.
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, basename } from 'node:path';

// The Lambda runtime the constructs deploy (Runtime.NODEJS_24_X); it ships AWS SDK v3.
// Kept in step with BUNDLE_NODE_MAJOR (packages/integrations/src/private/newest-node-runtime.ts).
const TARGET = 'node24';

const handlersDir = 'handlers';
const assetsDir = 'assets';
if (!existsSync(handlersDir)) {
  console.log('bundle-handlers: no handlers/ folder, nothing to bundle');
  process.exit(0);
}
const entries = readdirSync(handlersDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'));
rmSync(assetsDir, { recursive: true, force: true });
for (const entry of entries) {
  const name = basename(entry, '.ts');
  const result = await build({
    entryPoints: [join(handlersDir, entry)],
    outfile: join(assetsDir, name, 'index.js'),
    bundle: true,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    platform: 'node',
    target: TARGET,
    format: 'cjs',
    external: ['@aws-sdk/*', '@smithy/*'],
    metafile: true,
    logLevel: 'warning',
  });
  const bytes = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('index.js'))[1].bytes;
  console.log(`bundle-handlers: ${name} -> ${assetsDir}/${name}/index.js (${bytes} bytes)`);
}
