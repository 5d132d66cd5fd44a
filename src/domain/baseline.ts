// The baseline as councils print it: usually last year's outturn, written "2016/17", "2016/17 Q4",
// "2016/17 outturn", "12/13 Actual" or just "Outturn". For a count that builds up over the year (a
// running total, or per-period amounts summed), a baseline at the year's last period — or marked as
// the outturn — is the whole year's total, so it is compared like for like: pro rata part-way
// through the year, or last year's same point when the history has it (direction.ts).
import { accumulates } from './aggregation.ts';
import { financialYearOf, formatPeriod, nextPeriod, parsePeriodLabel, samePeriodLastYear } from './periods.ts';
import type { Aggregation, Period } from './types.ts';

export interface BaselinePoint {
  value: number | null;
  /** Its period, when the engine can read it (`2016/17`, `Mar 2017`). */
  period: Period | null;
  /** The period as the council wrote it ("2016/17", "Summer 2016"). */
  label: string | null;
  /** The cell as printed, for a baseline that is not a number ("New", "N/A"). */
  text?: string | null;
  /** Marked as the year's outturn ("2016/17 outturn", a `Baseline (outturn)` column). */
  outturn?: boolean;
}

/** Words that mark a baseline as a year's result: "outturn", "out-turn", "actual", "year end". */
const OUTTURN_WORDS = /\b(?:out-?\s?turn|actual|year[-\s]?end(?:\s+(?:figure|result))?)\b/gi;

/**
 * A baseline's period as written: "2016/17" and "March 2017" read as periods; "2016/17 outturn" and
 * "12/13 Actual" as the year, marked as its outturn; "Outturn" alone as an outturn of no stated year
 * (last year's, for whichever period it is compared with); anything else ("Summer 2016") unread.
 */
export function readBaselineLabel(label: string | null | undefined, fy: number): { period: Period | null; outturn: boolean } {
  const text = label?.trim() ?? '';
  if (!text) return { period: null, outturn: false };
  const direct = parsePeriodLabel(text, fy);
  if (direct.ok) return { period: direct.value, outturn: false };
  const rest = text.replace(OUTTURN_WORDS, ' ').replace(/[()\s,:-]+/g, ' ').trim();
  if (rest === text.replace(/\s+/g, ' ')) return { period: null, outturn: false };
  if (!rest) return { period: null, outturn: true };
  const p = parsePeriodLabel(rest, fy);
  return p.ok ? { period: p.value, outturn: true } : { period: null, outturn: false };
}

/** Whether a period is the last of its financial year (Q4, March). */
export function endsFinancialYear(p: Period, fy: number): boolean {
  if (p.kind !== 'quarter' && p.kind !== 'month') return false;
  return financialYearOf(nextPeriod(p, fy), fy).key !== financialYearOf(p, fy).key;
}

/**
 * The baseline as the engine compares it, for a period of an indicator: a count's outturn (marked,
 * or stored at the last period of its year) stands for its financial year; an outturn of no stated
 * year is the year before the period's. Anything else is as stored.
 */
export function baselineFor(b: BaselinePoint | null, aggregation: Aggregation, period: Period, fy: number): BaselinePoint | null {
  if (!b || b.value === null) return b;
  if (b.outturn && !b.period) {
    const year = financialYearOf(samePeriodLastYear(period, fy), fy);
    return { ...b, period: year, label: b.label && /\d/.test(b.label) ? b.label : `${formatPeriod(year)} outturn` };
  }
  if (!b.period || !accumulates(aggregation)) return b;
  if (b.outturn || endsFinancialYear(b.period, fy)) {
    const year = financialYearOf(b.period, fy);
    if (year.key === b.period.key) return b;
    return { ...b, period: year, outturn: true, label: b.label ?? formatPeriod(b.period) };
  }
  return b;
}
