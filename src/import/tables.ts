// Spreadsheet files as plain sheets: CSV (csv-parse, streaming) and XLSX (xlsx.ts, streaming) both
// become sheets of rows of cells, each row with the number a person sees in their spreadsheet
// program, so every error can name the row and the column. Both count rows and cells as they read
// and stop at the first limit passed (limits.ts). Where a sheet's table starts (below a title) and ends (above its
// notes) is decided by its headings (headings.ts, findTable).
import { isUtf8 } from 'node:buffer';
import { parse } from 'csv-parse';
import { ValidationError } from '../errors.ts';
import { IMPORT_LIMITS, Tally, type ImportLimits } from './limits.ts';
import { readXlsxStream } from './xlsx.ts';

export type { Cell, CellValue, Sheet, TableRow } from './sheet.ts';
import type { Cell, Sheet, TableRow } from './sheet.ts';

export interface Table {
  /** The sheet name (XLSX) or the file name (CSV). */
  sheet: string;
  header: string[];
  /** The row the headings are on. */
  headerRow: number;
  /** The data rows, below the headings and above any notes. */
  rows: TableRow[];
  /** The first row with something in it above the headings (a title), or null when the headings come first. */
  titleFrom: number | null;
  /** Rows below the table read as notes ("Source: …", "* subject to verification"), not data. */
  notes: TableRow[];
}

export const isBlank = (c: Cell | undefined): boolean => c === undefined || c.value === null || (typeof c.value === 'string' && c.value.trim() === '');

/** The cells a person typed in a row: not blank, and not the copies of a merged range. */
export const ownCells = (r: TableRow): Cell[] => r.cells.filter((c) => !isBlank(c) && !c.merged);

/** A heading row's texts; a heading merged across columns counts once. */
export const headingsOf = (r: TableRow): string[] => r.cells.map((c) => (c.value === null || c.merged ? '' : String(c.value).replace(/\s+/g, ' ').trim()));

/** The sheet's rows with something in them. */
function toSheet(sheet: string, rows: TableRow[]): Sheet | null {
  const kept = rows.filter((r) => r.cells.some((c) => !isBlank(c)));
  return kept.length ? { sheet, rows: kept } : null;
}

/** The separator of the heading line (outside quotes): comma, or the semicolon or tab some Excel locales save. */
function sniffDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text.slice(0, 10_000)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') break;
    else if (!quoted && ch in counts) counts[ch]!++;
  }
  const [best, n] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0]!;
  return n > 0 ? best : ',';
}

/** A file's sheets as read, and what the answer should say about how it was read (the CSV's encoding). */
export interface ReadFile {
  sheets: Sheet[];
  notes: string[];
}

const CHUNK = 64 * 1024;

/** The five bytes Windows-1252 leaves undefined (decoded as these C1 characters): no 1252 text holds them. */
const NOT_1252 = /[\u0081\u008d\u008f\u0090\u009d]/;

/** Control characters other than tab and line breaks (C0, DEL, C1): never meant as text, and the database cannot store NUL. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** The sheet's cells without control characters, and a note of where they were (null when none were). */
function withoutControl(sheet: Sheet): string | null {
  let first: string | null = null;
  let n = 0;
  for (const r of sheet.rows) {
    r.cells.forEach((c, i) => {
      if (typeof c.value !== 'string' || !CONTROL.test(c.value)) return;
      CONTROL.lastIndex = 0;
      c.value = c.value.replace(CONTROL, '');
      first ??= `row ${r.row}, column ${columnLetter(i)}`;
      n++;
    });
  }
  return first ? `${sheet.sheet} ${first}${n > 1 ? ` and ${n - 1} other cell${n > 2 ? 's' : ''}` : ''}: control characters (such as NUL) are not text; I left them out.` : null;
}

/** The text of `bytes` in chunks, decoded as `encoding`. */
function* decoded(bytes: Uint8Array, encoding: 'utf-8' | 'windows-1252'): Generator<string> {
  const decoder = new TextDecoder(encoding);
  for (let i = 0; i < bytes.length; i += CHUNK) yield decoder.decode(bytes.subarray(i, i + CHUNK), { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * A CSV file read as a stream of records (csv-parse), counting rows and filled cells as it goes so an
 * oversize file is refused at the row that passes a limit. UTF-8 unless the bytes are not UTF-8: then
 * Windows-1252, which Excel on Windows saves "CSV" in — and the answer says so; bytes that are
 * neither are refused with the row and column they are in.
 */
export async function readCsv(bytes: Uint8Array, name: string, limits: ImportLimits = IMPORT_LIMITS): Promise<ReadFile> {
  const utf8 = isUtf8(bytes);
  const encoding = utf8 ? 'utf-8' : 'windows-1252';
  const notes = utf8 ? [] : [`${name} is not UTF-8: I read it as Windows-1252, the encoding Excel on Windows saves "CSV" in (£, é and ’ as Excel shows them). Save it as "CSV UTF-8" to be sure.`];
  const head = new TextDecoder(encoding).decode(bytes.subarray(0, 40_000));
  const parser = parse({ delimiter: sniffDelimiter(head), bom: true, relax_column_count: true, skip_empty_lines: false, info: true });
  let failure: unknown = null;
  parser.on('error', (e) => (failure ??= e));
  const tally = new Tally(name, limits, false);
  const rows: TableRow[] = [];
  const take = ({ record, info }: { record: string[]; info: { lines: number } }) => {
    // The line a record starts on: csv-parse counts to its end, and a quoted cell may hold line breaks.
    const row = info.lines - record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
    if (!utf8) {
      const at = record.findIndex((c) => NOT_1252.test(c));
      if (at >= 0) {
        const ch = NOT_1252.exec(record[at]!)![0].charCodeAt(0);
        throw new ValidationError(
          `${name} row ${row}, column ${columnLetter(at)}: the byte 0x${ch.toString(16).padStart(2, '0').toUpperCase()} is neither UTF-8 nor Windows-1252 text, so I cannot tell what the file says. Save it from Excel as "CSV UTF-8 (Comma delimited)" and import that.`,
        );
      }
    }
    const cells = record.map((v) => ({ value: v }));
    tally.row(name, cells.filter((c) => !isBlank(c)).length);
    rows.push({ row, cells });
  };
  // Chunk by chunk, the records of each taken before the next is parsed: a limit passed is refused
  // there, before the rest of the file is read (or found broken).
  const pull = () => {
    for (let r = parser.read() as Parameters<typeof take>[0] | null; r !== null; r = parser.read() as Parameters<typeof take>[0] | null) take(r);
  };
  try {
    for (const chunk of decoded(bytes, encoding)) {
      if (failure) break;
      parser.write(chunk);
      pull();
    }
    if (!failure) {
      parser.end();
      for await (const r of parser as AsyncIterable<Parameters<typeof take>[0]>) take(r);
    }
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    failure ??= e;
  } finally {
    parser.destroy();
  }
  if (failure) {
    const err = failure as Error & { lines?: number };
    throw new ValidationError(`${name} is not a readable CSV file${err.lines ? ` (line ${err.lines})` : ''}: ${err.message.replace(/^Invalid /, 'invalid ')}.`);
  }
  const sheet = toSheet(name, rows);
  const control = sheet && withoutControl(sheet);
  return { sheets: sheet ? [sheet] : [], notes: control ? [...notes, control] : notes };
}

/** An XLSX workbook's visible sheets, read as a stream (xlsx.ts). */
export async function readXlsx(bytes: Uint8Array, name: string, limits: ImportLimits = IMPORT_LIMITS): Promise<ReadFile> {
  const sheets: Sheet[] = [];
  const notes: string[] = [];
  for (const s of await readXlsxStream(bytes, name, limits)) {
    const sheet = toSheet(s.name, s.rows);
    if (!sheet) continue;
    sheets.push(sheet);
    const control = withoutControl(sheet);
    if (control) notes.push(control);
  }
  return { sheets, notes };
}

/** A column letter as spreadsheets show it: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
