// A fresh, migrated database per test file: a clone of the PostgreSQL template (dropped afterwards),
// or PGlite as the migrated snapshot made it (a thread lent file after file, emptied in between:
// embedded-pool.ts). The demo's rows, captured once per run, can be written into a fresh one
// (restoreDemoRows) instead of loading the demo again.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { lendEmbedded } from './embedded-pool.ts';
import { freshQuery, restoreScript, type DemoRows } from './demo-rows.ts';

export type Backend = 'pglite' | 'postgres';

/**
 * Which databases a suite runs on — a declared property of each integration file (docs/contributing.md, "Tests"):
 * - `'both'`: what the database can change — faults, security, permissions, integrity, races, several
 *   processes on one database, migrations and triggers. PGlite and PostgreSQL (unless
 *   KPI_TEST_BACKENDS narrows the run).
 * - `'pglite'`: how a platform translates — payloads, Block Kit, cards, files, the CLI and console.
 *   The database under it is incidental (the contract tier holds both repositories to the same cases),
 *   so it runs once, on PGlite.
 */
export type BackendScope = 'both' | 'pglite';

/**
 * The backends a suite of the given scope runs on in this run (KPI_TEST_BACKENDS, read once by the global set-up):
 * `npm test` is PGlite only, `npm run test:postgres` PostgreSQL only, `npm run test:deep` both.
 */
export function backends(scope: BackendScope): Backend[] {
  const run = inject('testBackends');
  if (scope === 'pglite') return run.includes('pglite') ? ['pglite'] : [];
  return run;
}

export interface TestDatabase extends Database {
  /** The connection URL (PostgreSQL only). */
  url?: string;
}

/** The migrated snapshot, read once per worker (files in a worker share this module). */
let snapshot: Blob | null = null;

export async function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === 'pglite') {
    snapshot ??= new Blob([readFileSync(inject('pgliteDump'))]);
    // A thread an earlier file in this process used, emptied back to the snapshot (embedded-pool.ts).
    return lendEmbedded(snapshot);
  }
  const adminUrl = inject('pgAdminUrl');
  const templateUrl = inject('pgTemplateUrl');
  if (!adminUrl || !templateUrl) throw new Error('PostgreSQL is not available in this test run');
  const name = `kpi_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE kpi_template`);
  await admin.end();
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const db = await openDatabase({ kind: 'postgres', url }, { migrations: 'require-current' });
  const close = db.close.bind(db);
  return Object.assign(db, {
    url,
    async close() {
      await close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  });
}

let demo: { fresh: string; script: string } | null = null;

/** Run SQL text (several statements) on the database itself: its PGlite thread, or a pooled connection. */
async function runSql<T>(db: Database, sql: string): Promise<T[]> {
  if (db.pglite) return (await db.pglite.query<T>(sql)).rows;
  if (db.pool) return (await db.pool.query(sql)).rows as T[];
  throw new Error(`${db.description}: no SQL connection to write the demo's rows with`);
}

/**
 * Write the demo's rows, as captured at the start of the run, into a database still as migrated;
 * false (and nothing written) when it is not — rows or used sequences of its own.
 */
export async function restoreDemoRows(db: Database): Promise<boolean> {
  if (!demo) {
    const rows = JSON.parse(readFileSync(inject('demoRows'), 'utf8')) as DemoRows;
    demo = { fresh: freshQuery(rows), script: restoreScript(rows) };
  }
  const [answer] = await runSql<{ fresh: boolean }>(db, demo.fresh);
  if (!answer?.fresh) return false;
  if (db.pglite) await db.pglite.exec(demo.script);
  else await runSql(db, demo.script);
  return true;
}

/** Link every register person to a platform user (as if each had written to the bot once); `idFor` null unlinks them there. */
export async function linkPeople(db: Database, platform: string, idFor: (p: { id: number; displayName: string }) => string | null): Promise<void> {
  const people = await db.prisma.person.findMany({ select: { id: true, displayName: true } });
  for (const p of people) {
    const id = idFor(p);
    await db.prisma.personIdentity.deleteMany({ where: { personId: p.id, platform } });
    if (id) await db.prisma.personIdentity.create({ data: { personId: p.id, platform, platformUserId: id, linkedBy: 'first-contact', linkedAt: new Date('2018-01-01T00:00:00Z') } });
  }
}

/** One person's link on a platform: set it (`id`), or remove it (null). */
export async function setLink(db: Database, personId: number, platform: string, id: string | null): Promise<void> {
  await db.prisma.personIdentity.deleteMany({ where: { personId, platform } });
  if (id) await db.prisma.personIdentity.create({ data: { personId, platform, platformUserId: id, linkedBy: 'first-contact', linkedAt: new Date('2018-01-01T00:00:00Z') } });
}

/** One person's user id on a platform, or null when not linked there. */
export async function linkOf(db: Database, personId: number, platform: string): Promise<string | null> {
  return (await db.prisma.personIdentity.findUnique({ where: { personId_platform: { personId, platform } } }))?.platformUserId ?? null;
}
