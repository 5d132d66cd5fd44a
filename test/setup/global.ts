// Integration-test set-up, once per run: a migrated PGlite snapshot, and a throwaway PostgreSQL cluster
// on loopback with a migrated template database when KPI_TEST_BACKENDS names PostgreSQL (`npm test`:
// pglite; `npm run test:postgres`: postgres; `npm run test:deep`: both). Each test file clones one or the other. The demo
// organisation is loaded once here too, and its rows kept (test/support/demo-rows.ts): a file that
// needs the demo writes them in one script instead of loading it again (test/support/app.ts, withDemo).
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { applyMigrations } from '../../src/db/migrate.ts';
import { preparedDir } from '../../src/prepared-dir.ts';
import { DEMO_GIVEN_AT, loadDemo } from '../../src/demo/demo.ts';
import { PrismaClient } from '../../src/generated/prisma/client.ts';
import { captureDemoRows } from '../support/demo-rows.ts';
import { startPgCluster, type PgCluster } from '../support/postgres-cluster.ts';
import { testBackends, type TestBackend } from '../support/test-backends.ts';
import { sourceKey } from './source-key.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The databases this run tests against (KPI_TEST_BACKENDS). */
    testBackends: TestBackend[];
    pgTemplateUrl: string | null;
    pgAdminUrl: string | null;
    pgliteDump: string;
    /** PGlite as initdb leaves it, before any migration (tests of a migration over old rows). */
    pgliteEmptyDump: string;
    /** The demo's rows (test/support/demo-rows.ts, as JSON), loaded as of DEMO_GIVEN_AT or later. */
    demoRows: string;
  }
}

const TEMPLATE = 'kpi_template';

interface Databases {
  backends: TestBackend[];
  pgTemplateUrl: string | null;
  pgAdminUrl: string | null;
  pgliteDump: string;
  pgliteEmptyDump: string;
  demoRows: string;
  stop(): void;
}

/** What the PGlite snapshots and the demo's rows are made from (test/setup/source-key.ts). */
const PGLITE_INPUTS = ['prisma', 'src', 'package-lock.json', 'test/setup/global.ts', 'test/support/demo-rows.ts'];

/**
 * PGlite as initdb leaves it, PGlite migrated, and the demo's rows: made once for these sources and
 * kept in .cache/test-databases/<key> (src/prepared-dir.ts; initdb, every migration and the demo cost
 * several CPU-seconds a run).
 */
async function preparedPglite(): Promise<{ emptyPath: string; dumpPath: string; rowsPath: string }> {
  const root = path.resolve(import.meta.dirname, '../..');
  const cacheDir = path.join(root, '.cache', 'test-databases');
  const dir = await preparedDir({
    cacheDir,
    key: sourceKey(root, PGLITE_INPUTS),
    // The rows are written last: a directory without them was cut short.
    complete: (d) => existsSync(path.join(d, 'demo-rows.json')),
    replaces: () => true,
    async make(d) {
      const pglite = new PGlite();
      await pglite.waitReady;
      // initdb is most of what a new PGlite costs (seconds): a migration's test starts from this instead.
      writeFileSync(path.join(d, 'pglite-empty.tar'), Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
      const adapter = new PrismaPGlite(pglite);
      await applyMigrations(adapter);
      // Uncompressed: every test file opens it, and unpacking a tarball costs less than inflating it too.
      writeFileSync(path.join(d, 'pglite-migrated.tar'), Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
      // Any date from when the demo's figures were given on loads the same rows (src/demo/demo.ts).
      const prisma = new PrismaClient({ adapter });
      await loadDemo(prisma, DEMO_GIVEN_AT);
      const rows = await captureDemoRows(async (sql) => (await pglite.query(sql)).rows as never[]);
      await prisma.$disconnect();
      await pglite.close();
      writeFileSync(path.join(d, 'demo-rows.json'), JSON.stringify(rows));
    },
  });
  if (!dir) throw new Error(`test set-up: cannot write the database snapshots under ${cacheDir}`);
  return { emptyPath: path.join(dir, 'pglite-empty.tar'), dumpPath: path.join(dir, 'pglite-migrated.tar'), rowsPath: path.join(dir, 'demo-rows.json') };
}

async function startDatabases(): Promise<Databases> {
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

  const { emptyPath, dumpPath, rowsPath } = await preparedPglite();

  return {
    backends,
    pgTemplateUrl: cluster ? cluster.url(TEMPLATE) : null,
    pgAdminUrl: cluster ? cluster.url('postgres') : null,
    pgliteDump: dumpPath,
    pgliteEmptyDump: emptyPath,
    demoRows: rowsPath,
    stop() {
      cluster?.stop();
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
  project.provide('pgliteEmptyDump', dbs.pgliteEmptyDump);
  project.provide('demoRows', dbs.demoRows);
  return () => {
    if (--shared.users > 0) return;
    delete registry[SHARED];
    dbs.stop();
  };
}
