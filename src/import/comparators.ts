// Reading comparator data: the long CSV (or XLSX) LG Inform and councils' data teams export — one row
// per area, period and indicator (`area code, area name, period, indicator, value`), under a title
// if there is one, with M, .., - or blank for an area that reported nothing and commas between
// thousands. Their indicator is mapped to ours by slug, reference or name, by an "Our indicator"
// column, or by a mapping file (their name, our slug or reference). Every problem is listed with its
// row and column; nothing is returned unless the whole file reads.
import { cellString, normalise, readValueCell } from './cells.ts';
import { matchColumns, type Columns } from './headings.ts';
import { columnLetter, headingsOf, readCsv, readXlsx, type ReadFile, type TableRow } from './tables.ts';
import { parsePeriodLabel } from '../domain/periods.ts';
import { periodKindFor } from '../domain/periods/calendar.ts';
import type { Frequency, PeriodKind } from '../domain/types.ts';
import type { ComparatorValueRecord } from '../ports.ts';

/** A name, reference or slug compared without case or punctuation. */
const refKey = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

export const COMPARATOR_COLUMNS = {
  areaCode: ['area code', 'areacode', 'code', 'ons code', 'gss code', 'la code', 'local authority code', 'geography code', 'authority code'],
  areaName: ['area name', 'areaname', 'area', 'name', 'local authority', 'authority', 'council', 'geography', 'geography name', 'la name'],
  period: ['period', 'time period', 'period label', 'year', 'quarter', 'date', 'financial year'],
  indicator: ['indicator', 'indicator name', 'metric', 'metric name', 'metric type', 'measure', 'dataset'],
  value: ['value', 'data value', 'figure', 'result', 'data'],
  ours: ['our indicator', 'kpi', 'our slug', 'our ref', 'maps to', 'slug'],
} as const;

/** One of our indicators, as comparator rows may name it. */
export interface KnownIndicator {
  id: number;
  slug: string;
  ref: string | null;
  name: string;
  unit: string;
  /** Its periods' kind: rows of another kind (a year for a quarterly indicator) are left out, said in a note. */
  frequency?: Frequency;
}

export interface ComparatorFile {
  rows: Omit<ComparatorValueRecord, 'source'>[];
  /** Rows an area left without a value (M, .., -, blank). */
  missing: number;
  /** Where the table starts, columns not used: said back, never a reason to refuse. */
  notes: string[];
}

export type ComparatorRead = { ok: true; file: ComparatorFile } | { ok: false; errors: string[] };

/** At most this many problems are listed; the rest are counted. */
const MAX_ERRORS = 40;
const HEADINGS_WITHIN = 30;

/** The row the headings are on: the first (of the first 30) naming an area code, a value and an indicator or period. */
function headingRow(rows: TableRow[]): { at: number; cols: Columns<typeof COMPARATOR_COLUMNS>; used: Set<number> } | null {
  for (let i = 0; i < Math.min(rows.length, HEADINGS_WITHIN); i++) {
    const m = matchColumns(headingsOf(rows[i]!), COMPARATOR_COLUMNS);
    if (m.cols.areaCode !== undefined && m.cols.value !== undefined && (m.cols.period !== undefined || m.cols.indicator !== undefined)) return { at: i, ...m };
  }
  return null;
}

/** A lookup of our indicators by slug, reference and name (compared without case or punctuation), and by the mapping's names. */
function indicatorFinder(known: readonly KnownIndicator[], mapping: ReadonlyMap<string, string>) {
  const by = new Map<string, KnownIndicator>();
  for (const k of known) for (const key of [k.name, k.ref, k.slug]) if (key) by.set(refKey(key), k);
  return (theirs: string, ours: string | null): KnownIndicator | null => {
    const mapped = ours ?? mapping.get(refKey(theirs)) ?? null;
    return by.get(refKey(mapped ?? theirs)) ?? null;
  };
}

/** Read a mapping file's lines: their indicator name, then our slug or reference (a heading row is fine: it maps nothing we have). */
export async function readMapping(bytes: Uint8Array, name: string, known: readonly KnownIndicator[]): Promise<{ ok: true; mapping: Map<string, string> } | { ok: false; errors: string[] }> {
  const read = await readCsv(bytes, name);
  const find = indicatorFinder(known, new Map());
  const mapping = new Map<string, string>();
  const errors: string[] = [];
  for (const [i, r] of (read.sheets[0]?.rows ?? []).entries()) {
    const [theirs, ours] = [cellString(r.cells[0]), cellString(r.cells[1])];
    if (!theirs || !ours) continue;
    if (!find(ours, null)) {
      if (i > 0) errors.push(`${name} row ${r.row}, column B: "${ours}" is none of our indicators (give its slug or reference).`);
      continue;
    }
    mapping.set(refKey(theirs), ours);
  }
  return errors.length ? { ok: false, errors } : { ok: true, mapping };
}

export { readCsv };

/** The file's first sheet (CSV, or an XLSX workbook's first sheet with the headings). */
export async function readComparatorSheet(bytes: Uint8Array, name: string): Promise<ReadFile> {
  return /\.xlsx$/i.test(name) ? readXlsx(bytes, name) : readCsv(bytes, name);
}

const KIND_WORDS: Record<PeriodKind, string> = { month: 'months', quarter: 'quarters', financial_year: 'financial years', academic_year: 'academic years', calendar_year: 'calendar years' };

/** Read comparator rows: all or nothing, every problem with its row and column. */
export function readComparators(read: ReadFile, name: string, known: readonly KnownIndicator[], opts: { fyStartMonth: number; mapping?: ReadonlyMap<string, string> }): ComparatorRead {
  const sheet = read.sheets.find((s) => headingRow(s.rows)) ?? null;
  if (!sheet) {
    return { ok: false, errors: [`${name}: no row of headings naming an area code, a value and the indicator or period (e.g. "Area code, Area name, Period, Indicator, Value") in its first ${HEADINGS_WITHIN} rows.`] };
  }
  const head = headingRow(sheet.rows)!;
  const { cols } = head;
  const headRow = sheet.rows[head.at]!;
  const notes = [...read.notes];
  if (head.at > 0) notes.push(`${name}: headings found on row ${headRow.row}; ${head.at === 1 ? `row ${sheet.rows[0]!.row} reads` : `rows ${sheet.rows[0]!.row}–${sheet.rows[head.at - 1]!.row} read`} as a title.`);
  const header = headingsOf(headRow);
  const unused = header.map((h, i) => ({ h, i })).filter(({ h, i }) => h && !head.used.has(i));
  if (unused.length) notes.push(`${name}: column${unused.length > 1 ? 's' : ''} ${unused.map(({ h, i }) => `${columnLetter(i)} "${h}"`).join(', ')} not used.`);

  const errors: string[] = [];
  let more = 0;
  const fail = (row: number, col: number | undefined, msg: string) => {
    if (errors.length < MAX_ERRORS) errors.push(`${name} row ${row}${col !== undefined ? `, column ${columnLetter(col)} "${header[col]}"` : ''}: ${msg}`);
    else more++;
  };
  const needs = (key: keyof typeof COMPARATOR_COLUMNS, what: string) => {
    if (cols[key] === undefined) errors.push(`${name}: no ${what} column (headings read on row ${headRow.row}: ${header.filter(Boolean).map((h) => `"${h}"`).join(', ')}).`);
  };
  needs('period', 'period');
  if (cols.indicator === undefined && cols.ours === undefined) errors.push(`${name}: no indicator column (headings read on row ${headRow.row}: ${header.filter(Boolean).map((h) => `"${h}"`).join(', ')}).`);
  if (errors.length) return { ok: false, errors };

  const find = indicatorFinder(known, opts.mapping ?? new Map());
  const unknown = new Map<string, { row: number; n: number }>();
  const seen = new Map<string, { row: number; value: number | null }>();
  const rows: ComparatorFile['rows'] = [];
  let missing = 0;
  /** Rows left out because their period is not of the indicator's kind: per indicator and kind, how many and an example. */
  const otherKind = new Map<string, { slug: string; frequency: Frequency; kind: PeriodKind; n: number; example: string }>();
  for (const r of sheet.rows.slice(head.at + 1)) {
    const text = (i: number | undefined) => (i === undefined ? null : cellString(r.cells[i]));
    const [code, areaName, periodText, theirs, ours, valueText] = [text(cols.areaCode), text(cols.areaName), text(cols.period), text(cols.indicator), text(cols.ours), text(cols.value)];
    // A note below the table ("Source: LG Inform"), or a row left empty but for a stray cell.
    if (!code && !valueText && !periodText) continue;
    if (!code) {
      fail(r.row, cols.areaCode, 'expected an area code such as E08000009; the cell is empty');
      continue;
    }
    if (!/^[A-Za-z0-9]{2,12}$/.test(code)) {
      fail(r.row, cols.areaCode, `expected an area code such as E08000009, got "${code}"`);
      continue;
    }
    const indicatorText = ours ?? theirs;
    if (!indicatorText) {
      fail(r.row, cols.ours ?? cols.indicator, 'expected the indicator; the cell is empty');
      continue;
    }
    const ind = find(theirs ?? indicatorText, ours);
    if (!ind) {
      const u = unknown.get(indicatorText);
      if (u) u.n++;
      else unknown.set(indicatorText, { row: r.row, n: 1 });
      continue;
    }
    if (!periodText) {
      fail(r.row, cols.period, 'expected a period such as 2017/18 Q3; the cell is empty');
      continue;
    }
    const period = parsePeriodLabel(periodText, opts.fyStartMonth);
    if (!period.ok) {
      fail(r.row, cols.period, period.error);
      continue;
    }
    // Ranked by the indicator's own periods: a year's figure is no quarter's, so it could never be compared.
    if (ind.frequency && period.value.kind !== periodKindFor(ind.frequency)) {
      const k = `${ind.slug}|${period.value.kind}`;
      const o = otherKind.get(k);
      if (o) o.n++;
      else otherKind.set(k, { slug: ind.slug, frequency: ind.frequency, kind: period.value.kind, n: 1, example: period.value.key });
      continue;
    }
    const v = valueText === null ? ({ ok: true, value: null } as const) : readValueCell(valueText, ind.unit);
    if (!v.ok) {
      fail(r.row, cols.value, `"${valueText}": ${v.error}`);
      continue;
    }
    const value = v.value?.value ?? null;
    if (value === null) missing++;
    const areaCode = code.toUpperCase();
    const key = `${ind.id}|${period.value.key}|${areaCode}`;
    const before = seen.get(key);
    if (before) {
      if (before.value !== value) fail(r.row, undefined, `${areaCode}, ${period.value.key}, ${ind.slug} is on row ${before.row} too, with another value`);
      continue;
    }
    seen.set(key, { row: r.row, value });
    rows.push({ indicatorId: ind.id, periodKey: period.value.key, areaCode, areaName: areaName ?? areaCode, value });
  }
  for (const [what, u] of unknown) {
    fail(u.row, cols.ours ?? cols.indicator, `"${what}" is none of our indicators by slug, reference or name${u.n > 1 ? ` (${u.n} rows)` : ''}: add an "Our indicator" column, or map it with --map FILE (their name, our slug)`);
  }
  if (more) errors.push(`…and ${more} more problem${more === 1 ? '' : 's'}.`);
  if (errors.length) return { ok: false, errors };
  const leftOut = [...otherKind.values()].map(
    (o) => `${name}: ${o.n} row${o.n === 1 ? '' : 's'} for ${o.slug} left out: ${o.frequency} indicator, but ${o.n === 1 ? 'its period is' : 'their periods are'} ${KIND_WORDS[o.kind]} (${o.example}); it is ranked by ${KIND_WORDS[periodKindFor(o.frequency)]} only.`,
  );
  notes.push(...leftOut);
  if (!rows.length) return { ok: false, errors: [`${name}: no rows of comparator data below the headings on row ${headRow.row}${leftOut.length ? ' that could be ranked' : ''}.`, ...leftOut] };
  return { ok: true, file: { rows, missing, notes } };
}

/** Read a comparator group's area codes from a CSV: the first column that holds codes (an "Area code" heading, or none). */
export function readGroupAreas(read: ReadFile, name: string): { ok: true; areas: string[] } | { ok: false; error: string } {
  const rows = read.sheets[0]?.rows ?? [];
  const first = rows[0] ? headingsOf(rows[0]) : [];
  const named = first.findIndex((h) => (COMPARATOR_COLUMNS.areaCode as readonly string[]).includes(normalise(h)));
  const col = named >= 0 ? named : 0;
  const areas: string[] = [];
  for (const r of rows.slice(named >= 0 ? 1 : 0)) {
    const code = cellString(r.cells[col]);
    if (!code) continue;
    if (!/^[A-Za-z0-9]{2,12}$/.test(code)) return { ok: false, error: `${name} row ${r.row}, column ${columnLetter(col)}: expected an area code such as E08000009, got "${code}"` };
    if (!areas.includes(code.toUpperCase())) areas.push(code.toUpperCase());
  }
  return areas.length ? { ok: true, areas } : { ok: false, error: `${name}: no area codes in it.` };
}
