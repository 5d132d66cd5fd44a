// The Repository port on each backend the contract tests hold to the same cases: in memory, on
// PGlite and on PostgreSQL (those two as KPI_TEST_BACKENDS allows), each with its outbox, and what a
// test needs to look behind the port: the audit log, and saying how a queued message went.
import { afterAll, beforeAll } from 'vitest';
import type { AuditEntry, Clock, Outbox, Repository } from '../../src/ports.ts';
import { silentLogger } from '../../src/log.ts';
import { PrismaRepository } from '../../src/repo/prisma-repository.ts';
import { MemoryRepository } from './memory/repository.ts';
import { PrismaOutbox } from '../../src/outbox/outbox.ts';
import { MemoryOutbox } from './memory/outbox.ts';
import { PeopleDirectory } from '../../src/people/directory.ts';
import { backends, createTestDatabase, type Backend } from './db.ts';

export type RepositoryBackend = 'memory' | Backend;

/** Memory (beside PGlite: a PostgreSQL-only run has had it already), then the databases this run tests against. */
export const repositoryBackends = (): RepositoryBackend[] => {
  const dbs = backends('both');
  return dbs.includes('pglite') ? ['memory', ...dbs] : dbs;
};

export interface RepositoryUnderTest {
  backend: RepositoryBackend;
  repo: Repository;
  /** Delivers on Slack; people not linked there are unreachable (nobody to look them up). */
  outbox: Outbox;
  /** The audit log, oldest first. */
  auditLog(): Promise<AuditEntry[]>;
  /** What the outbox sender did with a queued message. */
  delivered(key: string, outcome: { state: 'sent'; at: Date } | { state: 'dead'; error: string }): Promise<void>;
  /**
   * Where a text turns up, whatever its case: "table.column" (memory: "table") of every row of every
   * table whose text, JSON or text[] holds it — read from the tables themselves, not the port.
   */
  textFound(text: string): Promise<string[]>;
  close(): Promise<void>;
}

const directoryFor = (repo: Repository) => new PeopleDirectory({ repo, platforms: ['slack'], finders: [], holder: 'test', log: silentLogger });

export async function openRepository(backend: RepositoryBackend, clock: Clock): Promise<RepositoryUnderTest> {
  if (backend === 'memory') {
    const repo = new MemoryRepository({ clock });
    const outbox = new MemoryOutbox(repo.store, repo, directoryFor(repo));
    const textFound = async (text: string) =>
      Object.entries(repo.store.t).flatMap(([table, rows]) => (Array.isArray(rows) ? rows : [rows]).filter((row) => JSON.stringify(row ?? null).toLowerCase().includes(text.toLowerCase())).map(() => table));
    return { backend, repo, outbox, auditLog: async () => repo.auditLog(), delivered: async (key, o) => outbox.record(key, o), textFound, close: async () => {} };
  }
  const db = await createTestDatabase(backend);
  const repo = new PrismaRepository(db.prisma);
  return {
    backend,
    repo,
    outbox: new PrismaOutbox(db.prisma, repo, directoryFor(repo)),
    async auditLog() {
      const rows = await db.prisma.auditLog.findMany({ orderBy: { id: 'asc' } });
      return rows.map((r) => ({ at: r.at, actorId: r.actorId, actorLabel: r.actorLabel, action: r.action, entity: r.entity, entityId: r.entityId, details: r.details }));
    },
    async delivered(key, o) {
      await db.prisma.outboundMessage.update({
        where: { idempotencyKey: key },
        data: o.state === 'sent' ? { state: 'sent', sentAt: o.at, lastError: null, attempts: { increment: 1 } } : { state: 'dead', lastError: o.error, attempts: { increment: 1 } },
      });
    },
    async textFound(text) {
      const columns = await db.prisma.$queryRaw<{ table_name: string; column_name: string }[]>`
        SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND udt_name IN ('text', 'varchar', 'bpchar', 'json', 'jsonb', '_text', '_varchar')
        ORDER BY table_name, column_name`;
      // Every column counted in one statement: a query per column made this a few hundred round trips a search.
      const counts = columns.map((c) => `SELECT '${c.table_name}.${c.column_name}' AS at, count(*)::int AS n FROM "${c.table_name}" WHERE "${c.column_name}"::text ILIKE $1`);
      const rows = await db.prisma.$queryRawUnsafe<{ at: string; n: number }[]>(counts.join(' UNION ALL '), `%${text}%`);
      return rows.flatMap((r) => Array.from({ length: r.n }, () => r.at));
    },
    close: () => db.close(),
  };
}

/** For a describe block: the repository on a backend, opened before its tests and closed after. */
export function useRepository(backend: RepositoryBackend, clock: Clock): RepositoryUnderTest {
  const ctx = {} as RepositoryUnderTest;
  let opened: RepositoryUnderTest | undefined;
  beforeAll(async () => {
    opened = await openRepository(backend, clock);
    Object.assign(ctx, opened);
  });
  afterAll(async () => {
    await opened?.close();
  });
  return ctx;
}
