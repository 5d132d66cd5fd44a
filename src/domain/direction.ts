// Direction of travel as councils compute it: improving / maintained / declining, always in terms of
// polarity, against one of three bases —
//   previous        the previous period (Trafford);
//   same_last_year  the same period last year (Halton; seasonal measures);
//   baseline        the indicator's baseline, usually last year's outturn (Cheshire West: "better or
//                   worse than the baseline contained in the Outcome Plan").
// A count that builds up over the year (cumulative, ytd, ytd_percent) is compared like for like
// part-way through it: the year to date against the same point last year when that is known (and, for
// the baseline basis, last year is the baseline's), else against the baseline pro rata for the part of
// the year elapsed — never a half-year count against a full year. A percentage to date is compared so
// under the `previous` basis too (its previous period is another point of the year).
// "Maintained" is a band: within a % of the value compared with, or equal at the printed precision.
import { baselineFor, type BaselinePoint } from './baseline.ts';
import { accumulates, isPartOfYear, isRunningTotal, periodAmount, yearToDate, type ValuesByKey } from './aggregation.ts';
import { formatNumber } from './format.ts';
import { financialYearOf, formatPeriod, formatPeriodShort, periodsOfYearTo, periodsPerYear, previousPeriod, samePeriodLastYear } from './periods.ts';
import type { Aggregation, Direction, DotBasis, MaintainedBand, Period, Polarity } from './types.ts';

/** Equal at the printed precision: what a council report shows as ↔ when the two figures print the same. */
export const DEFAULT_MAINTAINED_BAND: MaintainedBand = { kind: 'precision' };

/** A value as printed with `decimals` places, half away from zero (as en-GB number formatting rounds). */
export function atPrecision(x: number, decimals: number): number {
  const r = Number(Math.abs(x).toFixed(decimals));
  return x < 0 ? -r : r;
}

/** Whether a change from `previous` to `current` is inside the band. */
export function isMaintained(current: number, previous: number, band: MaintainedBand, decimals = 2): boolean {
  if (band.kind === 'precision') return atPrecision(current, decimals) === atPrecision(previous, decimals);
  // The floating-point rounding allowance scales with the values, so 0.1 + 0.2 is "equal" to 0.3 under a 0% band.
  const allowed = Math.max((Math.abs(previous) * band.percent) / 100, 1e-9 * Math.max(1, Math.abs(previous), Math.abs(current)));
  return Math.abs(current - previous) <= allowed;
}

/** Improving / maintained / declining by polarity; null for a contextual measure (no better direction). */
export function directionFor(current: number, previous: number, polarity: Polarity, band: MaintainedBand, decimals = 2): Direction | null {
  if (polarity === 'none') return null;
  if (isMaintained(current, previous, band, decimals)) return 'maintained';
  const better = polarity === 'higher' ? current > previous : current < previous;
  return better ? 'improving' : 'declining';
}

/** "the previous period", "the same period last year", "the baseline": a basis in a sentence. */
export const DOT_BASIS_PHRASE: Record<DotBasis, string> = {
  previous: 'the previous period',
  same_last_year: 'the same period last year',
  baseline: 'the baseline',
};

/** "within 2%", "equal at the printed precision". */
export function describeMaintainedBand(band: MaintainedBand): string {
  return band.kind === 'precision' ? 'equal at the printed precision' : band.percent === 0 ? 'exactly equal' : `within ${formatNumber(band.percent, 6)}%`;
}

export type { BaselinePoint } from './baseline.ts';

/**
 * period: a value of an earlier period; period-amount: what a running total added in each period;
 * same-point: the year to date against the year to date at the same point last year;
 * baseline: the baseline as is; baseline-pro-rata: the baseline for the part of the year elapsed.
 */
export type ComparisonKind = 'period' | 'period-amount' | 'same-point' | 'baseline' | 'baseline-pro-rata';

export interface Comparison {
  basis: DotBasis;
  kind: ComparisonKind;
  /** The figure compared: the period's value, what it added, or the year to date. */
  current: number;
  /** The figure it is compared with. */
  value: number;
  /** The period compared with (for the baseline, its own when readable; for pro rata, its year). */
  period: Period | null;
  /** For baseline-pro-rata: the baseline, and `elapsed` of the `of` periods of the year. */
  proRata?: { baseline: number; elapsed: number; of: number };
  /** For the baseline kinds: the baseline is the year's outturn (marked so, or a count's figure at the year's last period). */
  outturn?: boolean;
}

export interface ComparisonInput {
  period: Period;
  aggregation: Aggregation;
  /** The value the period is judged on: year to date for cumulative and average indicators. */
  judged: number;
  /** The indicator's values by period key. */
  values: ValuesByKey;
  baseline: BaselinePoint | null;
  basis: DotBasis;
  fy: number;
}

/** Why there is no direction of travel, by kind: what `kpi evaluate` counts. */
export type NoDirection =
  | 'no-value'
  | 'nothing-before'
  | 'year-to-date-incomplete'
  | 'no-same-point'
  | 'no-baseline'
  | 'baseline-not-a-number'
  | 'baseline-not-before'
  | 'baseline-not-a-year'
  | 'contextual';

export type ComparisonResult = { ok: true; comparison: Comparison } | { ok: false; reason: string; code: NoDirection };

const no = (code: NoDirection, reason: string): ComparisonResult => ({ ok: false, code, reason });

function baselineLabel(b: BaselinePoint): string | null {
  return b.label ?? (b.period ? formatPeriod(b.period) : null);
}

/** The baseline also stands for its own period's value (last year's outturn of an annual indicator). */
function withBaseline(values: ValuesByKey, baseline: BaselinePoint | null, kind: Period['kind']): ValuesByKey {
  const p = baseline?.period;
  if (!p || baseline.value === null || p.kind !== kind || values.has(p.key)) return values;
  return new Map([...values, [p.key, { value: baseline.value }]]);
}

/** What the period is compared with under the basis, or why it cannot be. */
export function comparisonFor(input: ComparisonInput): ComparisonResult {
  const { period, aggregation, basis, fy } = input;
  // A count's outturn (marked, or at its year's last period) stands for the whole year.
  const baseline = baselineFor(input.baseline, aggregation, period, fy);
  const values = withBaseline(input.values, baseline, period.kind);
  const own = input.values.get(period.key);
  if (!own) return no('no-value', `no value for ${formatPeriod(period)}`);
  const soFar = accumulates(aggregation) && isPartOfYear(period);
  const ok = (c: Omit<Comparison, 'basis'>): ComparisonResult => ({ ok: true, comparison: { basis, ...c } });

  // Part-way through the year, a count is compared as the year to date: against the same point last
  // year when `year` is last year and that is known, else against `year`'s baseline pro rata. (Only
  // last year: the values an evaluation reads stop at two years, see HISTORY_WINDOW.)
  const sameLastYear = samePeriodLastYear(period, fy);
  const soFarAgainst = (year: Period): ComparisonResult => {
    const current = yearToDate(period, aggregation, input.values, fy);
    if (current.value === null || current.partial) {
      return no('year-to-date-incomplete', `the year to date is incomplete: some ${period.kind === 'month' ? 'months' : 'quarters'} of ${financialYearOf(period, fy).key} up to ${formatPeriodShort(period)} have no value`);
    }
    const same = financialYearOf(sameLastYear, fy).key === year.key ? sameLastYear : null;
    const then = same ? yearToDate(same, aggregation, values, fy) : null;
    if (same && then && then.value !== null && !then.partial) return ok({ kind: 'same-point', current: current.value, value: then.value, period: same });
    if (baseline && baseline.value !== null && baseline.period?.key === year.key) {
      const elapsed = periodsOfYearTo(period, fy).length;
      const of = periodsPerYear(period.kind);
      const outturn = baseline.outturn ? { outturn: true } : {};
      if (elapsed === of) return ok({ kind: 'baseline', current: current.value, value: baseline.value, period: year, ...outturn });
      return ok({ kind: 'baseline-pro-rata', current: current.value, value: (baseline.value * elapsed) / of, period: year, proRata: { baseline: baseline.value, elapsed, of }, ...outturn });
    }
    return no('no-same-point', `no year-to-date value for ${formatPeriod(sameLastYear)} and no baseline for ${year.key} to pro-rate`);
  };

  if (basis === 'baseline') {
    if (!baseline || baseline.value === null) return baseline?.text ? no('baseline-not-a-number', `the baseline is not a number ("${baseline.text}")`) : no('no-baseline', 'no baseline');
    const label = baselineLabel(baseline);
    if (baseline.period && baseline.period.end >= period.start) return no('baseline-not-before', `the baseline (${label}) is not before ${formatPeriod(period)}`);
    if (!soFar) return ok({ kind: 'baseline', current: input.judged, value: baseline.value, period: baseline.period, ...(baseline.outturn ? { outturn: true } : {}) });
    if (baseline.period?.kind !== 'financial_year') {
      return no(
        'baseline-not-a-year',
        label
          ? `the baseline (${label}) is not for a financial year, so it cannot be pro-rated to ${formatPeriod(period)}`
          : `the baseline has no period: a count part-way through the year is compared with a financial year's baseline pro rata`,
      );
    }
    return soFarAgainst(baseline.period);
  }

  if (basis === 'same_last_year') {
    if (soFar) return soFarAgainst(financialYearOf(sameLastYear, fy));
    const then = values.get(sameLastYear.key);
    return then ? ok({ kind: 'period', current: own.value, value: then.value, period: sameLastYear }) : no('nothing-before', `no value for ${formatPeriod(sameLastYear)} to compare with`);
  }

  // A percentage to date is like for like only with the same point of a year: last year's, else the baseline's pro rata
  // (56.9% by Q2 against 29.1% by Q1 is no improvement); failing both, by what each period added.
  if (aggregation === 'ytd_percent' && soFar) {
    const c = soFarAgainst(financialYearOf(sameLastYear, fy));
    if (c.ok) return c;
  }
  const before = previousPeriod(period, fy);
  const current = periodAmount(period, aggregation, values, fy);
  if (current === null) return no('nothing-before', `no value for ${formatPeriod(before)}, so what ${formatPeriodShort(period)} added is not known`);
  const previous = periodAmount(before, aggregation, values, fy);
  if (previous === null) {
    return no('nothing-before', values.has(before.key) ? `no value for ${formatPeriod(previousPeriod(before, fy))}, so what ${formatPeriodShort(before)} added is not known` : `no value for ${formatPeriod(before)} to compare with`);
  }
  const kind = isRunningTotal(aggregation) && isPartOfYear(period) ? 'period-amount' : 'period';
  return ok({ kind, current, value: previous, period: before });
}

/** The direction half of the one-sentence explanation: "improving: 84 so far against 52 at this point on last year's pace". */
export function directionSentence(
  direction: Direction,
  c: Comparison,
  o: { period: Period; fy: number; band: MaintainedBand; fmt: (v: number) => string; baseline: BaselinePoint | null },
): string {
  const { fmt, period, fy } = o;
  const band = direction === 'maintained' && o.band.kind === 'relative' && o.band.percent > 0 ? describeMaintainedBand(o.band) : null;
  const also = (...parts: (string | null)[]) => parts.filter(Boolean).join(', ');
  const lastYear = financialYearOf(samePeriodLastYear(period, fy), fy).key;
  const yearOf = (p: Period) => financialYearOf(p, fy).key;
  const cur = fmt(c.current);
  const then = fmt(c.value);
  switch (c.kind) {
    case 'period':
    case 'period-amount': {
      const p = c.period!;
      const when = yearOf(p) === yearOf(period) ? formatPeriodShort(p) : formatPeriod(p);
      const added = c.kind === 'period-amount' ? ' added' : '';
      return direction === 'maintained'
        ? `maintained at ${cur}${added} (${also(`${then}${added} in ${when}`, band)})`
        : `${direction} from ${then}${added} in ${when}${added ? ` to ${cur}` : ''}`;
    }
    case 'baseline': {
      const label = o.baseline ? baselineLabel(o.baseline) : c.period ? formatPeriod(c.period) : null;
      if (c.outturn && c.period) {
        const outturn = `${formatPeriod(c.period)} outturn`;
        const printed = label && label !== formatPeriod(c.period) && label !== outturn ? ` (baseline ${label})` : '';
        return direction === 'maintained' ? `maintained at ${cur} (${also(`${outturn} ${then}${printed}`, band)})` : `${direction} from the ${outturn} of ${then}${printed}`;
      }
      return direction === 'maintained'
        ? `maintained at ${cur} (${also(`baseline ${then}${label ? ` in ${label}` : ''}`, band)})`
        : `${direction} from the baseline of ${then}${label ? ` (${label})` : ''}`;
    }
    case 'same-point': {
      return `${direction}: ${cur} so far against ${then} at this point last year (${also(formatPeriod(c.period!), band)})`;
    }
    case 'baseline-pro-rata': {
      const year = c.period!.key;
      const r = c.proRata!;
      const pace = year === lastYear ? "last year's pace" : `${year}'s pace`;
      const unit = period.kind === 'month' ? 'months' : 'quarters';
      const whole = c.outturn ? `${year} outturn ${fmt(r.baseline)}` : `baseline ${fmt(r.baseline)} for ${year}`;
      return `${direction}: ${cur} so far against ${then} at this point on ${pace} (${also(`${whole}, pro rata ${r.elapsed} of ${r.of} ${unit}`, band)})`;
    }
  }
}
