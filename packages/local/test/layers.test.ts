import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The runner's layers, lowest first: assembly (reads cdk.out, resolves
// intrinsics) < model < services < functions < integrations < http <
// runner (the composition root) < the top (CLI, banner, index). A module may
// import from its own layer and the ones below, never above. The list is
// .projenrc.ts's, read back from the eslint zones it writes
// (import/no-restricted-paths, which lints this while editing); this test
// also covers what eslint does not lint.
// The generated file starts with a `//` header line.
const ZONES: Array<{ target: string }> = JSON.parse(readFileSync(join(__dirname, '..', '.eslintrc.json'), 'utf8').replace(/^\/\/.*\n/, ''))
  .rules['import/no-restricted-paths'][1].zones;
const LAYERS = ZONES.map((z) => z.target.replace('./src/', ''));
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

test('the layers are the ones the design names, lowest first', () => {
  expect(LAYERS).toEqual(['assembly', 'model', 'services', 'functions', 'integrations', 'http', 'runner']);
});

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
