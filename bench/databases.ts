// Databases for benchmarks: an in-memory PGlite and a throwaway PostgreSQL cluster, both migrated.
import { openDatabase, type Database } from '../src/db/database.ts';
import { startPgCluster, type PgCluster } from '../test/support/postgres-cluster.ts';
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type BenchBackend = 'pglite' | 'postgres';

let cluster: PgCluster | null = null;
let n = 0;

/**
 * A migrated database. PGlite in memory by default; `onDisk`: a new data directory as the bot
 * starts one (a copy of the prepared schema image, no initdb in this process), removed at close.
 */
export async function benchDatabase(backend: BenchBackend, opts: { onDisk?: boolean } = {}): Promise<Database> {
  if (backend === 'pglite' && opts.onDisk) {
    const dir = mkdtempSync(path.join(tmpdir(), 'kpi-bench-db-'));
    const db = await openDatabase({ kind: 'pglite', dataDir: path.join(dir, 'pglite') }, { migrations: 'apply' });
    const close = db.close.bind(db);
    return Object.assign(db, {
      async close() {
        await close();
        rmSync(dir, { recursive: true, force: true });
      },
    });
  }
  if (backend === 'pglite') return openDatabase({ kind: 'pglite', dataDir: 'memory://' }, { migrations: 'apply' });
  cluster ??= await startPgCluster();
  const name = `kpi_bench_${process.pid}_${++n}`;
  const admin = new pg.Client({ connectionString: cluster.url('postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return openDatabase({ kind: 'postgres', url: cluster.url(name) }, { migrations: 'apply' });
}

export function stopClusters(): void {
  cluster?.stop();
  cluster = null;
}
