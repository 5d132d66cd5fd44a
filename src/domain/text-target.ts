// Targets councils write in words every quarter, read where they are unambiguous:
//   "No more than 10%", "Under 4 weeks", "At least 500 a quarter"  — a bound: a number, a side, per what;
//   "Maintain or improve on last year"                             — last year's outturn is the target;
//   "Top quartile", "1st in GM", "Above national average"           — a benchmark: judged where comparator
//                                                                     data for the period exists (src/domain/comparators.ts);
//   "In line with statistical neighbours", "TBC"                    — not judged: said why.
// Anything else stays textual. A bound is used only where its side agrees with the indicator's
// polarity ("no more than" where lower is better) and its unit is the indicator's.
import { isPercentUnit } from './format.ts';
import type { Polarity } from './types.ts';
import type { BenchmarkAim, Quartile } from './comparators.ts';

export type TextTarget =
  /** A limit: at most (a ceiling) or at least (a floor); `strict` for "under", "over", "less than"… */
  | { kind: 'bound'; side: 'at-most' | 'at-least'; value: number; strict: boolean; unit: string | null; per: 'month' | 'quarter' | 'year' | null }
  /** Last year's outturn: "Maintain or improve on last year", "Better than 2016/17". */
  | { kind: 'last-year' }
  /** Against other councils: a quartile, a place in a group, an average (judged where comparator data exists). */
  | { kind: 'benchmark'; aim: BenchmarkAim }
  /** Judged against data the engine does not have yet (benchmarks), or not set yet. */
  | { kind: 'pending'; why: string };

const NUMBER = String.raw`(-?\d[\d,]*(?:\.\d+)?)`;
const UNIT = String.raw`(%|per\s?cent|[a-z]+)?`;
const PER = String.raw`(?:\s*(?:a|per|each|every|in\s+the)\s+(month|quarter|qtr|year|annum))?`;
const AT_MOST = String.raw`no\s+more\s+than|not\s+more\s+than|no\s+higher\s+than|not\s+to\s+exceed|at\s+most|maximum(?:\s+of)?|max\.?|up\s+to|≤|<=`;
const AT_MOST_STRICT = String.raw`under|below|less\s+than|fewer\s+than|lower\s+than|<`;
const AT_LEAST = String.raw`at\s+least|no\s+less\s+than|not\s+less\s+than|no\s+fewer\s+than|minimum(?:\s+of)?|min\.?|≥|>=`;
const AT_LEAST_STRICT = String.raw`over|above|more\s+than|greater\s+than|higher\s+than|>`;
const BOUND = new RegExp(String.raw`^(${AT_MOST}|${AT_MOST_STRICT}|${AT_LEAST}|${AT_LEAST_STRICT})\s*£?\s*${NUMBER}\s*${UNIT}${PER}\.?$`, 'i');

const LAST_YEAR = /^(?:(?:to\s+)?maintain(?:\s+or\s+improve)?|improve|(?:to\s+)?(?:be\s+)?(?:at\s+least\s+as\s+good\s+as|better\s+than|no\s+worse\s+than|same\s+or\s+better\s+than|match\s+or\s+better))(?:\s+(?:on|upon|than|as))?\s+(?:last\s+year(?:'s)?|the\s+previous\s+year(?:'s)?|previous\s+year(?:'s)?|the\s+baseline)(?:\s+(?:outturn|performance|level|figure|result))?\.?$/i;

const BENCHMARK = /\b(?:national|regional|england|statistical\s+neighbou?rs?|comparator|north\s+west|core\s+cities)\b.*\b(?:average|mean|median|rate|level)\b|\bquartile\b|^top(?:\s+\d+)?\b|\bbenchmark|\bin\s+line\s+with\b|\brank(?:ing)?\b/i;
const NOT_SET = /^(?:tbc|tbd|t\.b\.c\.?|to\s+be\s+(?:confirmed|set|agreed|determined)|n\/?a|not\s+applicable|none|no\s+target(?:\s+set)?|-|–|new|baseline\s+year)\.?$/i;

const QUARTILES: Record<string, Quartile> = { top: 1, upper: 1, first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, lower: 4, bottom: 4, fourth: 4, '4th': 4 };
const QUARTILE = /^(?:(?:to\s+be\s+)?(?:in\s+)?(?:the\s+)?)?(top|upper|first|1st|second|2nd|third|3rd)\s+quartile(?:\s+or\s+(?:better|above|higher))?\.?$/i;
const HALF = /^(?:(?:to\s+be\s+)?(?:in\s+)?(?:the\s+)?)?(?:top|upper)\s+half\.?$/i;
/** "1st in GM", "Top 3 in Greater Manchester", "Top 3 of our CIPFA neighbours", "Top 5". */
const PLACE = /^(?:(?:to\s+be\s+)?(?:ranked\s+)?)?(?:(1st|first|top|best)|top\s+(\d{1,2}))(?:\s+(?:in|of|among(?:st)?|within)\s+(?:the\s+|our\s+)?(.+?))?\.?$/i;
/** "Above national average", "Better than the England average", "Above the GM average". */
const AVERAGE = /^(?:above|better\s+than|at\s+or\s+above|at\s+least|over)\s+(?:the\s+)?(.+?)\s+(?:average|mean)\.?$/i;

/** A benchmark target read: the aim, or null when the words do not say one unambiguously. */
function readBenchmark(t: string): BenchmarkAim | null {
  const q = QUARTILE.exec(t);
  if (q) return { kind: 'quartile', quartile: QUARTILES[q[1]!.toLowerCase()]! };
  if (HALF.test(t)) return { kind: 'quartile', quartile: 2 };
  const p = PLACE.exec(t);
  if (p && (p[1] || p[2])) {
    const rank = p[2] ? Number(p[2]) : 1;
    if (rank < 1) return null;
    // "Top" alone is not a place.
    if (!p[2] && !p[3] && /^top$/i.test(p[1]!)) return null;
    return { kind: 'rank', rank, group: p[3]?.trim() ?? null };
  }
  const a = AVERAGE.exec(t);
  if (a) {
    const scope = a[1]!.trim();
    if (/^(?:national|england|english|england\s+national)$/i.test(scope)) return { kind: 'average', scope: 'national', group: null };
    if (/^(?:group|comparator(?:\s+group)?|our\s+group)$/i.test(scope)) return { kind: 'average', scope: 'group', group: null };
    return { kind: 'average', scope: 'group', group: scope };
  }
  return null;
}

/** Why a "TBC" target is not used ("No target set (TBC)" already says it). */
export const NOT_SET_YET = 'no figure is set yet';

/** What a textual target says, when it says something the engine can use or must wait for; null otherwise. */
export function readTextTarget(text: string): TextTarget | null {
  const t = text.trim().replace(/\s+/g, ' ');
  if (!t) return null;
  if (NOT_SET.test(t)) return { kind: 'pending', why: NOT_SET_YET };
  const m = BOUND.exec(t);
  if (m) {
    const word = m[1]!.toLowerCase().replace(/\s+/g, ' ');
    const atMost = new RegExp(`^(?:${AT_MOST}|${AT_MOST_STRICT})$`, 'i').test(word);
    const strict = new RegExp(`^(?:${atMost ? AT_MOST_STRICT : AT_LEAST_STRICT})$`, 'i').test(word);
    const value = Number(m[2]!.replace(/,/g, ''));
    const unit = m[3] ? (/^(%|per\s?cent)$/i.test(m[3]) ? '%' : m[3].toLowerCase()) : null;
    const perWord = m[4]?.toLowerCase();
    const per = perWord === 'qtr' ? 'quarter' : perWord === 'annum' ? 'year' : ((perWord ?? null) as 'month' | 'quarter' | 'year' | null);
    if (Number.isFinite(value)) return { kind: 'bound', side: atMost ? 'at-most' : 'at-least', value, strict, unit, per };
  }
  if (LAST_YEAR.test(t)) return { kind: 'last-year' };
  const aim = readBenchmark(t);
  if (aim) return { kind: 'benchmark', aim };
  if (BENCHMARK.test(t)) return { kind: 'pending', why: 'it is judged against benchmarks in words I cannot read as a quartile, a place or an average' };
  return null;
}

/** Whether a bound can be used for an indicator: its side agrees with the polarity and its unit is the indicator's; else why not. */
export function boundFits(b: Extract<TextTarget, { kind: 'bound' }>, polarity: Polarity, unit: string): string | null {
  if (polarity === 'none') return 'a contextual measure has no better direction';
  if (b.side === 'at-most' && polarity !== 'lower') return 'it sets a ceiling, but higher is better for this indicator';
  if (b.side === 'at-least' && polarity !== 'higher') return 'it sets a floor, but lower is better for this indicator';
  if (b.unit === null) return null;
  if (b.unit === '%') return isPercentUnit(unit) || unit.includes('%') ? null : `it is a percentage, but the indicator is counted in ${unit}`;
  // "4 weeks" against "weeks"; "500 visits" against "number" (a count's noun is its own).
  const stem = b.unit.replace(/s$/, '');
  const u = unit.toLowerCase();
  if (u.includes(stem) || /^(number|count|no\.?)$/.test(u.trim())) return null;
  return `it is in ${b.unit}, but the indicator is in ${unit}`;
}
