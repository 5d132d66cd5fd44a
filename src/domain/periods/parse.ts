// Reading a period the way people type it — relative to today and the indicator's frequency — and
// as files write it. Each form people use has its own small reader; a failure is a PeriodError
// (errors.ts), worded once by describePeriodError.
import { academicYear, calendarYear, financialYear, isPeriodKey, month, nextPeriod, periodContaining, periodFromKey, periodKindFor, previousPeriod, quarter, withinYears } from './calendar.ts';
import { describePeriodError, type Expected, type PeriodError } from './errors.ts';
import { examplePeriod } from './format.ts';
import type { Frequency, LocalDate, Period, PeriodKind } from '../types.ts';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * A period read, or why not: `reason` carries the code and data, `error` the default sentence.
 * `inferred`: the text named no year ("Q4", "Dec", "last quarter"), so which period it is was
 * worked out from today; `alternative` is the same period a year away that it could also have meant.
 */
export type PeriodResult = { ok: true; value: Period; inferred?: true; alternative?: Period } | { ok: false; error: string; reason: PeriodError };

export interface ParseOptions {
  frequency: Frequency;
  today: LocalDate;
  fyStartMonth?: number;
  /**
   * What a quarter or month without its year ("Q4", "Dec") means: the most recent one that has
   * ended (the default: reports, sign-off, history), or the most recent one that has begun (a
   * submission: values can be given once a period has begun) — this year's Q4 once it has begun,
   * last year's only while this year's has not.
   */
  bare?: 'ended' | 'begun';
}

/** What every reader knows: the text as typed, today, the financial-year start and the frequency. */
interface ReadContext {
  input: string;
  today: LocalDate;
  fy: number;
  frequency: Frequency;
  kind: PeriodKind;
  bare: 'ended' | 'begun';
}

type Read = { ok: true; value: Period; inferred?: true; alternative?: Period } | { ok: false; reason: PeriodError };
/** A reader for one form people type: a result, or null when the text is not of its form. */
type Reader = (t: string, c: ReadContext) => Read | null;

const found = (value: Period): Read => ({ ok: true, value });
/** A period worked out from today (no year typed), and the one a year away it could also have meant. */
const inferred = (value: Period, alternative?: Period): Read => ({ ok: true, value, inferred: true, ...(alternative ? { alternative } : {}) });
const failed = (reason: PeriodError): Read => ({ ok: false, reason });
const result = (r: Read): PeriodResult => (r.ok ? r : { ok: false, error: describePeriodError(r.reason), reason: r.reason });

function expected(c: ReadContext): Expected {
  return { frequency: c.frequency, example: examplePeriod(c.kind, c.today, c.fy) };
}

/** Read a period the way people type it, relative to today and the indicator's frequency. */
export function parsePeriod(text: string, o: ParseOptions): PeriodResult {
  const c = context(text, o.frequency, o.today, o.fyStartMonth ?? 4, o.bare ?? 'ended');
  if (!c.input) return result(failed({ code: 'empty', expected: expected(c) }));
  const raw = readPeriod(c);
  if (raw.ok && !withinYears(raw.value)) return result(failed({ code: 'year-out-of-range', input: c.input }));
  if (raw.ok && raw.value.kind !== c.kind) return result(failed({ code: 'wrong-frequency', input: c.input, period: raw.value, expected: expected(c) }));
  return result(raw);
}

/**
 * A period written in a file (a column heading, a cell): any explicit form people type — `2017/18 Q3`,
 * `Q3 2017/18`, `2017/18`, `Dec 2017`, `2017-12`, `AY 2016/17` — but nothing relative to today
 * ("last quarter", a bare "Q3" or "Dec"), which a file cannot mean.
 */
export function parsePeriodLabel(text: string, fy = 4): PeriodResult {
  const input = text.trim();
  if (isPeriodKey(input)) return { ok: true, value: periodFromKey(input, fy) };
  if (!/\d{4}|\d{2}\s*[/-]\s*\d{2}/.test(input) || /\b(this|current|last|previous|prev|next)\b/i.test(input)) {
    return result(failed({ code: 'needs-year', input }));
  }
  // A bare four-digit year means a calendar year in a file (financial years are written 2017/18).
  const raw = readPeriod(context(input, 'calendar_year', '2000-01-01', fy));
  if (raw.ok && !withinYears(raw.value)) return result(failed({ code: 'year-out-of-range', input }));
  // A quarter beyond Q4 says so; anything else unreadable is "not a period", with the forms a file may use.
  return result(raw.ok || raw.reason.code === 'no-such-quarter' ? raw : failed({ code: 'not-a-period', input }));
}

function context(text: string, frequency: Frequency, today: LocalDate, fy: number, bare: 'ended' | 'begun' = 'ended'): ReadContext {
  return { input: text.trim(), today, fy, frequency, kind: periodKindFor(frequency), bare };
}

/** Lower case, plain dashes and spaces, "quarter 2" as "q2". */
function normalise(input: string): string {
  return input
    .toLowerCase()
    .replace(/[–—]/g, '-')
    .replace(/[()]/g, ' ')
    .replace(/\bquarter\s*([1-4])\b/g, 'q$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function readPeriod(c: ReadContext): Read {
  const t = normalise(c.input);
  for (const read of READERS) {
    const r = read(t, c);
    if (r) return r;
  }
  return failed({ code: 'unreadable', input: c.input, expected: expected(c) });
}

// ---------------------------------------------------------------- the readers, in the order tried

const RELATIVE_WORDS: Record<string, PeriodKind | 'frequency' | 'year'> = {
  month: 'month',
  quarter: 'quarter',
  period: 'frequency',
  year: 'year',
  'financial year': 'financial_year',
  fy: 'financial_year',
  'academic year': 'academic_year',
  'calendar year': 'calendar_year',
};

/** "this month", "last quarter", "previous year", "next period": relative to today. */
const relative: Reader = (t, c) => {
  const m = /^(this|current|last|previous|prev|next) (month|quarter|year|financial year|fy|academic year|calendar year|period)$/.exec(t);
  if (!m) return null;
  const word = RELATIVE_WORDS[m[2]!]!;
  // "year" is the indicator's own kind of year when it has one; a financial year otherwise.
  const kind: PeriodKind =
    word === 'frequency' ? c.kind
    : word === 'year' ? (c.kind === 'academic_year' || c.kind === 'calendar_year' ? c.kind : 'financial_year')
    : word;
  const current = periodContaining(c.today, kind, c.fy);
  const which = m[1]!;
  return inferred(which === 'this' || which === 'current' ? current : which === 'next' ? nextPeriod(current, c.fy) : previousPeriod(current, c.fy));
};

/** A quarter with its financial year: "2025/26 q2", "q2 2025/26", "25/26 q2", "2025/26-q2", "fy25/26 q2". */
const quarterOfYear: Reader = (t, c) => {
  const after = /^(?:fy ?)?(\d{4}|\d{2})[/-](\d{2}|\d{4})[ -]?q(\d+)$/.exec(t);
  const before = after ? null : /^q(\d+)[ -](?:fy ?)?(\d{4}|\d{2})[/-](\d{2}|\d{4})$/.exec(t);
  if (!after && !before) return null;
  const [a, b, q] = after ? [after[1]!, after[2]!, after[3]!] : [before![2]!, before![3]!, before![1]!];
  if (!/^[1-4]$/.test(q)) return failed({ code: 'no-such-quarter', input: c.input });
  const ys = yearPair(a, b);
  return typeof ys === 'number' ? found(quarter(ys, Number(q), c.fy)) : failed(ys);
};

/**
 * A bare quarter: this financial year's Qn, or last year's while this year's has not ended (has not
 * begun, for a submission: see ParseOptions.bare). The other of the two is the alternative.
 */
const bareQuarter: Reader = (t, c) => {
  const m = /^q([1-4])$/.exec(t);
  if (!m) return null;
  const q = Number(m[1]);
  const startYear = Number(periodContaining(c.today, 'financial_year', c.fy).start.slice(0, 4));
  return mostRecent(quarter(startYear, q, c.fy), quarter(startYear - 1, q, c.fy), c);
};

/** This year's period when it counts as come (ended, or begun), else last year's; the other is the alternative. */
function mostRecent(thisYear: Period, lastYear: Period, c: ReadContext): Read {
  const come = c.bare === 'begun' ? thisYear.start <= c.today : thisYear.end < c.today;
  return come ? inferred(thisYear, thisYear.end < c.today ? undefined : lastYear) : inferred(lastYear, thisYear.start <= c.today ? thisYear : undefined);
}

/** "q2 2025" / "2025 q2": the financial year starting or ending in 2025? Ask. */
const quarterOfOneYear: Reader = (t, c) => {
  const m = /^q([1-4]) (\d{4})$/.exec(t) ?? /^(\d{4}) q([1-4])$/.exec(t);
  if (!m) return null;
  const [q, y] = t.startsWith('q') ? [Number(m[1]), Number(m[2])] : [Number(m[2]), Number(m[1])];
  return failed({ code: 'ambiguous-quarter', input: c.input, candidates: [quarter(y, q, c.fy), quarter(y - 1, q, c.fy)] });
};

/** An academic year: "ay 2016/17", "academic year 2016/17", "2016/17 academic". */
const academic: Reader = (t) => {
  const m = /^(?:ay|academic year|academic) ?(\d{4}|\d{2})[/-](\d{2}|\d{4})$/.exec(t) ?? /^(\d{4}|\d{2})[/-](\d{2}|\d{4}) (?:ay|academic year|academic)$/.exec(t);
  if (!m) return null;
  const ys = yearPair(m[1]!, m[2]!);
  return typeof ys === 'number' ? found(academicYear(ys)) : failed(ys);
};

/** "2025-09": a month, not a year pair — unless it reads as one ("2025-26") and the indicator is not monthly. */
const isoMonth: Reader = (t, c) => {
  const m = /^(\d{4})-(\d{2})$/.exec(t);
  if (!m) return null;
  const [y, n] = [Number(m[1]), Number(m[2])];
  if (n < 1 || n > 12) return null;
  const yearPairToo = n === (y + 1) % 100;
  return yearPairToo && c.kind !== 'month' ? null : found(month(y, n));
};

/** "09/2025", "9-2025": a month written numerically. */
const numericMonth: Reader = (t, c) => {
  const m = /^(\d{1,2})[/-](\d{4})$/.exec(t);
  if (!m) return null;
  const n = Number(m[1]);
  return n >= 1 && n <= 12 ? found(month(Number(m[2]), n)) : failed({ code: 'not-a-month', input: c.input, month: n });
};

/** A financial year: "2025/26", "25/26", "2025-26", "fy 2025/26", "2025/2026". */
const financial: Reader = (t, c) => {
  const m = /^(?:fy ?)?(\d{4}|\d{2})[/-](\d{2}|\d{4})$/.exec(t);
  if (!m) return null;
  const ys = yearPair(m[1]!, m[2]!);
  return typeof ys === 'number' ? found(financialYear(ys, c.fy)) : failed(ys);
};

/** A month name with a year: "sep 2025", "sept 25", "september 2025", "sep-25". */
const namedMonthOfYear: Reader = (t) => {
  const m = /^([a-z]+\.?)[ -']?(\d{4}|\d{2})$/.exec(t);
  const mi = m && monthIndex(m[1]!);
  return mi ? found(month(fullYear(m[2]!), mi)) : null;
};

/** A month name alone: this year's such month, or last year's while this year's has not ended (begun, for a submission). */
const namedMonth: Reader = (t, c) => {
  const mi = /^[a-z]+\.?$/.test(t) ? monthIndex(t) : null;
  if (!mi) return null;
  const y = Number(c.today.slice(0, 4));
  return mostRecent(month(y, mi), month(y - 1, mi), c);
};

/** A bare four-digit year: a calendar year, unless the indicator's years start elsewhere (then ask). */
const bareYear: Reader = (t, c) => {
  if (!/^\d{4}$/.test(t)) return null;
  const y = Number(t);
  if (c.kind === 'financial_year') return failed({ code: 'ambiguous-year', input: c.input, candidates: [financialYear(y - 1, c.fy), financialYear(y, c.fy)] });
  if (c.kind === 'academic_year') return failed({ code: 'ambiguous-year', input: c.input, candidates: [academicYear(y - 1), academicYear(y)] });
  return found(calendarYear(y));
};

/** "q5", "q0": not a quarter. */
const noSuchQuarter: Reader = (t, c) => (/^q\d+/.test(t) ? failed({ code: 'no-such-quarter', input: c.input }) : null);

const READERS: Reader[] = [relative, quarterOfYear, bareQuarter, quarterOfOneYear, academic, isoMonth, numericMonth, financial, namedMonthOfYear, namedMonth, bareYear, noSuchQuarter];

// ---------------------------------------------------------------- pieces of a period

/** Two- or four-digit years: 25 → 2025, 99 → 1999. */
function fullYear(s: string): number {
  const n = Number(s);
  if (s.length === 4) return n;
  return n >= 80 ? 1900 + n : 2000 + n;
}

/** "2025"/"25" + "26"/"2026" → 2025 when they are consecutive years; otherwise why not. */
function yearPair(a: string, b: string): number | PeriodError {
  const start = fullYear(a);
  const end = b.length === 4 ? Number(b) : Number(String(start).slice(0, 2) + b) + (Number(b) < start % 100 ? 100 : 0);
  return end === start + 1 ? start : { code: 'not-a-year-pair', pair: `${a}/${b}`, startYear: start };
}

const FULL_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "sep", "sept", "September" → 9; at least three letters of a month's name. */
function monthIndex(word: string): number | null {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return null;
  const i = FULL_MONTHS.findIndex((m) => m.startsWith(w));
  return i >= 0 ? i + 1 : null;
}
