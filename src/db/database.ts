// Opening the database: embedded PGlite (a data directory on disk) or real PostgreSQL through
// @prisma/adapter-pg. One Prisma client per process; the same migrations for both.
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { Config } from '../config.ts';
import { StartupError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import { acquireFileLock, type FileLock } from './lock.ts';

/** The OS-locked file inside an embedded data directory (src/db/lock.ts). */
export const LOCK_FILE = 'kpi-bot.lock';
import { applyMigrations, listMigrationNames } from './migrate.ts';

export type { PrismaClient };

export interface Database {
  kind: 'pglite' | 'postgres';
  prisma: PrismaClient;
  /** Where it lives, for messages: the data directory or host:port/database (no password). */
  description: string;
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** The embedded instance (PGlite only): bulk loads use its COPY FROM '/dev/blob'. */
  pglite?: PGlite;
  /** The connection pool (PostgreSQL only): advisory locks and COPY FROM STDIN. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export type MigrationMode =
  /** Apply pending migrations (embedded database at start-up; `db:migrate`). */
  | 'apply'
  /** Refuse to run when migrations are pending (PostgreSQL at start-up). */
  | 'require-current'
  /** Do not look (`db status` reports instead). */
  | 'none';

export interface OpenOptions {
  migrations: MigrationMode;
  log?: Logger;
  /** PGlite: start from a dumped data directory instead of the one on disk (tests). */
  loadDataDir?: Blob | File;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  failed: string[];
  /** Applied in the database but missing from prisma/migrations (a newer version of the app ran here). */
  unknown: string[];
}

function describePg(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new StartupError(
      `The data directory ${dir} is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). ` +
        'Point KPI_DATA_DIR at a directory this user can write, or fix its permissions.',
    );
  }
}

/**
 * PGlite runs each query synchronously on the main thread, and resolves it in a microtask: a command
 * that makes ten queries would hold the event loop for all ten, and requests waiting to be
 * acknowledged would wait behind it. Each query through Prisma first yields one turn of the event
 * loop (setImmediate), so waiting I/O goes first. (Queries inside a transaction run on its own
 * handle and do not yield: the transaction holds PGlite's lock anyway.)
 */
function yieldingBeforeQueries(pglite: PGlite): PGlite {
  const query: PGlite['query'] = async (...args) => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return pglite.query(...args);
  };
  return new Proxy(pglite, {
    get(target, prop) {
      if (prop === 'query') return query;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

async function openPglite(dataDir: string, opts: OpenOptions): Promise<Database> {
  let lock: FileLock | undefined;
  let pglite: PGlite;
  if (opts.loadDataDir) {
    pglite = await PGlite.create({ loadDataDir: opts.loadDataDir });
  } else if (dataDir.startsWith('memory://')) {
    // In memory (benchmarks, throwaway runs): nothing on disk to lock.
    pglite = await PGlite.create({ dataDir });
  } else {
    // The lock file lives inside the data directory, so it is on the same volume as the data even
    // when the directory itself is what is mounted (a container's volume).
    ensureWritableDir(dataDir);
    lock = acquireFileLock(path.join(dataDir, LOCK_FILE), `The embedded database at ${dataDir}`);
    try {
      pglite = await PGlite.create({ dataDir });
    } catch (e) {
      lock.release();
      if (e instanceof StartupError) throw e;
      throw new StartupError(
        `Cannot open the embedded database at ${dataDir}: ${(e as Error).message}. ` +
          'If it was copied from another version or is damaged, move it aside (or run `npm run kpi -- demo --reset`).',
      );
    }
  }
  const adapterFactory = new PrismaPGlite(yieldingBeforeQueries(pglite));
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    kind: 'pglite',
    prisma,
    description: opts.loadDataDir ? 'embedded database (in memory)' : `embedded database at ${dataDir}`,
    adapterFactory,
    pglite,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      lock?.release();
    },
  };
}

async function openPostgres(url: string, opts: OpenOptions): Promise<Database> {
  // JIT compilation costs more than it saves on this workload's short queries (bench/evaluate.ts measured it).
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000, options: '-c jit=off' });
  pool.on('error', (err) => (opts.log ?? silentLogger).warn({ err: err.message }, 'idle PostgreSQL connection failed'));
  const description = describePg(url);
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => {});
    const err = e as NodeJS.ErrnoException;
    throw new StartupError(
      `Cannot reach PostgreSQL at ${description} (${err.code ?? err.message}). ` +
        'Check DATABASE_URL (host, port, database, user and password) and that the server is running and accepts connections from here.',
    );
  }
  const adapterFactory = new PrismaPg(pool);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    kind: 'postgres',
    prisma,
    description: `PostgreSQL at ${description}`,
    adapterFactory,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** What the database has applied, compared with prisma/migrations. Reads `_prisma_migrations` directly (fast: no engine). */
export async function migrationStatus(db: Database): Promise<MigrationStatus> {
  const onDisk = await listMigrationNames();
  const exists = await db.prisma.$queryRawUnsafe<{ present: boolean }[]>(
    `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present`,
  );
  const rows = exists[0]?.present
    ? await db.prisma.$queryRawUnsafe<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }[]>(
        `SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations`,
      )
    : [];
  const applied = new Set(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name));
  const failed = rows.filter((r) => !r.finished_at && !r.rolled_back_at).map((r) => r.migration_name);
  return {
    applied: onDisk.filter((n) => applied.has(n)),
    pending: onDisk.filter((n) => !applied.has(n)),
    failed,
    unknown: [...applied].filter((n) => !onDisk.includes(n)).sort(),
  };
}

/**
 * Apply pending migrations. On PostgreSQL an advisory lock makes a second process wait and then
 * find nothing left to do, so two processes never migrate at once.
 */
export async function migrate(db: Database, log: Logger = silentLogger): Promise<string[]> {
  const status = await migrationStatus(db);
  if (status.failed.length) {
    throw new StartupError(
      `Migration ${status.failed.join(', ')} failed part-way on ${db.description} and needs attention: ` +
        'fix the cause, then mark it rolled back in _prisma_migrations and run `npm run db:migrate` again.',
    );
  }
  if (!status.pending.length) return [];
  if (!db.pool) {
    const applied = await applyMigrations(db.adapterFactory);
    log.info({ applied }, 'migrations applied');
    return applied;
  }
  const client = await db.pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtext('kpi-bot:migrate'))`);
    try {
      const applied = await applyMigrations(db.adapterFactory);
      log.info({ applied }, 'migrations applied');
      return applied;
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtext('kpi-bot:migrate'))`);
    }
  } finally {
    client.release();
  }
}

/** Open the configured database, and migrate or check it as asked. */
export async function openDatabase(config: Config['database'], opts: OpenOptions): Promise<Database> {
  const log = opts.log ?? silentLogger;
  const db = config.kind === 'pglite' ? await openPglite(config.dataDir, opts) : await openPostgres(config.url, opts);
  try {
    if (opts.migrations === 'apply') {
      await migrate(db, log);
    } else if (opts.migrations === 'require-current') {
      const status = await migrationStatus(db);
      if (status.pending.length || status.failed.length) {
        throw new StartupError(
          `The database (${db.description}) is behind this version of kpi-bot: ` +
            `${status.pending.length} migration(s) not applied (${[...status.failed, ...status.pending].join(', ')}). ` +
            'Run `npm run db:migrate` with the same DATABASE_URL, then start again.',
        );
      }
    }
    return db;
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}
