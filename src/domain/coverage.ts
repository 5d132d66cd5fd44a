// Which periods a quarter's report covers, and which quarters' reports cover a period: the rule the
// quarterly report lays out (src/report/model.ts) and the sign-off holds (src/repo/rules.ts).
//
//   an indicator reported …   its row in the 2017/18 Q3 report shows …
//   quarterly                 2017/18 Q3
//   monthly                   the latest month of the quarter with a value (Oct, Nov or Dec 2017): all three are covered
//   annually                  the financial year containing the quarter, 2017/18 (until it is in: "Reported annually")
//   by academic year          the latest academic year ended by the quarter's end, AY 2016/17
//   by calendar year          the latest calendar year ended by the quarter's end, 2017
//
// A year is therefore covered by several quarters' reports: a financial year by its four quarters,
// a calendar or academic year by the four quarters from the one it ends in.
import { academicYear, calendarYear, financialYearOf, month, nextPeriod, periodContaining } from './periods.ts';
import type { Frequency, Period, PeriodKind } from './types.ts';

/** The year of a kind a quarter's report shows. */
export function yearReportedIn(kind: 'financial_year' | 'academic_year' | 'calendar_year', quarter: Period, fy = 4): Period {
  const y = Number(quarter.end.slice(0, 4));
  switch (kind) {
    case 'financial_year':
      return financialYearOf(quarter, fy);
    case 'academic_year': {
      // The latest academic year (September–August) ended by the end of the quarter.
      const a = academicYear(y - 1);
      return a.end <= quarter.end ? a : academicYear(y - 2);
    }
    case 'calendar_year': {
      const c = calendarYear(y);
      return c.end <= quarter.end ? c : calendarYear(y - 1);
    }
  }
}

/** The three months of a quarter, in order. */
export function monthsOf(quarter: Period): Period[] {
  return [0, 1, 2].map((i) => {
    const d = new Date(`${quarter.start}T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() + i);
    return month(d.getUTCFullYear(), d.getUTCMonth() + 1);
  });
}

const KIND: Record<Frequency, PeriodKind> = { monthly: 'month', quarterly: 'quarter', annual: 'financial_year', academic_year: 'academic_year', calendar_year: 'calendar_year' };

/** The periods of an indicator of this frequency that a quarter's report covers (the one it shows is among them). */
export function periodsCovered(frequency: Frequency, quarter: Period, fy = 4): Period[] {
  const kind = KIND[frequency];
  if (kind === 'quarter') return [quarter];
  if (kind === 'month') return monthsOf(quarter);
  return [yearReportedIn(kind, quarter, fy)];
}

/** The quarters whose reports cover a period, oldest first: its own quarter for a month or a quarter, several for a year. */
export function quartersReporting(p: Period, fy = 4): Period[] {
  if (p.kind === 'quarter') return [p];
  if (p.kind === 'month') return [periodContaining(p.start, 'quarter', fy)];
  const kind = p.kind;
  const out: Period[] = [];
  // The first is the quarter the year ends in (a year is shown once it has ended, a financial year from its first quarter).
  let q = periodContaining(kind === 'financial_year' ? p.start : p.end, 'quarter', fy);
  for (let i = 0; i < 8 && yearReportedIn(kind, q, fy).key === p.key; i++, q = nextPeriod(q, fy)) out.push(q);
  return out;
}

/** A year, shown in several quarters' reports (not a month or a quarter, which are their own quarter's). */
export const isYear = (p: Pick<Period, 'kind'>): boolean => p.kind !== 'month' && p.kind !== 'quarter';
