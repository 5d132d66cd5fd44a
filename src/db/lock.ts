// PGlite takes no lock of its own: two processes on one data directory silently lose writes.
// The lock is an OS file lock (a Linux open-file-description lock, through fs-native-extensions)
// on a file inside the data directory, held for as long as the process keeps the database open.
// The kernel releases it when the process ends, however it ends, and it holds between processes
// that cannot see each other's pids — two containers sharing a volume, other PID namespaces — and
// over NFS, where the server keeps the lock. The file's contents only say who holds it.
import { closeSync, constants, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { tryLock, unlock } from 'fs-native-extensions';
import { StartupError } from '../errors.ts';

interface LockInfo {
  pid: number;
  host: string;
  command: string;
  since: string;
}

/** Locks this process holds, so a second open in the same process gets its own message. */
const heldHere = new Set<string>();

export interface FileLock {
  path: string;
  release(): void;
}

function readHolder(lockPath: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockInfo>;
    return typeof info.pid === 'number' ? { pid: info.pid, host: String(info.host ?? 'unknown host'), command: String(info.command ?? ''), since: String(info.since ?? '') } : null;
  } catch {
    return null;
  }
}

/** Take the lock or throw a StartupError naming the process that holds it. */
export function acquireFileLock(lockPath: string, what: string): FileLock {
  if (heldHere.has(lockPath)) throw new StartupError(`${what} is already open in this process.`);
  let fd: number;
  try {
    fd = openSync(lockPath, constants.O_RDWR | constants.O_CREAT, 0o644);
  } catch (e) {
    throw new StartupError(
      `Cannot create the lock file ${lockPath} (${(e as Error).message}). ` +
        'Check that the data directory is writable, or set KPI_DATA_DIR to a writable directory.',
    );
  }
  let granted: boolean;
  try {
    granted = tryLock(fd);
  } catch (e) {
    closeSync(fd);
    throw new StartupError(`Cannot lock ${lockPath} (${(e as Error).message}). The data directory must be on a file system that supports file locks.`);
  }
  if (!granted) {
    closeSync(fd);
    const holder = readHolder(lockPath);
    const who = holder ? `pid ${holder.pid} on ${holder.host}, "${holder.command}", since ${holder.since}` : 'a process that has not said who it is yet';
    throw new StartupError(
      `${what} is in use by another process (${who}). ` +
        'The embedded database allows one process at a time: stop that process first, or run the bot on PostgreSQL ' +
        '(set DATABASE_URL) to use several processes.',
    );
  }
  const info: LockInfo = { pid: process.pid, host: hostname(), command: process.argv.slice(1).join(' ').slice(0, 200), since: new Date().toISOString() };
  ftruncateSync(fd, 0);
  writeSync(fd, JSON.stringify(info), 0);
  heldHere.add(lockPath);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    heldHere.delete(lockPath);
    process.off('exit', release);
    // The file stays: removing it would let a process that opened it a moment ago lock a file
    // nobody else can see. Unlocking (and closing) is what lets the next process in.
    try {
      ftruncateSync(fd, 0);
      unlock(fd);
    } finally {
      closeSync(fd);
    }
  };
  process.on('exit', release);
  return { path: lockPath, release };
}
