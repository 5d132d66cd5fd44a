// A directory made once and kept for what it was made from: the embedded database's prepared images
// (src/db/image.ts), and the test set-up's database snapshots and build (test/setup/). It is made in a
// directory of its own beside it and renamed into place, so one cut short is never taken for it; two
// processes making it at once each make their own and the first to finish wins. The ones it replaces
// are then removed.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

/** How a directory being made is named (then renamed to its key): never taken for a finished one, never removed as an old one. */
const MAKING = '.build-';

export interface PreparedDirOptions {
  /** Where the kept directories live. */
  cacheDir: string;
  /** This one's name: a hash of what it is made from. */
  key: string;
  /** Whether a directory is whole (what is written last is there). */
  complete(dir: string): boolean;
  /** Make it, in the directory given. */
  make(dir: string): Promise<void>;
  /** Whether a kept directory of another name is one this replaces (removed once this one is in place). */
  replaces(name: string): boolean;
}

/** The directory `cacheDir/key`, made when there is none whole; null when the cache directory cannot be written. */
export async function preparedDir(o: PreparedDirOptions): Promise<string | null> {
  const dir = path.join(o.cacheDir, o.key);
  if (o.complete(dir)) return dir;
  const tmp = path.join(o.cacheDir, `${MAKING}${o.key}-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(tmp, { recursive: true });
  } catch {
    return null;
  }
  try {
    await o.make(tmp);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // Another process finished the same one first.
      if (!o.complete(dir)) throw e;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const old of readdirSync(o.cacheDir)) {
    if (old !== o.key && !old.startsWith(MAKING) && o.replaces(old)) rmSync(path.join(o.cacheDir, old), { recursive: true, force: true });
  }
  return dir;
}
