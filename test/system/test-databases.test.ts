// The PGlite test databases files are lent one after another (test/support/embedded-pool.ts): whatever
// a file did to its database — rows, a search_path, an enum value, a rule, a trigger, a function, a
// sequence's limits, a collation, a large object, a session setting, a transaction that never ends —
// the next file's database is as the migrated snapshot made it. A file that only wrote rows hands on
// its thread (that is what makes the suite cheaper); one that changed the catalogue does not.
import { describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const INSERT = `INSERT INTO audit_log (at, actor_label, action, entity) VALUES (now(), 'left by the file before', 'x', 'y')`;

const first = async <T>(db: TestDatabase, sql: string): Promise<T> => (await db.pglite!.query<T>(sql)).rows[0]!;
const xid = async (db: TestDatabase) => BigInt((await first<{ x: string }>(db, 'SELECT txid_current()::text AS x')).x);

/** What the snapshot looks like, as the checks below read it. */
const AS_MADE = `SELECT
  (SELECT count(*)::int FROM public.audit_log) AS rows,
  (SELECT count(*)::int FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL) AS "sequencesUsed",
  enum_range(NULL::"Role")::text AS roles,
  (SELECT count(*)::int FROM pg_rewrite WHERE ev_class = 'audit_log'::regclass) AS rules,
  (SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'observation_inserted') AS "triggerDef",
  (SELECT tgenabled::text FROM pg_trigger WHERE tgname = 'observation_inserted') AS "triggerEnabled",
  (SELECT md5(prosrc) FROM pg_proc WHERE proname = 'kpi_values_changed') AS "functionBody",
  (SELECT max_value::text FROM pg_sequences WHERE sequencename = 'audit_log_id_seq') AS "sequenceMax",
  (SELECT collation_name FROM information_schema.columns WHERE table_name = 'audit_log' AND column_name = 'actor_label') AS collation,
  (SELECT count(*)::int FROM pg_largeobject_metadata) AS "largeObjects",
  current_setting('TimeZone') AS "timeZone",
  current_setting('session_replication_role') AS "replicationRole",
  current_setting('search_path') AS "searchPath"`;

describe('test databases lent file after file', () => {
  it('a file that only wrote rows hands on its thread, emptied: no row, ids from 1 again', async () => {
    const a = await createTestDatabase('pglite');
    const asMade = await first<Record<string, unknown>>(a, AS_MADE);
    await a.pglite!.exec(`${INSERT}; ${INSERT}`);
    const lastXid = await xid(a);
    await a.close();
    const b = await createTestDatabase('pglite');
    try {
      // The same thread: its transactions go on from where the file before left them.
      expect(await xid(b)).toBeGreaterThan(lastXid);
      expect(await first(b, AS_MADE)).toEqual(asMade);
      expect(await first(b, `${INSERT} RETURNING id`)).toEqual({ id: 1 });
    } finally {
      await b.close();
    }
  });

  const mischief: [string, string][] = [
    ['rows, then a search_path that points elsewhere', `${INSERT}; SELECT set_config('search_path', 'information_schema', false)`],
    ['a value added to an enum', `ALTER TYPE "Role" ADD VALUE 'intruder'`],
    ['a rule that swallows inserts', `CREATE RULE swallow AS ON INSERT TO audit_log DO INSTEAD NOTHING`],
    [
      'a trigger re-created under its name for another event',
      `DROP TRIGGER observation_inserted ON observation; CREATE TRIGGER observation_inserted AFTER UPDATE ON observation REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi_values_changed()`,
    ],
    ['a trigger disabled', `ALTER TABLE observation DISABLE TRIGGER observation_inserted`],
    ['a function replaced', `CREATE OR REPLACE FUNCTION kpi_values_changed() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END'`],
    ['a sequence limited', `ALTER SEQUENCE audit_log_id_seq MAXVALUE 2`],
    ['a column given another collation', `ALTER TABLE audit_log ALTER COLUMN actor_label TYPE text COLLATE "C"`],
    ['a large object', `SELECT lo_create(4242)`],
    ['session settings', `SELECT set_config('TimeZone', 'Pacific/Kiritimati', false); SET session_replication_role = replica`],
  ];

  /** The snapshot as a file found it, and the database the next file is lent after it did `what`. */
  async function nextFileAfter(what: (db: TestDatabase) => Promise<void>): Promise<{ asMade: unknown; next: unknown }> {
    const a = await createTestDatabase('pglite');
    const asMade = await first(a, AS_MADE);
    await what(a);
    await a.close();
    const b = await createTestDatabase('pglite');
    try {
      return { asMade, next: await first(b, AS_MADE) };
    } finally {
      await b.close();
    }
  }

  it.each(mischief)('after %s, the next file’s database is as the snapshot made it', async (_what, sql) => {
    const { asMade, next } = await nextFileAfter(async (db) => void (await db.pglite!.exec(sql)));
    expect(next).toEqual(asMade);
  });

  it('a transaction that never ends: the file’s close gives up on it in seconds, and the next file starts clean', async () => {
    const { asMade, next } = await nextFileAfter(async (db) => {
      void db.pglite!.transaction(async (tx) => {
        await tx.query(INSERT);
        await new Promise(() => {});
      });
    });
    expect(next).toEqual(asMade);
  });

  it('a database closed refuses every call, through Prisma and directly', async () => {
    const a = await createTestDatabase('pglite');
    await a.close();
    await a.close();
    await expect(a.prisma.auditLog.count()).rejects.toThrow(/closed/);
    await expect(a.pglite!.query('SELECT 1')).rejects.toThrow('the embedded database is closed');
  });
});
