// Embedded test databases lent to file after file. A PGlite thread is opened from the migrated
// snapshot when a test process first needs one; when the file closes its database, the thread is
// emptied back to the snapshot — the session discarded first (so a search_path the file set cannot
// redirect what follows), every table of the snapshot's schema that holds a row truncated, every
// sequence used restarted — and lent to the next file. Opening a thread costs about half a
// CPU-second (a WebAssembly instance, PostgreSQL's start, 40 MB of snapshot unpacked); emptying one
// about a twentieth. A thread is lent again only when it is provably as the snapshot left it: no row
// in any table and no sequence used, no catalogue row written since it was opened but the ones
// emptying writes (pg_class's new files and pg_sequence's restarts), and those two as they were (the
// fingerprint below) — and only if all that finished in time. Otherwise it is closed and the next
// file gets a new one. A file's database refuses every call once closed, whatever the thread goes on to do.
import type { QueryOptions, Results, Transaction } from '@electric-sql/pglite';
import { embedded, type Database } from '../../src/db/database.ts';
import { PGliteThread, type EmbeddedDatabase } from '../../src/db/pglite-thread.ts';
import { within } from '../../src/within.ts';

/** Threads kept idle per snapshot and test process (a file may hold two databases at once). */
const KEEP = 2;
/** Longer than emptying takes on a busy machine; a thread still busy by then (a transaction left open) is closed instead. */
const RESET_MS = 2_000;
/** How long a thread that could not be emptied is given to close before it is stopped as it is. */
const CLOSE_MS = 500;

/**
 * Every table of the schema that holds a row (but the migration history) truncated, every sequence used
 * restarted. `$schema$`: the snapshot's. A table left empty is not truncated: that would give it a new
 * file for nothing, and most files write to a handful of the tables.
 */
const RESET = `DO $$
DECLARE t record; s record; found boolean; written text[] := '{}';
BEGIN
  FOR t IN SELECT schemaname, tablename FROM pg_tables WHERE schemaname = $schema$ AND tablename <> '_prisma_migrations' LOOP
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', t.schemaname, t.tablename) INTO found;
    IF found THEN written := written || format('%I.%I', t.schemaname, t.tablename); END IF;
  END LOOP;
  IF cardinality(written) > 0 THEN EXECUTE 'TRUNCATE ' || array_to_string(written, ', ') || ' CASCADE'; END IF;
  FOR s IN SELECT schemaname, sequencename FROM pg_sequences WHERE schemaname = $schema$ AND last_value IS NOT NULL LOOP
    EXECUTE format('ALTER SEQUENCE %I.%I RESTART', s.schemaname, s.sequencename);
  END LOOP;
END $$`;

/** No row in any table of the snapshot's schema but the migration history, and no sequence used. */
const EMPTY = `DO $$
DECLARE t record; found boolean;
BEGIN
  FOR t IN SELECT schemaname, tablename FROM pg_tables WHERE schemaname = $schema$ AND tablename <> '_prisma_migrations' LOOP
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', t.schemaname, t.tablename) INTO found;
    IF found THEN RAISE EXCEPTION 'rows left in %', t.tablename; END IF;
  END LOOP;
  IF EXISTS (SELECT 1 FROM pg_sequences WHERE schemaname = $schema$ AND last_value IS NOT NULL) THEN RAISE EXCEPTION 'a sequence used'; END IF;
END $$`;

/** A catalogue table written to since transaction `$since$`, other than the two emptying writes (checked by FINGERPRINT). */
const CATALOGUE_WRITTEN = `DO $$
DECLARE c record; found boolean;
BEGIN
  FOR c IN SELECT relname FROM pg_class WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r' AND relname NOT IN ('pg_class', 'pg_sequence') LOOP
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM pg_catalog.%I WHERE xmin::text::bigint >= $since$)', c.relname) INTO found;
    IF found THEN RAISE EXCEPTION '% written', c.relname; END IF;
  END LOOP;
END $$`;

/** What a file could change in the rows emptying also writes (pg_class, pg_sequence), and the migration history, as one hash. */
const FINGERPRINT = `SELECT md5(string_agg(x, E'\\n' ORDER BY x)) AS fp FROM (
  SELECT 'rel:' || c.oid::regclass::text || ':' || concat_ws(':', c.relkind, c.relowner, c.relpersistence, c.relhasrules, c.relhastriggers,
         c.relrowsecurity, c.relforcerowsecurity, c.relreplident, c.relacl::text, c.reloptions::text, c.relnatts, c.reltype) AS x
    FROM pg_class c WHERE c.relnamespace NOT IN ('pg_catalog'::regnamespace, 'pg_toast'::regnamespace, 'information_schema'::regnamespace)
  UNION ALL SELECT 'seq:' || seqrelid::regclass::text || ':' || concat_ws(':', seqtypid, seqstart, seqincrement, seqmax, seqmin, seqcache, seqcycle) FROM pg_sequence
  UNION ALL SELECT 'migration:' || concat_ws(':', id, migration_name, checksum, finished_at, rolled_back_at, logs, applied_steps_count) FROM _prisma_migrations
) f`;

const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

async function one<T>(db: EmbeddedDatabase, sql: string): Promise<T> {
  return (await db.query<T>(sql)).rows[0]!;
}

/** A thread of this process, and the transaction it was at when opened: a catalogue row written at or after it was written by a test. */
interface Held {
  thread: PGliteThread;
  since: bigint;
}

/** One snapshot's threads in this process: idle ones, and the snapshot as a fresh one shows it. */
interface Pool {
  idle: Held[];
  /** Taken from the first thread opened, before it was lent. */
  asMade: Promise<{ fingerprint: string; schema: string }>;
}

const pools = new Map<Blob, Pool>();

async function open(snapshot: Blob): Promise<Held> {
  const thread = await PGliteThread.open({ loadDataDir: snapshot });
  return { thread, since: BigInt((await one<{ xid: string }>(thread, 'SELECT txid_current()::text AS xid')).xid) };
}

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

/** Empty the thread back to the snapshot and show it is as the snapshot left it. */
async function emptied({ thread, since }: Held, made: Pool['asMade']): Promise<boolean> {
  const asMade = await made;
  const schema = quoted(asMade.schema);
  await thread.exec('DISCARD ALL');
  await thread.exec(RESET.replaceAll('$schema$', schema));
  await thread.exec(EMPTY.replaceAll('$schema$', schema));
  await thread.exec(CATALOGUE_WRITTEN.replace('$since$', since.toString()));
  return (await one<{ fp: string }>(thread, FINGERPRINT)).fp === asMade.fingerprint;
}

/** Keep the thread for the next file when it is shown to be as the snapshot left it; close it otherwise. */
async function giveBack(pool: Pool, held: Held): Promise<void> {
  if (held.thread.closed) return;
  const asBefore = await within(emptied(held, pool.asMade).catch(() => false), RESET_MS, false);
  if (asBefore && !held.thread.closed && pool.idle.length < KEEP) pool.idle.push(held);
  else await held.thread.close(CLOSE_MS);
}

/** An embedded database as the snapshot made it: a thread kept from an earlier file, emptied, or a new one. */
export async function lendEmbedded(snapshot: Blob): Promise<Database> {
  let pool = pools.get(snapshot);
  let held: Held | undefined;
  if (!pool) {
    // Made at once, so that two databases asked for together share it.
    const first = open(snapshot);
    const asMade = first.then(async ({ thread }) => ({
      fingerprint: (await one<{ fp: string }>(thread, FINGERPRINT)).fp,
      schema: (await one<{ schema: string }>(thread, 'SELECT current_schema() AS schema')).schema,
    }));
    pools.set(snapshot, (pool = { idle: [], asMade }));
    try {
      [held] = await Promise.all([first, asMade]);
    } catch (e) {
      pools.delete(snapshot);
      throw e;
    }
  }
  while (!held) {
    const idle = pool.idle.pop();
    held = !idle ? await open(snapshot) : idle.thread.closed ? undefined : idle;
  }
  const [from, lent] = [pool, held];
  return embedded(new Lent(lent.thread, () => giveBack(from, lent)), 'embedded database (in memory)');
}
