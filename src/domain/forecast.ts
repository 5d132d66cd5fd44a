// The year-end forecast: where an indicator with an annual target is on course to finish the
// financial year, from what is known so far — "on course to miss the year-end target of 95%:
// forecast 88%". Councils write exactly this ("on course to just fail"); the bot says it early, in
// `show`, the digest and the report, and alerts when an indicator still green or amber today is
// forecast to miss.
//
// The method, by how an indicator's values add up (its aggregation):
//   - counts that build up over the year (cumulative, ytd): the year to date at its run rate —
//     the total so far × periods in the year ÷ periods elapsed; when last year's values are all known,
//     last year's seasonal profile instead: the total so far ÷ the share of last year's total that
//     last year had reached by the same point (a council that completes most houses in Q4 is not
//     "on course to miss" in Q3 because of it); a running total in % ends at most at 100%;
//   - percentages to date (ytd_percent: council tax collected): the figure so far and the points last
//     year added after the same point (56.9% by Q2, and the 40.3 points after 56.6% by Q2 last year:
//     97.2%), else the points the target profile adds after the period, else the run rate; between the
//     figure so far and 100%;
//   - levels and rates (snapshot): a bounded trend — the median slope of the latest run of
//     consecutive values (Theil–Sen: one odd value does not swing it), damped towards the year end
//     (each period ahead adds DAMPING × the last period's step), and kept within the run's own
//     range widened by that range (and within 0–100 for a percentage, at or above zero for a
//     history that never went below it);
//   - averages: the periods still to come at that bounded trend, averaged with those known.
// A year that is complete has an outturn, not a forecast; a year with nothing known yet has neither.
import { accumulates, isRunningTotal, yearToDate } from './aggregation.ts';
import { formatNumber, formatValue, isPercentUnit } from './format.ts';
import { comparePeriods, financialYearOf, formatPeriod, formatPeriodShort, periodContaining, periodsOfYearTo, periodsPerYear, previousPeriod, samePeriodLastYear } from './periods.ts';
import { amberLimitFor, statusFor } from './status.ts';
import type { Aggregation, OrgRules, Period, Polarity, Status, Tolerance } from './types.ts';

/** Values in a trend: the latest run of consecutive periods, at most this many. */
export const TREND_VALUES = 6;
/** How much of a period's step carries into the next period ahead. */
export const DAMPING = 0.7;

export interface ForecastIndicator {
  polarity: Polarity;
  aggregation: Aggregation;
  unit: string;
  decimals?: number;
  tolerance?: Tolerance | null;
  /** A percentage to date read from the figures rather than the register: why ("its targets rise through 2025/26"). */
  aggregationInferredFrom?: string | null;
}

export interface ForecastInput {
  indicator: ForecastIndicator;
  observations: readonly { period: Period; value: number }[];
  targets: readonly { period: Period; value: number | null; amberFloor?: number | null }[];
  rules: Pick<OrgRules, 'fyStartMonth' | 'tolerance'>;
  /** The last period known (default: the latest with a value). Later values are not read (back-tests). */
  asOf?: Period;
}

export type ForecastMethod = 'run-rate' | 'seasonal' | 'profile' | 'trend';

export interface Forecast {
  year: Period;
  /** The year-end target and the worst value still amber. */
  target: number;
  amberLimit: number | null;
  value: number;
  method: ForecastMethod;
  /** The last period the forecast is made from, and how many of the year's periods are in. */
  asOf: Period;
  elapsed: number;
  periods: number;
  /** The forecast judged against the year-end target: green meets it, amber just misses, red misses. */
  status: Extract<Status, 'green' | 'amber' | 'red'>;
  /** "on course to miss the year-end target of 95%: forecast 88%" */
  sentence: string;
  /** How it was worked out, for people who ask: "the year to date at its run rate (310 in 3 of 4 quarters)". */
  basis: string;
}

/** The financial year's target at its end: the annual target, else the last period's (or, for per-period counts, the sum of every period's). */
export function yearEndTarget(
  year: Period,
  aggregation: Aggregation,
  periodKind: Period['kind'],
  targets: ForecastInput['targets'],
  fy: number,
): { value: number; amberFloor: number | null } | null {
  const annual = targets.find((t) => t.period.key === year.key && t.value !== null);
  if (annual) return { value: annual.value!, amberFloor: annual.amberFloor ?? null };
  const inYear = targets.filter((t) => t.period.kind === periodKind && t.value !== null && financialYearOf(t.period, fy).key === year.key);
  const n = periodsPerYear(periodKind);
  if (aggregation === 'cumulative') return inYear.length === n ? { value: inYear.reduce((s, t) => s + t.value!, 0), amberFloor: null } : null;
  const last = inYear.find((t) => periodsOfYearTo(t.period, fy).length === n);
  return last ? { value: last.value!, amberFloor: last.amberFloor ?? null } : null;
}

export function forecastYearEnd(input: ForecastInput): Forecast | null {
  const { indicator: ind, rules } = input;
  const fy = rules.fyStartMonth;
  if (ind.polarity === 'none') return null;
  const known = input.observations.filter((o) => !input.asOf || comparePeriods(o.period, input.asOf) <= 0).sort((a, b) => comparePeriods(a.period, b.period));
  const asOf = input.asOf ?? known.at(-1)?.period;
  if (!asOf || (asOf.kind !== 'month' && asOf.kind !== 'quarter')) return null;
  const byKey = new Map(known.map((o) => [o.period.key, o]));
  if (!byKey.has(asOf.key)) return null;
  const year = financialYearOf(asOf, fy);
  const elapsed = periodsOfYearTo(asOf, fy).length;
  const periods = periodsPerYear(asOf.kind);
  if (elapsed >= periods) return null; // the year is complete: an outturn, not a forecast
  const target = yearEndTarget(year, ind.aggregation, asOf.kind, input.targets, fy);
  if (!target) return null;

  const projected = project(ind, asOf, byKey, known, input.targets, target.value, fy, elapsed, periods);
  if (!projected) return null;
  const tolerance = ind.tolerance ?? rules.tolerance;
  const status = statusFor(projected.value, target.value, ind.polarity, tolerance, target.amberFloor) as Forecast['status'];
  const fmt = (v: number) => formatValue(v, ind.unit, ind.decimals);
  const sentence =
    status === 'green'
      ? `on course to meet the year-end target of ${fmt(target.value)}: forecast ${fmt(projected.value)}`
      : status === 'amber'
        ? `on course to miss the year-end target of ${fmt(target.value)}: forecast ${fmt(projected.value)} (within the tolerance)`
        : `on course to miss the year-end target of ${fmt(target.value)}: forecast ${fmt(projected.value)}`;
  return {
    year,
    target: target.value,
    amberLimit: amberLimitFor(target.value, ind.polarity, tolerance, target.amberFloor),
    value: projected.value,
    method: projected.method,
    asOf,
    elapsed,
    periods,
    status,
    sentence,
    basis: ind.aggregationInferredFrom ? `${projected.basis}; read as a percentage to date, as ${ind.aggregationInferredFrom}` : projected.basis,
  };
}

type Known = ReadonlyMap<string, { value: number }>;

function project(
  ind: ForecastIndicator,
  asOf: Period,
  byKey: Known,
  known: readonly { period: Period; value: number }[],
  targets: ForecastInput['targets'],
  yearEnd: number,
  fy: number,
  elapsed: number,
  periods: number,
): { value: number; method: ForecastMethod; basis: string } | null {
  const fmt = (v: number) => formatValue(v, ind.unit, ind.decimals);
  const kindWord = asOf.kind === 'month' ? 'months' : 'quarters';
  if (ind.aggregation === 'ytd_percent') return projectToDate(ind, asOf, byKey, targets, yearEnd, fy, elapsed, periods);
  if (accumulates(ind.aggregation)) {
    const ytd = yearToDate(asOf, ind.aggregation, byKey, fy);
    if (ytd.value === null || ytd.partial) return null;
    // A running total kept in % cannot end the year past 100%.
    const bound = (v: number) => (isPercentUnit(ind.unit) && isRunningTotal(ind.aggregation) ? Math.min(100, v) : v);
    const lastYear = samePeriodLastYear(asOf, fy);
    const share = seasonalShare(ind.aggregation, lastYear, byKey, fy);
    if (share !== null) {
      return {
        value: bound(ytd.value / share),
        method: 'seasonal',
        basis: `the year to date (${fmt(ytd.value)} by ${formatPeriod(asOf)}) on last year's seasonal profile: by ${formatPeriod(lastYear)} last year had ${Math.round(share * 100)}% of its total`,
      };
    }
    return {
      value: bound((ytd.value * periods) / elapsed),
      method: 'run-rate',
      basis: `the year to date at its run rate: ${fmt(ytd.value)} in ${elapsed} of ${periods} ${kindWord}`,
    };
  }
  const run = latestRun(known, asOf, fy);
  if (ind.aggregation === 'average') {
    const thisYear = periodsOfYearTo(asOf, fy).map((p) => byKey.get(p.key)?.value);
    if (thisYear.some((v) => v === undefined)) return null;
    const ahead = Array.from({ length: periods - elapsed }, (_, i) => boundedTrend(run, i + 1, ind.unit));
    const value = [...(thisYear as number[]), ...ahead].reduce((s, v) => s + v, 0) / periods;
    return { value, method: 'trend', basis: `${elapsed} of ${periods} ${kindWord} known, the rest on the trend of the last ${run.length}` };
  }
  const value = boundedTrend(run, periods - elapsed, ind.unit);
  return {
    value,
    method: 'trend',
    basis: run.length > 1 ? `the trend of the last ${run.length} ${kindWord}, damped and bounded` : `no trend yet: the latest value held`,
  };
}

/** The share of last year's total reached by the same point, when last year is fully known; else null. */
function seasonalShare(aggregation: Aggregation, lastYearPoint: Period, byKey: Known, fy: number): number | null {
  const soFar = yearToDate(lastYearPoint, aggregation, byKey, fy);
  const total = yearToDate(periodContaining(financialYearOf(lastYearPoint, fy).end, lastYearPoint.kind, fy), aggregation, byKey, fy);
  if (soFar.value === null || soFar.partial || total.value === null || total.partial) return null;
  if (!(total.value > 0) || !(soFar.value > 0)) return null;
  const share = soFar.value / total.value;
  // A profile that says the year was over before it began, or ran backwards, is no guide.
  return share > 0.02 && share <= 1 ? share : null;
}

/**
 * A percentage to date (council tax collected): the figure so far and the points still to come — those
 * last year added after the same point (56.9% by Q2, and the 40.3 points 2024/25 added after its Q2:
 * 97.2%), else those the target profile adds after the period, else its run rate; never below the
 * figure so far, nor (in %) above 100%. Points, not a ratio: the whole is fixed (the year's debit), and
 * a slow month early in the year (instalment dates, a payment run that slipped) is made up later rather
 * than carried through the year threefold.
 */
function projectToDate(
  ind: ForecastIndicator,
  asOf: Period,
  byKey: Known,
  targets: ForecastInput['targets'],
  yearEnd: number,
  fy: number,
  elapsed: number,
  periods: number,
): { value: number; method: ForecastMethod; basis: string } {
  const fmt = (v: number) => formatValue(v, ind.unit, ind.decimals);
  const points = (v: number) => `${formatNumber(v, ind.decimals ?? 1)} point${formatNumber(v, ind.decimals ?? 1) === '1' ? '' : 's'}`;
  const percent = isPercentUnit(ind.unit);
  const soFar = byKey.get(asOf.key)!.value;
  const bound = (v: number) => (percent ? Math.min(100, Math.max(soFar, v)) : Math.max(soFar, v));
  const capped = (v: number) => (percent && v > 100 ? ', at most 100%' : '');
  const when = formatPeriodShort(asOf);
  const lastYear = samePeriodLastYear(asOf, fy);
  const then = byKey.get(lastYear.key)?.value;
  const lastEnd = byKey.get(periodContaining(financialYearOf(lastYear, fy).end, asOf.kind, fy).key)?.value;
  if (then !== undefined && lastEnd !== undefined) {
    const value = soFar + (lastEnd - then);
    return {
      value: bound(value),
      method: 'seasonal',
      basis: `${fmt(soFar)} by ${when}, plus the ${points(lastEnd - then)} that ${financialYearOf(lastYear, fy).key} added after ${formatPeriodShort(lastYear)}, from ${fmt(then)} to ${fmt(lastEnd)}${capped(value)}`,
    };
  }
  const profiled = targets.find((t) => t.period.key === asOf.key && t.value !== null)?.value;
  if (profiled !== undefined && profiled !== null) {
    const value = soFar + (yearEnd - profiled);
    return {
      value: bound(value),
      method: 'profile',
      basis: `${fmt(soFar)} by ${when}, plus the ${points(yearEnd - profiled)} that the target profile adds after ${when}, from ${fmt(profiled)} to ${fmt(yearEnd)}${capped(value)}`,
    };
  }
  const value = (soFar * periods) / elapsed;
  return {
    value: bound(value),
    method: 'run-rate',
    basis: `${fmt(soFar)} in ${elapsed} of ${periods} ${asOf.kind === 'month' ? 'months' : 'quarters'} at its run rate${capped(value)}`,
  };
}

/** The latest run of consecutive periods ending at `asOf`, oldest first, at most TREND_VALUES. */
function latestRun(known: readonly { period: Period; value: number }[], asOf: Period, fy: number): number[] {
  const byKey = new Map(known.map((o) => [o.period.key, o.value]));
  const out: number[] = [];
  for (let p = asOf; out.length < TREND_VALUES && byKey.has(p.key); p = previousPeriod(p, fy)) out.unshift(byKey.get(p.key)!);
  return out;
}

/** Theil–Sen slope: the median of the slopes between every pair of points. */
export function medianSlope(ys: readonly number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < ys.length; i++) for (let j = i + 1; j < ys.length; j++) slopes.push((ys[j]! - ys[i]!) / (j - i));
  if (!slopes.length) return 0;
  slopes.sort((a, b) => a - b);
  const n = slopes.length;
  return n % 2 ? slopes[(n - 1) / 2]! : (slopes[n / 2 - 1]! + slopes[n / 2]!) / 2;
}

/** The value `h` periods ahead of the run's last: damped trend, bounded by the run's range (and the unit). */
export function boundedTrend(run: readonly number[], h: number, unit: string): number {
  const last = run.at(-1)!;
  const slope = medianSlope(run);
  let steps = 0;
  for (let i = 1; i <= h; i++) steps += DAMPING ** i;
  const lo = Math.min(...run);
  const hi = Math.max(...run);
  const spread = hi - lo;
  let v = Math.min(hi + spread, Math.max(lo - spread, last + slope * steps));
  if (isPercentUnit(unit)) v = Math.min(100, Math.max(0, v));
  if (lo >= 0) v = Math.max(0, v);
  return v;
}

// ---- back-test: how the forecast would have done on history, against a naive forecast ----

/** The naive forecast: the latest figure carries on — the last value (levels), the last period's amount every period left (counts). */
export function naiveYearEnd(ind: Pick<ForecastIndicator, 'aggregation'>, asOf: Period, byKey: Known, fy: number): number | null {
  const own = byKey.get(asOf.key)?.value;
  if (own === undefined) return null;
  const elapsed = periodsOfYearTo(asOf, fy).length;
  const left = periodsPerYear(asOf.kind) - elapsed;
  if (ind.aggregation === 'snapshot') return own;
  const thisYear = periodsOfYearTo(asOf, fy).map((p) => byKey.get(p.key)?.value);
  if (thisYear.some((v) => v === undefined)) return null;
  const vs = thisYear as number[];
  if (ind.aggregation === 'average') return (vs.reduce((s, v) => s + v, 0) + own * left) / (elapsed + left);
  if (ind.aggregation === 'cumulative') return vs.reduce((s, v) => s + v, 0) + own * left;
  const step = elapsed > 1 ? own - vs[elapsed - 2]! : own;
  const naive = own + step * left;
  return ind.aggregation === 'ytd_percent' ? Math.min(100, Math.max(own, naive)) : naive;
}

/** What a complete year ended on: the year to date at its last period. */
function outturn(ind: ForecastIndicator, year: Period, kind: Period['kind'], byKey: Known, fy: number): { value: number; last: Period } | null {
  const last = periodContaining(year.end, kind, fy);
  const ytd = yearToDate(last, ind.aggregation, byKey, fy);
  return ytd.value === null || ytd.partial ? null : { value: ytd.value, last };
}

export interface BacktestSeries {
  name: string;
  indicator: ForecastIndicator;
  observations: { period: Period; value: number }[];
  targets: ForecastInput['targets'];
}

export interface BacktestCase {
  name: string;
  year: Period;
  asOf: Period;
  actual: number;
  target: number;
  forecast: number;
  naive: number;
  method: ForecastMethod;
  /** Did the year end missing its target (amber or red), and did each forecast say so? */
  missed: boolean;
  forecastMiss: boolean;
  naiveMiss: boolean;
}

export interface BacktestSummary {
  cases: number;
  indicators: number;
  years: number;
  /** Mean absolute percentage error of the year-end forecast, and of the naive one (cases with a non-zero outturn). */
  mape: number | null;
  naiveMape: number | null;
  /** Share of cases whose met/missed call was right. */
  callsRight: number | null;
  naiveCallsRight: number | null;
  /** Of the years that ended missing their target: the share each forecast called a miss. */
  misses: number;
  missesCalled: number | null;
  naiveMissesCalled: number | null;
  byMethod: Record<ForecastMethod, number>;
}

/** Every complete year with a year-end target, forecast from each point part-way through it. */
export function backtestCases(series: readonly BacktestSeries[], rules: Pick<OrgRules, 'fyStartMonth' | 'tolerance'>): BacktestCase[] {
  const fy = rules.fyStartMonth;
  const out: BacktestCase[] = [];
  for (const s of series) {
    if (s.indicator.polarity === 'none') continue;
    const obs = s.observations.filter((o) => o.period.kind === 'month' || o.period.kind === 'quarter');
    const byKey = new Map(obs.map((o) => [o.period.key, o]));
    const years = new Map<string, { year: Period; kind: Period['kind'] }>();
    for (const o of obs) years.set(financialYearOf(o.period, fy).key, { year: financialYearOf(o.period, fy), kind: o.period.kind });
    for (const { year, kind } of years.values()) {
      const end = outturn(s.indicator, year, kind, byKey, fy);
      if (!end) continue;
      const target = yearEndTarget(year, s.indicator.aggregation, kind, s.targets, fy);
      if (!target) continue;
      const tolerance = s.indicator.tolerance ?? rules.tolerance;
      const missed = statusFor(end.value, target.value, s.indicator.polarity, tolerance, target.amberFloor) !== 'green';
      for (const asOf of periodsOfYearTo(end.last, fy).slice(0, -1)) {
        const f = forecastYearEnd({ indicator: s.indicator, observations: obs, targets: s.targets, rules, asOf });
        const naive = naiveYearEnd(s.indicator, asOf, byKey, fy);
        if (!f || naive === null) continue;
        out.push({
          name: s.name,
          year,
          asOf,
          actual: end.value,
          target: target.value,
          forecast: f.value,
          naive,
          method: f.method,
          missed,
          forecastMiss: f.status !== 'green',
          naiveMiss: statusFor(naive, target.value, s.indicator.polarity, tolerance, target.amberFloor) !== 'green',
        });
      }
    }
  }
  return out;
}

export function summariseBacktest(cases: readonly BacktestCase[]): BacktestSummary {
  const share = (n: number, d: number) => (d ? n / d : null);
  const withActual = cases.filter((c) => c.actual !== 0);
  const ape = (f: (c: BacktestCase) => number) => share(withActual.reduce((s, c) => s + Math.abs(f(c) - c.actual) / Math.abs(c.actual), 0), withActual.length);
  const misses = cases.filter((c) => c.missed);
  const byMethod: Record<ForecastMethod, number> = { 'run-rate': 0, seasonal: 0, profile: 0, trend: 0 };
  for (const c of cases) byMethod[c.method]++;
  return {
    cases: cases.length,
    indicators: new Set(cases.map((c) => c.name)).size,
    years: new Set(cases.map((c) => `${c.name}|${c.year.key}`)).size,
    mape: ape((c) => c.forecast),
    naiveMape: ape((c) => c.naive),
    callsRight: share(cases.filter((c) => c.forecastMiss === c.missed).length, cases.length),
    naiveCallsRight: share(cases.filter((c) => c.naiveMiss === c.missed).length, cases.length),
    misses: misses.length,
    missesCalled: share(misses.filter((c) => c.forecastMiss).length, misses.length),
    naiveMissesCalled: share(misses.filter((c) => c.naiveMiss).length, misses.length),
    byMethod,
  };
}
