// Embedded test databases lent to file after file. A PGlite thread is opened from the migrated
// snapshot when a test process first needs one; when the file closes its database, the thread is
// emptied back to the snapshot — every table truncated, every sequence restarted, the session
// discarded — and lent to the next file. Opening a thread costs about half a CPU-second (a
// WebAssembly instance, PostgreSQL's start, 40 MB of snapshot unpacked); emptying one about a
// twentieth. A thread is lent again only when its catalogue is provably as the snapshot left it
// (fingerprint below: tables, columns, constraints, triggers and whether they fire, functions, the
// migration history, roles, extensions and settings) and emptying it finished in time; otherwise it
// is closed and the next file gets a new one. A file's database refuses every call once closed,
// whatever the thread goes on to do.
import type { QueryOptions, Results, Transaction } from '@electric-sql/pglite';
import { embedded, type Database } from '../../src/db/database.ts';
import { PGliteThread, type EmbeddedDatabase } from '../../src/db/pglite-thread.ts';

/** Threads kept idle per test process (a file may hold two databases at once). */
const KEEP = 2;
/** Longer than emptying takes on a busy machine; a thread still busy by then (a transaction left open) is closed instead. */
const RESET_MS = 5_000;

const RESET = `DO $$
DECLARE s record;
BEGIN
  EXECUTE (SELECT 'TRUNCATE ' || string_agg(format('%I', tablename), ', ') || ' RESTART IDENTITY CASCADE'
           FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations');
  FOR s IN SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() LOOP
    EXECUTE format('ALTER SEQUENCE %I RESTART', s.sequencename);
  END LOOP;
END $$`;

/** What a test could change in a database other than its rows, as one hash. */
const FINGERPRINT = `SELECT md5(string_agg(x, E'\\n' ORDER BY x)) AS fp FROM (
  SELECT 'rel:' || c.relname || ':' || c.relkind::text || ':' || coalesce(c.relacl::text, '') || ':' || c.relrowsecurity::text AS x
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  UNION ALL SELECT 'col:' || a.attrelid::regclass::text || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod) || ':' || a.attnotnull::text || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = current_schema()::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL SELECT 'con:' || conrelid::regclass::text || ':' || conname || ':' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
  UNION ALL SELECT 'idx:' || indexrelid::regclass::text || ':' || pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = current_schema()::regnamespace)
  UNION ALL SELECT 'trg:' || tgrelid::regclass::text || ':' || tgname || ':' || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL SELECT 'fn:' || p.oid::regprocedure::text || ':' || md5(p.prosrc) FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace
  UNION ALL SELECT 'seq:' || sequencename || ':' || start_value::text || ':' || increment_by::text FROM pg_sequences WHERE schemaname = current_schema()
  UNION ALL SELECT 'migration:' || migration_name || ':' || checksum || ':' || coalesce(finished_at::text, '') || ':' || coalesce(rolled_back_at::text, '') FROM _prisma_migrations
  UNION ALL SELECT 'role:' || rolname || ':' || rolsuper::text || ':' || rolcanlogin::text FROM pg_roles
  UNION ALL SELECT 'ext:' || extname || ':' || extversion FROM pg_extension
  UNION ALL SELECT 'setting:' || setdatabase::text || ':' || setrole::text || ':' || array_to_string(setconfig, ',') FROM pg_db_role_setting
  UNION ALL SELECT 'schema:' || nspname FROM pg_namespace
) f`;

async function fingerprint(db: EmbeddedDatabase): Promise<string> {
  const [row] = (await db.query<{ fp: string }>(FINGERPRINT)).rows;
  return row!.fp;
}

/** The snapshot's fingerprint, taken from the first thread this process opened, before it was lent. */
let asMade: string | null = null;
const idle: PGliteThread[] = [];

function closedError(): Error {
  return new Error('the embedded database is closed');
}

/** A file's hold on a thread: its calls, until it closes the database; then every call fails as on a closed thread. */
class Lent implements EmbeddedDatabase {
  private returned: Promise<void> | null = null;

  constructor(
    private readonly thread: PGliteThread,
    private readonly giveBack: () => Promise<void>,
  ) {}

  get closed(): boolean {
    return this.returned !== null || this.thread.closed;
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.returned ? Promise.reject(closedError()) : this.thread.query<T>(sql, params, options);
  }

  exec(sql: string): Promise<Results[]> {
    return this.returned ? Promise.reject(closedError()) : this.thread.exec(sql);
  }

  transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.returned ? Promise.reject(closedError()) : this.thread.transaction(callback);
  }

  dumpDataDir(compression?: 'none' | 'gzip' | 'auto'): Promise<File | Blob> {
    return this.returned ? Promise.reject(closedError()) : this.thread.dumpDataDir(compression);
  }

  close(): Promise<void> {
    this.returned ??= this.giveBack();
    return this.returned;
  }
}

/** Empty the thread back to the snapshot and keep it for the next file, or close it when that cannot be shown. */
async function giveBack(thread: PGliteThread): Promise<void> {
  if (thread.closed) return;
  let timer: NodeJS.Timeout | undefined;
  const emptied = (async () => {
    await thread.exec(RESET);
    await thread.exec('DISCARD ALL');
    return (await fingerprint(thread)) === asMade;
  })().catch(() => false);
  const asBefore = await Promise.race([emptied, new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), RESET_MS)))]);
  clearTimeout(timer);
  if (asBefore && !thread.closed && idle.length < KEEP) idle.push(thread);
  else await thread.close();
}

/** An embedded database as the migrated snapshot made it: a thread kept from an earlier file, emptied, or a new one. */
export async function lendEmbedded(snapshot: Blob): Promise<Database> {
  let thread = idle.pop();
  if (!thread) {
    thread = await PGliteThread.open({ loadDataDir: snapshot });
    asMade ??= await fingerprint(thread);
  }
  const held = thread;
  return embedded(new Lent(held, () => giveBack(held)), 'embedded database (in memory)');
}
