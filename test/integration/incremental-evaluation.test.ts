// Incremental evaluate-statuses on a real database, run the way an administrator runs it
// (`kpi job evaluate-statuses`): after the first run only what changed is evaluated — a value, a
// target, an indicator's setting — everything when the organisation's settings change or with
// --full, and, on a new day, the indicators whose period fell due or whose value's period began.
// The triggers record the changes, whatever wrote them. Runs on PGlite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { withDemo } from '../support/app.ts';
import { runKpi } from '../support/cli.ts';
import { saveValue } from '../support/builders.ts';
import { periodFromKey } from '../../src/domain/periods.ts';
import { PrismaRepository } from '../../src/repo/prisma-repository.ts';

const DEMO_INDICATORS = 49;

describe.each(backends('both'))('incremental evaluation on %s', (backend) => {
  let db: TestDatabase;
  let all: number;
  let cleanliness: number;

  /** One run as of `now` (UTC); its summary. */
  async function evaluate(now: string, ...flags: string[]): Promise<{ evaluated: number; changes: number; scope: string }> {
    const r = await runKpi(db, ['job', 'evaluate-statuses', '--no-send', '--now', now, ...flags]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(/: (\{.*\})/.exec(r.stdout)![1]!);
  }
  const lastChange = (indicatorId: number) => db.prisma.statusChange.findFirstOrThrow({ where: { indicatorId }, orderBy: { id: 'desc' } });
  const period = (key: string) => {
    const p = periodFromKey(key);
    return { periodKey: key, periodStart: new Date(p.start), periodEnd: new Date(p.end) };
  };

  beforeAll(async () => {
    db = await createTestDatabase(backend);
    await withDemo(db, new Date('2018-01-30T09:00:00Z'));
    // Quarterly, reported 32 days after the quarter: 2017/18 Q3 falls due on 1 February 2018 (no
    // demo indicator falls due that day).
    await db.prisma.indicator.create({ data: { slug: 'falls-due', name: 'Falls due on 1 Feb', polarity: 'higher', frequency: 'quarterly', reportingLagDays: 32, aggregation: 'snapshot', unit: 'number' } });
    // Monthly, with a value already there for February (saved before such values were refused):
    // left out until February begins.
    const early = await db.prisma.indicator.create({ data: { slug: 'value-ahead', name: 'Value ahead', polarity: 'higher', frequency: 'monthly', reportingLagDays: 30, aggregation: 'snapshot', unit: 'number' } });
    for (const [key, value] of [['2017-12', 40], ['2018-01', 50], ['2018-02', 10]] as const) {
      await db.prisma.observation.create({ data: { indicatorId: early.id, ...period(key), value, source: 'test', submittedAt: new Date('2018-01-30T09:00:00Z') } });
    }
    await db.prisma.target.create({ data: { indicatorId: early.id, ...period('2017/18'), value: 45 } });
    all = await db.prisma.indicator.count({ where: { active: true } });
    cleanliness = (await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'street-cleanliness' } })).id;
  });
  afterAll(async () => {
    await db?.close();
  });

  it('evaluates every indicator on the first run, and none on a repeat with nothing changed', async () => {
    expect(all).toBe(DEMO_INDICATORS + 2);
    expect(await evaluate('2018-01-31T09:00')).toMatchObject({ evaluated: all, scope: 'full: first run' });
    expect(await evaluate('2018-01-31T09:30')).toMatchObject({ evaluated: 0, changes: 0, scope: 'changed' });
  });

  it('evaluates an indicator whose value changed, and only that one', async () => {
    await saveValue(new PrismaRepository(db.prisma), new Date('2018-01-31T10:00:00Z'), 'street-cleanliness', '2017/18 Q3', 80.5);
    expect(await evaluate('2018-01-31T10:05')).toMatchObject({ evaluated: 1, changes: 1, scope: 'changed' });
    expect(await lastChange(cleanliness)).toMatchObject({ periodKey: '2017/18 Q3', status: 'red' });
    expect(await evaluate('2018-01-31T10:10')).toMatchObject({ evaluated: 0 });
  });

  it('evaluates an indicator whose target changed, written by hand in SQL', async () => {
    // Whatever writes the change is seen: here SQL typed by an administrator, not the bot.
    await db.prisma.$executeRaw`UPDATE target SET value = 50 WHERE indicator_id = ${cleanliness}`;
    expect(await evaluate('2018-01-31T11:00')).toMatchObject({ evaluated: 1, changes: 1 });
    expect(await lastChange(cleanliness)).toMatchObject({ status: 'green' });
  });

  it('evaluates an indicator whose own setting changed', async () => {
    await db.prisma.indicator.update({ where: { id: cleanliness }, data: { polarity: 'lower' } });
    expect(await evaluate('2018-01-31T12:00')).toMatchObject({ evaluated: 1, changes: 1 });
    // 80.5 against a target of 50, lower now better: no longer green.
    expect((await lastChange(cleanliness)).status).not.toBe('green');
  });

  it("evaluates everything when the organisation's settings change", async () => {
    await db.prisma.organisation.update({ where: { id: 1 }, data: { toleranceValue: 12 } });
    expect(await evaluate('2018-01-31T13:00')).toMatchObject({ evaluated: all, scope: 'full: settings changed' });
    expect(await evaluate('2018-01-31T13:30')).toMatchObject({ evaluated: 0, scope: 'changed' });
  });

  it('on a new day evaluates the indicators whose period fell due or whose value period began', async () => {
    expect(await evaluate('2018-01-31T20:00')).toMatchObject({ evaluated: 0 });
    const ahead = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'value-ahead' } });
    expect(await lastChange(ahead.id)).toMatchObject({ periodKey: '2018-01' });
    // 1 February: falls-due's quarter is due, and February (value-ahead's next value) has begun.
    expect(await evaluate('2018-02-01T08:00')).toMatchObject({ evaluated: 2, changes: 1, scope: 'changed' });
    expect(await lastChange(ahead.id)).toMatchObject({ periodKey: '2018-02', status: 'red' });
    expect(await evaluate('2018-02-01T08:30')).toMatchObject({ evaluated: 0 });
  });

  it('evaluates everything with --full, and once a day without it', async () => {
    expect(await evaluate('2018-02-01T09:00', '--full')).toMatchObject({ evaluated: all, changes: 0, scope: 'full: asked' });
    expect(await evaluate('2018-02-02T08:59')).toMatchObject({ evaluated: 0, scope: 'changed' });
    expect(await evaluate('2018-02-02T09:00')).toMatchObject({ evaluated: all, scope: 'full: daily' });
  });

  it('refuses --full for another job', async () => {
    const r = await runKpi(db, ['job', 'chase-data', '--full', '--no-send', '--now', '2018-02-02T10:00']);
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toContain('--full is for evaluate-statuses');
  });
});
