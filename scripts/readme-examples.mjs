// Every ```ts block of the README.md in the current directory is a complete
// program: type-check them all against the built packages (imported by their
// npm names, as a user would), then run each to its synth. Exits non-zero on
// the first type error or failing example.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const outDir = resolve('.readme-examples');
const blocks = [...readFileSync('README.md', 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
if (blocks.length === 0) {
  console.log('readme-examples: no ```ts blocks in README.md');
  process.exit(0);
}
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const files = blocks.map((code, i) => {
  const file = join(outDir, `example-${i + 1}.ts`);
  writeFileSync(file, code);
  return file;
});

const program = ts.createProgram(files, {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmitOnError: true,
  outDir,
  types: ['node'],
});
const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
if (diagnostics.length) {
  console.error(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' }));
  process.exit(1);
}

const require = createRequire(join(outDir, 'index.js'));
for (const file of files) {
  require(file.replace(/\.ts$/, '.js'));
  console.log(`readme-examples: ${file.slice(process.cwd().length + 1)} compiles and synthesizes`);
}
