import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The runner's layers, lowest first. A module may import from its own layer
// and from layers below it, never from one above: assembly (reads cdk.out,
// resolves intrinsics) < model (APIs, functions, tables) < services (dynalite)
// < functions (workers) < integrations (Lambda proxy, ...) < http (router,
// servers) < runner (the composition root) < the top (CLI, banner, index).
// eslint's import/no-restricted-paths enforces the same zones while editing
// (.projenrc.ts); this test also holds for files eslint does not lint.
const LAYERS = ['assembly', 'model', 'services', 'functions', 'integrations', 'http', 'runner'];
const SRC = join(__dirname, '..', 'src');

function layerOf(file: string): number {
  const top = relative(SRC, file).split('/')[0];
  const index = LAYERS.indexOf(top);
  return index < 0 ? LAYERS.length : index;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('imports point one way: from the top down through the layers, never up', () => {
  const upward: string[] = [];
  for (const file of sources(SRC)) {
    // `import`, `export ... from` and `require()` alike.
    const imports = [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*['"](\.[^'"]+)['"]|require\(['"](\.[^'"]+)['"]\)/gm)].map((m) => m[1] ?? m[2]);
    for (const target of imports) {
      const imported = resolve(dirname(file), target);
      if (layerOf(imported) > layerOf(file)) upward.push(`${relative(SRC, file)} imports ${relative(SRC, imported)}`);
    }
  }
  expect(upward).toEqual([]);
});

test('nothing inside the package imports its index', () => {
  const offenders = sources(SRC).filter((f) => /from '\.\.?\/(index)?'/.test(readFileSync(f, 'utf8')));
  expect(offenders).toEqual([]);
});
