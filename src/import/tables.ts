// Spreadsheet files as plain sheets: CSV (csv-parse) and XLSX (exceljs) both become sheets of rows
// of cells, each row with the number a person sees in their spreadsheet program, so every error
// can name the row and the column. Where a sheet's table starts (below a title) and ends (above its
// notes) is decided by its headings (headings.ts, findTable).
import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { ValidationError } from '../errors.ts';

/** A cell as read: text, a number, or empty. `percent` marks an XLSX cell formatted as a percentage (0.838 shown as 83.8%). */
export type CellValue = string | number | boolean | null;
export interface Cell {
  value: CellValue;
  percent?: boolean;
  /** A date cell's day (YYYY-MM-DD), for columns that want the day rather than the month shown in `value`. */
  date?: string;
  /** Part of a merged range, not its first cell: the value is the range's, copied (a title across a row, a theme down a column). */
  merged?: boolean;
}

export interface TableRow {
  /** The row number in the file, as the spreadsheet program shows it. */
  row: number;
  cells: Cell[];
}

/** A sheet as read: its rows with something in them (blank rows are left out, so row numbers can jump). */
export interface Sheet {
  /** The sheet name (XLSX) or the file name (CSV). */
  sheet: string;
  rows: TableRow[];
}

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

export function readCsv(bytes: Uint8Array, name: string): Sheet[] {
  let text = Buffer.from(bytes).toString('utf8');
  if (text.includes('\uFFFD')) {
    // Not UTF-8: Excel on Windows saves "CSV" in Windows-1252.
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter: sniffDelimiter(text), bom: true, relax_column_count: true, skip_empty_lines: false, info: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new ValidationError(`${name} is not a readable CSV file${err.lines ? ` (line ${err.lines})` : ''}: ${err.message.replace(/^Invalid /, 'invalid ')}.`);
  }
  const rows = records.map(({ record, info }) => ({
    // The line a record starts on: csv-parse counts to its end, and a quoted cell may hold line breaks.
    row: info.lines - record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0),
    cells: record.map((v) => ({ value: v })),
  }));
  const sheet = toSheet(name, rows);
  return sheet ? [sheet] : [];
}

function xlsxCell(cell: ExcelJS.Cell): Cell {
  const read = xlsxValue(cell);
  return cell.isMerged && cell.master !== cell ? { ...read, merged: true } : read;
}

function xlsxValue(cell: ExcelJS.Cell): Cell {
  let v: unknown = cell.value;
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const o = v as { result?: unknown; richText?: { text: string }[]; text?: unknown; error?: string };
    if ('richText' in o && o.richText) v = o.richText.map((r) => r.text).join('');
    else if ('result' in o) v = o.result ?? null;
    else if ('text' in o) v = o.text;
    else if ('error' in o) v = o.error;
    else v = cell.text;
  }
  if (v instanceof Date) {
    // A date typed into a period column: keep it as the month Excel shows (periods are months at finest).
    const d = v;
    return { value: `${d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })} ${d.getUTCFullYear()}`, date: d.toISOString().slice(0, 10) };
  }
  if (typeof v === 'number') return { value: v, ...(/%/.test(cell.numFmt ?? '') ? { percent: true } : {}) };
  if (typeof v === 'string' || typeof v === 'boolean') return { value: v };
  return { value: null };
}

export async function readXlsx(bytes: Uint8Array, name: string): Promise<Sheet[]> {
  // exceljs is loaded with the first workbook, not at start.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (e) {
    throw new ValidationError(`${name} is not a readable Excel workbook (.xlsx): ${(e as Error).message}. Save it again from Excel as "Excel Workbook (.xlsx)", or export CSV.`);
  }
  const sheets: Sheet[] = [];
  for (const ws of wb.worksheets) {
    if (ws.state === 'hidden' || ws.state === 'veryHidden') continue;
    const rows: TableRow[] = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: Cell[] = [];
      for (let c = 1; c <= row.cellCount; c++) cells.push(xlsxCell(row.getCell(c)));
      rows.push({ row: rowNumber, cells });
    });
    const s = toSheet(ws.name, rows);
    if (s) sheets.push(s);
  }
  return sheets;
}

/** A column letter as spreadsheets show it: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
