// Importing comparator data: the long CSV LG Inform exports, read however councils save it — under a
// title, headings spelt another way, M / .. / - / blank for an area that reported nothing, commas
// between thousands, their indicator named differently (an "Our indicator" column or a mapping file) —
// all or nothing with every problem's row and column, and a second import of the same file a no-op.
import { describe, expect, it } from 'vitest';
import { aBot, type TestBot } from '../../support/bot.ts';
import { comparatorCsv, GM_AREAS, SICKNESS_Q3 } from '../../support/comparators.ts';
import { comparatorImportLines, importComparators } from '../../../src/services/comparators.ts';
import { ValidationError } from '../../../src/errors.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const run = (b: TestBot, csv: string, o: { mapping?: string; dryRun?: boolean } = {}) =>
  importComparators(b.repo, { name: 'gm.csv', bytes: bytes(csv) }, { at: b.clock.now(), actorId: null, actorLabel: 'cli', ...(o.mapping ? { mapping: { name: 'map.csv', bytes: bytes(o.mapping) } } : {}), ...(o.dryRun ? { dryRun: true } : {}) });
const problems = async (p: Promise<unknown>) => {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(ValidationError);
  return (e as ValidationError).hint ?? '';
};

describe('importComparators', () => {
  it('reads a messy export under a title: missing cells, thousands, indicator by ref, slug or name', async () => {
    const b = await aBot();
    const { absence, visits } = b.council;
    const vals = [...SICKNESS_Q3];
    vals[2] = 'M';
    vals[5] = '..';
    vals[6] = '';
    const rows = GM_AREAS.map(([area], i) => ({ area, period: '2017/18 Q3', indicator: absence.ref!, value: vals[i]! }));
    rows.push({ area: 'E08000001', period: 'Q2 2017/18', indicator: absence.slug, value: '9.0' });
    rows.push({ area: 'E08000001', period: 'Dec 2017', indicator: visits.name, value: '"1,234"' });
    const csv = comparatorCsv(rows, { title: true }).replace('"""1,234"""', '"1,234"');
    const r = await run(b, csv);
    expect(r).toMatchObject({ rows: 12, missing: 3, indicators: 2, areas: 10, save: { added: 12, changed: 0, unchanged: 0 } });
    expect(r.notes).toContain('gm.csv: headings found on row 4; rows 1–2 read as a title.');
    const back = await b.repo.comparators.values({ indicatorIds: [absence.id], periodKeys: ['2017/18 Q3'] });
    expect(back.map((v) => v.value)).toEqual([9.1, 8.2, null, 7.9, 9.6, null, null, 7.5, 8.9, 10.1]);
    expect((await b.repo.comparators.values({ indicatorIds: [visits.id] }))[0]).toMatchObject({ periodKey: '2017-12', value: 1234, areaName: 'Bolton', source: 'import:gm.csv' });
    // Again: nothing changes, and it says so.
    const again = await run(b, csv);
    expect(again.save).toEqual({ added: 0, changed: 0, unchanged: 12 });
    expect(comparatorImportLines(again).at(-1)).toBe('Nothing changed: the file had been imported already.');
  });

  it('leaves out rows whose period is not of the indicator’s kind (a year for a quarterly indicator), saying so', async () => {
    const b = await aBot();
    const { absence } = b.council;
    const rows = GM_AREAS.map(([area], i) => ({ area, period: '2017/18 Q3', indicator: absence.slug, value: SICKNESS_Q3[i]! }));
    rows.push(...GM_AREAS.slice(0, 3).map(([area]) => ({ area, period: '2016-17', indicator: absence.slug, value: '9.5' })));
    const r = await run(b, comparatorCsv(rows));
    expect(r).toMatchObject({ rows: 10, save: { added: 10 } });
    expect(r.notes).toContain(`gm.csv: 3 rows for ${absence.slug} left out: quarterly indicator, but their periods are financial years (2016/17); it is ranked by quarters only.`);
    expect((await b.repo.comparators.values({ indicatorIds: [absence.id] })).map((v) => v.periodKey)).not.toContain('2016/17');
    // Nothing but years: nothing to import, and why.
    const years = await problems(run(b, comparatorCsv(rows.slice(10))));
    expect(years).toContain('no rows of comparator data below the headings on row 1 that could be ranked');
    expect(years).toContain('3 rows for');
  });

  it('takes heading variants and an "Our indicator" column for indicators named otherwise', async () => {
    const b = await aBot();
    const csv = 'AREACODE;Local authority;Time period;Metric;Our indicator;Data value\nE08000009;Trafford;2017/18 Q3;Working days lost per FTE;' + b.council.absence.slug + ';8.9\n';
    expect((await run(b, csv)).save.added).toBe(1);
  });

  it('maps their names to ours with a mapping file', async () => {
    const b = await aBot();
    const csv = comparatorCsv([{ area: 'E08000009', period: '2017/18 Q3', indicator: 'Working days lost due to sickness absence', value: '8.9' }]);
    const mapping = `Their indicator,Our indicator\nWorking days lost due to sickness absence,${b.council.absence.slug}\n`;
    expect((await run(b, csv, { mapping })).save.added).toBe(1);
    const wrong = `Their indicator,Our indicator\nWorking days lost due to sickness absence,no-such-thing\n`;
    expect(await problems(run(b, csv, { mapping: wrong }))).toBe('map.csv row 2, column B: "no-such-thing" is none of our indicators (give its slug or reference).');
  });

  it('refuses the whole file, every problem with its row and column, and writes nothing', async () => {
    const b = await aBot();
    const ref = b.council.absence.ref!;
    const csv = comparatorCsv([
      { area: 'E08000001', period: '2017/18 Q3', indicator: ref, value: '9.1' },
      { area: 'E0800 0002', period: '2017/18 Q3', indicator: ref, value: '8.2' },
      { area: 'E08000003', period: '2017/18 Q7', indicator: ref, value: '10.4' },
      { area: 'E08000004', period: '2017/18 Q3', indicator: ref, value: 'seven' },
      { area: 'E08000005', period: '2017/18 Q3', indicator: 'Delayed transfers of care', value: '3' },
      { area: 'E08000006', period: '2017/18 Q3', indicator: 'Delayed transfers of care', value: '4' },
      { area: 'E08000001', period: '2017/18 Q3', indicator: ref, value: '9.2' },
    ]);
    const hint = await problems(run(b, csv));
    expect(hint.split('\n')).toEqual([
      'gm.csv row 3, column A "Area code": expected an area code such as E08000009, got "E0800 0002"',
      expect.stringMatching(/^gm\.csv row 4, column C "Period": .*2017\/18 Q7/),
      expect.stringMatching(/^gm\.csv row 5, column E "Value": "seven": expected a number/),
      `gm.csv row 8: E08000001, 2017/18 Q3, ${b.council.absence.slug} is on row 2 too, with another value`,
      'gm.csv row 6, column D "Indicator": "Delayed transfers of care" is none of our indicators by slug, reference or name (2 rows): add an "Our indicator" column, or map it with --map FILE (their name, our slug)',
    ]);
    expect(await b.repo.comparators.values()).toEqual([]);
  });

  it('says when there are no headings to read', async () => {
    const b = await aBot();
    expect(await run(b, 'a,b,c\n1,2,3\n').then(() => '', (e: Error) => e.message)).toContain('Nothing was imported from gm.csv');
  });

  it('a dry run says what would change and writes nothing', async () => {
    const b = await aBot();
    const csv = comparatorCsv(GM_AREAS.map(([area], i) => ({ area, period: '2017/18 Q3', indicator: b.council.absence.slug, value: SICKNESS_Q3[i]! })));
    expect((await run(b, csv, { dryRun: true })).save).toEqual({ added: 10, changed: 0, unchanged: 0 });
    expect(await b.repo.comparators.values()).toEqual([]);
  });
});
