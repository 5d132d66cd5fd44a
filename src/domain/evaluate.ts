// The evaluation of one indicator for one period: the value compared (year-to-date where the
// indicator accumulates), the target that applies, the RAG status, the direction of travel, and one
// plain sentence a director can read.
import { accumulates, isPartOfYear, yearToDate } from './aggregation.ts';
import { baselineFor, endsFinancialYear } from './baseline.ts';
import { boundFits, NOT_SET_YET, readTextTarget } from './text-target.ts';
import type { BenchmarkAim, BenchmarkFigure } from './comparators.ts';
import { comparisonFor, DEFAULT_MAINTAINED_BAND, directionFor, directionSentence as directionWords, type BaselinePoint, type Comparison, type NoDirection } from './direction.ts';
import { formatValue } from './format.ts';
import { comparePeriods, financialYearOf, formatPeriod, formatPeriodShort, nextPeriod, periodsOfYearTo, periodsPerYear, samePeriodLastYear } from './periods.ts';
import { amberLimitFor, statusFor } from './status.ts';
import type { Aggregation, Direction, DotBasis, Frequency, MaintainedBand, OrgRules, Period, Polarity, Status, Tolerance } from './types.ts';

export { statusFor, statusRank, amberLimitFor } from './status.ts';
export { directionFor, isMaintained, DOT_BASIS_PHRASE, describeMaintainedBand, type BaselinePoint, type Comparison, type NoDirection } from './direction.ts';

export interface IndicatorSpec {
  name?: string;
  polarity: Polarity;
  frequency: Frequency;
  aggregation: Aggregation;
  /** A percentage to date read from the figures rather than the register (src/domain/percent-to-date.ts): why. */
  aggregationInferredFrom?: string | null;
  unit: string;
  decimals?: number;
  /** Null: the organisation's default tolerance. An amber floor, if any, comes on the target. */
  tolerance?: Tolerance | null;
  /** Null: the organisation's default basis for direction of travel. */
  dotBasis?: DotBasis | null;
  /** Null: the organisation's default "maintained" band. */
  maintainedBand?: MaintainedBand | null;
  /** The baseline (usually last year's outturn), for the `baseline` basis. */
  baseline?: BaselinePoint | null;
}

export interface ObservationPoint {
  period: Period;
  value: number;
  estimated?: boolean;
  provisional?: boolean;
  /** A status set by management judgement, overriding the computed one. */
  assessedStatus?: Status | null;
  assessedBy?: string | null;
}

export interface TargetPoint {
  period: Period;
  value: number | null;
  amberFloor?: number | null;
  /** A textual target as printed ("Top quartile", "TBC"). */
  text?: string | null;
}

export interface EvaluationInput {
  indicator: IndicatorSpec;
  observations: ObservationPoint[];
  targets: TargetPoint[];
  rules: OrgRules;
  /** Default: the latest period with a value. */
  period?: Period;
  /** What a benchmark target ("Top quartile") means for a period, from comparator data (absent: none imported). */
  benchmark?: BenchmarkLookup;
}

/** A benchmark aim's figure for a period (src/services/comparators.ts builds it over the comparator data). */
export type BenchmarkLookup = (aim: BenchmarkAim, period: Period) => BenchmarkFigure;

export type TargetBasis = 'profiled' | 'annual' | 'pro-rata' | 'none';

/** Why an indicator has no RAG status, by kind: what `kpi evaluate` counts. */
export type NoStatusCode =
  | 'no-value-yet'
  | 'no-value-this-year'
  | 'not-yet-in'
  | 'reported-annually'
  | 'no-target'
  | 'target-is-text'
  | 'contextual';

export interface NoStatus {
  code: NoStatusCode;
  /** One short reason: "no target set", "the target is text (\"TBC\")". */
  text: string;
}

export interface Evaluation {
  /** The period evaluated (asked for, or the latest with a value). */
  period: Period | null;
  /**
   * When the period's own value is not in yet: the earlier period of its financial year whose value
   * stands in for it (value, status, direction and sentence are that period's). Null otherwise.
   */
  latestAvailable: Period | null;
  /** The value compared with the target: year-to-date for cumulative and average indicators. */
  value: number | null;
  /** The value recorded for the period itself. */
  periodValue: number | null;
  estimated: boolean;
  provisional: boolean;
  target: { value: number | null; text: string | null; basis: TargetBasis; amberLimit: number | null };
  status: Status;
  computedStatus: Status;
  assessed: boolean;
  /** Why there is no RAG status (in measurement, no target…); null when there is one. */
  statusReason: NoStatus | null;
  direction: Direction | null;
  /** What direction of travel compared with: the indicator's basis, or the organisation's. */
  directionBasis: DotBasis;
  comparedWith: Comparison | null;
  /** Why there is no direction of travel ("no value for 2017/18 Q2 to compare with"). */
  directionNote: string | null;
  /** The kind of reason there is no direction of travel; null when there is one. */
  directionReason: NoDirection | null;
  statusSentence: string;
  directionSentence: string | null;
  explanation: string;
}

/** The basis an indicator's direction of travel is computed on: its own, else the organisation's. */
export function dotBasisOf(indicator: Pick<IndicatorSpec, 'dotBasis'>, rules: Pick<OrgRules, 'dotBasis'>): DotBasis {
  return indicator.dotBasis ?? rules.dotBasis;
}

/** The band inside which direction of travel is "maintained": the indicator's own, else the organisation's. */
export function maintainedBandOf(indicator: Pick<IndicatorSpec, 'maintainedBand'>, rules: Partial<Pick<OrgRules, 'maintainedBand'>>): MaintainedBand {
  return indicator.maintainedBand ?? rules.maintainedBand ?? DEFAULT_MAINTAINED_BAND;
}

const STATUS_WORD: Record<Status, string> = {
  green: 'Green',
  amber: 'Amber',
  red: 'Red',
  in_measurement: 'In measurement',
  no_target: 'No target',
};

interface SelectedTarget {
  value: number | null;
  text: string | null;
  basis: TargetBasis;
  amberFloor: number | null;
  /** For pro-rata targets: the annual figure it came from. */
  annual?: number;
  /** A target read from words: how ("read from \"No more than 10%\"", "2016/17 outturn"). */
  read?: string;
  /** A bound that excludes its own figure ("Under 4 weeks"): the figure itself is not met. */
  strict?: boolean;
  /** A textual target not used: why ("it is judged against benchmarks…"). */
  why?: string;
}

/** What reading a textual target needs besides the words: the indicator, and its values for last year's outturn. */
export interface TargetContext {
  polarity: Polarity;
  unit: string;
  baseline?: BaselinePoint | null;
  observations: readonly ObservationPoint[];
  benchmark?: BenchmarkLookup | undefined;
}

/**
 * The target that applies to a period: the one set for exactly that period (profiled, or the annual
 * target of an annual indicator), else the financial year's: as is for levels and averages,
 * pro-rata to the periods elapsed for counts that build up over the year. With `ctx`, a target
 * written in words is read where it is unambiguous (src/domain/text-target.ts).
 */
export function selectTarget(period: Period, indicator: Pick<IndicatorSpec, 'aggregation'>, targets: TargetPoint[], fy: number, ctx?: TargetContext): SelectedTarget {
  const exact = targets.find((t) => t.period.key === period.key);
  if (exact && exact.value !== null) {
    return { value: exact.value, text: null, basis: period.kind === 'financial_year' ? 'annual' : 'profiled', amberFloor: exact.amberFloor ?? null };
  }
  if (exact?.text) return fromText(exact.text, exact.period, period, indicator.aggregation, fy, ctx);
  if (period.kind === 'month' || period.kind === 'quarter') {
    const year = financialYearOf(period, fy);
    const annual = targets.find((t) => t.period.key === year.key);
    if (annual && annual.value !== null) {
      if (accumulates(indicator.aggregation)) {
        const elapsed = periodsOfYearTo(period, fy).length;
        const value = (annual.value * elapsed) / periodsPerYear(period.kind);
        return { value, text: null, basis: 'pro-rata', amberFloor: null, annual: annual.value };
      }
      return { value: annual.value, text: null, basis: 'annual', amberFloor: annual.amberFloor ?? null };
    }
    if (annual?.text) return fromText(annual.text, annual.period, period, indicator.aggregation, fy, ctx);
  }
  return { value: null, text: null, basis: 'none', amberFloor: null };
}

const PER_YEAR = { month: 12, quarter: 4, year: 1 } as const;

/** A target in words, for `period` (the target row is for `from`): a figure where the words are unambiguous, else the text and why. */
function fromText(text: string, from: Period, period: Period, aggregation: Aggregation, fy: number, ctx?: TargetContext): SelectedTarget {
  const none = (why?: string): SelectedTarget => ({ value: null, text, basis: 'none', amberFloor: null, ...(why ? { why } : {}) });
  const words = readTextTarget(text);
  if (!words) return none();
  if (words.kind === 'pending') return none(words.why);
  if (!ctx) return none();
  const counts = accumulates(aggregation);
  const soFar = isPartOfYear(period);
  const of = soFar ? periodsPerYear(period.kind) : 1;
  const elapsed = soFar ? periodsOfYearTo(period, fy).length : 1;
  /** A year's figure for this period: pro rata for a count part-way through the year, else as is. */
  const forYear = (annual: number, read: string): SelectedTarget =>
    counts && soFar ? { value: (annual * elapsed) / of, text: null, basis: 'pro-rata', amberFloor: null, annual, read } : { value: annual, text: null, basis: 'annual', amberFloor: null, read };

  if (words.kind === 'last-year') {
    const outturn = lastYearOutturn(period, aggregation, ctx, fy);
    if (!outturn) return none(`no outturn for ${financialYearOf(samePeriodLastYear(period, fy), fy).key} to compare with`);
    return forYear(outturn.value, `${outturn.label}, "${text}"`);
  }
  if (words.kind === 'benchmark') {
    const figure = ctx.benchmark ? ctx.benchmark(words.aim, period) : { ok: false as const, why: `no comparator data has been imported for ${formatPeriod(period)}` };
    if (!figure.ok) return none(figure.why);
    return { value: figure.value, text: null, basis: period.kind === 'financial_year' ? 'annual' : 'profiled', amberFloor: null, read: `"${text}": ${figure.read}`, ...(figure.strict ? { strict: true } : {}) };
  }
  const misfit = boundFits(words, ctx.polarity, ctx.unit);
  if (misfit) return none(misfit);
  const read = `read from "${text}"`;
  const strict = words.strict ? { strict: true } : {};
  const kindWord = period.kind === 'month' ? 'month' : period.kind === 'quarter' ? 'quarter' : 'year';
  if (words.per === null || words.per === kindWord) {
    // As a figure in that cell would be: the period's own, or the year's (pro rata for a count).
    if (from.key === period.key || words.per === kindWord) {
      if (words.per === kindWord && counts && soFar) return { value: words.value * elapsed, text: null, basis: 'pro-rata', amberFloor: null, annual: words.value * of, read, ...strict };
      return { value: words.value, text: null, basis: period.kind === 'financial_year' ? 'annual' : 'profiled', amberFloor: null, read, ...strict };
    }
    return { ...forYear(words.value, read), ...strict };
  }
  // "500 a quarter" for a monthly count, "10 a month" for an annual one: only a count can be scaled.
  if (!counts) return none(`it is per ${words.per}, but the indicator is reported per ${kindWord}`);
  return { ...forYear(words.value * PER_YEAR[words.per], read), ...strict };
}

/** Last year's outturn: the baseline when it is last year's, else last year's year-end figure from the values. */
function lastYearOutturn(period: Period, aggregation: Aggregation, ctx: TargetContext, fy: number): { value: number; label: string } | null {
  const lastYear = financialYearOf(samePeriodLastYear(period, fy), fy);
  const b = baselineFor(ctx.baseline ?? null, aggregation, period, fy);
  if (b && b.value !== null && b.period && financialYearOf(b.period, fy).key === lastYear.key && (b.period.kind === 'financial_year' || endsFinancialYear(b.period, fy))) {
    return { value: b.value, label: `${lastYear.key} outturn` };
  }
  const byKey = new Map(ctx.observations.map((o) => [o.period.key, o.value]));
  const whole = byKey.get(lastYear.key);
  if (whole !== undefined) return { value: whole, label: `${lastYear.key} outturn` };
  if (!isPartOfYear(period)) return null;
  const periods = periodsOfYearTo(samePeriodLastYear(lastPeriodOfYear(period, fy), fy), fy);
  const values = periods.map((p) => byKey.get(p.key));
  const last = values.at(-1);
  if (aggregation === 'cumulative' || aggregation === 'average') {
    if (values.some((v) => v === undefined)) return null;
    const sum = (values as number[]).reduce((a, v) => a + v, 0);
    return { value: aggregation === 'average' ? sum / values.length : sum, label: `${lastYear.key} outturn` };
  }
  return last === undefined ? null : { value: last, label: `${lastYear.key} outturn (${formatPeriodShort(periods.at(-1)!)})` };
}

/** The last period of `period`'s financial year, of its kind. */
function lastPeriodOfYear(period: Period, fy: number): Period {
  let p = period;
  while (!endsFinancialYear(p, fy)) p = nextPeriod(p, fy);
  return p;
}

export function evaluate(input: EvaluationInput): Evaluation {
  const { indicator, rules } = input;
  const fy = rules.fyStartMonth;
  const obs = [...input.observations].sort((a, b) => comparePeriods(a.period, b.period));
  const byKey = new Map(obs.map((o) => [o.period.key, o]));
  const period = input.period ?? obs.at(-1)?.period ?? null;

  const basis = dotBasisOf(indicator, rules);
  const annual = indicator.frequency === 'annual' ? ' (reported annually)' : '';
  if (!period) {
    const reason: NoStatus = { code: indicator.frequency === 'annual' ? 'reported-annually' : 'no-value-yet', text: `no value yet${annual}` };
    return emptyEvaluation(null, `In measurement: no value yet${annual}`, basis, reason);
  }
  if (byKey.has(period.key)) return evaluateAt(input, period, byKey, null);

  // Not in yet: the latest value of the period's financial year stands in for it, as councils report.
  const latest = rules.latestAvailable === false ? null : latestAvailableBefore(period, obs, fy);
  if (latest) return evaluateAt(input, period, byKey, latest);

  const target = selectTarget(period, indicator, input.targets, fy);
  const tolerance = indicator.tolerance ?? rules.tolerance;
  const amberLimit = target.value !== null ? amberLimitFor(target.value, indicator.polarity, tolerance, target.amberFloor) : null;
  const earlier = rules.latestAvailable === false && isPartOfYear(period) ? latestAvailableBefore(period, obs, fy) : null;
  const reason: NoStatus = indicator.frequency === 'annual' || !isPartOfYear(period)
    ? { code: 'reported-annually', text: `no value for ${formatPeriod(period)} yet${annual}` }
    : earlier
      ? { code: 'not-yet-in', text: `no value for ${formatPeriod(period)} yet (the latest, ${formatPeriodShort(earlier)}, is not used: latest-available is off)` }
      : { code: 'no-value-this-year', text: `no value in ${financialYearOf(period, fy).key} up to ${formatPeriodShort(period)}` };
  const s = `In measurement: no value for ${formatPeriod(period)} yet${annual}`;
  return { ...emptyEvaluation(period, s, basis, reason), target: { value: target.value, text: target.text, basis: target.basis, amberLimit } };
}

/** The latest period of `period`'s financial year, before it and of its kind, that has a value. */
export function latestAvailableBefore(period: Period, observations: readonly ObservationPoint[], fy: number): Period | null {
  if (!isPartOfYear(period)) return null;
  const year = financialYearOf(period, fy).key;
  let best: Period | null = null;
  for (const o of observations) {
    const p = o.period;
    if (p.kind !== period.kind || comparePeriods(p, period) >= 0 || financialYearOf(p, fy).key !== year) continue;
    if (!best || comparePeriods(p, best) > 0) best = p;
  }
  return best;
}

/**
 * The evaluation of `period` on the value of `at` (the period's own, or — `standIn` — the latest
 * available earlier this year, said in the sentence: "Green: 71% at Q1 (Q2 not yet in) …").
 */
function evaluateAt(input: EvaluationInput, asked: Period, byKey: Map<string, ObservationPoint>, standIn: Period | null): Evaluation {
  const { indicator, rules } = input;
  const fy = rules.fyStartMonth;
  const period = standIn ?? asked;
  const fmt = (v: number) => formatValue(v, indicator.unit, indicator.decimals);
  const basis = dotBasisOf(indicator, rules);
  const own = byKey.get(period.key)!;
  const target = selectTarget(period, indicator, input.targets, fy, { polarity: indicator.polarity, unit: indicator.unit, baseline: indicator.baseline ?? null, observations: input.observations, benchmark: input.benchmark });
  const tolerance = indicator.tolerance ?? rules.tolerance;
  const amberLimit = target.value !== null ? amberLimitFor(target.value, indicator.polarity, tolerance, target.amberFloor) : null;
  const targetOut = { value: target.value, text: target.text, basis: target.basis, amberLimit };

  const { value, partial } = yearToDate(period, indicator.aggregation, byKey, fy);
  const v = value!;
  const estimated = Boolean(own.estimated);
  const provisional = Boolean(own.provisional);
  const marker = estimated ? ' (estimated)' : provisional ? ' (provisional)' : '';
  const ytdWord = (indicator.aggregation === 'cumulative' || indicator.aggregation === 'ytd_percent') && (period.kind === 'quarter' || period.kind === 'month')
    ? ` so far this year${partial ? ' (some periods missing)' : ''}`
    : indicator.aggregation === 'average' && (period.kind === 'quarter' || period.kind === 'month')
      ? ' year-to-date average'
      : '';
  const notYetIn = standIn ? ` (${formatPeriodShort(asked)} not yet in)` : '';
  const at = standIn ? ` at ${formatPeriodShort(period)}${notYetIn}` : '';

  // Status
  let computed: Status;
  let statusSentence: string;
  let statusReason: NoStatus | null = null;
  if (indicator.polarity === 'none') {
    computed = 'no_target';
    statusReason = { code: 'contextual', text: 'a contextual measure has no RAG status' };
    statusSentence = `No RAG status (a contextual measure with no better direction): ${fmt(v)}${ytdWord}${marker} in ${formatPeriodShort(period)}${notYetIn}`;
  } else if (target.value === null) {
    computed = 'no_target';
    statusReason = target.text ? { code: 'target-is-text', text: `the target is text ("${target.text}")${target.why ? `: ${target.why}` : ''}` } : { code: 'no-target', text: 'no target set' };
    const why = target.why && target.why !== NOT_SET_YET ? `: ${target.why}` : '';
    statusSentence = `No target set${target.text ? ` (${target.text}${why})` : ''}: ${fmt(v)}${ytdWord}${marker} in ${formatPeriodShort(period)}${notYetIn}`;
  } else {
    computed = statusFor(v, target.value, indicator.polarity, tolerance, target.amberFloor);
    // "Under 4 weeks": exactly 4 weeks is not under.
    if (target.strict && computed === 'green' && Math.abs(v - target.value) <= 1e-9 * Math.max(1, Math.abs(target.value))) computed = 'amber';
    const about = [target.basis === 'pro-rata' ? `annual target ${fmt(target.annual!)}` : null, target.read ?? null].filter(Boolean).join('; ');
    const targetWords = `${target.basis === 'pro-rata' ? 'a pro-rata target' : 'a target'} of ${fmt(target.value)}${about ? ` (${about})` : ''}`;
    const band =
      computed === 'green' || amberLimit === null
        ? ''
        : ` (amber ${indicator.polarity === 'higher' ? 'down' : 'up'} to ${fmt(amberLimit)})`;
    statusSentence = `${STATUS_WORD[computed]}: ${fmt(v)}${ytdWord}${marker}${at} against ${targetWords}${band}`;
  }

  let status = computed;
  let assessed = false;
  if (own.assessedStatus && own.assessedStatus !== computed) {
    status = own.assessedStatus;
    assessed = true;
    statusReason = null;
    const by = own.assessedBy ? ` by ${own.assessedBy}` : '';
    statusSentence = `${STATUS_WORD[status]} (management assessment${by}; computed ${STATUS_WORD[computed]}): ${statusSentence.replace(/^[^:]+: /, '')}`;
  }

  // Direction of travel
  const band = maintainedBandOf(indicator, rules);
  const baseline = baselineFor(indicator.baseline ?? null, indicator.aggregation, period, fy);
  let direction: Direction | null = null;
  let directionSentence: string | null = null;
  let comparedWith: Comparison | null = null;
  let directionNote: string | null = null;
  let directionReason: NoDirection | null = null;
  if (indicator.polarity === 'none') {
    directionNote = 'a contextual measure has no better direction';
    directionReason = 'contextual';
  } else {
    const c = comparisonFor({ period, aggregation: indicator.aggregation, judged: v, values: byKey, baseline: indicator.baseline ?? null, basis, fy });
    if (!c.ok) {
      directionNote = c.reason;
      directionReason = c.code;
    } else {
      comparedWith = c.comparison;
      direction = directionFor(c.comparison.current, c.comparison.value, indicator.polarity, band, indicator.decimals ?? 2);
      directionSentence = direction && directionWords(direction, c.comparison, { period, fy, band, fmt, baseline });
    }
  }

  return {
    period: asked,
    latestAvailable: standIn,
    value: v,
    periodValue: own.value,
    estimated,
    provisional,
    target: targetOut,
    status,
    computedStatus: computed,
    assessed,
    statusReason,
    direction,
    directionBasis: basis,
    comparedWith,
    directionNote,
    directionReason,
    statusSentence,
    directionSentence,
    explanation: `${statusSentence}${directionSentence ? `; ${directionSentence}` : ''}.`,
  };
}

function emptyEvaluation(period: Period | null, sentence: string, directionBasis: DotBasis, statusReason: NoStatus): Evaluation {
  return {
    period,
    latestAvailable: null,
    value: null,
    periodValue: null,
    estimated: false,
    provisional: false,
    target: { value: null, text: null, basis: 'none', amberLimit: null },
    status: 'in_measurement',
    computedStatus: 'in_measurement',
    assessed: false,
    statusReason,
    direction: null,
    directionBasis,
    comparedWith: null,
    directionNote: period ? `no value for ${formatPeriod(period)} yet` : 'no value yet',
    directionReason: 'no-value',
    statusSentence: sentence,
    directionSentence: null,
    explanation: `${sentence}.`,
  };
}
