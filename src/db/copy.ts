// Moving a database, every row of it: the embedded database to PostgreSQL when a council outgrows one
// machine (`kpi db copy --to postgres://…`). The target is migrated to the same schema first and must
// hold no data. Then each table is copied in the order its foreign keys need, a page at a time, as
// PostgreSQL's own JSON of each row (`json_agg`) read back on the target with
// `jsonb_populate_recordset` — the values travel as text, so numbers, dates and JSON come out exactly
// as they went in, whatever their type. The copy is one transaction on the target (all or nothing),
// with the tables' triggers off while it runs (what they would write is copied too), and every
// id sequence is set past the ids copied. The source is only read.
import type pg from 'pg';
import type { Database } from './database.ts';
import { UserError } from '../errors.ts';

/** Rows per page: a page is one statement on each side. */
const PAGE = 2000;

export interface TableCount {
  table: string;
  rows: number;
}

type Query = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

const on = (db: Database): Query => (sql, params = []) => db.prisma.$queryRawUnsafe(sql, ...params);
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The tables of the public schema that hold data (Prisma's migration table is the target's own). */
async function tablesOf(q: Query): Promise<string[]> {
  const rows = await q<{ name: string }>(`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> '_prisma_migrations' ORDER BY c.relname`);
  return rows.map((r) => r.name);
}

/** Tables ordered so that each comes after every table its foreign keys point at (a table pointing at itself is ordered by its rows' ids). */
async function dependencyOrder(q: Query, tables: string[]): Promise<string[]> {
  const edges = await q<{ child: string; parent: string }>(`
    SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE k.contype = 'f' AND n.nspname = 'public' AND c.relname <> p.relname`);
  const needs = new Map(tables.map((t) => [t, new Set(edges.filter((e) => e.child === t).map((e) => e.parent))]));
  const out: string[] = [];
  while (out.length < tables.length) {
    const ready = tables.filter((t) => !out.includes(t) && [...needs.get(t)!].every((p) => out.includes(p) || !needs.has(p)));
    if (!ready.length) throw new Error(`the tables ${tables.filter((t) => !out.includes(t)).join(', ')} refer to each other in a cycle`);
    out.push(...ready);
  }
  return out;
}

/** The table's primary key columns (what a page is ordered by). */
async function keyOf(q: Query, table: string): Promise<string[]> {
  const rows = await q<{ col: string }>(
    `SELECT a.attname AS col FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
    [quote(table)],
  );
  return rows.map((r) => r.col);
}

/** How many rows each data table holds. */
export async function countRows(db: Database): Promise<TableCount[]> {
  const q = on(db);
  const out: TableCount[] = [];
  for (const table of await tablesOf(q)) {
    const [r] = await q<{ n: bigint | number }>(`SELECT count(*) AS n FROM ${quote(table)}`);
    out.push({ table, rows: Number(r!.n) });
  }
  return out;
}

/**
 * Copy every row of `from` into `to` (migrated, holding no data; PostgreSQL). Returns the rows copied per table.
 * `progress` is told each table as it is done.
 */
export async function copyDatabase(from: Database, to: Database, progress?: (t: TableCount) => void): Promise<TableCount[]> {
  if (!to.pool) throw new UserError('The target of a copy must be a PostgreSQL database (postgres://…).');
  const src = on(from);
  const tables = await dependencyOrder(src, await tablesOf(src));
  const targetTables = new Set(await tablesOf(on(to)));
  const missing = tables.filter((t) => !targetTables.has(t));
  if (missing.length) throw new UserError(`The target database has no table ${missing.join(', ')}: it is not at the same version. Run this version's migrations on it (the copy does), or copy with the version that made the source.`);
  const full = (await countRows(to)).filter((c) => c.rows > 0);
  if (full.length) {
    throw new UserError(
      `The target database already holds data (${full.slice(0, 5).map((c) => `${c.table}: ${c.rows}`).join(', ')}${full.length > 5 ? ', …' : ''}). ` +
        'A copy goes into an empty database only, so nothing there is mixed or lost: create a new database and copy into that.',
    );
  }
  const client: pg.PoolClient = await to.pool.connect();
  const copied: TableCount[] = [];
  try {
    await client.query('BEGIN');
    for (const table of tables) await client.query(`ALTER TABLE ${quote(table)} DISABLE TRIGGER USER`);
    for (const table of tables) {
      const key = await keyOf(src, table);
      const order = key.length ? `ORDER BY ${key.map(quote).join(', ')}` : '';
      let rows = 0;
      for (let offset = 0; ; offset += PAGE) {
        const [page] = await src<{ rows: string; n: bigint | number }>(
          `SELECT coalesce(json_agg(x), '[]')::text AS rows, count(*) AS n FROM (SELECT * FROM ${quote(table)} ${order} LIMIT ${PAGE} OFFSET ${offset}) x`,
        );
        const n = Number(page!.n);
        if (n) await client.query(`INSERT INTO ${quote(table)} SELECT * FROM jsonb_populate_recordset(NULL::${quote(table)}, $1::jsonb)`, [page!.rows]);
        rows += n;
        if (n < PAGE) break;
      }
      copied.push({ table, rows });
      progress?.({ table, rows });
    }
    for (const table of tables) await client.query(`ALTER TABLE ${quote(table)} ENABLE TRIGGER USER`);
    // Every id sequence past the ids copied, so the next row gets a new one.
    const sequences = await client.query<{ tbl: string; col: string; seq: string }>(`
      SELECT c.relname AS tbl, a.attname AS col, pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS seq
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL`);
    for (const s of sequences.rows) {
      await client.query(`SELECT setval($1::regclass, coalesce((SELECT max(${quote(s.col)}) FROM ${quote(s.tbl)}), 0) + 1, false)`, [s.seq]);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
  return copied;
}
