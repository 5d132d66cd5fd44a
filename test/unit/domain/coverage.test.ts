// Which periods a quarter's report covers and which quarters' reports cover a period — the rule the
// report lays out and a sign-off holds — and the sign-off rule itself (src/repo/rules.ts) on its own.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { periodsCovered, quartersReporting, yearReportedIn } from '../../../src/domain/coverage.ts';
import { periodFromKey, quarter } from '../../../src/domain/periods.ts';
import { signOffHold } from '../../../src/repo/rules.ts';
import type { PeriodLockRecord } from '../../../src/ports.ts';

const keys = (ps: { key: string }[]) => ps.map((p) => p.key);
const lock = (key: string, at = '2018-01-15T09:00:00Z'): PeriodLockRecord => {
  const p = periodFromKey(key);
  return { periodKey: p.key, periodStart: p.start, periodEnd: p.end, closedAt: new Date(at), closedById: null };
};

describe('what a quarter’s report covers', () => {
  it('is the quarter, its three months, the financial year, the academic and calendar years last ended', () => {
    const q3 = periodFromKey('2017/18 Q3');
    expect(keys(periodsCovered('quarterly', q3))).toEqual(['2017/18 Q3']);
    expect(keys(periodsCovered('monthly', q3))).toEqual(['2017-10', '2017-11', '2017-12']);
    expect(keys(periodsCovered('annual', q3))).toEqual(['2017/18']);
    expect(keys(periodsCovered('academic_year', q3))).toEqual(['AY 2016/17']);
    expect(keys(periodsCovered('calendar_year', q3))).toEqual(['2017']);
    expect(keys(periodsCovered('calendar_year', periodFromKey('2017/18 Q2')))).toEqual(['2016']);
  });

  it('puts a year in four quarters’ reports: a financial year’s own, a calendar or academic year’s from the quarter it ends in', () => {
    expect(keys(quartersReporting(periodFromKey('2017/18')))).toEqual(['2017/18 Q1', '2017/18 Q2', '2017/18 Q3', '2017/18 Q4']);
    expect(keys(quartersReporting(periodFromKey('2017')))).toEqual(['2017/18 Q3', '2017/18 Q4', '2018/19 Q1', '2018/19 Q2']);
    expect(keys(quartersReporting(periodFromKey('AY 2016/17')))).toEqual(['2017/18 Q2', '2017/18 Q3', '2017/18 Q4', '2018/19 Q1']);
    expect(keys(quartersReporting(periodFromKey('2017-11')))).toEqual(['2017/18 Q3']);
    expect(keys(quartersReporting(periodFromKey('2017/18 Q3')))).toEqual(['2017/18 Q3']);
  });

  it('agrees both ways, for any quarter and any start of the financial year', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2040 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom('financial_year', 'academic_year', 'calendar_year' as const), (y, q, fy, kind) => {
        const qr = quarter(y, q, fy);
        const year = yearReportedIn(kind, qr, fy);
        expect(keys(quartersReporting(year, fy))).toContain(qr.key);
        for (const other of quartersReporting(year, fy)) expect(yearReportedIn(kind, other, fy).key).toBe(year.key);
      }),
    );
  });
});

describe('the sign-off that holds a value', () => {
  const fy = periodFromKey('2017/18');

  it('holds the quarter and its months as before, and a year once its four quarters are signed off', () => {
    const locks = [lock('2017/18 Q3')];
    expect(signOffHold(locks, [], periodFromKey('2017-11'), '2018-01-20', 4)).toMatchObject({ periodKey: '2017/18 Q3', reason: 'signed-off' });
    expect(signOffHold(locks, [], periodFromKey('2017/18 Q2'), '2018-01-20', 4)).toBeNull();
    const all = ['2017/18 Q1', '2017/18 Q2', '2017/18 Q3', '2017/18 Q4'].map((k, i) => lock(k, `2018-0${i + 1}-15T09:00:00Z`));
    expect(signOffHold(all, [], fy, '2018-06-01', 4)).toMatchObject({ periodKey: '2017/18 Q4', reason: 'signed-off' });
  });

  it('holds a year while it runs, and a value the report printed; a year that has ended takes its first value until its last report is signed off', () => {
    const q3 = [lock('2017/18 Q3')];
    expect(signOffHold(q3, [], fy, '2018-01-20', 4)).toMatchObject({ periodKey: '2017/18 Q3', reason: 'year-running' });
    expect(signOffHold(q3, [], fy, '2018-03-31', 4)).toMatchObject({ reason: 'year-running' });
    expect(signOffHold(q3, [], fy, '2018-04-01', 4)).toBeNull();
    expect(signOffHold(q3, ['2017/18 Q3'], fy, '2018-04-01', 4)).toMatchObject({ periodKey: '2017/18 Q3', reason: 'printed' });
    expect(signOffHold([...q3, lock('2017/18 Q4', '2018-05-20T09:00:00Z')], [], fy, '2018-06-01', 4)).toMatchObject({ periodKey: '2017/18 Q4', reason: 'last-report' });
    // A calendar year is covered from the quarter it ends in: 2017 by 2017/18 Q3 to 2018/19 Q2.
    const cy = periodFromKey('2017');
    expect(signOffHold(q3, [], cy, '2018-01-20', 4)).toBeNull();
    expect(signOffHold(q3, ['2017/18 Q3'], cy, '2018-01-20', 4)).toMatchObject({ reason: 'printed' });
    expect(signOffHold([lock('2018/19 Q2')], [], cy, '2018-10-20', 4)).toMatchObject({ periodKey: '2018/19 Q2', reason: 'last-report' });
    // A signed-off quarter whose report does not cover the year holds nothing of it.
    expect(signOffHold([lock('2016/17 Q4')], [], fy, '2018-01-20', 4)).toBeNull();
  });
});
