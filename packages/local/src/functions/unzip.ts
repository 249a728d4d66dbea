// Unpacks a .zip deployment package or layer archive into a folder, as
// Lambda unpacks one into /var/task or /opt.
import { createWriteStream, lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Entry, open, ZipFile } from 'yauzl';

/**
 * "Maximum size of unzipped deployment package ... 250 MB", layers included
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */
export const MAX_UNZIPPED_BYTES = 250 * 1024 * 1024;

/** A zip the runner will not unpack, with why. */
export class ZipRefused extends Error {}

const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

/** An entry's Unix file type and permission bits, which zip tools keep in the high half of its external attributes. */
function unixMode(entry: Entry): { type: number; permissions: number } {
  const mode = Math.floor(entry.externalFileAttributes / 0x10000) % 0x10000;
  return { type: mode - (mode % 0o10000), permissions: mode % 0o1000 };
}

/**
 * Unpacks `zipFile` into `dir`, a later file replacing an earlier one at the
 * same path (how Lambda merges layers). yauzl refuses an entry whose name is
 * absolute or climbs out with `..`; refused here: a symbolic link whose
 * target leaves `dir`, and an entry whose path goes through a link an
 * earlier entry made (a chain of links could otherwise carry a file out).
 * A corrupt archive fails with yauzl's reason.
 * `budget` is the unzipped size still allowed.
 */
export async function unzipInto(zipFile: string, dir: string, budget: { bytes: number } = { bytes: MAX_UNZIPPED_BYTES }): Promise<void> {
  const zip = await new Promise<ZipFile>((done, fail) => {
    open(zipFile, { lazyEntries: true, strictFileNames: true }, (error, opened) => (error ? fail(error) : done(opened)));
  });
  try {
    await new Promise<void>((done, fail) => {
      zip.on('error', fail);
      zip.on('end', () => done());
      zip.on('entry', (entry: Entry) => {
        extract(zip, entry, dir, budget).then(() => zip.readEntry(), (error) => {
          zip.close();
          fail(error);
        });
      });
      zip.readEntry();
    });
  } finally {
    if (zip.isOpen) zip.close();
  }
}

async function extract(zip: ZipFile, entry: Entry, dir: string, budget: { bytes: number }): Promise<void> {
  const target = resolve(dir, entry.fileName);
  // yauzl checks the name; this is the same rule applied to where it lands.
  if (target !== dir && !target.startsWith(dir + sep)) throw new ZipRefused(`entry ${entry.fileName} would be written outside the folder`);
  const { type, permissions } = unixMode(entry);
  if (entry.fileName.endsWith('/') || type === S_IFDIR) {
    mkdirSync(target, { recursive: true });
    return;
  }
  budget.bytes -= entry.uncompressedSize;
  if (budget.bytes < 0) throw new ZipRefused(`unzipped, it is larger than Lambda's ${MAX_UNZIPPED_BYTES / 1024 / 1024} MB`);
  throughLink(dir, dirname(target), entry.fileName);
  mkdirSync(dirname(target), { recursive: true });
  replaceable(target);
  const stream = await new Promise<NodeJS.ReadableStream>((done, fail) => zip.openReadStream(entry, (error, s) => (error ? fail(error) : done(s))));
  if (type === S_IFLNK) {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const link = Buffer.concat(chunks).toString('utf8');
    const points = resolve(dirname(target), link);
    if (points !== dir && !points.startsWith(dir + sep)) throw new ZipRefused(`entry ${entry.fileName} is a link to ${link}, outside the folder`);
    symlinkSync(relative(dirname(target), points) || '.', target);
    return;
  }
  // The archive's permission bits (an executable `bootstrap`, say), else read-write.
  await pipeline(stream, createWriteStream(target, { mode: permissions || 0o644 }));
}

/** Refuses an entry whose folder, below `dir`, is reached through a symbolic link. */
function throughLink(dir: string, folder: string, name: string): void {
  let path = dir;
  for (const part of relative(dir, folder).split(sep).filter(Boolean)) {
    path = join(path, part);
    let link = false;
    try {
      link = lstatSync(path).isSymbolicLink();
    } catch {
      return; // Not there yet: nothing below it is a link.
    }
    if (link) throw new ZipRefused(`entry ${name} goes through the link ${relative(dir, path)}`);
  }
}

/** A path a later entry may take over: whatever an earlier layer put there goes. */
function replaceable(target: string): void {
  try {
    lstatSync(target);
  } catch {
    return;
  }
  rmSync(target, { recursive: true, force: true });
}
