// Which periods' values are asked for at all. A council starts using the bot part-way through its
// history: values are collected from a first period on (the organisation's `collect-from`), never
// before; a period can be marked "not collected" (with a reason); and a gap that a later value makes
// moot — a level measured again since, a running total the year has moved past — is not asked for.
// Pure: the caller passes the first period, the marks and the values.
import { isPartOfYear } from './aggregation.ts';
import { financialYearOf, periodContaining, previousPeriod } from './periods.ts';
import type { Aggregation, LocalDate, Period } from './types.ts';

/**
 * A period of any frequency is collected when it ends on or after the first day of the first period
 * collected: with `2017/18 Q3` (from 1 October 2017), 2017/18 Q3, October 2017 and the financial year
 * 2017/18 (still running then) are collected; 2017/18 Q2, September 2017 and 2016/17 are not.
 */
export function isCollected(period: Period, first: Period): boolean {
  return period.end >= first.start;
}

/**
 * The first period collected when the organisation has not said: the most recent quarter that had
 * ended on `today`. Everything due then is at most one quarter's values (plus the months and
 * years still running), so a first run can never chase years of history.
 */
export function defaultFirstPeriod(today: LocalDate, fy: number): Period {
  return previousPeriod(periodContaining(today, 'quarter', fy), fy);
}

/**
 * The later value that makes a missing one moot, if any: for a level or rate (`snapshot`) any later
 * period's value — the figure has been measured again since; for a running total (`ytd`) a later
 * period's value in the same financial year, which already includes the missing period's share.
 * A per-period count (`cumulative`) or an `average` needs each period's own value: never superseded.
 */
export function supersededBy(period: Period, aggregation: Aggregation, valuesFor: readonly Period[], fy: number): Period | null {
  if (aggregation === 'cumulative' || aggregation === 'average') return null;
  const later = valuesFor.filter((p) => p.kind === period.kind && p.start > period.end).sort((a, b) => (a.start < b.start ? -1 : 1));
  if (aggregation === 'snapshot') return later[0] ?? null;
  // A running total (ytd): only within its financial year (next year's total starts again from nothing).
  if (!isPartOfYear(period)) return null;
  const year = financialYearOf(period, fy).key;
  return later.find((p) => financialYearOf(p, fy).key === year) ?? null;
}

/** A period marked "not collected" for one indicator, a theme's or (both null) every indicator. */
export interface NotCollectedMark {
  /** The marked period's first and last days: it covers the periods of any frequency that lie within them. */
  periodStart: LocalDate;
  periodEnd: LocalDate;
  indicatorId: number | null;
  themeId: number | null;
}

/** Whether a mark applies to this indicator's period: the mark's scope includes the indicator and the period lies within the marked one. */
export function markCovers(mark: NotCollectedMark, ind: { id: number; themeId: number | null }, period: Period): boolean {
  const scoped = mark.indicatorId !== null ? mark.indicatorId === ind.id : mark.themeId !== null ? mark.themeId === ind.themeId : true;
  return scoped && period.start >= mark.periodStart && period.end <= mark.periodEnd;
}
