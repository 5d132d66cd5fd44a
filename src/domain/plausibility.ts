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
// Indicators with fewer than MIN_HISTORY values are not judged by their history: with three figures
// there is no telling usual from unusual. Nor is a history with no spread at all (every value the
// same): it says nothing about how far a next value may reasonably move. For them the check uses what
// else is known (KnownAbout): the value it replaces (a correction), the period's target, and similar
// indicators — the same unit and frequency, the same theme first, at least MIN_SIBLINGS of them (and
// most of them) within SIBLING_SPREAD× of each other. A value more than FAR× off every one of these (and off the
// indicator's own few values) is asked about, as a slipped decimal point when moving the point brings
// it within NEAR× of one; a value within FAR× of any of them is plausible. Only positive values are
// compared so; a percentage is still out of 100. With none of these known the value is `unchecked`,
// and the person is told so in the answer's small print (uncheckedNote), never asked.
import { accumulates, isPartOfYear, isRunningTotal } from './aggregation.ts';
import { selectTarget, type TargetPoint } from './evaluate.ts';
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
/** With little history: a value more than FAR× above or below every known reference is asked about… */
export const FAR = 5;
/** …as a slipped decimal point when moving the point brings it within NEAR× of one of them. */
export const NEAR = 2;
/** Similar indicators are a reference only when at least this many have a value… */
export const MIN_SIBLINGS = 2;
/** …all within this factor of each other (a family, like sickness absence by directorate). */
export const SIBLING_SPREAD = 10;
/** Similar indicators read at most (the same theme's first): enough to see a family, few enough to read per value. */
export const MAX_SIBLINGS = 50;

/** The similar indicators worth reading: the same theme's first, then the others, at most MAX_SIBLINGS. */
export function nearestSiblings<T extends { sameTheme: boolean }>(all: readonly T[]): T[] {
  return [...all.filter((x) => x.sameTheme), ...all.filter((x) => !x.sameTheme)].slice(0, MAX_SIBLINGS);
}
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
  /** What else is known, for an indicator with too little history to judge by. */
  known?: KnownAbout;
}

/** What is known of a value besides its indicator's history. */
export interface KnownAbout {
  /** The target that applies to the period (null or absent: none). */
  target?: number | null;
  /** The value it replaces, for a correction (null or absent: a first value). */
  replaces?: number | null;
  /** The latest value of each other indicator of the same unit and frequency. */
  siblings?: readonly Sibling[];
}

export interface Sibling {
  slug: string;
  value: number;
  /** In the same theme as the indicator checked. */
  sameTheme: boolean;
}

/** What a value was judged against: its history, or (with too little of it) what else is known. */
export type Basis = 'history' | 'own' | 'replaced' | 'target' | 'siblings';

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
  | { kind: 'plausible'; reference: Reference | null; basis: Basis }
  /**
   * Not checked: too little history (or none with any spread) and nothing else known to compare it
   * with, or a value of zero or below where only positive references are known. Told in small print.
   */
  | { kind: 'unchecked'; reason: 'too-little-history' | 'no-spread' | 'not-positive' }
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

/** Whether the indicator's own history is enough to judge a value by (else what else is known is used). */
export function hasHistoryReference(input: PlausibilityInput): boolean {
  const ref = referenceFor(input);
  return ref.values.length >= MIN_HISTORY && describeReference(ref.values, ref.pace).tolerance > 0;
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
    const suggestion = reference && reference.tolerance > 0 ? slipFor(judged, reference, factor) : (slipFromKnown(input, value)?.suggestion ?? null);
    return say('percent-over-100', suggestion, `${fmtOf(ind)(value)} is over 100%${reference ? `, and ${ind.slug} has had ${range(ind, reference)}` : ''}.`);
  }
  if (!reference || reference.tolerance === 0) return judgeByWhatIsKnown(input, ref.values, reference ? 'no-spread' : 'too-little-history', say);
  if (usual(judged, reference)) return { kind: 'plausible', reference, basis: 'history' };

  const oneSign = reference.min > 0 ? 1 : reference.max < 0 ? -1 : 0;
  if (oneSign !== 0 && Math.sign(judged) === -oneSign && usual(-judged, reference)) {
    return say('sign-flip', -value, `${fmtOf(ind)(value)} is ${value < 0 ? 'negative' : 'positive'}, but every value ${ind.slug} has had is ${oneSign > 0 ? 'positive' : 'negative'} (${range(ind, reference)}).`);
  }
  const slip = slipFor(judged, reference, factor);
  return say(slip === null ? 'outlier' : 'decimal-slip', slip, `${fmtOf(ind)(value)}${reference.pace ? ` so far this year (a pace of ${fmtOf(ind)(judged)} a year)` : ''} is ${howFar(judged, reference)} anything ${ind.slug} has ${reference.pace ? 'run at' : 'had'} (${range(ind, reference)}).`);
}

// ---- with too little history: what else is known ----

/** A known reference: one value (lo = hi) or a family's range; `share` widens its lower bound (a period's share of a year's target). */
interface Anchor {
  basis: Exclude<Basis, 'history' | 'own'>;
  lo: number;
  hi: number;
  share: number;
  /** The similar indicators, by slug. */
  names?: string[];
}

/** The references known besides the history, most telling first: the value replaced, the target, similar indicators. Positive ones only. */
export function knownAnchors(input: PlausibilityInput): Anchor[] {
  const k = input.known ?? {};
  const out: Anchor[] = [];
  const accumulating = accumulates(input.indicator.aggregation) && isPartOfYear(input.period);
  if (k.replaces != null && k.replaces > 0) out.push({ basis: 'replaced', lo: k.replaces, hi: k.replaces, share: 1 });
  // A count that builds up over the year may be one period's share of a year's target.
  if (k.target != null && k.target > 0) out.push({ basis: 'target', lo: k.target, hi: k.target, share: accumulating ? periodsPerYear(input.period.kind) : 1 });
  const family = accumulating ? null : siblingFamily(k.siblings ?? []);
  if (family) out.push({ basis: 'siblings', lo: Math.min(...family.map((f) => f.value)), hi: Math.max(...family.map((f) => f.value)), share: 1, names: family.map((f) => f.slug) });
  return out;
}

/**
 * The target a value is compared with: the one that applies to its period (its own, or the year's),
 * else the nearest target set for a period of the same kind — a quarter's neighbour is a fair guide
 * to the size of a figure, which is all this check asks of it.
 */
export function referenceTarget(period: Period, aggregation: Aggregation, targets: readonly TargetPoint[], fy: number): number | null {
  const own = selectTarget(period, { aggregation }, [...targets], fy).value;
  if (own !== null) return own;
  const days = (p: Period) => Math.abs(Date.parse(p.start) - Date.parse(period.start));
  const near = targets.filter((t) => t.period.kind === period.kind && t.value !== null).sort((a, b) => days(a.period) - days(b.period))[0];
  return near?.value ?? null;
}

/**
 * Similar indicators that agree: the same theme's when enough of them do, else all of them. They agree
 * when at least MIN_SIBLINGS of them, more than half, lie within SIBLING_SPREAD× of each other around
 * their median (so one slipped figure among them neither spoils the family nor joins it); none else.
 */
export function siblingFamily(siblings: readonly Sibling[]): Sibling[] | null {
  const usable = siblings.filter((x) => Number.isFinite(x.value) && x.value > 0);
  const spread = Math.sqrt(SIBLING_SPREAD);
  for (const group of [usable.filter((x) => x.sameTheme), usable]) {
    if (group.length < MIN_SIBLINGS) continue;
    const m = median(group.map((x) => x.value));
    const members = group.filter((x) => x.value >= m / spread && x.value <= m * spread);
    if (members.length >= MIN_SIBLINGS && members.length * 2 > group.length) return members;
  }
  return null;
}

/** Within `k`× of a reference (its lower bound widened by its share). */
const within = (x: number, a: { lo: number; hi: number; share: number }, k: number) => x >= a.lo / (k * a.share) * (1 - 1e-9) && x <= a.hi * k * (1 + 1e-9);

/** The first reference a slipped decimal point explains the value by, and the value meant. */
function slipFromKnown(input: PlausibilityInput, value: number): { anchor: Anchor; suggestion: number } | null {
  if (!(value > 0)) return null;
  for (const anchor of knownAnchors(input)) {
    for (const f of SLIPS) if (within(value * f, anchor, NEAR)) return { anchor, suggestion: round(value * f) };
  }
  return null;
}

function judgeByWhatIsKnown(input: PlausibilityInput, own: readonly number[], reason: 'too-little-history' | 'no-spread', say: ReturnType<typeof sayer>): Plausibility {
  const { value, indicator: ind } = input;
  const anchors = knownAnchors(input);
  if (!anchors.length) return { kind: 'unchecked', reason };
  if (!(value > 0)) return { kind: 'unchecked', reason: 'not-positive' };
  // Within FAR× of anything it has had, or of anything known: plausible.
  if (own.some((o) => o > 0 && within(value, { lo: o, hi: o, share: 1 }, FAR))) return { kind: 'plausible', reference: null, basis: 'own' };
  const near = anchors.find((a) => within(value, a, FAR));
  if (near) return { kind: 'plausible', reference: null, basis: near.basis };
  const slip = slipFromKnown(input, value);
  const anchor = slip?.anchor ?? anchors[0]!;
  const fmt = fmtOf(ind);
  // A correction back to what it was is not "meant": the question is then only whether to save it.
  const suggestion = slip && !(anchor.basis === 'replaced' && fmt(slip.suggestion) === fmt(anchor.lo)) ? slip.suggestion : null;
  return say(slip ? 'decimal-slip' : 'outlier', suggestion, `${fmt(value)} is ${farFrom(value, anchor)} ${describeAnchor(ind, anchor)}.`);
}

function farFrom(x: number, a: Anchor): string {
  return x > a.hi && x / a.hi >= 2 ? `${formatNumber(x / a.hi, 0)}×` : x > a.hi ? 'far above' : 'far below';
}

function describeAnchor(ind: PlausibilityIndicator, a: Anchor): string {
  const fmt = fmtOf(ind);
  if (a.basis === 'replaced') return `the ${fmt(a.lo)} it replaces`;
  if (a.basis === 'target') return `the target of ${fmt(a.lo)}`;
  const names = a.names ?? [];
  const listed = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  return `anything similar indicators have had (${listed}: ${formatRange(a.lo, a.hi, ind.unit, ind.decimals)})`;
}

/**
 * The small print for a value that could not be checked: "Not checked for plausibility: new-volunteers
 * has only 1 earlier value, and no target or similar indicators to compare it with." `earlier`: how
 * many earlier values the indicator has.
 */
export function uncheckedNote(ind: PlausibilityIndicator, p: Extract<Plausibility, { kind: 'unchecked' }>, earlier: number): string {
  const lead = isPercentUnit(ind.unit) ? 'Checked only as a percentage (0–100%)' : 'Not checked for plausibility';
  const had = earlier === 0 ? 'has no earlier values' : `has only ${earlier} earlier value${earlier === 1 ? '' : 's'}`;
  if (p.reason === 'not-positive') return `${lead}: ${ind.slug} ${had}, and a value of zero or below is not compared with its target or similar indicators.`;
  if (p.reason === 'no-spread') return `${lead}: every earlier value of ${ind.slug} is the same, which says nothing about how far it may move, and there is no target, earlier version or similar indicators to compare it with.`;
  return `${lead}: ${ind.slug} ${had}, and no target, earlier version or similar indicators to compare it with.`;
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
