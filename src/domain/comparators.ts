// Benchmarks against other councils: where our value stands among a comparator group's for the same
// period — rank (ties share one: "=5th"), quartile, and among how many reported — and the figure a
// target written as a benchmark ("Top quartile", "1st in GM", "Above national average") means there.
// Pure: the values come in (src/services/comparators.ts loads them).
import type { Polarity } from './types.ts';

/** One area's value for an indicator and period; null: the area reported nothing (M, .., -, blank). */
export interface AreaValue {
  area: string;
  value: number | null;
}

export type Quartile = 1 | 2 | 3 | 4;

export type Standing =
  | {
      kind: 'ranked';
      /** 1 is best; areas with our value share our rank (competition ranking: 1, 2, 2, 4). */
      rank: number;
      /** Another reporting area has exactly our value. */
      tied: boolean;
      /** Areas of the group that reported a value (ours included). */
      reporting: number;
      /** Areas in the group. */
      size: number;
      quartile: Quartile;
    }
  | { kind: 'unranked'; code: 'contextual' | 'not-in-group' | 'our-value-missing' | 'no-data'; why: string };

/**
 * Which quartile a rank falls in among `n` ranked: the first quarter of places is the top quartile
 * (5th of 10 is the second quartile; 3rd of 10 the top). Ties share a rank, so they share a quartile.
 */
export function quartileOf(rank: number, n: number): Quartile {
  return Math.min(4, Math.floor((4 * (rank - 1)) / n) + 1) as Quartile;
}

/** `a` is better than `b` for this polarity. */
const better = (a: number, b: number, polarity: 'higher' | 'lower') => (polarity === 'higher' ? a > b : a < b);

/**
 * Our standing among a group for one period: `values` are the group's areas' values (areas not in
 * `group` are ignored; an area of the group with no row is counted as not reporting).
 */
export function standingAmong(o: { ourArea: string; group: readonly string[]; values: readonly AreaValue[]; polarity: Polarity }): Standing {
  if (o.polarity === 'none') return { kind: 'unranked', code: 'contextual', why: 'a contextual measure has no better direction to rank by' };
  const members = new Set(o.group);
  if (!members.has(o.ourArea)) return { kind: 'unranked', code: 'not-in-group', why: `our area (${o.ourArea}) is not in the group` };
  const byArea = new Map<string, number>();
  for (const v of o.values) if (members.has(v.area) && v.value !== null && Number.isFinite(v.value)) byArea.set(v.area, v.value);
  if (byArea.size === 0) return { kind: 'unranked', code: 'no-data', why: 'no area of the group has a value for the period' };
  const ours = byArea.get(o.ourArea);
  if (ours === undefined) return { kind: 'unranked', code: 'our-value-missing', why: `our own value for the period is not in the comparator data (${byArea.size} of ${members.size} reported)` };
  const polarity = o.polarity;
  let ahead = 0;
  let tied = false;
  for (const [area, v] of byArea) {
    if (area === o.ourArea) continue;
    if (better(v, ours, polarity)) ahead++;
    else if (v === ours) tied = true;
  }
  const rank = ahead + 1;
  return { kind: 'ranked', rank, tied, reporting: byArea.size, size: members.size, quartile: quartileOf(rank, byArea.size) };
}

const QUARTILE_WORD: Record<Quartile, string> = { 1: 'top quartile', 2: 'second quartile', 3: 'third quartile', 4: 'bottom quartile' };

export const quartileWord = (q: Quartile): string => QUARTILE_WORD[q];

/** 1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/** "5th of 10 in Greater Manchester · second quartile"; "=5th of 9 reporting in …" with a tie or an area missing. */
export function describeStanding(s: Extract<Standing, { kind: 'ranked' }>, groupName: string): string {
  const of = s.reporting === s.size ? `of ${s.size}` : `of ${s.reporting} reporting`;
  return `${s.tied ? '=' : ''}${ordinal(s.rank)} ${of} in ${groupName} · ${quartileWord(s.quartile)}`;
}

/** What a target written as a benchmark asks for (src/domain/text-target.ts reads the words). */
export type BenchmarkAim =
  /** "Top quartile", "Upper quartile", "Second quartile or better". */
  | { kind: 'quartile'; quartile: Quartile }
  /** "1st in GM", "Top 3 in Greater Manchester": a place in a group (null: the default group). */
  | { kind: 'rank'; rank: number; group: string | null }
  /** "Above national average" (the England row), "Above the GM average" (the group's mean). */
  | { kind: 'average'; scope: 'national' | 'group'; group: string | null };

/** The area code LG Inform gives England's own figure. */
export const ENGLAND_AREA = 'E92000001';

/** A benchmark aim turned into a figure for one period: the value to be at least as good as, and how it was found. */
export type BenchmarkFigure = { ok: true; value: number; strict: boolean; read: string } | { ok: false; why: string };

/**
 * The figure a benchmark aim means for one period: the value of the last place that meets it ("Top
 * quartile" of 10: the 3rd best), the best of the others ("1st": at least as good as every other
 * area), or the average ("Above national average": strictly better than England's figure).
 */
export function benchmarkFigure(o: {
  aim: BenchmarkAim;
  polarity: Polarity;
  groupName: string;
  group: readonly string[];
  ourArea: string;
  values: readonly AreaValue[];
  periodLabel: string;
}): BenchmarkFigure {
  const { aim, polarity } = o;
  if (polarity === 'none') return { ok: false, why: 'a contextual measure has no better direction to rank by' };
  if (aim.kind === 'average' && aim.scope === 'national') {
    const england = o.values.find((v) => v.area === ENGLAND_AREA && v.value !== null);
    if (!england) return { ok: false, why: `there is no England figure (${ENGLAND_AREA}) in the comparator data for ${o.periodLabel}` };
    return { ok: true, value: england.value!, strict: true, read: `England's figure for ${o.periodLabel}` };
  }
  const members = new Set(o.group);
  const reported = o.values.filter((v) => members.has(v.area) && v.value !== null).map((v) => ({ area: v.area, value: v.value! }));
  if (!reported.length) return { ok: false, why: `no area of ${o.groupName} has a value for ${o.periodLabel} in the comparator data` };
  if (aim.kind === 'average') {
    const mean = reported.reduce((s, v) => s + v.value, 0) / reported.length;
    return { ok: true, value: mean, strict: true, read: `the average of ${reported.length} reporting in ${o.groupName} for ${o.periodLabel}` };
  }
  // Best first.
  const sorted = reported.map((v) => v.value).sort((a, b) => (polarity === 'higher' ? b - a : a - b));
  if (aim.kind === 'quartile') {
    // The last place in the quartile asked for (or better): rank r is in quartile q while 4(r-1)/n < q.
    const n = sorted.length;
    const place = Math.min(n, Math.ceil((aim.quartile * n) / 4));
    return { ok: true, value: sorted[place - 1]!, strict: false, read: `the last place in the ${quartileWord(aim.quartile)}, ${ordinal(place)} of ${n} reporting in ${o.groupName} for ${o.periodLabel}` };
  }
  const others = o.values
    .filter((v) => members.has(v.area) && v.area !== o.ourArea && v.value !== null)
    .map((v) => v.value!)
    .sort((a, b) => (polarity === 'higher' ? b - a : a - b));
  // To be in the first `rank` places, at least as good as the rank-th best of the others.
  if (others.length < aim.rank) return { ok: false, why: `only ${others.length} other area${others.length === 1 ? '' : 's'} of ${o.groupName} reported for ${o.periodLabel}` };
  return { ok: true, value: others[aim.rank - 1]!, strict: false, read: `the ${aim.rank === 1 ? 'best' : `${ordinal(aim.rank)} best`} of the other ${others.length} reporting in ${o.groupName} for ${o.periodLabel}` };
}
