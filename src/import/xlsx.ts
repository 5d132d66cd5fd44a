// An XLSX workbook read as a stream: the archive's declared sizes are checked first (zip.ts), then
// the workbook (sheet names, which are hidden), the styles (which cells are percentages or dates)
// and the shared strings are read, and then each visible sheet's XML, chunk by chunk, row by row —
// counting rows and filled cells (limits.ts) so an oversize sheet is refused at the row that passes
// the limit, not after the whole workbook is in memory. What it gives is what the whole-workbook
// reader (exceljs' `xlsx.load`) gave: formula results, rich text joined, dates as the month shown
// with their day, percentages marked, hidden sheets skipped, and a merged range's value copied to
// its other cells (`merged`) — from the sheet's <mergeCells>, which comes after its rows.
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Cell, TableRow } from './sheet.ts';
import { type ImportLimits, Tally, unpacksTooLarge } from './limits.ts';
import { declaredSize, entryChunks, zipEntries, ZipFormatError, ZipOverflowError, type ZipEntry } from './zip.ts';
import { ValidationError } from '../errors.ts';

/** The built-in number formats that are percentages or dates (ECMA-376 18.8.30); the rest are plain. */
const BUILT_IN_FORMATS: Record<number, string> = {
  9: '0%', 10: '0.00%', 14: 'mm-dd-yy', 15: 'd-mmm-yy', 16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM',
  20: 'h:mm', 21: 'h:mm:ss', 22: 'm/d/yy "h":mm', 45: 'mm:ss', 46: '[h]:mm:ss', 47: 'mmss.0',
};

/** A format shows a date or time when, outside quotes and brackets, it has a date or time letter. */
function isDateFormat(format: string): boolean {
  return /[ymdhMsb]+/.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** Excel's serial day (1900 or 1904 system) as a date. */
function excelDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/** An element's name without its namespace prefix (`x:row` → `row`). */
const local = (name: string) => name.slice(name.indexOf(':') + 1);

/** An attribute by its local name, whatever its prefix (`r:id`). */
function attr(tag: SaxesTagPlain, name: string): string | undefined {
  const a = tag.attributes as Record<string, string>;
  if (name in a) return a[name];
  for (const k of Object.keys(a)) if (local(k) === name) return a[k];
  return undefined;
}

/** Column and row of a reference such as "AB12" (1-based). */
function decodeRef(ref: string): { col: number; row: number } | null {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)$/.exec(ref.toUpperCase());
  if (!m) return null;
  let col = 0;
  for (const ch of m[1]!) col = col * 26 + ch.charCodeAt(0) - 64;
  return { col, row: Number(m[2]) };
}

interface Handlers {
  open?(tag: SaxesTagPlain, name: string): void;
  text?(text: string): void;
  close?(name: string): void;
}

class Book {
  private readonly entries: Map<string, ZipEntry>;
  private readonly budget: { left: number };

  constructor(
    private readonly bytes: Uint8Array,
    private readonly name: string,
    private readonly limits: ImportLimits,
  ) {
    let entries: ZipEntry[];
    try {
      entries = zipEntries(bytes);
    } catch (e) {
      throw unreadable(name, e);
    }
    const declared = declaredSize(entries);
    // Before anything is inflated: what the archive says it unpacks to.
    if (declared > limits.unzippedBytes || entries.some((e) => e.uncompressedSize > limits.unzippedBytes)) throw unpacksTooLarge(name, declared, limits);
    this.entries = new Map(entries.map((e) => [e.name.replace(/^\//, ''), e]));
    this.budget = { left: limits.unzippedBytes };
  }

  has(part: string): boolean {
    return this.entries.has(part);
  }

  /** Parse one part's XML as it is inflated. */
  async read(part: string, h: Handlers): Promise<void> {
    const entry = this.entries.get(part);
    if (!entry) return;
    const parser = new SaxesParser({ xmlns: false, position: false });
    if (h.open) parser.on('opentag', (t) => h.open!(t as SaxesTagPlain, local(t.name)));
    if (h.text) {
      parser.on('text', h.text);
      parser.on('cdata', h.text);
    }
    if (h.close) parser.on('closetag', (t) => h.close!(local(t.name)));
    const decoder = new TextDecoder('utf-8');
    try {
      for await (const chunk of entryChunks(this.bytes, entry, this.budget)) parser.write(decoder.decode(chunk, { stream: true }));
      parser.write(decoder.decode()).close();
    } catch (e) {
      if (e instanceof ZipOverflowError) throw unpacksTooLarge(this.name, null, this.limits);
      if (e instanceof ValidationError) throw e;
      throw unreadable(this.name, e);
    }
  }

  /** A relationships part: id → target part, with its type. */
  async rels(part: string): Promise<Map<string, { target: string; type: string }>> {
    const dir = part.replace(/_rels\/[^/]*$/, '');
    const out = new Map<string, { target: string; type: string }>();
    await this.read(part, {
      open: (t, n) => {
        if (n !== 'Relationship') return;
        const target = attr(t, 'Target') ?? '';
        out.set(attr(t, 'Id') ?? '', { target: resolvePart(dir, target), type: attr(t, 'Type') ?? '' });
      },
    });
    return out;
  }
}

/** A relationship's target as a part name: relative to the folder of the part that names it, or absolute. */
function resolvePart(dir: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = `${dir}${target}`.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

function unreadable(name: string, e: unknown): ValidationError {
  const why = e instanceof ZipFormatError ? e.message : (e as Error).message.replace(/\s+/g, ' ').slice(0, 200);
  return new ValidationError(`${name} is not a readable Excel workbook (.xlsx): ${why}. Save it again from Excel as "Excel Workbook (.xlsx)", or export CSV.`);
}

interface SheetRef {
  name: string;
  part: string;
  hidden: boolean;
}

/** The workbook's visible sheets in order, and its date system. */
async function workbook(book: Book, name: string): Promise<{ sheets: SheetRef[]; date1904: boolean; styles: string | null; strings: string | null }> {
  const root = await book.rels('_rels/.rels');
  const main = [...root.values()].find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
  if (!book.has(main)) throw new ValidationError(`${name} is not a readable Excel workbook (.xlsx): it has no workbook part. Save it again from Excel as "Excel Workbook (.xlsx)", or export CSV.`);
  const rels = await book.rels(main.replace(/([^/]*)$/, '_rels/$1.rels'));
  const listed: { name: string; rid: string; hidden: boolean }[] = [];
  let date1904 = false;
  await book.read(main, {
    open: (t, n) => {
      if (n === 'sheet') {
        const state = attr(t, 'state');
        listed.push({ name: attr(t, 'name') ?? '', rid: attr(t, 'id') ?? '', hidden: state === 'hidden' || state === 'veryHidden' });
      } else if (n === 'workbookPr') {
        const d = attr(t, 'date1904');
        date1904 = d === '1' || d === 'true';
      }
    },
  });
  const byType = (suffix: string) => [...rels.values()].find((r) => r.type.endsWith(suffix))?.target ?? null;
  const sheets = listed.flatMap((s) => {
    const rel = rels.get(s.rid);
    return rel ? [{ name: s.name, part: rel.target, hidden: s.hidden }] : [];
  });
  return { sheets, date1904, styles: byType('/styles'), strings: byType('/sharedStrings') };
}

/** Each cell style's number format: whether it shows a percentage, and whether a date. */
async function numberFormats(book: Book, part: string | null): Promise<{ percent: boolean; date: boolean }[]> {
  if (!part) return [];
  const custom = new Map<number, string>();
  const styles: { percent: boolean; date: boolean }[] = [];
  let inCellXfs = false;
  await book.read(part, {
    open: (t, n) => {
      if (n === 'numFmt') custom.set(Number(attr(t, 'numFmtId')), attr(t, 'formatCode') ?? '');
      else if (n === 'cellXfs') inCellXfs = true;
      else if (n === 'xf' && inCellXfs) {
        const id = Number(attr(t, 'numFmtId') ?? 0);
        const format = custom.get(id) ?? BUILT_IN_FORMATS[id] ?? '';
        styles.push({ percent: format.includes('%'), date: format !== '' && isDateFormat(format) });
      }
    },
    close: (n) => {
      if (n === 'cellXfs') inCellXfs = false;
    },
  });
  return styles;
}

/** The shared strings, rich text joined (phonetic guides left out); no more than the file's cell limit. */
async function sharedStrings(book: Book, part: string | null, tally: Tally): Promise<string[]> {
  if (!part) return [];
  const strings: string[] = [];
  let text: string[] | null = null;
  let inT = false;
  let phonetic = 0;
  await book.read(part, {
    open: (_t, n) => {
      if (n === 'si') text = [];
      else if (n === 't' && text && !phonetic) inT = true;
      else if (n === 'rPh') phonetic++;
    },
    text: (s) => {
      if (inT) text!.push(s);
    },
    close: (n) => {
      if (n === 't') inT = false;
      else if (n === 'rPh') phonetic--;
      else if (n === 'si' && text) {
        // More distinct strings than the file may have filled cells cannot all be used: refused as too many cells.
        tally.addStringTable(1);
        strings.push(text.join(''));
        text = null;
      }
    },
  });
  return strings;
}

/** One cell as it is read, before its value is known. */
interface Raw {
  col: number;
  type: string;
  style: number;
  formula: boolean;
  v: string[] | null;
  inline: string[] | null;
}

function cellOf(raw: Raw, strings: string[], formats: { percent: boolean; date: boolean }[], date1904: boolean): Cell {
  const v = raw.v?.join('') ?? null;
  const format = formats[raw.style];
  const number = (n: number): Cell => {
    if (Number.isNaN(n)) return { value: null };
    if (format?.date) {
      const d = excelDate(n, date1904);
      return { value: `${d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })} ${d.getUTCFullYear()}`, date: d.toISOString().slice(0, 10) };
    }
    return { value: n, ...(format?.percent ? { percent: true } : {}) };
  };
  if (raw.formula) {
    // The value a formula last had, as Excel saved it (an error result is no value).
    if (v === null) return { value: null };
    if (raw.type === 'str') return { value: v };
    if (raw.type === 'b') return { value: Number(v) !== 0 };
    if (raw.type === 'e') return { value: null };
    return number(parseFloat(v));
  }
  switch (raw.type) {
    case 's': {
      if (v === null) return { value: null };
      const s = strings[Number(v)];
      return { value: s ?? null };
    }
    case 'inlineStr':
      return raw.inline ? { value: raw.inline.join('') } : v !== null ? { value: v } : { value: null };
    case 'str':
      return v === null ? { value: null } : { value: v };
    case 'b':
      return v === null ? { value: null } : { value: Number(v) !== 0 };
    case 'e':
      return v === null ? { value: null } : { value: v };
    case 'd': {
      if (v === null) return { value: null };
      const d = new Date(v);
      return Number.isNaN(d.getTime()) ? { value: v } : { value: `${d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })} ${d.getUTCFullYear()}`, date: d.toISOString().slice(0, 10) };
    }
    default:
      return v === null ? { value: null } : number(parseFloat(v));
  }
}

const filled = (c: Cell) => c.value !== null && !(typeof c.value === 'string' && c.value.trim() === '');

/** One sheet, row by row; merged ranges copied once its rows are read. */
async function readSheet(book: Book, ref: SheetRef, strings: string[], formats: { percent: boolean; date: boolean }[], date1904: boolean, tally: Tally): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  const merges: string[] = [];
  let row: TableRow | null = null;
  let lastRow = 0;
  let lastCol = 0;
  let cell: Raw | null = null;
  /** Where text goes: a cell's <v>, or the <t> of its inline string. */
  let into: string[] | null = null;
  let inSheetData = false;
  let phonetic = 0;
  await book.read(ref.part, {
    open: (t, n) => {
      switch (n) {
        case 'sheetData':
          inSheetData = true;
          break;
        case 'row': {
          if (!inSheetData) break;
          const r = Number(attr(t, 'r'));
          lastRow = Number.isInteger(r) && r > 0 ? r : lastRow + 1;
          lastCol = 0;
          row = { row: lastRow, cells: [] };
          break;
        }
        case 'c': {
          if (!row) break;
          const r = attr(t, 'r');
          const at = r ? decodeRef(r) : null;
          lastCol = at ? at.col : lastCol + 1;
          cell = { col: lastCol, type: attr(t, 't') ?? 'n', style: Number(attr(t, 's') ?? 0), formula: false, v: null, inline: null };
          break;
        }
        case 'f':
          if (cell) cell.formula = true;
          break;
        case 'v':
          if (cell) into = cell.v = [];
          break;
        case 'is':
          if (cell) cell.inline = [];
          break;
        case 't':
          if (cell?.inline && !phonetic) into = cell.inline;
          break;
        case 'rPh':
          phonetic++;
          break;
        case 'mergeCell': {
          const range = attr(t, 'ref');
          if (range) merges.push(range);
          break;
        }
      }
    },
    text: (s) => {
      if (into) into.push(s);
    },
    close: (n) => {
      switch (n) {
        case 'v':
        case 't':
          into = null;
          break;
        case 'rPh':
          phonetic--;
          break;
        case 'c':
          if (row && cell) {
            const read = cellOf(cell, strings, formats, date1904);
            while (row.cells.length < cell.col - 1) row.cells.push({ value: null });
            row.cells[cell.col - 1] = read;
          }
          cell = null;
          break;
        case 'row':
          if (row) {
            const n = row.cells.filter(filled).length;
            tally.row(ref.name, n);
            if (row.cells.length) rows.push(row);
          }
          row = null;
          break;
        case 'sheetData':
          inSheetData = false;
          break;
      }
    },
  });
  return merges.length ? withMerges(rows, merges, ref.name, tally) : rows;
}

/**
 * Each merged range's value copied into its other cells, marked `merged` (a title across a row, a
 * theme down a column). A blank range adds nothing; copies count as filled cells.
 */
function withMerges(rows: TableRow[], ranges: string[], sheet: string, tally: Tally): TableRow[] {
  const byRow = new Map(rows.map((r) => [r.row, r]));
  for (const range of ranges) {
    const [a, b] = range.split(':');
    const from = decodeRef(a ?? '');
    const to = decodeRef(b ?? a ?? '');
    if (!from || !to) continue;
    const master = byRow.get(from.row)?.cells[from.col - 1];
    if (!master || !filled(master)) continue;
    const copies = (to.row - from.row + 1) * (to.col - from.col + 1) - 1;
    tally.addCells(copies);
    for (let r = from.row; r <= to.row; r++) {
      let target = byRow.get(r);
      if (!target) {
        target = { row: r, cells: [] };
        byRow.set(r, target);
        tally.row(sheet, 1);
      }
      for (let c = from.col; c <= to.col; c++) {
        if (r === from.row && c === from.col) continue;
        while (target.cells.length < c) target.cells.push({ value: null });
        target.cells[c - 1] = { ...master, merged: true };
      }
    }
  }
  return [...byRow.values()].sort((x, y) => x.row - y.row);
}

/** The workbook's visible sheets, as rows of cells; refused as soon as it passes a limit. */
export async function readXlsxStream(bytes: Uint8Array, name: string, limits: ImportLimits): Promise<{ name: string; rows: TableRow[] }[]> {
  const book = new Book(bytes, name, limits);
  const wb = await workbook(book, name);
  const tally = new Tally(name, limits, true);
  const formats = await numberFormats(book, wb.styles);
  const strings = await sharedStrings(book, wb.strings, tally);
  const out: { name: string; rows: TableRow[] }[] = [];
  for (const ref of wb.sheets) {
    if (ref.hidden) continue;
    out.push({ name: ref.name, rows: await readSheet(book, ref, strings, formats, wb.date1904, tally) });
  }
  return out;
}

