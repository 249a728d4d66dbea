import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

test('one shipped bundle per route handler, each under 10 KB (AWS SDK external, minified)', () => {
  const assets = join(__dirname, '..', 'assets');
  const sizes = Object.fromEntries(readdirSync(assets).map((name) => [name, statSync(join(assets, name, 'index.js')).size]));
  expect(Object.keys(sizes).sort()).toEqual(['create-book', 'delete-book', 'get-book', 'list-books', 'update-book']);
  for (const [name, size] of Object.entries(sizes)) expect({ name, size: size < 10 * 1024 }).toEqual({ name, size: true });
});
