// Integration-test set-up, once per run: a migrated PGlite snapshot, and a throwaway PostgreSQL cluster
// on loopback with a migrated template database — each only when KPI_TEST_BACKENDS names it (`npm test`:
// pglite; `npm run test:postgres`: postgres; `npm run test:deep`: both). Each test file clones one or the other.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { applyMigrations } from '../../src/db/migrate.ts';
import { startPgCluster, type PgCluster } from '../support/postgres-cluster.ts';
import { testBackends, type TestBackend } from '../support/test-backends.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The databases this run tests against (KPI_TEST_BACKENDS). */
    testBackends: TestBackend[];
    pgTemplateUrl: string | null;
    pgAdminUrl: string | null;
    pgliteDump: string;
  }
}

const TEMPLATE = 'kpi_template';

interface Databases {
  backends: TestBackend[];
  pgTemplateUrl: string | null;
  pgAdminUrl: string | null;
  pgliteDump: string;
  stop(): void;
}

async function startDatabases(): Promise<Databases> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kpi-test-'));
  const backends = testBackends(process.env.KPI_TEST_BACKENDS);

  let cluster: PgCluster | null = null;
  if (backends.includes('postgres')) {
    cluster = await startPgCluster();
    const admin = new pg.Client({ connectionString: cluster.url('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${TEMPLATE}`);
    await admin.end();
    const pool = new pg.Pool({ connectionString: cluster.url(TEMPLATE) });
    await applyMigrations(new PrismaPg(pool));
    await pool.end();
  }

  const dumpPath = path.join(tmp, 'pglite-migrated.tar.gz');
  if (backends.includes('pglite')) {
    const pglite = new PGlite();
    await applyMigrations(new PrismaPGlite(pglite));
    const dump = await pglite.dumpDataDir('gzip');
    await pglite.close();
    writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
  }

  return {
    backends,
    pgTemplateUrl: cluster ? cluster.url(TEMPLATE) : null,
    pgAdminUrl: cluster ? cluster.url('postgres') : null,
    pgliteDump: dumpPath,
    stop() {
      cluster?.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * The contract and integration projects both name this set-up; vitest runs it once per project in
 * the same process. They share one cluster and one snapshot (the schema engine may not migrate two
 * databases at once), stopped when the last project is done.
 */
const SHARED = Symbol.for('kpi-bot.test-databases');
type Shared = { ready: Promise<Databases>; users: number };
const registry = globalThis as typeof globalThis & { [SHARED]?: Shared };

export default async function setup(project: TestProject) {
  const shared = (registry[SHARED] ??= { ready: startDatabases(), users: 0 });
  shared.users++;
  const dbs = await shared.ready;
  project.provide('testBackends', dbs.backends);
  project.provide('pgTemplateUrl', dbs.pgTemplateUrl);
  project.provide('pgAdminUrl', dbs.pgAdminUrl);
  project.provide('pgliteDump', dbs.pgliteDump);
  return () => {
    if (--shared.users > 0) return;
    delete registry[SHARED];
    dbs.stop();
  };
}
