// The reporting calendar as English councils use it: financial years April–March (`2017/18`),
// quarters of the financial year (`2017/18 Q3` = Oct–Dec 2017), months, academic years
// (September–August) and calendar years — their canonical keys and the arithmetic between them.
import { addDays, lastDayOfMonth, ymd } from '../dates.ts';
import type { Frequency, LocalDate, Period, PeriodKind } from '../types.ts';

export const ACADEMIC_START_MONTH = 9;
const pad2 = (n: number) => String(n).padStart(2, '0');
/** The last two digits of a year: 2018 → "18". */
export const yy = (y: number) => pad2(((y % 100) + 100) % 100);

/** First month (1-12) of quarter q of a financial year starting in `fy`. */
function quarterStartMonth(q: number, fy: number): number {
  return ((fy - 1 + 3 * (q - 1)) % 12) + 1;
}

/** A span of whole months starting at (year, month). */
function monthSpan(year: number, month: number, months: number): { start: LocalDate; end: LocalDate } {
  const endIndex = year * 12 + (month - 1) + months - 1;
  const ey = Math.floor(endIndex / 12);
  const em = (endIndex % 12) + 1;
  return { start: ymd(year, month, 1), end: ymd(ey, em, lastDayOfMonth(ey, em)) };
}

export function financialYear(startYear: number, fy = 4): Period {
  return { kind: 'financial_year', key: `${startYear}/${yy(startYear + 1)}`, ...monthSpan(startYear, fy, 12) };
}

export function quarter(fyStartYear: number, q: number, fy = 4): Period {
  const m = quarterStartMonth(q, fy);
  const year = m >= fy ? fyStartYear : fyStartYear + 1;
  return { kind: 'quarter', key: `${fyStartYear}/${yy(fyStartYear + 1)} Q${q}`, ...monthSpan(year, m, 3) };
}

export function month(year: number, m: number): Period {
  return { kind: 'month', key: `${year}-${pad2(m)}`, ...monthSpan(year, m, 1) };
}

export function academicYear(startYear: number): Period {
  return { kind: 'academic_year', key: `AY ${startYear}/${yy(startYear + 1)}`, ...monthSpan(startYear, ACADEMIC_START_MONTH, 12) };
}

export function calendarYear(year: number): Period {
  return { kind: 'calendar_year', key: String(year), ...monthSpan(year, 1, 12) };
}

const KEY_PATTERNS: [RegExp, (m: RegExpExecArray, fy: number) => Period | null][] = [
  [/^(\d{4})\/(\d{2}) Q([1-4])$/, (m, fy) => (consecutive(+m[1]!, m[2]!) ? quarter(+m[1]!, +m[3]!, fy) : null)],
  [/^(\d{4})\/(\d{2})$/, (m, fy) => (consecutive(+m[1]!, m[2]!) ? financialYear(+m[1]!, fy) : null)],
  [/^(\d{4})-(\d{2})$/, (m) => (+m[2]! >= 1 && +m[2]! <= 12 ? month(+m[1]!, +m[2]!) : null)],
  [/^AY (\d{4})\/(\d{2})$/, (m) => (consecutive(+m[1]!, m[2]!) ? academicYear(+m[1]!) : null)],
  [/^(\d{4})$/, (m) => calendarYear(+m[1]!)],
];

function consecutive(start: number, endTwoDigits: string): boolean {
  return yy(start + 1) === endTwoDigits;
}

/** The years a period may fall in: what people type and files carry is read within them (a year 0 or 9999 is a slip, not a period). */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2999;

/** The period a canonical key names, if it is one. */
function periodOfKey(key: string, fy: number): Period | null {
  for (const [re, make] of KEY_PATTERNS) {
    const m = re.exec(key);
    const p = m && make(m, fy);
    if (p) return p;
  }
  return null;
}

/**
 * Whether a period lies within FIRST_YEAR…LAST_YEAR, with a canonical key (a year 0 makes a key
 * "0/01 Q3", and dates in 1900: the key gives it away).
 */
export function withinYears(p: Pick<Period, 'key' | 'start' | 'end'>): boolean {
  return periodOfKey(p.key, 4) !== null && Number(p.start.slice(0, 4)) >= FIRST_YEAR && p.end.length === 10 && Number(p.end.slice(0, 4)) <= LAST_YEAR;
}

/** A canonical key of a period within the years kept (what a button or form may carry back). */
export function isPeriodKey(key: string): boolean {
  const p = periodOfKey(key, 4);
  return p !== null && withinYears(p);
}

/** Parsed keys: a register holds a few dozen distinct periods, evaluated millions of times. */
const keyCache = new Map<string, Readonly<Period>>();

/** The period for a canonical key (`2017/18 Q3`, `2017-12`, `2017/18`, `AY 2016/17`, `2017`). Throws on anything else. */
export function periodFromKey(key: string, fy = 4): Period {
  const cacheKey = `${fy}|${key}`;
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  for (const [re, make] of KEY_PATTERNS) {
    const m = re.exec(key);
    const p = m && make(m, fy);
    if (p) {
      if (keyCache.size < 10_000) keyCache.set(cacheKey, Object.freeze(p));
      return p;
    }
  }
  throw new Error(`"${key}" is not a period key (expected e.g. 2017/18 Q3, 2017-12, 2017/18, AY 2016/17 or 2017)`);
}

export function periodKindFor(frequency: Frequency): PeriodKind {
  switch (frequency) {
    case 'monthly':
      return 'month';
    case 'quarterly':
      return 'quarter';
    case 'annual':
      return 'financial_year';
    case 'academic_year':
      return 'academic_year';
    case 'calendar_year':
      return 'calendar_year';
  }
}

/** The period of a kind that contains a date. */
/**
 * Periods already worked out, by day, kind and year start: the same few hundred periods are asked for
 * millions of times when a large import is checked (a value's year, the periods of its year to date),
 * and working one out takes date arithmetic. The periods are frozen, so sharing them is safe.
 */
const containing = new Map<string, Period>();

export function periodContaining(date: LocalDate, kind: PeriodKind, fy = 4): Period {
  const key = `${date}|${kind}|${fy}`;
  const known = containing.get(key);
  if (known) return known;
  const p = Object.freeze(workOutPeriodContaining(date, kind, fy));
  if (containing.size >= 50_000) containing.clear();
  containing.set(key, p);
  return p;
}

function workOutPeriodContaining(date: LocalDate, kind: PeriodKind, fy: number): Period {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  switch (kind) {
    case 'month':
      return month(y, m);
    case 'calendar_year':
      return calendarYear(y);
    case 'academic_year':
      return academicYear(m >= ACADEMIC_START_MONTH ? y : y - 1);
    case 'financial_year':
      return financialYear(m >= fy ? y : y - 1, fy);
    case 'quarter': {
      const fyStart = m >= fy ? y : y - 1;
      const monthsIn = (m - fy + 12) % 12;
      return quarter(fyStart, Math.floor(monthsIn / 3) + 1, fy);
    }
  }
}

const previous = new Map<string, Period>();

export function previousPeriod(p: Period, fy = 4): Period {
  const key = `${p.start}|${p.kind}|${fy}`;
  const known = previous.get(key);
  if (known) return known;
  const before = periodContaining(addDays(p.start, -1), p.kind, fy);
  if (previous.size >= 50_000) previous.clear();
  previous.set(key, before);
  return before;
}

export function nextPeriod(p: Period, fy = 4): Period {
  return periodContaining(addDays(p.end, 1), p.kind, fy);
}

/** The same period a year earlier: Sep 2024 for Sep 2025, 2024/25 Q2 for 2025/26 Q2. */
export function samePeriodLastYear(p: Period, fy = 4): Period {
  const y = Number(p.start.slice(0, 4)) - 1;
  return periodContaining(`${y}${p.start.slice(4, 8)}01`, p.kind, fy);
}

/** The financial year a period belongs to (the one containing its last day). */
export function financialYearOf(p: Period, fy = 4): Period {
  return periodContaining(p.end, 'financial_year', fy);
}

/** Periods of p's kind from the start of its financial year up to and including p (year-to-date). */
export function periodsOfYearTo(p: Period, fy = 4): Period[] {
  if (p.kind !== 'month' && p.kind !== 'quarter') return [p];
  const yearStart = financialYearOf(p, fy).start;
  const out: Period[] = [];
  for (let cur: Period = p; cur.start >= yearStart; cur = previousPeriod(cur, fy)) out.unshift(cur);
  return out;
}

/** How many periods of this kind make a financial year (for pro-rata targets). */
export function periodsPerYear(kind: PeriodKind): number {
  return kind === 'month' ? 12 : kind === 'quarter' ? 4 : 1;
}

export function comparePeriods(a: Period, b: Period): number {
  return a.start < b.start ? -1 : a.start > b.start ? 1 : a.end < b.end ? -1 : a.end > b.end ? 1 : 0;
}

/** A period's value is due this many days after it ends. */
export function dueDate(p: Period, lagDays: number): LocalDate {
  return addDays(p.end, lagDays);
}

/** The most recent period of the frequency whose value is due on or before today. */
export function latestDuePeriod(frequency: Frequency, today: LocalDate, lagDays: number, fy = 4): Period | null {
  let p = previousPeriod(periodContaining(today, periodKindFor(frequency), fy), fy);
  for (let i = 0; i < 40; i++) {
    if (dueDate(p, lagDays) <= today) return p;
    p = previousPeriod(p, fy);
  }
  return null;
}
