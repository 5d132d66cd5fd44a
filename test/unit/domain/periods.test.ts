import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dueDate,
  financialYear,
  formatPeriod,
  latestDuePeriod,
  month,
  parsePeriod,
  periodContaining,
  periodFromKey,
  periodKindFor,
  periodsOfYearTo,
  previousPeriod,
  quarter,
  samePeriodLastYear,
  academicYear,
  calendarYear,
  describePeriodError,
  parsePeriodLabel,
  type PeriodError,
} from '../../../src/domain/periods.ts';
import type { Frequency, Period } from '../../../src/domain/types.ts';
import { addWorkingDays, localDateOf, workingDaysBetween } from '../../../src/domain/dates.ts';

const TODAY = '2025-10-06';
const parse = (text: string, frequency: Frequency = 'quarterly', today = TODAY) => parsePeriod(text, { frequency, today });
const key = (text: string, frequency: Frequency = 'quarterly', today = TODAY) => {
  const r = parse(text, frequency, today);
  if (!r.ok) throw new Error(r.error);
  return r.value.key;
};
const error = (text: string, frequency: Frequency = 'quarterly') => {
  const r = parse(text, frequency);
  if (r.ok) throw new Error(`expected "${text}" to be rejected, got ${r.value.key}`);
  return r.error;
};

describe('periods as councils define them', () => {
  it('runs the financial year April to March, with Q3 = October to December', () => {
    expect(financialYear(2017)).toEqual({ kind: 'financial_year', key: '2017/18', start: '2017-04-01', end: '2018-03-31' });
    expect(quarter(2017, 3)).toMatchObject({ key: '2017/18 Q3', start: '2017-10-01', end: '2017-12-31' });
    expect(quarter(2017, 4)).toMatchObject({ start: '2018-01-01', end: '2018-03-31' });
    expect(academicYear(2016)).toMatchObject({ key: 'AY 2016/17', start: '2016-09-01', end: '2017-08-31' });
    expect(month(2024, 2).end).toBe('2024-02-29');
  });

  it('formats periods the way reports print them', () => {
    expect(formatPeriod(quarter(2017, 3))).toBe('2017/18 Q3');
    expect(formatPeriod(month(2017, 12))).toBe('Dec 2017');
    expect(formatPeriod(financialYear(2017))).toBe('2017/18');
    expect(formatPeriod(academicYear(2016))).toBe('2016/17 (academic year)');
    expect(formatPeriod(calendarYear(2017))).toBe('2017');
  });

  it('honours another financial-year start month', () => {
    expect(financialYear(2025, 1)).toMatchObject({ start: '2025-01-01', end: '2025-12-31' });
    expect(periodContaining('2025-02-10', 'quarter', 1).key).toBe('2025/26 Q1');
  });

  it('steps between periods and finds the same period last year', () => {
    expect(previousPeriod(quarter(2017, 1)).key).toBe('2016/17 Q4');
    expect(samePeriodLastYear(quarter(2017, 3)).key).toBe('2016/17 Q3');
    expect(samePeriodLastYear(month(2025, 9)).key).toBe('2024-09');
    expect(periodsOfYearTo(quarter(2017, 3)).map((p) => p.key)).toEqual(['2017/18 Q1', '2017/18 Q2', '2017/18 Q3']);
    expect(periodsOfYearTo(month(2018, 2)).length).toBe(11);
  });

  it('makes a value due its reporting lag after the period ends', () => {
    expect(dueDate(quarter(2025, 2), 30)).toBe('2025-10-30');
    expect(latestDuePeriod('quarterly', '2025-10-29', 30)!.key).toBe('2025/26 Q1');
    expect(latestDuePeriod('quarterly', '2025-10-30', 30)!.key).toBe('2025/26 Q2');
    expect(latestDuePeriod('monthly', TODAY, 0)!.key).toBe('2025-09');
    expect(latestDuePeriod('annual', TODAY, 90)!.key).toBe('2024/25');
  });
});

describe('reading what people type', () => {
  it.each([
    ['2025/26 Q2', '2025/26 Q2'],
    ['Q2 2025/26', '2025/26 Q2'],
    ['q2 25/26', '2025/26 Q2'],
    ['2025/26-Q2', '2025/26 Q2'],
    ['25/26 q2', '2025/26 Q2'],
    ['quarter 2 2025/26', '2025/26 Q2'],
    ['Q2', '2025/26 Q2'],
    ['Q3', '2024/25 Q3'],
    ['last quarter', '2025/26 Q2'],
    ['this quarter', '2025/26 Q3'],
  ])('quarterly: %s → %s', (text, expected) => expect(key(text)).toBe(expected));

  it.each([
    ['Sep 2025', '2025-09'],
    ['sept 25', '2025-09'],
    ['September 2025', '2025-09'],
    ['2025-09', '2025-09'],
    ['09/2025', '2025-09'],
    ['sep', '2025-09'],
    ['nov', '2024-11'],
    ['last month', '2025-09'],
  ])('monthly: %s → %s', (text, expected) => expect(key(text, 'monthly')).toBe(expected));

  it.each([
    ['2025/26', '2025/26'],
    ['25/26', '2025/26'],
    ['2025-26', '2025/26'],
    ['2025/2026', '2025/26'],
    ['FY 2024/25', '2024/25'],
    ['last year', '2024/25'],
  ])('annual: %s → %s', (text, expected) => expect(key(text, 'annual')).toBe(expected));

  it('reads academic and calendar years', () => {
    expect(key('AY 2016/17', 'academic_year')).toBe('AY 2016/17');
    expect(key('2016/17 academic', 'academic_year')).toBe('AY 2016/17');
    expect(key('2017', 'calendar_year')).toBe('2017');
  });

  it('says what it understood when the period does not fit the frequency', () => {
    const e = error('Sep 2025', 'quarterly');
    expect(e).toContain('is a month (Sep 2025)');
    expect(e).toContain('reported quarterly');
    expect(e).toContain('such as 2025/26 Q2');
    expect(error('2025/26 Q2', 'monthly')).toContain('is a quarter');
  });

  it('rejects impossible and ambiguous input with a reason', () => {
    expect(error('2025/27')).toContain('not a year pair');
    expect(error('Q5')).toContain('Q1–Q4');
    expect(error('13/2025', 'monthly')).toContain('13 is not 1–12');
    expect(error('Q2 2025')).toContain('ambiguous');
    expect(error('2025', 'annual')).toMatch(/ambiguous: do you mean 2024\/25 or 2025\/26/);
    expect(error('')).toContain('No period given');
    expect(error('banana')).toContain('could not read "banana"');
  });

  it('round-trips every period through format and parse', () => {
    const kinds: Frequency[] = ['monthly', 'quarterly', 'annual', 'academic_year', 'calendar_year'];
    fc.assert(
      fc.property(fc.integer({ min: 1990, max: 2060 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom(...kinds), (y, m, frequency) => {
        const p: Period = periodContaining(`${y}-${String(m).padStart(2, '0')}-15`, periodKindFor(frequency));
        const back = parsePeriod(formatPeriod(p), { frequency, today: '2061-01-01' });
        expect(back.ok && back.value).toEqual(p);
        expect(periodFromKey(p.key)).toEqual(p);
      }),
    );
  });

  it('never throws on hostile input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom<Frequency>('monthly', 'quarterly', 'annual'), (s, frequency) => {
        const r = parsePeriod(s, { frequency, today: TODAY });
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });
});

describe('why a period could not be read, by code', () => {
  const reason = (text: string, frequency: Frequency = 'quarterly'): PeriodError => {
    const r = parse(text, frequency);
    if (r.ok) throw new Error(`expected "${text}" to be rejected, got ${r.value.key}`);
    expect(r.error).toBe(describePeriodError(r.reason));
    return r.reason;
  };
  const labelReason = (text: string): PeriodError => {
    const r = parsePeriodLabel(text);
    if (r.ok) throw new Error(`expected "${text}" to be rejected, got ${r.value.key}`);
    expect(r.error).toBe(describePeriodError(r.reason));
    return r.reason;
  };
  const expected = { frequency: 'quarterly', example: '2025/26 Q2' } as const;

  it.each<[string, Frequency, PeriodError, string]>([
    ['', 'quarterly', { code: 'empty', expected }, 'No period given: this indicator is reported quarterly: type a quarter such as 2025/26 Q2, Q2 or last quarter.'],
    [
      'Sep 2025',
      'quarterly',
      { code: 'wrong-frequency', input: 'Sep 2025', period: month(2025, 9), expected },
      '"Sep 2025" is a month (Sep 2025), but this indicator is reported quarterly: type a quarter such as 2025/26 Q2, Q2 or last quarter.',
    ],
    ['2025/27', 'annual', { code: 'not-a-year-pair', pair: '2025/27', startYear: 2025 }, '"2025/27" is not a year pair: a financial or academic year runs over two consecutive years, e.g. 2025/26.'],
    ['13/2025', 'monthly', { code: 'not-a-month', input: '13/2025', month: 13 }, '"13/2025" is not a month (13 is not 1–12) nor a year pair such as 2025/26.'],
    ['Q5', 'quarterly', { code: 'no-such-quarter', input: 'Q5' }, '"Q5": a financial year has quarters Q1–Q4 only.'],
    [
      'Q2 2025',
      'quarterly',
      { code: 'ambiguous-quarter', input: 'Q2 2025', candidates: [quarter(2025, 2), quarter(2024, 2)] },
      '"Q2 2025" is ambiguous: financial-year quarters are written with the year pair, e.g. 2025/26 Q2 (Jul–Sep 2025) or 2024/25 Q2 (Jul–Sep 2024).',
    ],
    ['2025', 'academic_year', { code: 'ambiguous-year', input: '2025', candidates: [academicYear(2024), academicYear(2025)] }, '"2025" is ambiguous: do you mean 2024/25 (academic year) or 2025/26 (academic year)?'],
    [
      'banana',
      'monthly',
      { code: 'unreadable', input: 'banana', expected: { frequency: 'monthly', example: 'Sep 2025' } },
      'I could not read "banana" as a period: this indicator is reported monthly: type a month such as Sep 2025, Sep or last month.',
    ],
  ])('%j (%s) is %j', (text, frequency, want, words) => {
    expect(reason(text, frequency)).toEqual(want);
    expect(describePeriodError(want)).toBe(words);
  });

  it('reads files strictly: a period needs its year, and anything else is not a period', () => {
    expect(labelReason('last quarter')).toEqual({ code: 'needs-year', input: 'last quarter' });
    expect(describePeriodError({ code: 'needs-year', input: 'Q3' })).toBe('"Q3" is not a period with its year (e.g. 2017/18 Q3, 2017/18, Dec 2017 or AY 2016/17)');
    expect(labelReason('2017/19')).toEqual({ code: 'not-a-period', input: '2017/19' });
    expect(describePeriodError({ code: 'not-a-period', input: '2017/19' })).toBe('"2017/19" is not a period (e.g. 2017/18 Q3, 2017/18, Dec 2017 or AY 2016/17)');
  });

  it('words the expectation for the caller: whose frequency it is, or why the kind is wanted', () => {
    const r = reason('Sep 2025');
    expect(describePeriodError(r, { indicator: 'sickness-absence' })).toContain('but sickness-absence is reported quarterly: type a quarter such as 2025/26 Q2');
    expect(describePeriodError(r, { because: 'reports and sign-off are by quarter' })).toBe(
      '"Sep 2025" is a month (Sep 2025), but reports and sign-off are by quarter: type a quarter such as 2025/26 Q2, Q2 or last quarter.',
    );
    // Wordings only change the expectation: the other cases read the same for every caller.
    const pair = reason('2025/27', 'annual');
    expect(describePeriodError(pair, { indicator: 'x' })).toBe(describePeriodError(pair));
  });

  it('reads numeric months of one digit, and never makes a month out of a year pair', () => {
    expect(key('9/2025', 'monthly')).toBe('2025-09');
    expect(key('2011-12', 'monthly')).toBe('2011-12');
    expect(key('2011-12', 'annual')).toBe('2011/12');
    expect(reason('2025-26', 'monthly')).toMatchObject({ code: 'wrong-frequency', period: { key: '2025/26' } });
    expect(reason('fy2011-12', 'monthly')).toMatchObject({ code: 'wrong-frequency', period: { key: '2011/12' } });
  });
});

describe('dates', () => {
  it('counts working days and reads the local date of an instant', () => {
    expect(addWorkingDays('2025-10-03', 3)).toBe('2025-10-08'); // Friday + 3 → Wednesday
    expect(addWorkingDays('2025-10-04', 0)).toBe('2025-10-06'); // Saturday → Monday
    expect(workingDaysBetween('2025-10-03', '2025-10-08')).toBe(3);
    expect(localDateOf(new Date('2025-06-30T23:30:00Z'), 'Europe/London')).toBe('2025-07-01');
    expect(localDateOf(new Date('2025-12-31T23:30:00Z'), 'Europe/London')).toBe('2025-12-31');
  });
});
