// How an indicator's values add up through the financial year (its aggregation): the year-to-date
// figure a status is judged on, and the amount one period added, for direction of travel.
import { periodsOfYearTo, previousPeriod } from './periods.ts';
import type { Aggregation, Period } from './types.ts';

/** Values by period key. */
export type ValuesByKey = ReadonlyMap<string, { value: number }>;

/** Figures that build up over the year: per-period amounts (cumulative) or running totals (ytd, ytd_percent). */
export const accumulates = (a: Aggregation): boolean => a === 'cumulative' || a === 'ytd' || a === 'ytd_percent';

/** Each value is already the year to date: a running total (ytd) or a percentage to date (ytd_percent). */
export const isRunningTotal = (a: Aggregation): boolean => a === 'ytd' || a === 'ytd_percent';

/** A period inside a financial year (a month or a quarter), where "so far this year" means something. */
export const isPartOfYear = (p: Period): boolean => p.kind === 'month' || p.kind === 'quarter';

/**
 * The value a period is judged on: its own, or the year to date for cumulative (the sum) and average
 * (the mean) indicators. `partial` when some earlier periods of the year have no value.
 */
export function yearToDate(period: Period, aggregation: Aggregation, values: ValuesByKey, fy: number): { value: number | null; partial: boolean } {
  const own = values.get(period.key);
  if (!own) return { value: null, partial: false };
  if (aggregation !== 'cumulative' && aggregation !== 'average') return { value: own.value, partial: false };
  const periods = periodsOfYearTo(period, fy);
  const have = periods.map((p) => values.get(p.key)).filter((o): o is { value: number } => Boolean(o));
  const sum = have.reduce((s, o) => s + o.value, 0);
  return { value: aggregation === 'average' ? sum / have.length : sum, partial: have.length < periods.length };
}

/**
 * The amount a period contributes: a running total (ytd, ytd_percent) is compared by what each period
 * added, so a year-to-date count that always grows is not always "improving".
 */
export function periodAmount(period: Period, aggregation: Aggregation, values: ValuesByKey, fy: number): number | null {
  const own = values.get(period.key);
  if (!own) return null;
  if (!isRunningTotal(aggregation) || !isPartOfYear(period)) return own.value;
  if (periodsOfYearTo(period, fy).length === 1) return own.value;
  const before = values.get(previousPeriod(period, fy).key);
  return before ? own.value - before.value : null;
}
