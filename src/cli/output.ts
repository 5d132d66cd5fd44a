// Where a CLI command writes its file (`--out`, `--force`): a path named with --out is the file — or,
// when it is a directory (or ends in /), the directory the file goes into under its default name —
// and a file already there is kept unless --force says to replace it. Without --out the file goes to
// KPI_OUT_DIR under its default name, the bot's own output folder, where a newer copy replaces an
// older one (and says so). Every failure to write is a message, never a stack trace.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.ts';

export interface OutputOptions {
  /** --out as typed, if given. */
  out?: string;
  /** --force: replace a file already at the path. */
  force?: boolean;
}

/** What was written, and whether an earlier file there was replaced. */
export interface Written {
  path: string;
  replaced: boolean;
}

/** The help text of --out and --force, the same for every command that writes a file. */
export const OUT_HELP = (what: string, defaultPath: string) =>
  `where to write the ${what}: a file, or a directory to write it into under its own name (default: ${defaultPath}); a file already there is kept unless --force`;
export const FORCE_HELP = 'replace a file already at the --out path';

async function kind(p: string): Promise<'file' | 'directory' | 'other' | null> {
  try {
    const s = await stat(p);
    return s.isDirectory() ? 'directory' : s.isFile() ? 'file' : 'other';
  } catch {
    return null;
  }
}

/** Why the system refused, in words: "permission denied", "a file is in the way of the directory". */
function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'part of the path is a file, not a directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ENOENT':
      return 'no file can be made there';
    default:
      return code ?? (e as Error).message;
  }
}

/** Where the file goes: the file `opts.out` names (see above), or `defaultDir`/`filename`. Refused before any work is done. */
export interface OutputTarget {
  path: string;
  /** A file is there, and may be replaced (--force, or the default folder). */
  replace: boolean;
}

/** Where to write (see above), checked before the work that makes the file: a file that must be kept is refused now. */
export async function outputTarget(filename: string, defaultDir: string, opts: OutputOptions = {}): Promise<OutputTarget> {
  const named = opts.out !== undefined && opts.out.trim() !== '';
  if (opts.out !== undefined && !named) throw new UserError('--out needs a file or directory name.');
  let target = path.resolve(named ? opts.out! : path.join(defaultDir, filename));
  if (named && (/[/\\]$/.test(opts.out!) || (await kind(target)) === 'directory')) target = path.join(target, filename);
  const existing = await kind(target);
  if (existing === 'directory') throw new UserError(`Cannot write ${target}: it is a directory. Give a file name with --out.`);
  if (existing === 'other') throw new UserError(`Cannot write ${target}: something other than a file is there. Give another path with --out.`);
  // Only --force replaces a file someone named; the default folder is the bot's own.
  if (existing === 'file' && named && opts.force !== true) throw kept(target);
  return { path: target, replace: existing === 'file' };
}

const kept = (target: string) => new UserError(`${target} already exists: it was kept. Add --force to replace it, or give another --out.`);

/** Write the file, creating its directory. Whether an earlier file was replaced. */
export async function writeOutput(target: OutputTarget, bytes: Uint8Array): Promise<Written> {
  const dir = path.dirname(target.path);
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    // EEXIST from mkdir: a file stands where a directory of the path should be.
    throw new UserError(`Cannot write ${target.path}: ${(e as NodeJS.ErrnoException).code === 'EEXIST' ? 'part of the path is a file, not a directory' : reason(e)}.`);
  }
  try {
    // 'wx': a file that appeared since outputTarget looked is not replaced.
    await writeFile(target.path, bytes, { flag: target.replace ? 'w' : 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw kept(target.path);
    throw new UserError(`Cannot write ${target.path}: ${reason(e)}.`);
  }
  return { path: target.path, replaced: target.replace };
}
