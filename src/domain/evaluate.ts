// The evaluation of one indicator for one period: the value compared (year-to-date where the
// indicator accumulates), the target that applies, the RAG status, the direction of travel, and one
// plain sentence a director can read.
import { accumulates, yearToDate } from './aggregation.ts';
import { comparisonFor, DEFAULT_MAINTAINED_BAND, directionFor, directionSentence as directionWords, type BaselinePoint, type Comparison } from './direction.ts';
import { formatValue } from './format.ts';
import { comparePeriods, financialYearOf, formatPeriod, formatPeriodShort, periodsOfYearTo, periodsPerYear } from './periods.ts';
import { amberLimitFor, statusFor } from './status.ts';
import type { Aggregation, Direction, DotBasis, Frequency, MaintainedBand, OrgRules, Period, Polarity, Status, Tolerance } from './types.ts';

export { statusFor, statusRank, amberLimitFor } from './status.ts';
export { directionFor, isMaintained, DOT_BASIS_PHRASE, describeMaintainedBand, type BaselinePoint, type Comparison } from './direction.ts';

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
}

export type TargetBasis = 'profiled' | 'annual' | 'pro-rata' | 'none';

export interface Evaluation {
  period: Period | null;
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
  direction: Direction | null;
  /** What direction of travel compared with: the indicator's basis, or the organisation's. */
  directionBasis: DotBasis;
  comparedWith: Comparison | null;
  /** Why there is no direction of travel ("no value for 2017/18 Q2 to compare with"). */
  directionNote: string | null;
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
}

/**
 * The target that applies to a period: the one set for exactly that period (profiled, or the annual
 * target of an annual indicator), else the financial year's: as is for levels and averages,
 * pro-rata to the periods elapsed for counts that build up over the year.
 */
export function selectTarget(period: Period, indicator: Pick<IndicatorSpec, 'aggregation'>, targets: TargetPoint[], fy: number): SelectedTarget {
  const exact = targets.find((t) => t.period.key === period.key);
  if (exact && exact.value !== null) {
    return { value: exact.value, text: null, basis: period.kind === 'financial_year' ? 'annual' : 'profiled', amberFloor: exact.amberFloor ?? null };
  }
  if (exact?.text) return { value: null, text: exact.text, basis: 'none', amberFloor: null };
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
    if (annual?.text) return { value: null, text: annual.text, basis: 'none', amberFloor: null };
  }
  return { value: null, text: null, basis: 'none', amberFloor: null };
}

export function evaluate(input: EvaluationInput): Evaluation {
  const { indicator, rules } = input;
  const fy = rules.fyStartMonth;
  const obs = [...input.observations].sort((a, b) => comparePeriods(a.period, b.period));
  const byKey = new Map(obs.map((o) => [o.period.key, o]));
  const period = input.period ?? obs.at(-1)?.period ?? null;
  const fmt = (v: number) => formatValue(v, indicator.unit, indicator.decimals);

  const basis = dotBasisOf(indicator, rules);
  if (!period) {
    const s = `In measurement: no value yet${indicator.frequency === 'annual' ? ' (reported annually)' : ''}`;
    return emptyEvaluation(null, s, basis);
  }
  const own = byKey.get(period.key);
  const target = selectTarget(period, indicator, input.targets, fy);
  const tolerance = indicator.tolerance ?? rules.tolerance;
  const amberLimit = target.value !== null ? amberLimitFor(target.value, indicator.polarity, tolerance, target.amberFloor) : null;
  const targetOut = { value: target.value, text: target.text, basis: target.basis, amberLimit };

  if (!own) {
    const annual = indicator.frequency === 'annual' ? ' (reported annually)' : '';
    const s = `In measurement: no value for ${formatPeriod(period)} yet${annual}`;
    return { ...emptyEvaluation(period, s, basis), target: targetOut };
  }

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

  // Status
  let computed: Status;
  let statusSentence: string;
  if (indicator.polarity === 'none') {
    computed = 'no_target';
    statusSentence = `No RAG status (a contextual measure with no better direction): ${fmt(v)}${ytdWord}${marker} in ${formatPeriodShort(period)}`;
  } else if (target.value === null) {
    computed = 'no_target';
    statusSentence = `No target set${target.text ? ` (${target.text})` : ''}: ${fmt(v)}${ytdWord}${marker} in ${formatPeriodShort(period)}`;
  } else {
    computed = statusFor(v, target.value, indicator.polarity, tolerance, target.amberFloor);
    const targetWords =
      target.basis === 'pro-rata'
        ? `a pro-rata target of ${fmt(target.value)} (annual target ${fmt(target.annual!)})`
        : `a target of ${fmt(target.value)}`;
    const band =
      computed === 'green' || amberLimit === null
        ? ''
        : ` (amber ${indicator.polarity === 'higher' ? 'down' : 'up'} to ${fmt(amberLimit)})`;
    statusSentence = `${STATUS_WORD[computed]}: ${fmt(v)}${ytdWord}${marker} against ${targetWords}${band}`;
  }

  let status = computed;
  let assessed = false;
  if (own.assessedStatus && own.assessedStatus !== computed) {
    status = own.assessedStatus;
    assessed = true;
    const by = own.assessedBy ? ` by ${own.assessedBy}` : '';
    statusSentence = `${STATUS_WORD[status]} (management assessment${by}; computed ${STATUS_WORD[computed]}): ${statusSentence.replace(/^[^:]+: /, '')}`;
  }

  // Direction of travel
  const band = maintainedBandOf(indicator, rules);
  let direction: Direction | null = null;
  let directionSentence: string | null = null;
  let comparedWith: Comparison | null = null;
  let directionNote: string | null = null;
  if (indicator.polarity === 'none') directionNote = 'a contextual measure has no better direction';
  else {
    const c = comparisonFor({ period, aggregation: indicator.aggregation, judged: v, values: byKey, baseline: indicator.baseline ?? null, basis, fy });
    if (!c.ok) directionNote = c.reason;
    else {
      comparedWith = c.comparison;
      direction = directionFor(c.comparison.current, c.comparison.value, indicator.polarity, band, indicator.decimals ?? 2);
      directionSentence = direction && directionWords(direction, c.comparison, { period, fy, band, fmt, baseline: indicator.baseline ?? null });
    }
  }

  return {
    period,
    value: v,
    periodValue: own.value,
    estimated,
    provisional,
    target: targetOut,
    status,
    computedStatus: computed,
    assessed,
    direction,
    directionBasis: basis,
    comparedWith,
    directionNote,
    statusSentence,
    directionSentence,
    explanation: `${statusSentence}${directionSentence ? `; ${directionSentence}` : ''}.`,
  };
}

function emptyEvaluation(period: Period | null, sentence: string, directionBasis: DotBasis): Evaluation {
  return {
    period,
    value: null,
    periodValue: null,
    estimated: false,
    provisional: false,
    target: { value: null, text: null, basis: 'none', amberLimit: null },
    status: 'in_measurement',
    computedStatus: 'in_measurement',
    assessed: false,
    direction: null,
    directionBasis,
    comparedWith: null,
    directionNote: period ? `no value for ${formatPeriod(period)} yet` : 'no value yet',
    statusSentence: sentence,
    directionSentence: null,
    explanation: `${sentence}.`,
  };
}
