// Opening the database: embedded PGlite (a data directory on disk, run on a thread of its own:
// pglite-thread.ts; a new directory starts from a prepared image: image.ts) or real PostgreSQL
// through @prisma/adapter-pg. One Prisma client per process; the same migrations for both.
import { accessSync, constants, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
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
import { applyMigrations, listMigrationNames } from './migrate.ts';
import { PGliteThread, type EmbeddedDatabase } from './pglite-thread.ts';
import { copyImage, DEFAULT_IMAGE_DIR, isDataDir, preparedImage, SCHEMA_SEED, type Seed } from './image.ts';

/** The OS-locked file inside an embedded data directory (src/db/lock.ts). */
export const LOCK_FILE = 'kpi-bot.lock';

export type { EmbeddedDatabase, Seed };
export type { PrismaClient };

export interface Database {
  kind: 'pglite' | 'postgres';
  prisma: PrismaClient;
  /** Where it lives, for messages: the data directory or host:port/database (no password). */
  description: string;
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** The embedded database on its thread (PGlite only): bulk loads use its COPY FROM '/dev/blob'. */
  pglite?: EmbeddedDatabase;
  /** PGlite on disk: the seed a new data directory was created with ("schema", "demo"); absent when it existed. */
  seeded?: string;
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
  /** PGlite on disk: what a new data directory starts with (default: the migrated schema). */
  seed?: Seed;
  /** Where prepared images are kept (default: .cache/pglite beside the code). */
  imageDir?: string;
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

/** A new data directory: a copy of the prepared image for its seed, or (cache not writable) built in place. */
async function seedDataDir(dataDir: string, opts: OpenOptions): Promise<string> {
  const seed = opts.seed ?? SCHEMA_SEED;
  const log = opts.log ?? silentLogger;
  const t0 = performance.now();
  const image = await preparedImage(opts.imageDir ?? DEFAULT_IMAGE_DIR, seed, (dir) => buildDataDir(dir, seed));
  if (image) copyImage(image, dataDir);
  else await buildDataDir(dataDir, seed);
  log.info({ seed: seed.name, ms: Math.round(performance.now() - t0), image }, 'new embedded database created');
  return seed.name;
}

/** initdb, every migration, then the seed: what a prepared image holds. */
async function buildDataDir(dir: string, seed: Seed): Promise<void> {
  const db = await embedded(await PGliteThread.open({ dataDir: dir }), `embedded database at ${dir}`);
  try {
    await applyMigrations(db.adapterFactory);
    await seed.build?.(db.prisma);
  } finally {
    await db.close();
  }
}

/** The database over an embedded one already open: closing it closes that too (tests lend one thread to file after file). */
export function embedded(pglite: EmbeddedDatabase, description: string, onClose?: () => void): Database {
  // The adapter calls query, exec and transaction, which the thread provides as PGlite does.
  const adapterFactory = new PrismaPGlite(pglite as unknown as PGlite);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    kind: 'pglite',
    prisma,
    description,
    adapterFactory,
    pglite,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      onClose?.();
    },
  };
}

async function openPglite(dataDir: string, opts: OpenOptions): Promise<Database> {
  if (opts.loadDataDir) return embedded(await PGliteThread.open({ loadDataDir: opts.loadDataDir }), 'embedded database (in memory)');
  // In memory (benchmarks, throwaway runs): nothing on disk to lock.
  if (dataDir.startsWith('memory://')) return embedded(await PGliteThread.open({ dataDir }), 'embedded database (in memory)');
  // The lock file lives inside the data directory, so it is on the same volume as the data even
  // when the directory itself is what is mounted (a container's volume). A new directory is seeded
  // under the lock, around it.
  ensureWritableDir(dataDir);
  const lock: FileLock = acquireFileLock(path.join(dataDir, LOCK_FILE), `The embedded database at ${dataDir}`);
  try {
    const seeded = isDataDir(dataDir) ? null : await seedDataDir(dataDir, opts);
    const db = embedded(await PGliteThread.open({ dataDir }), `embedded database at ${dataDir}`, () => lock.release());
    return seeded ? { ...db, seeded } : db;
  } catch (e) {
    lock.release();
    if (e instanceof StartupError) throw e;
    throw new StartupError(
      `Cannot open the embedded database at ${dataDir}: ${(e as Error).message}. ` +
        'If it was copied from another version or is damaged, move it aside (or run `npm run kpi -- demo --reset`).',
    );
  }
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
  const db =
    config.kind === 'pglite'
      ? await openPglite(config.dataDir, { ...opts, imageDir: opts.imageDir ?? config.imageDir })
      : await openPostgres(config.url, opts);
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
