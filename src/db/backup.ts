// Backing up and restoring the configured database (`kpi db backup --out FILE`, `kpi db restore FILE`).
// The embedded database: PGlite's own dump of its data directory (a gzipped tar), taken while this
// command holds the directory's lock — so no bot writes meanwhile, and a bot that is running makes the
// command refuse, naming it. Restoring moves the directory there aside (never deletes it) and unpacks
// the backup in its place, then applies any migrations the backup is behind on. PostgreSQL:
// PostgreSQL's own pg_dump (custom format) and pg_restore, which are consistent while the bot runs;
// the password goes to them in the environment, never on the command line.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { UserError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { acquireFileLock } from './lock.ts';
import { LOCK_FILE, migrate, openDatabase, type Database } from './database.ts';
import { isDataDir } from './image.ts';
import { PGliteThread } from './pglite-thread.ts';

/** Write the open database to `out`. Returns the bytes written. */
export async function backupDatabase(db: Database, config: Config['database'], out: string): Promise<number> {
  const tmp = `${out}.partial-${process.pid}`;
  try {
    if (db.pglite) {
      const dump = await db.pglite.dumpDataDir('gzip');
      writeFileSync(tmp, new Uint8Array(await dump.arrayBuffer()));
    } else if (config.kind === 'postgres') {
      runPgTool('pg_dump', config.url, ['--format=custom', '--no-owner', `--file=${tmp}`]);
    } else throw new Error('this database cannot be backed up');
    renameSync(tmp, out);
  } finally {
    rmSync(tmp, { force: true });
  }
  return statSync(out).size;
}

export interface Restored {
  /** Where the data directory that was there went (embedded only; null when there was none). */
  setAside: string | null;
  /** Migrations applied because the backup was older than this version. */
  migrated: string[];
}

/**
 * Replace the configured database's contents with the backup in `file`. The embedded directory there
 * is kept beside it; PostgreSQL is restored over its objects (pg_restore --clean), in one transaction.
 */
export async function restoreDatabase(config: Config['database'], file: string, log: Logger, now = new Date()): Promise<Restored> {
  if (!existsSync(file)) throw new UserError(`There is no backup at ${file}.`);
  if (config.kind === 'postgres') {
    runPgTool('pg_restore', config.url, ['--clean', '--if-exists', '--no-owner', '--single-transaction', file]);
    return { setAside: null, migrated: await migrateAfterRestore(config, log) };
  }
  const dir = config.dataDir;
  if (dir.startsWith('memory://')) throw new UserError('The embedded database is configured in memory: there is nothing on disk to restore into.');
  const bytes = readFileSync(file);
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw new UserError(`${file} is not a backup of the embedded database (a gzipped data directory made by \`kpi db backup\`).`);
  let setAside: string | null = null;
  if (existsSync(dir) && isDataDir(dir)) {
    // Refuses (naming the process) while the bot or another command has it open.
    const lock = acquireFileLock(path.join(dir, LOCK_FILE), `The embedded database at ${dir}`);
    setAside = `${dir}.before-restore-${now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}`;
    try {
      renameSync(dir, setAside);
    } finally {
      lock.release();
    }
  }
  try {
    const pglite = await PGliteThread.open({ dataDir: dir, loadDataDir: new Blob([bytes]) });
    await pglite.close();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    if (setAside) renameSync(setAside, dir);
    throw new UserError(`${file} could not be restored (${(e as Error).message.split('\n')[0]}); the database was put back as it was.`);
  }
  return { setAside, migrated: await migrateAfterRestore(config, log) };
}

async function migrateAfterRestore(config: Config['database'], log: Logger): Promise<string[]> {
  const db = await openDatabase(config, { migrations: 'none', log });
  try {
    return await migrate(db, log);
  } finally {
    await db.close();
  }
}

/** Run pg_dump or pg_restore on the database at `url`, the password in the environment. */
function runPgTool(tool: 'pg_dump' | 'pg_restore', url: string, args: string[]): void {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  u.password = '';
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  u.search = '';
  const r = spawnSync(tool, [`--dbname=${u.toString()}`, ...args], { env, encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new UserError(`${tool} was not found. It comes with PostgreSQL's client tools: install them (Debian: apt-get install postgresql-client) at the same major version as the server or newer.`);
  }
  if (r.status !== 0) throw new UserError(`${tool} failed: ${(r.stderr || r.stdout || '').trim().split('\n').slice(0, 5).join(' ')}`);
}
