// The packages a release publishes, with what each may ship (its package.json `files`,
// written by .projenrc.ts): the single list the release dry run and the consumer test read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PUBLISHED = ['integrations', 'books-api', 'websocket-chat', 'sfn-api', 'private-alb-api', 'local'];

/** name, dir, version and `files` of each published package. */
export function publishedPackages(root = '.') {
  return PUBLISHED.map((short) => {
    const dir = join(root, 'packages', short);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return { short, dir, name: manifest.name, version: manifest.version, files: manifest.files ?? [], jsii: Boolean(manifest.jsii) };
  });
}

/** Whether `path` (a tarball entry, without the leading `package/`) is covered by an allowlist entry. */
export function allowed(path, files) {
  // npm always packs these, whatever `files` says.
  if (path === 'package.json' || /^(README|LICENSE)(\.\w+)?$/i.test(path)) return true;
  return files.some((entry) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry));
}
