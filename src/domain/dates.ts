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

/** n working days (Monday–Friday) after d; a weekend d counts from the next Monday. n = 0 gives d itself, or that Monday. */
export function addWorkingDays(d: LocalDate, n: number): LocalDate {
  let cur = d;
  while (isWeekend(cur)) cur = addDays(cur, 1);
  let left = n;
  while (left > 0) {
    cur = addDays(cur, 1);
    if (!isWeekend(cur)) left--;
  }
  return cur;
}

/** Working days from a to b (0 when b ≤ a), counting b but not a. */
export function workingDaysBetween(a: LocalDate, b: LocalDate): number {
  let n = 0;
  for (let cur = addDays(a, 1); cur <= b; cur = addDays(cur, 1)) if (!isWeekend(cur)) n++;
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
