// Calendar dates without time zones (`YYYY-MM-DD`), computed in UTC so no local offset leaks in.
import type { LocalDate } from './types.ts';

const DAY = 86_400_000;

export function toUtc(d: LocalDate): number {
  return Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
}

export function fromUtc(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function ymd(year: number, month: number, day: number): LocalDate {
  return fromUtc(Date.UTC(year, month - 1, day));
}

export function isLocalDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && fromUtc(toUtc(s)) === s;
}

export function addDays(d: LocalDate, n: number): LocalDate {
  return fromUtc(toUtc(d) + n * DAY);
}

/** Whole days from a to b (negative when b is earlier). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((toUtc(b) - toUtc(a)) / DAY);
}

export function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function isWeekend(d: LocalDate): boolean {
  const wd = new Date(toUtc(d)).getUTCDay();
  return wd === 0 || wd === 6;
}

/**
 * Days other than weekends that are not worked: a nation's bank holidays, a person's days away. Says
 * why a day is not worked ("Christmas Day"), or null on a working day. Passed in (src/services/holidays.ts
 * builds the bank holidays), so the domain knows no calendar library.
 */
export type DaysOff = (d: LocalDate) => string | null;

/** Weekends only. */
export const NO_DAYS_OFF: DaysOff = () => null;

/** Days off for any of several reasons (the first that applies says why). */
export function eitherDaysOff(...all: DaysOff[]): DaysOff {
  return (d) => {
    for (const off of all) {
      const why = off(d);
      if (why !== null) return why;
    }
    return null;
  };
}

/** Monday–Friday and not a day off. */
export function isWorkingDay(d: LocalDate, off: DaysOff = NO_DAYS_OFF): boolean {
  return !isWeekend(d) && off(d) === null;
}

/** n working days after d; a day that is not worked counts from the next working day. n = 0 gives d itself, or that next working day. */
export function addWorkingDays(d: LocalDate, n: number, off: DaysOff = NO_DAYS_OFF): LocalDate {
  let cur = d;
  while (!isWorkingDay(cur, off)) cur = addDays(cur, 1);
  let left = n;
  while (left > 0) {
    cur = addDays(cur, 1);
    if (isWorkingDay(cur, off)) left--;
  }
  return cur;
}

/** Working days from a to b (0 when b ≤ a), counting b but not a. */
export function workingDaysBetween(a: LocalDate, b: LocalDate, off: DaysOff = NO_DAYS_OFF): number {
  let n = 0;
  for (let cur = addDays(a, 1); cur <= b; cur = addDays(cur, 1)) if (isWorkingDay(cur, off)) n++;
  return n;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in a time zone (e.g. what "today" is in Europe/London). */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f.format(instant);
}

/** "6 Oct 2025" */
export function formatDate(d: LocalDate): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${Number(d.slice(8, 10))} ${months[Number(d.slice(5, 7)) - 1]} ${d.slice(0, 4)}`;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** "4 Dec 2026, 14:05": an instant as people in the organisation's time zone read it (en-GB, 24-hour). */
export function formatDateTime(instant: Date, timeZone: string): string {
  let f = dateTimeFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    dateTimeFormats.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${formatDate(`${parts.year}-${parts.month}-${parts.day}`)}, ${parts.hour}:${parts.minute}`;
}

/** "4 Dec 2026": the calendar date of an instant in a time zone, as people read it. */
export function formatDay(instant: Date, timeZone: string): string {
  return formatDate(localDateOf(instant, timeZone));
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function monthIndex(word: string): number {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return -1;
  return MONTHS.findIndex((m) => m.startsWith(w) && (w.length >= 3 || m === w));
}

function validDay(y: number, m: number, d: number): LocalDate | null {
  if (m < 1 || m > 12 || d < 1 || d > lastDayOfMonth(y, m)) return null;
  return ymd(y, m, d);
}

/**
 * A day as people write it in the UK, read relative to `today`: 2027-01-05, 05/01/2027, 5/1/27,
 * 5 January (the next one), 5 Jan 2027, January 5, Friday (the next Friday), tomorrow, today.
 * Day before month: 05/01/2027 is the 5th of January. Null when it is not a day.
 */
export function parseDay(text: string, today: LocalDate): LocalDate | null {
  const t = text.trim().toLowerCase().replace(/,/g, ' ').replace(/\s+/g, ' ').replace(/(\d)(st|nd|rd|th)\b/g, '$1');
  if (t === 'today') return today;
  if (t === 'tomorrow') return addDays(today, 1);
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) return validDay(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(t);
  if (m) {
    const y = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    return validDay(y, Number(m[2]), Number(m[1]));
  }
  const weekday = WEEKDAYS.findIndex((w) => t === w || t === `next ${w}` || (t.length >= 3 && w.startsWith(t)));
  if (weekday >= 0) {
    const dow = new Date(`${today}T00:00:00Z`).getUTCDay();
    const ahead = (weekday - dow + 7) % 7 || 7;
    return addDays(today, ahead);
  }
  m = /^(\d{1,2}) ([a-z]+\.?)(?: (\d{4}))?$/.exec(t) ?? null;
  let day: number, month: number, year: number | null;
  if (m) {
    day = Number(m[1]);
    month = monthIndex(m[2]!) + 1;
    year = m[3] ? Number(m[3]) : null;
  } else {
    const n = /^([a-z]+\.?) (\d{1,2})(?: (\d{4}))?$/.exec(t);
    if (!n) return null;
    day = Number(n[2]);
    month = monthIndex(n[1]!) + 1;
    year = n[3] ? Number(n[3]) : null;
  }
  if (month < 1) return null;
  if (year !== null) return validDay(year, month, day);
  const thisYear = Number(today.slice(0, 4));
  const candidate = validDay(thisYear, month, day);
  if (candidate && candidate >= today) return candidate;
  return validDay(thisYear + 1, month, day);
}

/** "Tuesday 5 January 2027" */
export function formatLongDate(d: LocalDate): string {
  const dow = WEEKDAYS[new Date(`${d}T00:00:00Z`).getUTCDay()]!;
  const month = MONTHS[Number(d.slice(5, 7)) - 1]!;
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
  return `${cap(dow)} ${Number(d.slice(8, 10))} ${cap(month)} ${d.slice(0, 4)}`;
}

/** An IANA time zone this runtime knows ("Europe/London"). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
