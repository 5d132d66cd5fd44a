// Databases for benchmarks: an in-memory PGlite and a throwaway PostgreSQL cluster, both migrated.
import { openDatabase, type Database } from '../src/db/database.ts';
import { startPgCluster, type PgCluster } from '../test/support/postgres-cluster.ts';
import pg from 'pg';

export type BenchBackend = 'pglite' | 'postgres';

let cluster: PgCluster | null = null;
let n = 0;

export async function benchDatabase(backend: BenchBackend): Promise<Database> {
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
