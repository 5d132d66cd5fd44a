// Reading one spreadsheet cell as what it means: text, a choice from a list (with the words councils
// use: "higher is better", "Q", "yes"), a value with its markers ("83.8*", "10.2 (est)") or the words
// for no value ("M", "N/A", "Refer comment", "-"), or a target ("85% (min 82%)", "TBC"). Each reader
// is a zod schema, so a row is validated in one safeParse and every problem comes back with the
// column it is in and what was expected.
import { z } from 'zod';
import { isPercentUnit, parseValue } from '../domain/format.ts';
import { parseDay } from '../domain/dates.ts';
import { CHANNEL_EXAMPLES, readChannelRef } from '../catalogue/platforms.ts';
import { round6 } from '../register/types.ts';
import type { Cell } from './tables.ts';

/** A cell as the text a person sees: numbers as typed, percentages formatted as such, booleans as yes/no. */
export function cellString(c: Cell | undefined): string | null {
  if (!c || c.value === null) return null;
  if (typeof c.value === 'number') return c.percent ? `${round6(c.value * 100)}%` : String(c.value);
  if (typeof c.value === 'boolean') return c.value ? 'yes' : 'no';
  const s = c.value.replace(/\s+/g, ' ').trim();
  return s === '' ? null : s;
}

/** Lower case, punctuation to spaces: "Higher-is-better" → "higher is better". */
export const normalise = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9%/]+/g, ' ')
    .trim();

const cell = z.string().nullable();

export const optionalText = cell;

export const requiredText = (what: string) =>
  cell.transform((s, ctx) => {
    if (s === null) {
      ctx.addIssue({ code: 'custom', message: `expected ${what}; the cell is empty` });
      return z.NEVER;
    }
    return s;
  });

/** One of a list, read through aliases; `fallback` when blank (undefined: required). */
export function choice<T extends string>(aliases: Record<string, T>, expected: string, fallback?: T | null) {
  return cell.transform((s, ctx): T | null => {
    if (s === null) {
      if (fallback !== undefined) return fallback;
      ctx.addIssue({ code: 'custom', message: `expected ${expected}; the cell is empty` });
      return z.NEVER;
    }
    const v = aliases[normalise(s)];
    if (v === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected ${expected}` });
      return z.NEVER;
    }
    return v;
  });
}

export const POLARITY: Record<string, 'higher' | 'lower' | 'none'> = {
  higher: 'higher', 'higher is better': 'higher', high: 'higher', up: 'higher', increase: 'higher', 'bigger is better': 'higher', '+': 'higher',
  lower: 'lower', 'lower is better': 'lower', low: 'lower', down: 'lower', decrease: 'lower', reduce: 'lower', 'smaller is better': 'lower', '-': 'lower',
  none: 'none', 'no polarity': 'none', contextual: 'none', 'n/a': 'none', na: 'none', neither: 'none',
};

export const FREQUENCY: Record<string, 'monthly' | 'quarterly' | 'annual' | 'academic_year' | 'calendar_year'> = {
  monthly: 'monthly', month: 'monthly', m: 'monthly',
  quarterly: 'quarterly', quarter: 'quarterly', q: 'quarterly',
  annual: 'annual', annually: 'annual', yearly: 'annual', year: 'annual', a: 'annual', 'financial year': 'annual', y: 'annual',
  'academic year': 'academic_year', academic: 'academic_year', 'academic year annual': 'academic_year', ay: 'academic_year',
  'calendar year': 'calendar_year', calendar: 'calendar_year',
};

export const AGGREGATION: Record<string, 'snapshot' | 'cumulative' | 'ytd' | 'ytd_percent' | 'average'> = {
  snapshot: 'snapshot', level: 'snapshot', rate: 'snapshot', point: 'snapshot', 'point in time': 'snapshot',
  cumulative: 'cumulative', sum: 'cumulative', 'per period': 'cumulative', total: 'cumulative',
  ytd: 'ytd', 'year to date': 'ytd', 'running total': 'ytd',
  // A percentage of the year's whole reached so far (council tax collected: 57% by Q2 of 97%).
  'cumulative %': 'ytd_percent', 'cumulative percent': 'ytd_percent', 'cumulative percentage': 'ytd_percent',
  'to date %': 'ytd_percent', '% to date': 'ytd_percent', 'percentage to date': 'ytd_percent', 'percent to date': 'ytd_percent',
  'ytd %': 'ytd_percent', '% ytd': 'ytd_percent', 'year to date %': 'ytd_percent', '% year to date': 'ytd_percent', 'ytd percent': 'ytd_percent',
  'collected to date': 'ytd_percent', '% collected to date': 'ytd_percent',
  average: 'average', mean: 'average',
};

export const ROLE: Record<string, 'officer' | 'director' | 'admin'> = {
  officer: 'officer', owner: 'officer', 'lead officer': 'officer', deputy: 'officer',
  director: 'director', 'strategic director': 'director', 'corporate director': 'director',
  admin: 'admin', 'performance admin': 'admin', administrator: 'admin', 'performance team': 'admin',
};

export const YES_NO: Record<string, boolean> = { yes: true, y: true, true: true, '1': true, x: true, key: true, no: false, n: false, false: false, '0': false };

export const yesNo = (fallback: boolean) =>
  cell.transform((s, ctx) => {
    if (s === null) return fallback;
    const v = YES_NO[normalise(s)] ?? (s === '✓' || s === '✔' ? true : undefined);
    if (v === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected yes or no' });
      return z.NEVER;
    }
    return v;
  });

export const wholeNumber = (min: number, max: number, fallback: number | null) =>
  cell.transform((s, ctx) => {
    if (s === null) return fallback;
    const n = Number(s.replace(/,/g, ''));
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `expected a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    return n;
  });

export const email = cell.transform((s, ctx) => {
  if (s === null) return null;
  if (!z.email().safeParse(s).success) {
    ctx.addIssue({ code: 'custom', message: 'expected an email address' });
    return z.NEVER;
  }
  return s.toLowerCase();
});

/** "10%" is within 10% of the target; "2" (or "2 units") within 2 of it, in the indicator's unit. */
export const tolerance = cell.transform((s, ctx) => {
  if (s === null) return null;
  const m = /^(?:within\s+)?(\d+(?:\.\d+)?)\s*(%|percent|units?|abs(?:olute)?)?$/i.exec(s.replace(/^abs(?:olute)?\s+/i, ''));
  if (!m) {
    ctx.addIssue({ code: 'custom', message: 'expected a tolerance such as 10% (within 10% of the target) or 2 (within 2 units of it)' });
    return z.NEVER;
  }
  const value = Number(m[1]);
  const relative = m[2] === '%' || /^percent$/i.test(m[2] ?? '');
  if (relative && value > 100) {
    ctx.addIssue({ code: 'custom', message: 'expected a percentage tolerance of at most 100%' });
    return z.NEVER;
  }
  return { kind: relative ? ('relative' as const) : ('absolute' as const), value };
});

/** A cell that holds no number on purpose: the word as written and what it means. */
export interface NoValue {
  word: string;
  reason: string;
}

/** The words councils write in a value cell for "no value here" (and what each means), rather than a mistake. */
const NO_VALUE_WORDS: readonly (readonly [RegExp, string])[] = [
  [/^(m|im|in measurement|being measured)$/i, 'in measurement'],
  [/^(n\/?a|not applicable)$/i, 'not applicable'],
  [/^(please\s+)?(refer|see)(\s+to)?(\s+the)?\s+(comments?|commentary|notes?|narrative|text)(\s+below)?$/i, 'see the comment'],
  [/^(tbc|tba|to be confirmed|to follow)$/i, 'to be confirmed'],
  [/^(-+|–|—|−|\.)$/, 'left blank'],
  [/^(not available|n\/?k|not known|no data|data not available|awaiting data|not yet available|\.\.)$/i, 'not available'],
  [/^(reported annual(ly)?|annual(ly)?|annual (indicator|measure)|reported at year end|year end( only)?)$/i, 'reported annually'],
  [/^(not collected|no longer collected)$/i, 'not collected'],
];

/** "M" → in measurement, "N/A" → not applicable, "-" → left blank …; null for anything else. */
export function noValueWord(s: string): NoValue | null {
  const word = s.replace(/\s+/g, ' ').trim();
  const found = NO_VALUE_WORDS.find(([re]) => re.test(word));
  return found ? { word, reason: found[1] } : null;
}

export interface ValueCell {
  value: number;
  estimated: boolean;
  provisional: boolean;
}

/** What a cell that should be a number was expected to be, with a hint for the usual slips (no repeat of the cell: the issue quotes it). */
function numberExpected(text: string, unit: string, error: string, what: 'value' | 'target'): string {
  const s = text.replace(/\s+/g, '');
  const example = what === 'value' ? 'expected a number such as 8.4 or 83.8%' : 'expected a target such as 8.5 or 85%, or one with its minimum such as 85% (min 82%)';
  if (s.endsWith('%') && !isPercentUnit(unit)) return `expected the number alone, without %: this indicator is measured in ${unit}`;
  if (/\d,\d/.test(s)) return `${example}, with a point for decimals (8.4, not 8,4) and commas only between thousands (1,234.5)`;
  if (/too large/.test(error)) return `${example}: this one is too large to be a plausible value`;
  return what === 'value' ? `${example} (* provisional, (est) estimated), or M, N/A, TBC, Refer comment or - for no value` : `${example}, or words such as TBC`;
}

/**
 * A value with its markers: "83.8*" is provisional (subject to verification), "10.2 (est)" estimated.
 * The words councils write for "no value" ("M", "N/A", "Refer comment", "TBC", "-") are no value, with why.
 */
export function readValueCell(s: string, unit: string): { ok: true; value: ValueCell | null; noValue?: NoValue } | { ok: false; error: string } {
  const none = noValueWord(s);
  if (none) return { ok: true, value: null, noValue: none };
  let t = s;
  let estimated = false;
  let provisional = false;
  for (;;) {
    const before = t;
    t = t.replace(/\s*\*+$/, () => ((provisional = true), ''));
    t = t.replace(/\s*\(?\b(est|est\.|estimate|estimated|e)\)?\.?$/i, () => ((estimated = true), ''));
    t = t.replace(/\s*\(?\b(prov|prov\.|provisional|p)\)?\.?$/i, () => ((provisional = true), ''));
    if (t === before) break;
  }
  const v = parseValue(t, unit);
  if (!v.ok) return { ok: false, error: numberExpected(t, unit, v.error, 'value') };
  return { ok: true, value: { value: v.value, estimated, provisional } };
}

export interface TargetCell {
  value: number | null;
  amberFloor: number | null;
  text: string | null;
}

/**
 * A target: a number, a number with its minimum acceptable standard ("85% (min 82%)"), or words
 * ("TBC", "N/A", "Top quartile"), kept as the target's words. A dash or "M" is no target at all.
 */
export function readTargetCell(s: string, unit: string): { ok: true; value: TargetCell | null; noValue?: NoValue } | { ok: false; error: string } {
  const none = noValueWord(s);
  if (none && (none.reason === 'left blank' || none.reason === 'in measurement')) return { ok: true, value: null, noValue: none };
  const withFloor = /^(.+?)\s*\(\s*(?:min(?:imum)?(?:\s+acceptable(?:\s+standard)?)?|floor|amber(?:\s+floor)?)\s*[:–-]?\s*(.+?)\s*\)$/i.exec(s);
  const main = withFloor ? withFloor[1]! : s;
  if (!/\d/.test(main)) return { ok: true, value: { value: null, amberFloor: null, text: s } };
  const v = parseValue(main, unit);
  if (!v.ok) return { ok: false, error: numberExpected(main, unit, v.error, 'target') };
  let amberFloor: number | null = null;
  if (withFloor) {
    const f = parseValue(withFloor[2]!, unit);
    if (!f.ok) return { ok: false, error: `expected the minimum acceptable standard as a number such as 82 or 82%${/\d,\d/.test(withFloor[2]!) ? ', with a point for decimals' : ''}` };
    amberFloor = f.value;
  }
  return { ok: true, value: { value: v.value, amberFloor, text: null } };
}

/**
 * "Absent until": a day with its year (2027-01-05, 05/01/2027, 5 Jan 2027) sets it; "no", "back" or
 * "present" clears it; a blank cell leaves it as it is (undefined).
 */
export const absentUntil = () =>
  cell.transform((s, ctx): string | null | undefined => {
    if (s === null) return undefined;
    if (/^(no|n|back|present|not absent|none)$/i.test(s.trim())) return null;
    const day = /\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$/.test(s) ? parseDay(s, '2000-01-01') : null;
    if (!day) {
      ctx.addIssue({ code: 'custom', message: 'expected the last day of the absence with its year, e.g. 5 Jan 2027 or 05/01/2027 (or "no" when back)' });
      return z.NEVER;
    }
    return day;
  });

/** Alert channels: one or more channel ids separated by commas or spaces; empty: none. */
export const alertChannels = () =>
  cell.transform((s, ctx): { platform: string; channelId: string }[] => {
    if (s === null) return [];
    const out: { platform: string; channelId: string }[] = [];
    for (const part of s.split(/[\s,]+/).filter(Boolean)) {
      const ref = readChannelRef(part);
      if (!ref) {
        ctx.addIssue({ code: 'custom', message: `expected a channel id such as ${CHANNEL_EXAMPLES}; "${part}" is not one${part.startsWith('#') ? ' (give the id: channel names can change and repeat)' : ''}` });
        return z.NEVER;
      }
      out.push(ref);
    }
    return out;
  });
