// PGlite takes no lock of its own: two processes on one data directory silently lose writes.
// This lock file, next to the data directory, lets exactly one process open it and tells a
// second one which process holds it.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { StartupError } from '../errors.ts';

interface LockInfo {
  pid: number;
  command: string;
  since: string;
}

/** Locks this process holds, so a second open in the same process is refused too. */
const heldHere = new Set<string>();

export interface FileLock {
  path: string;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(lockPath: string): LockInfo | null {
  try {
    return JSON.parse(readFileSync(lockPath, 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

/** Take the lock or throw a StartupError naming the process that holds it. A stale lock is taken over. */
export function acquireFileLock(lockPath: string, what: string): FileLock {
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(lockPath, 'wx', 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StartupError(
          `Cannot create the lock file ${lockPath} (${(e as Error).message}). ` +
            'Check that the data directory is writable, or set KPI_DATA_DIR to a writable directory.',
        );
      }
      const holder = readLock(lockPath);
      const heldByUs = holder?.pid === process.pid && heldHere.has(lockPath);
      // A lock with our pid that we did not take is stale (pid reuse after a restart, e.g. pid 1 in a container).
      if (holder && (heldByUs || (holder.pid !== process.pid && isAlive(holder.pid)))) {
        if (heldByUs) throw new StartupError(`${what} is already open in this process.`);
        throw new StartupError(
          `${what} is in use by another process (pid ${holder.pid}, "${holder.command}", since ${holder.since}). ` +
            'The embedded database allows one process at a time: stop that process first, or run the bot on PostgreSQL ' +
            '(set DATABASE_URL) to use several processes.',
        );
      }
      // The holder is gone (crashed or killed): the lock is stale.
      try {
        unlinkSync(lockPath);
      } catch {
        /* someone else removed it first; try again */
      }
      continue;
    }
    const info: LockInfo = { pid: process.pid, command: process.argv.slice(1).join(' ').slice(0, 200), since: new Date().toISOString() };
    writeSync(fd, JSON.stringify(info));
    closeSync(fd);
    heldHere.add(lockPath);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      heldHere.delete(lockPath);
      process.off('exit', release);
      const current = readLock(lockPath);
      if (current?.pid === process.pid) {
        try {
          unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      }
    };
    process.on('exit', release);
    return { path: lockPath, release };
  }
  throw new StartupError(`Could not take the lock ${lockPath}: another process keeps taking it. Try again.`);
}
