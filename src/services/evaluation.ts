// From stored records to the engine and back: the evaluation of one indicator, what is due, and
// the chart that goes with it. Used by commands and jobs alike.
import { formulaInputs } from './calculated.ts';
import { accumulates } from '../domain/aggregation.ts';
import { isPercentUnit } from '../domain/format.ts';
import { readAggregation } from '../domain/percent-to-date.ts';
import { readBaselineLabel } from '../domain/baseline.ts';
import { evaluate, type BaselinePoint, type BenchmarkLookup, type Evaluation, type EvaluationInput } from '../domain/evaluate.ts';
import { forecastYearEnd, type Forecast } from '../domain/forecast.ts';
import { defaultPeriod, dueDate, formatPeriod, formatPeriodShort, latestDuePeriod, periodFromKey, previousPeriod, type PeriodCadence } from '../domain/periods.ts';
import type { LocalDate, Period, Status } from '../domain/types.ts';
import { daysBetween, formatDate } from '../domain/dates.ts';
import { defaultFirstPeriod, isCollected, markCovers, supersededBy } from '../domain/collection.ts';
import type { IndicatorRecord, NotCollectedRecord, ObservationRecord, OrgSettings, TargetRecord, ValueRecord } from '../ports.ts';
import type { TrendChartSpec } from '../charts/spec.ts';

export interface IndicatorHistory {
  observations: ObservationRecord[];
  targets: TargetRecord[];
  /** What a benchmark target means by period, where comparator data was loaded (src/services/comparators.ts, withBenchmark). */
  benchmark?: BenchmarkLookup;
}

/** What evaluating and charting read: the values (not who sent them) and the targets. */
export interface ValueHistory {
  observations: ValueRecord[];
  targets: TargetRecord[];
  benchmark?: BenchmarkLookup;
}

/** Values an evaluation reads per indicator (the scheduled job): a year of monthly values and the same month last year. */
export const HISTORY_WINDOW = 13;
/** For a monthly count compared as the year to date with the same point last year: two financial years of months. */
export const YEAR_TO_DATE_WINDOW = 24;

/**
 * How many recent values per indicator evaluate the register exactly as its full history would:
 * two years of months for a monthly count or percentage (compared as the year to date with the same
 * point last year, forecast to the year end on last year's seasonal profile, and read as a percentage
 * to date from last year's figures), else 13.
 */
export function historyWindow(indicators: Pick<IndicatorRecord, 'frequency' | 'aggregation' | 'dotBasis' | 'unit'>[], _org?: Pick<OrgSettings, 'dotBasis'>): number {
  // A monthly percentage may be a percentage to date read from its figures (src/domain/percent-to-date.ts): its year and the one before.
  const yearToDate = indicators.some((i) => i.frequency === 'monthly' && (accumulates(i.aggregation) || isPercentUnit(i.unit)));
  return yearToDate ? YEAR_TO_DATE_WINDOW : HISTORY_WINDOW;
}

/**
 * The history as of `today`: values for periods that have not started are left out, so a value
 * typed for a far-off period (saved before such values were refused, or by a clock set wrong) is
 * never taken as the latest. Targets for future periods are kept: they are set ahead on purpose.
 */
export function startedBy<H extends ValueHistory>(h: H, today: LocalDate, fyStartMonth: number): H {
  if (!h.observations.some((o) => periodFromKey(o.periodKey, fyStartMonth).start > today)) return h;
  return { ...h, observations: h.observations.filter((o) => periodFromKey(o.periodKey, fyStartMonth).start <= today) };
}

/** The one message for a value given for a period that has not begun, wherever it comes in. */
export function notStartedError(period: Period, today: LocalDate): string | null {
  return period.start > today ? `${formatPeriod(period)} has not started yet (today is ${formatDate(today)}). Values can be given once a period has begun.` : null;
}

export function evaluationInput(ind: IndicatorRecord, h: ValueHistory, org: OrgSettings, period?: Period): EvaluationInput {
  const fy = org.fyStartMonth;
  const observations = h.observations.map((o) => ({
    period: periodFromKey(o.periodKey, fy),
    value: o.value,
    estimated: o.estimated,
    provisional: o.provisional,
    assessedStatus: o.assessedStatus,
  }));
  const targets = h.targets.map((t) => ({ period: periodFromKey(t.periodKey, fy), value: t.value, amberFloor: t.amberFloor, text: t.text }));
  // A percentage the register calls a snapshot may be a percentage to date (council tax collected).
  const reading = readAggregation({ aggregation: ind.aggregation, unit: ind.unit, observations, targets, fyStartMonth: fy });
  return {
    indicator: {
      name: ind.name,
      polarity: ind.polarity,
      frequency: ind.frequency,
      aggregation: reading.aggregation,
      aggregationInferredFrom: reading.inferredFrom,
      unit: ind.unit,
      decimals: ind.decimals,
      tolerance: ind.tolerance,
      dotBasis: ind.dotBasis,
      maintainedBand: ind.maintainedBand,
      baseline: baselinePoint(ind.baseline, fy),
    },
    observations,
    targets,
    rules: { fyStartMonth: fy, tolerance: org.tolerance, dotBasis: org.dotBasis, maintainedBand: org.maintainedBand, latestAvailable: org.latestAvailable ?? true },
    ...(period ? { period } : {}),
    ...(h.benchmark ? { benchmark: h.benchmark } : {}),
  };
}

/** A stored baseline for the engine: its period read when it is one ("2016/17", "March 2017"; "2016/17 outturn", "Outturn" marked as the year's outturn), kept as written otherwise ("Summer 2016"). */
export function baselinePoint(b: IndicatorRecord['baseline'], fy: number): BaselinePoint | null {
  if (b.value === null && b.text === null) return null;
  const read = readBaselineLabel(b.period, fy);
  return { value: b.value, period: read.period, label: b.period, text: b.text, ...(read.outturn ? { outturn: true } : {}) };
}

export function evaluateIndicator(ind: IndicatorRecord, h: ValueHistory, org: OrgSettings, period?: Period): Evaluation {
  return evaluate(evaluationInput(ind, h, org, period));
}

/** The year-end forecast for an indicator with a year-end target, from its values up to `asOf` (default: all). */
export function forecastIndicator(ind: IndicatorRecord, h: ValueHistory, org: OrgSettings, asOf?: Period): Forecast | null {
  const input = evaluationInput(ind, h, org);
  return forecastYearEnd({ indicator: input.indicator, observations: input.observations, targets: input.targets, rules: input.rules, ...(asOf ? { asOf } : {}) });
}

/** Whether this status calls for an exception report under the organisation's rules. */
export function needsExceptionReport(status: Status, org: OrgSettings): boolean {
  return status === 'red' || (status === 'amber' && org.exceptionForAmber);
}

/** Why a missing value is not asked for. */
export type NotAsked =
  /** The period ended before the first period collected (the organisation's go-live). */
  | { why: 'before-collection'; first: Period }
  /** An admin marked the period "not collected". */
  | { why: 'not-collected'; mark: NotCollectedRecord }
  /** A later value makes it moot: a level measured again since, a running total the year has moved past. */
  | { why: 'superseded'; by: Period }
  /** A calculated indicator: worked out from its inputs (which are chased), never typed. */
  | { why: 'calculated'; inputs: string[] };

/**
 * Whether an exception report for a period is owed yet: once the period's value is due (its end plus
 * the reporting lag — never for a quarter still running, whatever was typed for it early) and only for
 * a period collected (not before go-live).
 */
export function exceptionDue(ind: Pick<IndicatorRecord, 'reportingLagDays'>, period: Period, today: LocalDate, org: OrgSettings): boolean {
  return dueDate(period, ind.reportingLagDays) <= today && isCollected(period, firstCollected(org, today));
}

export interface DueState {
  /** The most recent period whose value is due by today (null if none is due yet). */
  period: Period | null;
  due: LocalDate | null;
  /** Due, no value yet, and asked for. */
  missing: boolean;
  /** Missing and today is past the due date. */
  overdue: boolean;
  daysOverdue: number;
  /** The period has no value but is not asked for, and why; null when it is asked for or has its value. */
  notAsked: NotAsked | null;
}

/** The first period whose values are collected: the organisation's `collect-from`, else (not set yet) the most recent quarter that has ended. */
export function firstCollected(org: Pick<OrgSettings, 'collectFrom' | 'fyStartMonth'>, today: LocalDate): Period {
  return org.collectFrom ? periodFromKey(org.collectFrom, org.fyStartMonth) : defaultFirstPeriod(today, org.fyStartMonth);
}

/** Why a period's missing value is not asked for, if it is not: before go-live, marked not collected, or superseded by a later value. */
export function notAskedFor(ind: IndicatorRecord, h: ValueHistory, period: Period, today: LocalDate, org: OrgSettings, marks: readonly NotCollectedRecord[] = []): NotAsked | null {
  if (ind.formula) return { why: 'calculated', inputs: formulaInputs(ind) };
  const first = firstCollected(org, today);
  if (!isCollected(period, first)) return { why: 'before-collection', first };
  const mark = marks.find((m) => markCovers(m, ind, period));
  if (mark) return { why: 'not-collected', mark };
  const by = supersededBy(period, ind.aggregation, h.observations.map((o) => periodFromKey(o.periodKey, org.fyStartMonth)), org.fyStartMonth);
  return by ? { why: 'superseded', by } : null;
}

/** "2016/17 is before 2017/18 Q3, the first period collected" — why a gap is not chased, for people. */
export function describeNotAsked(n: NotAsked, period: Period): string {
  switch (n.why) {
    case 'before-collection':
      return `${formatPeriod(period)} is before ${formatPeriod(n.first)}, the first period collected`;
    case 'not-collected':
      return `${formatPeriod(period)} is not collected: ${n.mark.reason}`;
    case 'superseded':
      return `${formatPeriod(period)} is superseded by the value for ${formatPeriod(n.by)}`;
    case 'calculated':
      return `${formatPeriod(period)} is calculated from ${n.inputs.join(', ')}, which are asked for instead`;
  }
}

/**
 * What an owner owes for an indicator today: the latest due period, and whether its value is in and
 * asked for — not when the period is before the first period collected, marked "not collected" (`marks`),
 * or superseded by a later value.
 */
export function dueState(ind: IndicatorRecord, h: ValueHistory, today: LocalDate, org: OrgSettings, marks: readonly NotCollectedRecord[] = []): DueState {
  const period = latestDuePeriod(ind.frequency, today, ind.reportingLagDays, org.fyStartMonth);
  if (!period) return { period: null, due: null, missing: false, overdue: false, daysOverdue: 0, notAsked: null };
  const due = dueDate(period, ind.reportingLagDays);
  const absent = !h.observations.some((o) => o.periodKey === period.key);
  const notAsked = absent ? notAskedFor(ind, h, period, today, org, marks) : null;
  const missing = absent && !notAsked;
  const daysOverdue = missing ? Math.max(0, daysBetween(due, today)) : 0;
  return { period, due, missing, overdue: missing && today > due, daysOverdue, notAsked };
}

/**
 * The period a submission without one means: the oldest period being collected now (from the latest
 * whose value is due to the latest that has ended) that has no value yet — the one `/kpi mine` and the
 * chase list owe, or the quarter just ended once that is in; when all have values, the latest due
 * (a correction, asked about first). An earlier gap is filled by naming its period.
 */
export function defaultSubmitPeriod(ind: IndicatorRecord, h: ValueHistory, today: LocalDate, org: OrgSettings): Period {
  const has = new Set(h.observations.map((o) => o.periodKey));
  return defaultPeriod(submitCadence(ind, org), today, (key) => has.has(key));
}

/** An indicator's reporting cadence, as the period rules read it. */
export function submitCadence(ind: Pick<IndicatorRecord, 'frequency' | 'reportingLagDays'>, org: Pick<OrgSettings, 'fyStartMonth' | 'collectFrom'>): PeriodCadence {
  // Go-live (`collect-from`): a period that ended before it is never collected, so never the one a value without a period means.
  const collectedFrom = org.collectFrom ? periodFromKey(org.collectFrom, org.fyStartMonth).start : null;
  return { frequency: ind.frequency, lagDays: ind.reportingLagDays, fy: org.fyStartMonth, collectedFrom };
}

/** The trend chart for an indicator: its last `n` values, the target line and the RAG bands for the latest target. */
export function trendChart(ind: IndicatorRecord, h: ValueHistory, ev: Evaluation, org: OrgSettings, n = 8): TrendChartSpec {
  const fy = org.fyStartMonth;
  const obs = h.observations.slice(-n);
  const targetFor = (key: string) => h.targets.find((t) => t.periodKey === key)?.value ?? null;
  // On a time scale: each point in the middle of its period, and the line broken where periods are missing.
  const points = obs.map((o, i) => {
    const p = periodFromKey(o.periodKey, fy);
    const before = i > 0 ? obs[i - 1]!.periodKey : null;
    return {
      label: chartLabel(p),
      at: (Date.parse(`${p.start}T00:00:00Z`) + Date.parse(`${p.end}T00:00:00Z`)) / 2 / 86_400_000,
      ...(before !== null && previousPeriod(p, fy).key !== before ? { gapBefore: true } : {}),
      value: o.value,
      estimated: o.estimated,
      provisional: o.provisional,
      ...(ev.period?.key === o.periodKey ? { status: ev.status } : {}),
    };
  });
  // The target each period was judged against: its own, else the one the engine applies (the year's, pro rata where it adds up).
  const targetValues = obs.map((o) => targetFor(o.periodKey) ?? (ev.period?.key === o.periodKey ? ev.target.value : evaluateIndicator(ind, h, org, periodFromKey(o.periodKey, fy)).target.value));
  const hasTarget = targetValues.some((v) => v !== null);
  const t = ev.target.value;
  return {
    kind: 'trend',
    title: ind.name,
    unit: ind.unit,
    polarity: ind.polarity,
    points,
    ...(hasTarget ? { target: { values: targetValues, label: 'Target' } } : {}),
    ...(t !== null && ind.polarity !== 'none' ? { bands: { amberFrom: t, redFrom: ev.target.amberLimit } } : {}),
    valueFormat: { decimals: ind.decimals, ...(ind.unit.trim() === '%' ? { suffix: '%' } : {}), ...(ind.unit.startsWith('£') ? { prefix: '£' } : {}) },
  };
}

/** "Q3 17/18", "Dec 17", "2017/18": short enough for an axis, unambiguous across years. */
export function chartLabel(p: Period): string {
  const short = formatPeriodShort(p);
  if (p.kind === 'quarter') return `${short} ${p.key.slice(2, 4)}/${p.key.slice(5, 7)}`;
  if (p.kind === 'month') return `${short} ${p.key.slice(2, 4)}`;
  return short;
}
