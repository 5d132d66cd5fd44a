// `kpi import` end to end on both databases: the fixture JSON, the sample CSV and workbook, broken
// spreadsheets (every broken row reported, nothing written), re-imports that change nothing,
// values in signed-off quarters (refused unless a performance admin gives a reason; audited), and a
// workbook as a council keeps it (title rows, "M" cells, years of gaps) with every problem in one round.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { runKpi } from '../support/cli.ts';
import { councilWorkbook, csv, xlsx, fileWriter } from '../support/workbooks.ts';
import { PrismaRepository } from '../../src/repo/prisma-repository.ts';
import { evaluateIndicator } from '../../src/services/evaluation.ts';
import { deep } from '../support/depth.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/trafford-2017-18-q3.json');
const { file } = fileWriter('kpi-import-');

/** Everything an import could touch: row counts per table, observation versions, audit entries. */
async function snapshot(db: TestDatabase) {
  const p = db.prisma;
  const [indicators, targets, observations, people, themes, reports, audit, versions, updated] = await Promise.all([
    p.indicator.count(),
    p.target.count(),
    p.observation.count(),
    p.person.count(),
    p.theme.count(),
    p.exceptionReport.count(),
    p.auditLog.count(),
    p.observation.aggregate({ _max: { version: true }, _sum: { version: true } }),
    p.indicator.aggregate({ _max: { updatedAt: true } }),
  ]);
  return { indicators, targets, observations, people, themes, reports, audit, maxVersion: versions._max.version, sumVersion: versions._sum.version, lastUpdate: updated._max.updatedAt };
}

describe.each(backends('pglite'))('kpi import on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
  });
  afterAll(() => db?.close());

  it('imports the Trafford 2017/18 Q3 fixture, and importing it again changes nothing', async () => {
    const first = await runKpi(db, ['import', FIXTURE]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Imported');
    expect(first.stdout).toContain('Indicators: 49 created');
    expect(first.stdout).toContain('Exception reports: 12 created');
    const before = await snapshot(db);
    expect(before).toMatchObject({ indicators: 49, reports: 12, audit: 1, maxVersion: 1 });

    const again = await runKpi(db, ['import', FIXTURE]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing changed');
    expect(again.stdout).toContain('Values: 44 unchanged');
    expect(await snapshot(db)).toEqual(before);
  });

  it('imports the sample CSV and then the sample workbook, each idempotent, with unknown people listed', async () => {
    const csvRun = await runKpi(db, ['import', path.join(ROOT, 'examples/register-sample.csv')]);
    expect(csvRun.code).toBe(0);
    expect(csvRun.stdout).toContain('Indicators: 8 created');
    expect(csvRun.stdout).toMatch(/Unknown people \(\d+\)/);
    expect(csvRun.stdout).toContain('emma.walsh@trafford.example — owner of council-tax-collection (register-sample.csv row 2)');
    const afterCsv = await snapshot(db);
    expect((await runKpi(db, ['import', path.join(ROOT, 'examples/register-sample.csv')])).stdout).toContain('nothing changed');
    expect(await snapshot(db)).toEqual(afterCsv);

    const xlsxRun = await runKpi(db, ['import', path.join(ROOT, 'examples/register-sample.xlsx')]);
    expect(xlsxRun.code).toBe(0);
    expect(xlsxRun.stdout).toContain('People: 10 created');
    expect(xlsxRun.stdout).not.toContain('Unknown people');
    const owner = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'reablement-91-days' }, select: { owner: { select: { email: true } }, theme: { select: { director: { select: { email: true } } } } } });
    expect(owner).toEqual({ owner: { email: 'olu.adeyemi@trafford.example' }, theme: { director: { email: 'sarah.whitfield@trafford.example' } } });
    const afterXlsx = await snapshot(db);
    expect((await runKpi(db, ['import', path.join(ROOT, 'examples/register-sample.xlsx')])).stdout).toContain('nothing changed');
    expect(await snapshot(db)).toEqual(afterXlsx);
  });

  it('reports every broken row of a spreadsheet and writes nothing', async () => {
    const before = await snapshot(db);
    const bytes = await xlsx({
      Indicators: [
        ['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Target 2025/26 Q3', 'Actual 2025/26 Q3'],
        ['fine-one', 'A valid row', '%', 'higher', 'Q', 80, 81],
        ['bad-polarity', 'Broken polarity', '%', 'sideways', 'Q', 80, 81],
        ['fine-two', 'Another valid row', 'number', 'lower', 'Q', 5, 4],
        ['bad-value', 'Broken value', '%', 'higher', 'Q', 80, 'eighty'],
        ['', '', '%', 'higher', 'fortnightly', null, null],
      ],
    });
    const r = await runKpi(db, ['import', file('broken.xlsx', bytes)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Nothing was written');
    expect(r.stdout).toContain('Indicators row 3, column Polarity: expected higher, lower or none');
    expect(r.stdout).toContain('Indicators row 5, column Actual 2025/26 Q3: expected a number');
    expect(r.stdout).toContain('Indicators row 6, column Name: expected the indicator’s name; the cell is empty');
    expect(r.stdout).toContain('Indicators row 6, column Frequency: expected monthly, quarterly');
    expect(r.stdout).not.toMatch(/row [24],/);
    expect(r.stderr).toContain('nothing was written');
    expect(await snapshot(db)).toEqual(before);
    expect(await db.prisma.indicator.count({ where: { slug: { in: ['fine-one', 'fine-two'] } } })).toBe(0);
  });

  it('says what a dry run would change and writes nothing', async () => {
    const before = await snapshot(db);
    const bytes = csv([
      ['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Actual 2025/26 Q1', 'Actual 2025/26 Q2'],
      ['council-tax-collection', 'Percentage of Council Tax collected', '%', 'higher', 'Q', '29.1%', '57.0%'],
    ]);
    const r = await runKpi(db, ['import', file('dry.csv', bytes), '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Dry run');
    expect(r.stdout).toContain('Values: 1 corrected, 1 unchanged');
    expect(await snapshot(db)).toEqual(before);
  });

  it('stores each indicator\'s direction of travel basis and maintained band (else the organisation\'s), evaluates with them, and re-imports unchanged', async () => {
    const head = ['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Aggregation', 'Baseline', 'Baseline period', 'DoT basis', 'Maintained band', 'Actual 2025/26 Q1', 'Actual 2025/26 Q2'];
    const rows = (band: string) => [
      head,
      ['families-turned-around', 'Families supported so far this year', 'number', 'higher', 'Q', 'cumulative', '104', '2024/25', 'baseline', band, '40', '44'],
      ['street-cleanliness-b', 'Land assessed Grade B or above', '%', 'higher', 'Q', 'snapshot', '83.1%', '2024/25', '', '', '87.5%', '83.8%'],
    ];
    const first = await runKpi(db, ['import', file('dot.csv', csv(rows('2%')))]);
    expect(first.code).toBe(0);
    const repo = new PrismaRepository(db.prisma);
    const families = (await repo.indicatorBySlug('families-turned-around'))!;
    expect([families.dotBasis, families.maintainedBand]).toEqual(['baseline', { kind: 'relative', percent: 2 }]);
    const listed = (await repo.indicators()).find((i) => i.slug === 'street-cleanliness-b')!;
    expect([listed.dotBasis, listed.maintainedBand]).toEqual([null, null]);
    const ev = evaluateIndicator(families, await repo.history(families.id), await repo.org());
    expect(ev.directionSentence).toBe("improving: 84 so far against 52 at this point on last year's pace (baseline 104 for 2024/25, pro rata 2 of 4 quarters)");

    const before = await snapshot(db);
    expect((await runKpi(db, ['import', file('dot.csv', csv(rows('2%')))])).stdout).toContain('nothing changed');
    expect(await snapshot(db)).toEqual(before);
    expect((await runKpi(db, ['import', file('dot.csv', csv(rows('equal')))])).stdout).toContain('Indicators: 1 updated');
    expect((await repo.indicatorBySlug('families-turned-around'))!.maintainedBand).toEqual({ kind: 'precision' });

    // The organisation's basis and band, for indicators that set none.
    expect(await repo.org()).toMatchObject({ dotBasis: 'previous', maintainedBand: { kind: 'precision' } });
    await repo.updateOrg({ dotBasis: 'baseline', maintainedBand: { kind: 'relative', percent: 2.5 } });
    expect(await repo.org()).toMatchObject({ dotBasis: 'baseline', maintainedBand: { kind: 'relative', percent: 2.5 } });
    const street = (await repo.indicatorBySlug('street-cleanliness-b'))!;
    expect(evaluateIndicator(street, await repo.history(street.id), await repo.org()).directionSentence).toBe('maintained at 83.8% (baseline 83.1% in 2024/25, within 2.5%)');
    await repo.updateOrg({ dotBasis: 'previous', maintainedBand: { kind: 'precision' } });
    expect(await repo.org()).toMatchObject({ dotBasis: 'previous', maintainedBand: { kind: 'precision' } });
  });

  it('keeps what a partial re-import does not mention: a sheet without the Theme, Reporting lag, Tolerance, Decimals, Key or Baseline columns changes none of them', async () => {
    const full = [
      ['Slug', 'Name', 'Theme', 'Unit', 'Polarity', 'Frequency', 'Reporting lag', 'Tolerance', 'Decimals', 'Key indicator', 'Baseline', 'Baseline period', 'DoT basis', 'Actual 2025/26 Q1'],
      ['missed-bins', 'Missed bin collections', 'Clean streets', 'number', 'lower', 'Q', '20', '10%', '2', 'yes', '120', '2024/25', 'baseline', '101'],
    ];
    expect((await runKpi(db, ['import', file('full.csv', csv(full))])).code).toBe(0);
    const repo = new PrismaRepository(db.prisma);
    const before = (await repo.indicatorBySlug('missed-bins'))!;
    expect(before).toMatchObject({ reportingLagDays: 20, tolerance: { kind: 'relative', value: 10 }, decimals: 2, isKey: true, dotBasis: 'baseline' });
    expect(before.themeId).not.toBeNull();

    // The quarter's figures, sent by someone who keeps only the columns they need.
    const partial = [
      ['Slug', 'Name', 'Polarity', 'Frequency', 'Actual 2025/26 Q2'],
      ['missed-bins', 'Missed bin collections', 'lower', 'Q', '97'],
    ];
    const again = await runKpi(db, ['import', file('partial.csv', csv(partial))]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Indicators: 1 unchanged');
    const after = (await repo.indicatorBySlug('missed-bins'))!;
    expect(after).toMatchObject({ reportingLagDays: 20, tolerance: { kind: 'relative', value: 10 }, decimals: 2, isKey: true, dotBasis: 'baseline', themeId: before.themeId, baseline: before.baseline });
    // A column that is there but empty still says what it says: no tolerance.
    const cleared = [
      ['Slug', 'Name', 'Polarity', 'Frequency', 'Tolerance'],
      ['missed-bins', 'Missed bin collections', 'lower', 'Q', ''],
    ];
    expect((await runKpi(db, ['import', file('cleared.csv', csv(cleared))])).stdout).toContain('Indicators: 1 updated');
    expect((await repo.indicatorBySlug('missed-bins'))!).toMatchObject({ tolerance: null, reportingLagDays: 20, decimals: 2 });
  });

  it('lists values that look unusual as warnings and writes them only with --accept-outliers', async () => {
    const history = ['Actual 2023/24 Q1', 'Actual 2023/24 Q2', 'Actual 2023/24 Q3', 'Actual 2023/24 Q4', 'Actual 2024/25 Q1'];
    const head = ['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', ...history];
    const first = await runKpi(db, ['import', file('absence.csv', csv([head, ['absence-days', 'Days lost to sickness', 'days', 'lower', 'Q', 10.2, 10.8, 11.2, 10.4, 10.6]]))]);
    expect(first.code).toBe(0);
    const before = await snapshot(db);
    const slipped = file('slipped.csv', csv([
      ['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Actual 2024/25 Q2', 'Actual 2024/25 Q3'],
      ['absence-days', 'Days lost to sickness', 'days', 'lower', 'Q', 84, 10.9],
    ]));
    const refused = await runKpi(db, ['import', slipped]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('Nothing was written');
    expect(refused.stdout).toContain('1 value looks unusual for its indicator');
    expect(refused.stdout).toContain('run the import again with --accept-outliers');
    expect(refused.stdout).toContain('Unusual values (1), not imported:');
    expect(refused.stdout).toContain('absence-days 2024/25 Q2: 84 days is 8× anything absence-days has had (10.2–11.2 days); did you mean 8.4 days?');
    expect(await snapshot(db)).toEqual(before);

    const accepted = await runKpi(db, ['import', slipped, '--accept-outliers']);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain('Values: 2 new');
    expect(accepted.stdout).toContain('Unusual values (1), imported as given:');
    const saved = await db.prisma.observation.findFirstOrThrow({ where: { indicator: { slug: 'absence-days' }, periodKey: '2024/25 Q2' } });
    expect(saved.value.toNumber()).toBe(84);
  });

  it('imports a register larger than one write batch, and again changes nothing', async () => {
    // A write batch is 1,000 indicators (src/register/write.ts): one and a half batches, or two and a half in a deep run.
    const count = deep() ? 2500 : 1500;
    const n = count.toLocaleString('en-GB');
    const rows: (string | number)[][] = [['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Target 2025/26 Q1', 'Actual 2024/25 Q4', 'Actual 2025/26 Q1']];
    for (let i = 1; i <= count; i++) rows.push([`bulk-${i}`, `Generated indicator ${i}`, '%', i % 2 ? 'higher' : 'lower', 'Q', 50, 40 + (i % 20), 45 + (i % 17)]);
    const big = file('big.csv', csv(rows));
    const r = await runKpi(db, ['import', big]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Indicators: ${n} created`);
    expect(r.stdout).toContain(`Values: ${(2 * count).toLocaleString('en-GB')} new`);
    // One in the second batch.
    const ind = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'bulk-1177' }, include: { observations: { orderBy: { periodStart: 'asc' } }, targets: true } });
    expect(ind.observations.map((o) => [o.periodKey, o.value.toNumber(), o.version, o.latest])).toEqual([['2024/25 Q4', 57, 1, true], ['2025/26 Q1', 45 + (1177 % 17), 1, true]]);
    expect(ind.targets.map((t) => [t.periodKey, t.value?.toNumber()])).toEqual([['2025/26 Q1', 50]]);
    expect(await db.prisma.indicator.count({ where: { slug: { startsWith: 'bulk-' } } })).toBe(count);
    const before = await snapshot(db);
    expect((await runKpi(db, ['import', big])).stdout).toContain(`Indicators: ${n} unchanged`);
    expect(await snapshot(db)).toEqual(before);
  });

  describe('values in a signed-off quarter', () => {
    const changed = () =>
      file('correction.csv', csv([
        ['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Actual 2025/26 Q1'],
        ['council-tax-collection', 'Percentage of Council Tax collected', '%', 'higher', 'Q', '29.3%'],
      ]));
    beforeAll(async () => {
      await new PrismaRepository(db.prisma).closePeriod({ periodKey: '2025/26 Q1', periodStart: '2025-04-01', periodEnd: '2025-06-30', closedById: null, actorLabel: 'test', at: new Date('2025-08-01T09:00:00Z') });
    });

    it('are refused, and nothing is written', async () => {
      const before = await snapshot(db);
      const r = await runKpi(db, ['import', changed()]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('1 value would change signed-off periods');
      expect(r.stdout).toContain('council-tax-collection 2025/26 Q1: the value differs from the one signed off in 2025/26 Q1');
      expect(await snapshot(db)).toEqual(before);
    });

    it('need a performance admin, not just a reason', async () => {
      const before = await snapshot(db);
      const noOne = await runKpi(db, ['import', changed(), '--reason', 'recount']);
      expect(noOne.code).toBe(1);
      expect(noOne.stderr).toContain('say which performance admin you are with --by');
      const officer = await runKpi(db, ['import', changed(), '--reason', 'recount', '--by', 'emma.walsh@trafford.example']);
      expect(officer.code).toBe(1);
      expect(officer.stderr).toContain('Only a performance admin can change values in signed-off periods');
      expect(await snapshot(db)).toEqual(before);
    });

    it('are written by a performance admin with a reason, and audited', async () => {
      const r = await runKpi(db, ['import', changed(), '--reason', 'Late direct debits reallocated', '--by', 'priya.shah@trafford.example']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('1 value in signed-off periods, each audited with the reason given');
      const versions = await db.prisma.observation.findMany({ where: { periodKey: '2025/26 Q1', indicator: { slug: 'council-tax-collection' } }, orderBy: { version: 'asc' } });
      expect(versions.map((v) => [v.version, v.value.toNumber(), v.latest, v.correctionReason, v.submittedByLabel])).toEqual([
        [1, 29.1, false, null, 'cli'],
        [2, 29.3, true, 'Late direct debits reallocated', 'cli:priya.shah@trafford.example'],
      ]);
      const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { action: 'observation.correct-locked' } });
      expect(audit.actorLabel).toBe('cli:priya.shah@trafford.example');
      expect(audit.details).toMatchObject({ slug: 'council-tax-collection', periodKey: '2025/26 Q1', lock: '2025/26 Q1', value: 29.3, previous: 29.1, reason: 'Late direct debits reallocated' });
    });
  });

  describe('a workbook as a council keeps it', () => {
    const w = councilWorkbook('cw', 'emma.walsh@trafford.example');

    it('imports with its title rows, merged cells, M and N/A cells, years of gaps and notes below, and again changes nothing', async () => {
      const r = await runKpi(db, ['import', file('anytown.xlsx', await xlsx(w.sheets, w.merges))]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('anytown.xlsx (XLSX: 6 indicator rows, 5 value rows)');
      expect(r.stdout).toContain('Values: 13 new');
      expect(r.stdout).toContain('Indicators: headings found on row 4; rows 1–3 read as a title.');
      expect(r.stdout).toContain('Indicators: rows 12–13, below the table, read as notes ("Source: Corporate Performance Team, January 2018").');
      expect(r.stdout).toContain('Indicators: "M" read as no value (in measurement) for cw-sickness 2017/18 Q3 (row 6).');
      expect(r.stdout).toContain('Indicators: "TBC" read as no value (to be confirmed) for cw-volunteers 2017/18 Q2 (row 8).');
      expect(r.stdout).not.toContain('Problems');
      const cleanliness = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'cw-cleanliness' }, include: { observations: { orderBy: { periodStart: 'asc' } }, targets: true } });
      expect(cleanliness.observations.map((o) => [o.periodKey, o.value.toNumber()])).toEqual([['2016/17 Q3', 83.1], ['2017/18 Q3', 83.8]]);
      expect(cleanliness.targets.map((t) => [t.periodKey, t.value, t.text])).toEqual([['2017/18', null, 'TBC']]);
      const before = await snapshot(db);
      expect((await runKpi(db, ['import', file('anytown.xlsx', await xlsx(w.sheets, w.merges))])).stdout).toContain('nothing changed');
      expect(await snapshot(db)).toEqual(before);
    });

    it('lists a broken row, a value for a period not begun and a change to a signed-off quarter in one round, each message once', async () => {
      await new PrismaRepository(db.prisma).closePeriod({ periodKey: '2016/17 Q3', periodStart: '2016-10-01', periodEnd: '2016-12-31', closedById: null, actorLabel: 'test', at: new Date('2017-02-01T09:00:00Z') });
      const broken = councilWorkbook('cw', 'emma.walsh@trafford.example');
      broken.sheets.Indicators[5]![10] = '8,4l'; // cw-sickness, Actual 2017/18 Q2
      broken.sheets.Indicators[6]![9] = { pct: 0.8 }; // cw-cleanliness, Actual 2016/17 Q3: 83.1% when signed off
      broken.sheets.Values.push(['cw-volunteers', '2040/41 Q1', 33, null]);
      const before = await snapshot(db);
      const r = await runKpi(db, ['import', file('anytown-broken.xlsx', await xlsx(broken.sheets, broken.merges))]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('anytown-broken.xlsx (XLSX: 6 indicator rows, 6 value rows): 3 problems to fix. 1 value would change signed-off periods.');
      expect(r.stdout).toContain('Problems (3):');
      expect(r.stdout).toContain('Indicators row 6, column Actual 2017/18 Q2: expected a number such as 8.4 or 83.8%');
      expect(r.stdout).toContain('Values row 9, column Actual: cw-volunteers: 2040/41 Q1');
      expect(r.stdout).toContain('Indicators row 7, column Actual 2016/17 Q3: cw-cleanliness 2016/17 Q3: the value differs from the one signed off in 2016/17 Q3');
      expect(r.stdout).not.toMatch(/— got "[^"]*" — got/);
      expect(await snapshot(db)).toEqual(before);
    });
  });
});
