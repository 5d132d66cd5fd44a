// The demo organisation's rows, captured once per run (test/setup/global.ts) and written into a fresh
// test database in one script — instead of loading the demo through the ORM in every file that uses it
// (test/support/app.ts, withDemo). Rows go in as they were captured: ids, sequences and what the
// triggers wrote, with triggers and foreign keys held off while they do.

/** What the demo wrote: every table's rows (as JSON) and where every sequence stood. */
export interface DemoRows {
  tables: { name: string; rows: string }[];
  sequences: { name: string; value: string; called: boolean }[];
  /** Every table of the schema but the migration history: a database is fresh when all are empty. */
  allTables: string[];
}

type Query = <T>(sql: string) => Promise<T[]>;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The application's tables (not the migration history), in name order. */
async function tables(query: Query): Promise<string[]> {
  const rows = await query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations' ORDER BY tablename`,
  );
  return rows.map((r) => r.name);
}

/** Read every table and sequence of a database with the demo loaded. */
export async function captureDemoRows(query: Query): Promise<DemoRows> {
  const all = await tables(query);
  const captured: DemoRows['tables'] = [];
  for (const name of all) {
    const [row] = await query<{ rows: string | null }>(`SELECT json_agg(t)::text AS rows FROM ${quote(name)} t`);
    if (row?.rows) captured.push({ name, rows: row.rows });
  }
  const sequences = await query<{ name: string; value: string; called: boolean }>(
    `SELECT sequencename AS name, last_value::text AS value, true AS called FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL ORDER BY sequencename`,
  );
  return { tables: captured, sequences, allTables: all };
}

/** One query answering whether the database is as migrated: no row in any table, no sequence used. */
export function freshQuery(rows: DemoRows): string {
  const used = rows.allTables.map((t) => `EXISTS (SELECT 1 FROM ${quote(t)})`);
  used.push(`EXISTS (SELECT 1 FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL)`);
  return `SELECT NOT (${used.join(' OR ')}) AS fresh`;
}

/** A dollar-quote tag that none of the captured text contains. */
function tagFor(rows: DemoRows): string {
  for (let i = 0; ; i++) {
    const tag = `$demo${i}$`;
    if (!rows.tables.some((t) => t.rows.includes(tag))) return tag;
  }
}

/** The SQL that writes the captured rows into a fresh database, in one transaction. */
export function restoreScript(rows: DemoRows): string {
  const tag = tagFor(rows);
  const lines = ['BEGIN;', 'SET LOCAL session_replication_role = replica;'];
  for (const t of rows.tables) {
    lines.push(`INSERT INTO ${quote(t.name)} SELECT * FROM json_populate_recordset(NULL::${quote(t.name)}, ${tag}${t.rows}${tag}::json);`);
  }
  for (const s of rows.sequences) lines.push(`SELECT setval('${quote(s.name)}', ${BigInt(s.value)}, ${s.called});`);
  lines.push('COMMIT;');
  return lines.join('\n');
}
