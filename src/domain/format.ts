// Values as councils print them (en-GB) and as people type them.
import type { ParseResult } from './periods.ts';

const numberFormats = new Map<number, Intl.NumberFormat>();

/** en-GB number with up to `decimals` decimal places and no trailing zeros: 1,234 · 83.8 · 10.49. */
export function formatNumber(value: number, decimals = 2): string {
  let f = numberFormats.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat('en-GB', { maximumFractionDigits: decimals, minimumFractionDigits: 0 });
    numberFormats.set(decimals, f);
  }
  return f.format(value);
}

/** The decimals a set of printed figures shows (at most 2): 83.8 and 85 → 1. Read as an indicator's printed precision. */
export function printedDecimals(values: readonly (number | null | undefined)[]): number {
  let d = 0;
  for (const v of values) {
    if (typeof v !== 'number') continue;
    const s = String(v);
    const i = s.indexOf('.');
    if (i >= 0) d = Math.max(d, s.length - i - 1);
  }
  return Math.min(d, 2);
}

export function ordinal(n: number): string {
  const abs = Math.abs(Math.round(n));
  const mod100 = abs % 100;
  const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][abs % 10] ?? 'th';
  return `${Math.round(n)}${suffix}`;
}

export const isPercentUnit = (unit: string): boolean => unit.trim() === '%' || /^percent(age)?$/i.test(unit.trim());
const isMillionsUnit = (unit: string) => /^£\s*(m|millions?)\b/i.test(unit.trim()) || /^£ millions/i.test(unit.trim());

/** A value in its unit: `83.8%`, `£5.5m`, `£6.9`, `1,234`, `8.69 days`, `1st`. */
export function formatValue(value: number, unit: string, decimals?: number): string {
  const u = unit.trim();
  const d = decimals ?? 2;
  if (isPercentUnit(u)) return `${formatNumber(value, d)}%`;
  if (isMillionsUnit(u)) return `${value < 0 ? '-' : ''}£${formatNumber(Math.abs(value), d)}m`;
  if (u.startsWith('£')) return `${value < 0 ? '-' : ''}£${formatNumber(Math.abs(value), d)}`;
  if (/^rank\b/i.test(u)) return ordinal(value);
  if (/^days?\b/i.test(u)) return `${formatNumber(value, d)} days`;
  if (u.length > 0 && u.length <= 8 && !/^(number|score|count|rate|index)$/i.test(u)) return `${formatNumber(value, d)} ${u}`;
  return formatNumber(value, d);
}

/** A range in its unit, the unit said once: `7.84–10.49 days`, `53.1–62.5%`, `£1.2m–£3.4m`. */
export function formatRange(min: number, max: number, unit: string, decimals?: number): string {
  const a = formatValue(min, unit, decimals);
  const b = formatValue(max, unit, decimals);
  if (a === b) return a;
  // A unit written after the number (" days", "%") is said once, after the second.
  const suffix = /[^\d]*$/.exec(b)?.[0] ?? '';
  const lead = /^[^\d-]*/.exec(b)?.[0] ?? '';
  return !lead && suffix && a.endsWith(suffix) ? `${a.slice(0, a.length - suffix.length)}–${b}` : `${a}–${b}`;
}

/**
 * The largest magnitude the database keeps in a number column: values, targets, baselines, amber
 * floors and tolerances are NUMERIC(20, 6) (prisma/schema.prisma), 14 digits before the decimal point.
 */
export const LARGEST_STORED_NUMBER = 99_999_999_999_999;

/**
 * Why a number cannot be kept — beyond what the database's number columns hold, or not a number at
 * all — as the words a person reads ("a value must be between -99,999,999,999,999 and
 * 99,999,999,999,999"), or null when it can. The one check for every way a number comes in: typed,
 * in a form, carried by a button, from the command line or in an imported file.
 */
export function storedNumberError(value: number, what = 'a value'): string | null {
  if (Number.isFinite(value) && Math.abs(value) <= LARGEST_STORED_NUMBER) return null;
  return `${what} must be between ${formatNumber(-LARGEST_STORED_NUMBER, 0)} and ${formatNumber(LARGEST_STORED_NUMBER, 0)}`;
}

/** The largest id or version number a row has: the database keeps them as 32-bit integers. */
export const LARGEST_RECORD_NUMBER = 2_147_483_647;

/** Whether a number can be a row's id or version (a larger one names no row, and the database would refuse to look it up). */
export const isRecordNumber = (n: number): boolean => Number.isInteger(n) && n > 0 && n <= LARGEST_RECORD_NUMBER;

/** Control characters other than tab and line breaks (C0, DEL, C1): a terminal's escape sequences, a pasted bell — never meant as text. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Text as people mean it: NUL and other control characters dropped (tabs and line breaks kept). */
export const withoutControlCharacters = (s: string): string => s.replace(CONTROL_CHARACTERS, '');

/** Read a value as people type it for an indicator of this unit. Messages say what was wrong. */
export function parseValue(text: string, unit: string): ParseResult<number> {
  const raw = text.trim();
  if (!raw) return { ok: false, error: 'No value given: type a number, e.g. 8.4.' };
  let s = raw.replace(/\s+/g, '');
  const percent = isPercentUnit(unit);
  if (s.endsWith('%')) {
    if (!percent) return { ok: false, error: `"${raw}" is a percentage, but this indicator is measured in ${unit}: type the number alone.` };
    s = s.slice(0, -1);
  }
  if (s.startsWith('£') || s.startsWith('-£')) s = s.replace('£', '');
  if (isMillionsUnit(unit) && /m$/i.test(s)) s = s.slice(0, -1);
  if (/^rank\b/i.test(unit.trim())) s = s.replace(/(st|nd|rd|th)$/i, '');
  if (/,/.test(s)) {
    if (!/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) return { ok: false, error: `"${raw}" is not a number I can read: use commas only between thousands (1,234.5), or none.` };
    s = s.replace(/,/g, '');
  }
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return { ok: false, error: `"${raw}" is not a number: type digits with an optional decimal point, e.g. 8.4.` };
  const value = Number(s);
  const range = storedNumberError(value);
  if (range) return { ok: false, error: `"${raw}" is too large a number to keep: ${range}.` };
  // A percentage over 100 or below 0 is read, not refused: the plausibility check (plausibility.ts) asks about it.
  return { ok: true, value };
}
