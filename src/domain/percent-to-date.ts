// Reading a percentage to date from a register that does not say so. Councils keep "percentage of
// council tax collected" (29% by Q1, 57% by Q2 … 97% by March) as a "snapshot" — their own guidance
// calls a rate to date one — yet it is a running total towards the year end, and judged, compared and
// forecast as a level it cries wolf ("on course to miss 97%: forecast 63.5%"). A percentage the
// register calls a snapshot is read as a percentage to date (`ytd_percent`) when its own figures say
// so, in the year of its latest value and the year before:
//   - its targets rise through a year from near the pro-rata share towards the year-end target (a
//     profile: 29.5%, 56.8% … 97%), or its values rise through a year from near the pro-rata share and
//     start again at the next (96.9% in March, 29.1% in June);
//   - and nothing says it is a level: no year's targets or values flat or falling, or starting far above
//     the pro-rata share (a rate improving from 85% to 90% is a level).
// Any other aggregation the register gives is kept as it is: an explicit `cumulative %` (ytd_percent)
// needs no evidence, and `cumulative`, `ytd` and `average` are never second-guessed.
import { isPercentUnit } from './format.ts';
import { comparePeriods, financialYearOf, periodsOfYearTo, periodsPerYear, samePeriodLastYear } from './periods.ts';
import type { Aggregation, Period } from './types.ts';

/** How far above its pro-rata share a figure to date may start: its first period's share of the latest is at most k/n + this. */
export const SHARE_MARGIN = 0.15;
/** A figure to date may dip by this share of its latest figure (a refund) and still be rising. */
export const DIP = 0.01;

export type Shape = 'to-date' | 'level';

/** A figure at the `k`-th period of its financial year (the year end is k = n). */
export interface ShapePoint {
  k: number;
  value: number;
}

/**
 * How one year's figures run: 'to-date' when they rise from near the pro-rata share of the last one
 * (reaching back into the first half of the year), 'level' when they are flat, fall, or start far above
 * it; null when they cannot tell (fewer than two, or only late in the year and consistent with either).
 */
export function shapeOf(points: readonly ShapePoint[], n: number): Shape | null {
  const byK = new Map<number, number>();
  for (const p of points) if (!byK.has(p.k) && Number.isFinite(p.value)) byK.set(p.k, p.value);
  const ps = [...byK].sort((a, b) => a[0] - b[0]).map(([k, value]) => ({ k, value }));
  if (ps.length < 2) return null;
  const first = ps[0]!;
  const last = ps.at(-1)!;
  if (!(first.value >= 0) || !(last.value > first.value)) return 'level';
  for (let i = 1; i < ps.length; i++) if (ps[i]!.value < ps[i - 1]!.value - DIP * last.value) return 'level';
  if (first.value / last.value > first.k / last.k + SHARE_MARGIN) return 'level';
  return first.k <= n / 2 ? 'to-date' : null;
}

/** A year's last figure and the next year's first: a figure to date starts again near its first period's share. */
export function resetOf(lastOfYear: number, firstOfNext: number, n: number): Shape {
  return lastOfYear > 0 && firstOfNext >= 0 && firstOfNext / lastOfYear <= 1 / n + SHARE_MARGIN ? 'to-date' : 'level';
}

export interface AggregationReading {
  aggregation: Aggregation;
  /** Read from the figures, not the register: why, in words ("its targets rise through the year to 97%"). */
  inferredFrom: string | null;
}

export interface ReadingInput {
  aggregation: Aggregation;
  unit: string;
  observations: readonly { period: Period; value: number }[];
  targets: readonly { period: Period; value: number | null }[];
  fyStartMonth: number;
}

/** The aggregation the engine works with: the register's, or a percentage to date read from the figures (see the top of the file). */
export function readAggregation(input: ReadingInput): AggregationReading {
  const declared: AggregationReading = { aggregation: input.aggregation, inferredFrom: null };
  if (input.aggregation !== 'snapshot' || !isPercentUnit(input.unit)) return declared;
  const fy = input.fyStartMonth;
  const inYear = (p: Period) => p.kind === 'month' || p.kind === 'quarter';
  const latest = input.observations.filter((o) => inYear(o.period)).sort((a, b) => comparePeriods(a.period, b.period)).at(-1);
  if (!latest) return declared;
  const kind = latest.period.kind;
  const n = periodsPerYear(kind);
  const thisYear = financialYearOf(latest.period, fy);
  const lastYear = financialYearOf(samePeriodLastYear(latest.period, fy), fy);
  const kOf = (p: Period) => periodsOfYearTo(p, fy).length;

  const values = (year: Period) => input.observations.filter((o) => o.period.kind === kind && financialYearOf(o.period, fy).key === year.key).map((o) => ({ k: kOf(o.period), value: o.value }));
  const targets = (year: Period) => {
    const points: ShapePoint[] = input.targets
      .filter((t) => t.value !== null && t.period.kind === kind && financialYearOf(t.period, fy).key === year.key)
      .map((t) => ({ k: kOf(t.period), value: t.value! }));
    const annual = input.targets.find((t) => t.period.key === year.key && t.value !== null);
    return annual ? [...points, { k: n, value: annual.value! }] : points;
  };

  const votes: { shape: Shape | null; from: 'targets' | 'values' | 'reset'; year: Period }[] = [];
  for (const year of [lastYear, thisYear]) {
    votes.push({ shape: shapeOf(targets(year), n), from: 'targets', year });
    votes.push({ shape: shapeOf(values(year), n), from: 'values', year });
  }
  const lastEnd = values(lastYear).find((p) => p.k === n);
  const thisStart = values(thisYear).find((p) => p.k === 1);
  if (lastEnd && thisStart) votes.push({ shape: resetOf(lastEnd.value, thisStart.value, n), from: 'reset', year: thisYear });

  if (votes.some((v) => v.shape === 'level')) return declared;
  const latestFirst = [...votes].reverse();
  const profile = latestFirst.find((v) => v.from === 'targets' && v.shape === 'to-date');
  if (profile) return { aggregation: 'ytd_percent', inferredFrom: `its targets rise through ${profile.year.key}` };
  const rising = latestFirst.find((v) => v.from === 'values' && v.shape === 'to-date');
  if (rising && votes.some((v) => v.from === 'reset' && v.shape === 'to-date')) {
    return { aggregation: 'ytd_percent', inferredFrom: `its values rise through the year and start again in ${thisYear.key}` };
  }
  return declared;
}

