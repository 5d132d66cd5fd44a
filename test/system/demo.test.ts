// The demo organisation loads the published Trafford 2017/18 Q3 figures, and loading it again changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, resetDemo } from '../../src/demo/demo.ts';
import { backends, createTestDatabase, restoreDemoRows, type TestDatabase } from '../support/db.ts';
import { captureDemoRows } from '../support/demo-rows.ts';
import { withDemo } from '../support/app.ts';

const AT = new Date('2018-02-01T09:00:00Z');

describe.each(backends('pglite'))('demo organisation on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
  });
  afterAll(() => db?.close());

  it('loads every published indicator with owners, directors and exception reports', async () => {
    const s = await loadDemo(db.prisma, AT);
    expect(s.indicators.created).toBe(49);
    expect(s.themes.created).toBe(6);
    expect(s.exceptionReports.created).toBe(12);
    expect(await db.prisma.indicator.count({ where: { ownerId: null } })).toBe(0);
    expect(await db.prisma.theme.count({ where: { directorId: null } })).toBe(0);
    const street = await db.prisma.target.findFirstOrThrow({ where: { indicator: { slug: 'street-cleanliness' } } });
    expect([street.periodKey, street.value?.toNumber(), street.amberFloor?.toNumber()]).toEqual(['2017/18 Q3', 85, 82]);
  });

  it('changes nothing when loaded again', async () => {
    const before = await db.prisma.observation.count();
    const s = await loadDemo(db.prisma, new Date('2018-03-01T09:00:00Z'));
    expect(s.indicators).toEqual({ created: 0, updated: 0, unchanged: 49 });
    expect(s.observations.created + s.observations.corrected).toBe(0);
    expect(s.people).toEqual({ created: 0, updated: 0 });
    expect(await db.prisma.observation.count()).toBe(before);
    // Its two directors' commentary, once: the same text again is no new version.
    expect((await db.prisma.commentary.findMany({ orderBy: { id: 'asc' } })).map((c) => [c.periodKey, c.version, c.state])).toEqual([
      ['2017/18 Q3', 1, 'submitted'],
      ['2017/18 Q3', 1, 'submitted'],
    ]);
  });

  it('resets to the demo and nothing else', async () => {
    await db.prisma.person.create({ data: { displayName: 'Extra Person', email: 'extra@example.org' } });
    await resetDemo(db.prisma, AT);
    expect(await db.prisma.person.count({ where: { email: 'extra@example.org' } })).toBe(0);
    expect(await db.prisma.indicator.count()).toBe(49);
  });
});

describe.each(backends('both'))('the demo written into test files on %s', (backend) => {
  let loaded: TestDatabase;
  let written: TestDatabase;
  beforeAll(async () => {
    [loaded, written] = await Promise.all([createTestDatabase(backend), createTestDatabase(backend)]);
  });
  afterAll(async () => {
    await loaded?.close();
    await written?.close();
  });

  /** Every table's rows and every sequence; what the clock of the machine stamped (created_at, updated_at) left out. */
  async function contents(db: TestDatabase) {
    const rows = await captureDemoRows((sql) => db.prisma.$queryRawUnsafe(sql));
    const stamped = /^20[2-9]\d-\d\d-\d\dT/;
    const tables = rows.tables.map((t) => {
      const list = (JSON.parse(t.rows) as Record<string, unknown>[]).map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && stamped.test(v) ? '(now)' : v])));
      return { name: t.name, rows: list.sort() };
    });
    return { tables, sequences: rows.sequences };
  }

  it('writes, in one script, exactly the rows loading the demo writes, and only into a fresh database', async () => {
    await loadDemo(loaded.prisma, AT);
    expect(await restoreDemoRows(written)).toBe(true);
    const [a, b] = [await contents(loaded), await contents(written)];
    expect(a.tables.map((t) => t.name)).toContain('indicator');
    expect(b).toEqual(a);
    // A database with rows of its own gets the demo loaded over them instead (as a first start would not).
    expect(await restoreDemoRows(loaded)).toBe(false);
    await withDemo(loaded);
    expect(await contents(loaded)).toEqual(a);
  });
});
