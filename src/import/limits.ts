// How much of a spreadsheet the bot reads, in one place: the file's size, what an XLSX unpacks to
// (checked against the sizes the archive declares before anything is inflated, and again while
// inflating), the rows of a sheet and the filled cells of a file. A file over any of them is refused
// as soon as that is known, with an answer that names the limit, so an admin can split the file
// (a council's register is well under 100,000 rows). The reading itself runs on a thread of its
// own whose heap is capped (src/import/off-thread.ts): that cap is the bound on what an import can
// take, whatever the file. docs/performance-team.md, "Import limits", documents these.
import { ValidationError } from '../errors.ts';

export interface ImportLimits {
  /** Bytes of the file as sent. */
  fileBytes: number;
  /** Bytes an XLSX unpacks to, all its parts together. */
  unzippedBytes: number;
  /** Rows with something in them, per sheet (a CSV is one sheet). */
  rowsPerSheet: number;
  /** Cells with something in them, in the whole file. */
  cells: number;
}

const MB = 2 ** 20;

export const IMPORT_LIMITS: Readonly<ImportLimits> = Object.freeze({
  fileBytes: 50 * MB,
  unzippedBytes: 200 * MB,
  rowsPerSheet: 200_000,
  cells: 2_000_000,
});

/** The heap the import thread may use (MB): reading and checking a file within the limits above needs well under it. */
export const IMPORT_HEAP_MB = 1024;

/**
 * Where an import file is read and checked: on a thread of its own with the heap above (off-thread.ts), so no
 * other person's command waits for it; or on the process's own thread (KPI_IMPORT_THREAD=off: the test suite).
 */
export type ImportReadOn = 'import-thread' | 'this-thread';

const count = (n: number) => n.toLocaleString('en-GB');
const mb = (bytes: number) => (bytes < MB ? `${count(Math.ceil(bytes / 1024))} KB` : `${count(Math.round(bytes / MB))} MB`);
const SPLIT = 'Split it into smaller files and import them one after another (an import adds to the register; it does not replace it).';

/** The one answer for a file over the size limit, whichever way it came in. */
export function fileTooLarge(name: string, maxBytes: number = IMPORT_LIMITS.fileBytes): ValidationError {
  return new ValidationError(`${name} is over ${Math.round(maxBytes / MB)} MB, the most I import.`);
}

export function tooManyRows(name: string, sheet: string | null, limits: ImportLimits): ValidationError {
  const where = sheet === null ? '' : ` in sheet ${sheet}`;
  return new ValidationError(`${name} has more than ${count(limits.rowsPerSheet)} rows${where}; the most I import is ${count(limits.rowsPerSheet)} rows per sheet. ${SPLIT}`);
}

export function tooManyCells(name: string, limits: ImportLimits): ValidationError {
  return new ValidationError(`${name} has more than ${count(limits.cells)} filled cells; the most I import is ${count(limits.cells)} in one file. ${SPLIT}`);
}

/** `declared`: what the archive says it unpacks to (null when it unpacked to more than it said). */
export function unpacksTooLarge(name: string, declared: number | null, limits: ImportLimits): ValidationError {
  const said = declared === null ? '' : ` (${mb(declared)})`;
  return new ValidationError(`${name} unpacks to more than ${mb(limits.unzippedBytes)}${said}; the most I read from one workbook is ${mb(limits.unzippedBytes)}. ${SPLIT}`);
}

export function tooLargeToCheck(name: string, heapMb: number = IMPORT_HEAP_MB): ValidationError {
  return new ValidationError(`${name} is too large to check within the ${mb(heapMb * MB)} of memory an import may use. ${SPLIT}`);
}

/** The rows and filled cells read so far; throws the answer as soon as a limit is passed. */
export class Tally {
  private cells = 0;
  private strings = 0;
  private rows = new Map<string, number>();
  constructor(
    private readonly file: string,
    private readonly limits: ImportLimits,
    /** Name sheets in the answer (an XLSX); a CSV is one sheet named after the file. */
    private readonly namedSheets: boolean,
  ) {}

  /** A row with `filled` non-blank cells was read in `sheet`. */
  row(sheet: string, filled: number): void {
    if (filled === 0) return;
    const n = (this.rows.get(sheet) ?? 0) + 1;
    this.rows.set(sheet, n);
    if (n > this.limits.rowsPerSheet) throw tooManyRows(this.file, this.namedSheets ? sheet : null, this.limits);
    this.addCells(filled);
  }

  /** Distinct strings in an XLSX's string table: more than the file may have filled cells cannot all be used. */
  addStringTable(n: number): void {
    this.strings += n;
    if (this.strings > this.limits.cells) throw tooManyCells(this.file, this.limits);
  }

  /** Cells filled in apart from rows (copies of a merged range). */
  addCells(filled: number): void {
    this.cells += filled;
    if (this.cells > this.limits.cells) throw tooManyCells(this.file, this.limits);
  }
}
