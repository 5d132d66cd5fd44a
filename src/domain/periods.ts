// Reporting periods as English councils use them: financial years April–March (`2017/18`),
// quarters of the financial year (`2017/18 Q3` = Oct–Dec 2017), months, academic years
// (September–August) and calendar years. Parsing what people type, formatting what councils print.
import { addDays, lastDayOfMonth, ymd } from './dates.ts';
import type { Frequency, LocalDate, Period, PeriodKind } from './types.ts';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ACADEMIC_START_MONTH = 9;
const pad2 = (n: number) => String(n).padStart(2, '0');
const yy = (y: number) => pad2(((y % 100) + 100) % 100);

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

export function isPeriodKey(key: string): boolean {
  return KEY_PATTERNS.some(([re, make]) => {
    const m = re.exec(key);
    return m !== null && make(m, 4) !== null;
  });
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

/** As councils print it: `2017/18 Q3`, `Dec 2017`, `2017/18`, `2016/17 (academic year)`, `2017`. */
export function formatPeriod(p: Period): string {
  switch (p.kind) {
    case 'month':
      return `${MONTH_NAMES[Number(p.key.slice(5, 7)) - 1]} ${p.key.slice(0, 4)}`;
    case 'academic_year':
      return `${p.key.slice(3)} (academic year)`;
    default:
      return p.key;
  }
}

/** Short forms for chart axes and sentences: `Q3`, `Dec`, `2017/18`, `AY 2016/17`, `2017`. */
export function formatPeriodShort(p: Period): string {
  if (p.kind === 'quarter') return p.key.slice(-2);
  if (p.kind === 'month') return MONTH_NAMES[Number(p.key.slice(5, 7)) - 1]!;
  return p.key;
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

/** "a quarter", "an academic year": a period kind in a sentence. */
export const KIND_WORDS: Record<PeriodKind, string> = {
  month: 'a month',
  quarter: 'a quarter',
  financial_year: 'a financial year',
  academic_year: 'an academic year',
  calendar_year: 'a calendar year',
};

/** "reported quarterly", "reported by academic year": a frequency in a sentence. */
export const FREQUENCY_WORDS: Record<Frequency, string> = {
  monthly: 'monthly',
  quarterly: 'quarterly',
  annual: 'annually (by financial year)',
  academic_year: 'by academic year',
  calendar_year: 'by calendar year',
};

/** The period of a kind that contains a date. */
export function periodContaining(date: LocalDate, kind: PeriodKind, fy = 4): Period {
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

export function previousPeriod(p: Period, fy = 4): Period {
  return periodContaining(addDays(p.start, -1), p.kind, fy);
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

// ---------------------------------------------------------------- parsing what people type

export interface ParseOptions {
  frequency: Frequency;
  today: LocalDate;
  fyStartMonth?: number;
}

/** Two- or four-digit years: 25 → 2025, 99 → 1999. */
function fullYear(s: string): number {
  const n = Number(s);
  if (s.length === 4) return n;
  return n >= 80 ? 1900 + n : 2000 + n;
}

const FULL_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "sep", "sept", "September" → 9; at least three letters of a month's name. */
function monthIndex(word: string): number | null {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return null;
  const i = FULL_MONTHS.findIndex((m) => m.startsWith(w));
  return i >= 0 ? i + 1 : null;
}

/** An example of the expected kind near today, for messages. */
export function examplePeriod(kind: PeriodKind, today: LocalDate, fy = 4): string {
  return formatPeriod(previousPeriod(periodContaining(today, kind, fy), fy));
}

function expectedHint(o: ParseOptions): string {
  const kind = periodKindFor(o.frequency);
  const fy = o.fyStartMonth ?? 4;
  const alt = kind === 'quarter' ? ', Q2 or last quarter' : kind === 'month' ? ', Sep or last month' : kind === 'financial_year' ? ' or last year' : '';
  return `this indicator is reported ${FREQUENCY_WORDS[o.frequency]}: type ${KIND_WORDS[kind]} such as ${examplePeriod(kind, o.today, fy)}${alt}`;
}

type Raw = ParseResult<Period>;

/** Read a period the way people type it, relative to today and the indicator's frequency. */
export function parsePeriod(text: string, o: ParseOptions): ParseResult<Period> {
  const fy = o.fyStartMonth ?? 4;
  const input = text.trim();
  if (!input) return { ok: false, error: `No period given: ${expectedHint(o)}.` };
  const raw = readPeriod(input, o, fy);
  if (!raw.ok) return raw;
  const want = periodKindFor(o.frequency);
  if (raw.value.kind !== want) {
    return {
      ok: false,
      error: `"${input}" is ${KIND_WORDS[raw.value.kind]} (${formatPeriod(raw.value)}), but ${expectedHint(o)}.`,
    };
  }
  return raw;
}

/**
 * A period written in a file (a column heading, a cell): any explicit form people type — `2017/18 Q3`,
 * `Q3 2017/18`, `2017/18`, `Dec 2017`, `2017-12`, `AY 2016/17` — but nothing relative to today
 * ("last quarter", a bare "Q3" or "Dec"), which a file cannot mean.
 */
export function parsePeriodLabel(text: string, fy = 4): ParseResult<Period> {
  const input = text.trim();
  if (isPeriodKey(input)) return { ok: true, value: periodFromKey(input, fy) };
  const example = 'e.g. 2017/18 Q3, 2017/18, Dec 2017 or AY 2016/17';
  if (!/\d{4}|\d{2}\s*[/-]\s*\d{2}/.test(input) || /\b(this|current|last|previous|prev|next)\b/i.test(input)) {
    return { ok: false, error: `"${input}" is not a period with its year (${example})` };
  }
  // A bare four-digit year means a calendar year in a file (financial years are written 2017/18).
  const raw = readPeriod(input, { frequency: 'calendar_year', today: '2000-01-01', fyStartMonth: fy }, fy);
  return raw.ok ? raw : { ok: false, error: `"${input}" is not a period (${example})` };
}

function readPeriod(input: string, o: ParseOptions, fy: number): Raw {
  const t = input
    .toLowerCase()
    .replace(/[–—]/g, '-')
    .replace(/[()]/g, ' ')
    .replace(/\bquarter\s*([1-4])\b/g, 'q$1')
    .replace(/\s+/g, ' ')
    .trim();
  const today = o.today;
  const kindOfFrequency = periodKindFor(o.frequency);
  let m: RegExpExecArray | null;

  // Relative: this/last/previous/next month|quarter|year|period
  if ((m = /^(this|current|last|previous|prev|next) (month|quarter|year|financial year|fy|academic year|calendar year|period)$/.exec(t))) {
    const word = m[2]!;
    const kind: PeriodKind =
      word === 'month' ? 'month'
      : word === 'quarter' ? 'quarter'
      : word === 'period' ? kindOfFrequency
      : word === 'academic year' ? 'academic_year'
      : word === 'calendar year' ? 'calendar_year'
      : word === 'year' && (kindOfFrequency === 'academic_year' || kindOfFrequency === 'calendar_year') ? kindOfFrequency
      : 'financial_year';
    const current = periodContaining(today, kind, fy);
    const which = m[1]!;
    const p = which === 'this' || which === 'current' ? current : which === 'next' ? nextPeriod(current, fy) : previousPeriod(current, fy);
    return { ok: true, value: p };
  }

  // Quarter with a financial year: "2025/26 q2", "q2 2025/26", "25/26 q2", "2025/26-q2", "fy25/26 q2"
  if ((m = /^(?:fy ?)?(\d{4}|\d{2})[/-](\d{2}|\d{4})[ -]?q([1-4])$/.exec(t)) || (m = /^q([1-4])[ -](?:fy ?)?(\d{4}|\d{2})[/-](\d{2}|\d{4})$/.exec(t))) {
    const [a, b, q] = t.startsWith('q') ? [m[2]!, m[3]!, m[1]!] : [m[1]!, m[2]!, m[3]!];
    const ys = fyYears(a, b);
    if (!ys.ok) return ys;
    return { ok: true, value: quarter(ys.value, Number(q), fy) };
  }

  // A bare quarter: the most recent Qn that has ended (values are given after a period ends).
  if ((m = /^q([1-4])$/.exec(t))) {
    const q = Number(m[1]);
    const current = periodContaining(today, 'financial_year', fy);
    const startYear = Number(current.start.slice(0, 4));
    const thisYear = quarter(startYear, q, fy);
    return { ok: true, value: thisYear.end < today ? thisYear : quarter(startYear - 1, q, fy) };
  }

  // "q2 2025" / "2025 q2": calendar or financial? Ask.
  if ((m = /^q([1-4]) (\d{4})$/.exec(t)) || (m = /^(\d{4}) q([1-4])$/.exec(t))) {
    const [q, y] = t.startsWith('q') ? [Number(m[1]), Number(m[2])] : [Number(m[2]), Number(m[1])];
    const a = quarter(y, q, fy);
    const b = quarter(y - 1, q, fy);
    return {
      ok: false,
      error: `"${input}" is ambiguous: financial-year quarters are written with the year pair, e.g. ${a.key} (${describeSpan(a)}) or ${b.key} (${describeSpan(b)}).`,
    };
  }

  // Academic year: "ay 2016/17", "academic year 2016/17", "2016/17 academic"
  if ((m = /^(?:ay|academic year|academic) ?(\d{4}|\d{2})[/-](\d{2}|\d{4})$/.exec(t)) || (m = /^(\d{4}|\d{2})[/-](\d{2}|\d{4}) (?:ay|academic year|academic)$/.exec(t))) {
    const ys = fyYears(m[1]!, m[2]!);
    if (!ys.ok) return ys;
    return { ok: true, value: academicYear(ys.value) };
  }

  // Financial year: "2025/26", "25/26", "2025-26", "fy 2025/26", "2025/2026"
  if ((m = /^(?:fy ?)?(\d{4}|\d{2})[/-](\d{2}|\d{4})$/.exec(t))) {
    const a = m[1]!;
    const b = m[2]!;
    // "2025-09" is a month, not a year pair.
    if (a.length === 4 && b.length === 2 && t.includes('-') && !/^fy/.test(t) && Number(b) >= 1 && Number(b) <= 12 && Number(b) !== (Number(a) + 1) % 100) {
      return { ok: true, value: month(Number(a), Number(b)) };
    }
    if (a.length === 4 && b.length === 2 && t.includes('-') && Number(b) === (Number(a) + 1) % 100 && kindOfFrequency === 'month') {
      return { ok: true, value: month(Number(a), Number(b)) };
    }
    // "09/2025": a month written numerically.
    if (a.length <= 2 && b.length === 4 && Number(a) >= 1 && Number(a) <= 12 && kindOfFrequency === 'month') {
      return { ok: true, value: month(Number(b), Number(a)) };
    }
    if (a.length <= 2 && b.length === 4) {
      const n = Number(a);
      if (n < 1 || n > 12) return { ok: false, error: `"${input}" is not a month (${n} is not 1–12) nor a year pair such as 2025/26.` };
      return { ok: true, value: month(Number(b), n) };
    }
    const ys = fyYears(a, b);
    if (!ys.ok) return ys;
    return { ok: true, value: financialYear(ys.value, fy) };
  }

  // Month name with a year: "sep 2025", "sept 25", "september 2025", "sep-25"
  if ((m = /^([a-z]+\.?)[ -']?(\d{4}|\d{2})$/.exec(t))) {
    const mi = monthIndex(m[1]!);
    if (mi) return { ok: true, value: month(fullYear(m[2]!), mi) };
  }

  // A month name alone: the most recent such month that has ended.
  if ((m = /^([a-z]+\.?)$/.exec(t))) {
    const mi = monthIndex(m[1]!);
    if (mi) {
      const y = Number(today.slice(0, 4));
      const candidate = month(y, mi);
      return { ok: true, value: candidate.end < today ? candidate : month(y - 1, mi) };
    }
  }

  // A bare four-digit year.
  if ((m = /^(\d{4})$/.exec(t))) {
    const y = Number(m[1]);
    if (kindOfFrequency === 'calendar_year') return { ok: true, value: calendarYear(y) };
    if (kindOfFrequency === 'financial_year' || kindOfFrequency === 'academic_year') {
      const a = kindOfFrequency === 'financial_year' ? financialYear(y - 1, fy) : academicYear(y - 1);
      const b = kindOfFrequency === 'financial_year' ? financialYear(y, fy) : academicYear(y);
      return { ok: false, error: `"${input}" is ambiguous: do you mean ${formatPeriod(a)} or ${formatPeriod(b)}?` };
    }
    return { ok: true, value: calendarYear(y) };
  }

  if ((m = /^q(\d+)/.exec(t))) return { ok: false, error: `"${input}": a financial year has quarters Q1–Q4 only.` };
  if ((m = /^(\d{1,2})[/-](\d{4})$/.exec(t))) return { ok: false, error: `"${input}" is not a month: ${m[1]} is not 1–12.` };
  return { ok: false, error: `I could not read "${input}" as a period: ${expectedHint(o)}.` };
}

/** "2025"/"25" + "26"/"2026" → 2025, when they are consecutive years. */
function fyYears(a: string, b: string): ParseResult<number> {
  const start = fullYear(a);
  const end = b.length === 4 ? Number(b) : Number(String(start).slice(0, 2) + b) + (Number(b) < start % 100 ? 100 : 0);
  if (end !== start + 1) {
    return { ok: false, error: `"${a}/${b}" is not a year pair: a financial or academic year runs over two consecutive years, e.g. ${start}/${yy(start + 1)}.` };
  }
  return { ok: true, value: start };
}

function describeSpan(p: Period): string {
  const s = MONTH_NAMES[Number(p.start.slice(5, 7)) - 1];
  const e = MONTH_NAMES[Number(p.end.slice(5, 7)) - 1];
  return `${s}–${e} ${p.end.slice(0, 4)}`;
}
