// The embedded database on its own thread (src/db/pglite-thread.ts): what the Prisma adapter,
// migrations and bulk loads rely on, as PGlite itself gives it — rows and parameters, PostgreSQL's
// error fields, transactions that commit or roll back, the small buffer pool, and a clear error
// once the thread is gone.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { messages, types } from '@electric-sql/pglite';
import { PGliteThread } from '../../src/db/pglite-thread.ts';

describe('PGlite on its own thread', () => {
  let db: PGliteThread;
  beforeAll(async () => {
    db = await PGliteThread.open({ loadDataDir: new Blob([readFileSync(inject('pgliteDump'))]) });
    await db.exec('CREATE TABLE t (id int PRIMARY KEY, n bigint, label text)');
  });
  afterAll(() => db?.close());

  it('runs queries with parameters, applying the caller parsers on this side', async () => {
    await db.query('INSERT INTO t VALUES ($1, $2, $3), ($4, $5, $6)', [1, '9007199254740993', 'one', 2, '5', 'two']);
    const plain = await db.query<{ id: number; n: string }>('SELECT id, n::text AS n FROM t ORDER BY id');
    expect(plain.rows).toEqual([{ id: 1, n: '9007199254740993' }, { id: 2, n: '5' }]);
    const parsed = await db.query<[number, bigint]>('SELECT id, n FROM t ORDER BY id', [], { rowMode: 'array', parsers: { [types.INT8]: (v: string) => BigInt(v) } });
    expect(parsed.rows).toEqual([[1, 9007199254740993n], [2, 5n]]);
  });

  it("keeps PostgreSQL's error fields across the thread", async () => {
    const e = await db.query('INSERT INTO t VALUES (1, 1, $1)', ['again']).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(messages.DatabaseError);
    expect(e).toMatchObject({ code: '23505', constraint: 't_pkey', table: 't' });
  });

  it('commits a transaction that returns and rolls back one that throws', async () => {
    const n = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (3, 3, $1)', ['three']);
      return (await tx.query<{ c: number }>('SELECT count(*)::int AS c FROM t')).rows[0]!.c;
    });
    expect(n).toBe(3);
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (4, 4, $1)', ['four']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await db.query<{ id: number }>('SELECT id FROM t ORDER BY id')).rows.map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it('runs with a 32 MB buffer pool, not the default 128 MB', async () => {
    expect((await db.query<{ shared_buffers: string }>('SHOW shared_buffers')).rows[0]!.shared_buffers).toBe('32MB');
  });

  it('answers every call once closed with a clear error', async () => {
    // From the migrated snapshot, as every test database is: a fresh initdb would cost seconds here.
    const other = await PGliteThread.open({ loadDataDir: new Blob([readFileSync(inject('pgliteDump'))]) });
    await other.close();
    expect(other.closed).toBe(true);
    await expect(other.query('SELECT 1')).rejects.toThrow(/embedded database stopped/);
  });

  it('stops a thread stuck in a transaction that never ends once the close has waited its deadline', async () => {
    const stuck = await PGliteThread.open({ loadDataDir: new Blob([readFileSync(inject('pgliteDump'))]) });
    void stuck.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await new Promise(() => {});
    });
    // Without the deadline this close would wait for ever (the test's own timeout would fail it).
    await stuck.close(200);
    await expect(stuck.query('SELECT 1')).rejects.toThrow(/embedded database stopped/);
  });
});
