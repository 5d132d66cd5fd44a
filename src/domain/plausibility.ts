// Is a value plausible for its indicator? A slipped decimal point (84 for 8.4), a sign typed the
// wrong way round, a percentage over 100 or a figure far outside the indicator's own history is not
// refused — people do report real surprises — but asked about before it is saved, with the history it
// was judged against: "84 days is 8× anything sickness-absence has had (7.84–10.49 days). Save 84
// days anyway, or change it?". Every way in (chat, form, card, import) uses this one rule.
//
// The rule, robust to the odd earlier mistake in the history:
//   - the reference is the indicator's most recent values before the period (up to RECENT of them;
//     where fewer come before it, the nearest after it: an import of old history), never the value
//     being replaced;
//   - a value is usual when it lies within max(K robust standard deviations, RELATIVE × |median|,
//     the reference's own range) of the median, the robust standard deviation being 1.4826 × MAD
//     (median absolute deviation);
//   - an unusual value is put down to a slipped decimal point when ×10, ÷10, ×100 or ÷100 makes it
//     usual, to a sign flip when its negative is usual and the history has one sign, else it is an outlier;
//   - a percentage over 100 is always asked about (history or not), a negative one when it is unusual.
// Figures kept as a running total through the year (ytd, ytd_percent) are compared by their pace — the total
// scaled to a whole year — so a fourth-quarter total is not "4× anything" its first quarters had.
//
// Indicators with fewer than MIN_HISTORY values are not checked against their history: with three
// figures there is no telling usual from unusual, and asking about every new indicator's values would
// teach people to click through the question. Nor is a history with no spread at all (every value
// the same): it says nothing about how far a next value may reasonably move. Neither is said to the
// person; only the percentage rule applies to them.
import { isPartOfYear, isRunningTotal } from './aggregation.ts';
import { formatNumber, formatRange, formatValue, isPercentUnit } from './format.ts';
import { comparePeriods, periodsOfYearTo, periodsPerYear } from './periods.ts';
import type { Aggregation, Period } from './types.ts';

/** Values a judgement needs before it means anything. */
export const MIN_HISTORY = 4;
/** Recent values the judgement reads. */
export const RECENT = 8;
/** Robust standard deviations from the median that are still usual. */
export const K = 5;
/** A move of half the median's size is still usual, however steady the history. */
export const RELATIVE = 0.5;
const MAD_TO_SD = 1.4826;

export interface PlausibilityIndicator {
  slug: string;
  unit: string;
  aggregation: Aggregation;
  decimals?: number;
}

export interface PlausibilityInput {
  indicator: PlausibilityIndicator;
  period: Period;
  value: number;
  /** The indicator's other values (any order); a value for `period` itself is ignored. */
  history: readonly { period: Period; value: number }[];
  fyStartMonth: number;
}

export type Concern = 'percent-over-100' | 'decimal-slip' | 'sign-flip' | 'outlier';

export interface Reference {
  count: number;
  min: number;
  max: number;
  median: number;
  /** How far from the median is still usual. */
  tolerance: number;
  /** Compared as a pace a year (running totals). */
  pace: boolean;
}

export type Plausibility =
  | { kind: 'plausible'; reference: Reference | null }
  /** Not checked against history (too little of it, or none with any spread): said in code, not to the person. */
  | { kind: 'unchecked'; reason: 'too-little-history' | 'no-spread' }
  | {
      kind: 'ask';
      concern: Concern;
      /** What the person most likely meant (the decimal point or sign put right), when that is usual. */
      suggestion: number | null;
      reference: Reference | null;
      /** "84 days is 8× anything sickness-absence has had (7.84–10.49 days)." */
      finding: string;
      /** The finding and the question: "… Save 84 days anyway, or change it?" */
      question: string;
    };

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (!n) return NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Median absolute deviation from the median. */
export function mad(xs: readonly number[]): number {
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m)));
}

/** The multiplier that turns a period's value into the figure compared: the pace a year for a running total part-way through the year. */
function paceFactor(ind: PlausibilityIndicator, p: Period, fy: number): number {
  if (!isRunningTotal(ind.aggregation) || !isPartOfYear(p)) return 1;
  return periodsPerYear(p.kind) / periodsOfYearTo(p, fy).length;
}

/** The reference a value is judged against: the most recent values before its period, topped up with the nearest after it. */
export function referenceFor(input: PlausibilityInput): { values: number[]; pace: boolean } {
  const { period, indicator, fyStartMonth: fy } = input;
  const others = input.history.filter((h) => h.period.key !== period.key && h.period.kind === period.kind);
  const before = others.filter((h) => comparePeriods(h.period, period) < 0).sort((a, b) => comparePeriods(b.period, a.period));
  const after = others.filter((h) => comparePeriods(h.period, period) > 0).sort((a, b) => comparePeriods(a.period, b.period));
  const chosen = [...before.slice(0, RECENT), ...after.slice(0, Math.max(0, RECENT - before.length))];
  const pace = isRunningTotal(indicator.aggregation) && isPartOfYear(period);
  return { values: chosen.map((h) => h.value * paceFactor(indicator, h.period, fy)), pace };
}

export function describeReference(values: readonly number[], pace: boolean): Reference {
  const m = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const tolerance = Math.max(K * MAD_TO_SD * mad(values), RELATIVE * Math.abs(m), max - min);
  return { count: values.length, min, max, median: m, tolerance, pace };
}

const usual = (x: number, r: Reference): boolean => Math.abs(x - r.median) <= r.tolerance * (1 + 1e-9);

/** Decimal-point slips people make, most likely first. */
const SLIPS = [0.1, 10, 0.01, 100];

export function checkPlausibility(input: PlausibilityInput): Plausibility {
  const { indicator: ind, value } = input;
  const percent = isPercentUnit(ind.unit);
  const factor = paceFactor(ind, input.period, input.fyStartMonth);
  const ref = referenceFor(input);
  const enough = ref.values.length >= MIN_HISTORY;
  const reference = enough ? describeReference(ref.values, ref.pace) : null;
  const judged = value * factor;
  const say = sayer(ind, value, reference);

  // A percentage is out of 100, whatever the history.
  if (percent && value > 100) {
    const suggestion = reference && reference.tolerance > 0 ? slipFor(judged, reference, factor) : null;
    return say('percent-over-100', suggestion, `${fmtOf(ind)(value)} is over 100%${reference ? `, and ${ind.slug} has had ${range(ind, reference)}` : ''}.`);
  }
  if (!reference) return { kind: 'unchecked', reason: 'too-little-history' };
  if (reference.tolerance === 0) return { kind: 'unchecked', reason: 'no-spread' };
  if (usual(judged, reference)) return { kind: 'plausible', reference };

  const oneSign = reference.min > 0 ? 1 : reference.max < 0 ? -1 : 0;
  if (oneSign !== 0 && Math.sign(judged) === -oneSign && usual(-judged, reference)) {
    return say('sign-flip', -value, `${fmtOf(ind)(value)} is ${value < 0 ? 'negative' : 'positive'}, but every value ${ind.slug} has had is ${oneSign > 0 ? 'positive' : 'negative'} (${range(ind, reference)}).`);
  }
  const slip = slipFor(judged, reference, factor);
  return say(slip === null ? 'outlier' : 'decimal-slip', slip, `${fmtOf(ind)(value)}${reference.pace ? ` so far this year (a pace of ${fmtOf(ind)(judged)} a year)` : ''} is ${howFar(judged, reference)} anything ${ind.slug} has ${reference.pace ? 'run at' : 'had'} (${range(ind, reference)}).`);
}

function slipFor(judged: number, r: Reference, factor: number): number | null {
  for (const f of SLIPS) if (usual(judged * f, r)) return round(judged * f) / factor;
  return null;
}

const round = (x: number) => Number(x.toPrecision(12));

function howFar(x: number, r: Reference): string {
  if (x > r.max) return r.max > 0 && x / r.max >= 2 ? `${formatNumber(x / r.max, 0)}×` : 'far above';
  return 'far below';
}

const fmtOf = (ind: PlausibilityIndicator) => (v: number) => formatValue(v, ind.unit, ind.decimals);

function range(ind: PlausibilityIndicator, r: Reference): string {
  return `${formatRange(r.min, r.max, ind.unit, ind.decimals)}${r.pace ? ' a year' : ''}`;
}

function sayer(ind: PlausibilityIndicator, value: number, reference: Reference | null) {
  return (concern: Concern, suggestion: number | null, finding: string): Plausibility => {
    const fmt = fmtOf(ind);
    const meant = suggestion !== null && fmt(suggestion) !== fmt(value) ? ` Did you mean ${fmt(suggestion)}?` : '';
    return {
      kind: 'ask',
      concern,
      suggestion: meant ? suggestion : null,
      reference,
      finding,
      question: `${finding}${meant} Save ${fmt(value)} anyway, or change it?`,
    };
  };
}

/** What a plausibility check found, as one line for an import's warnings: "84 days is 8× … (7.84–10.49 days); did you mean 8.4 days?" */
export function plausibilityNote(p: Extract<Plausibility, { kind: 'ask' }>, ind: PlausibilityIndicator): string {
  const fmt = fmtOf(ind);
  return `${p.finding.replace(/\.$/, '')}${p.suggestion !== null ? `; did you mean ${fmt(p.suggestion)}?` : ''}`;
}
