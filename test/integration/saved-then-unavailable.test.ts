// A value saved just before the database stopped answering: the person hears that it is saved (with
// no status), never "not saved" — a wrong "not saved" makes them send it again, or give up on a
// value that is in the quarterly report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestClock, withDemo } from '../support/app.ts';
import { createServices } from '../../src/wiring.ts';
import { createDispatcher } from '../../commands/dispatch.ts';
import { silentLogger } from '../../src/log.ts';
import type { Actor, ChartRenderer, CommandDeps, DocumentRenderer, Repository } from '../../src/ports.ts';

const noCharts: ChartRenderer = { render: async () => Buffer.alloc(0) } as unknown as ChartRenderer;
const noDocuments: DocumentRenderer = {} as unknown as DocumentRenderer;
/** What pg says when the server is shutting down. */
const shutDown = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

describe('a value saved just before the database stopped answering', () => {
  let db: TestDatabase;
  let deps: CommandDeps;
  let lucy: Actor;
  let down = false;
  const clock = new TestClock(new Date('2018-02-01T09:00:00Z'));

  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    await withDemo(db);
    const services = createServices({ prisma: db.prisma, clock, log: silentLogger, platforms: [], charts: noCharts, documents: noDocuments });
    // Every read fails once the save has gone through, as when the server goes down right after a commit.
    const repo = new Proxy(services.deps.repo, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        return async (...args: unknown[]) => {
          if (down) throw shutDown();
          const r = await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (prop === 'saveObservation') down = true;
          return r;
        };
      },
    }) as Repository;
    deps = { ...services.deps, repo };
    lucy = { platform: 'slack', userId: 'U-LUCY', person: await services.repo.personByEmail('lucy.chambers@trafford.example') };
    expect(lucy.person).not.toBeNull();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('is answered "saved", not "not saved", and is stored once', async () => {
    const r = await createDispatcher(deps, { databaseRetry: { budgetMs: 300 } }).slash(lucy, 'submit sickness-absence 2017/18 Q4 10.6');
    const said = JSON.stringify(r);
    expect(said).toContain('✅ Saved');
    expect(said).not.toContain('Not saved');
    expect(said).toContain('/kpi show sickness-absence');
    const ind = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'sickness-absence' } });
    const stored = await db.prisma.observation.findMany({ where: { indicatorId: ind.id, periodKey: '2017/18 Q4' } });
    expect(stored.map((o) => o.value.toNumber())).toEqual([10.6]);
  });
});
