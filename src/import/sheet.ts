// A sheet as the readers give it (tables.ts for CSV, xlsx.ts for XLSX): rows of cells, each row with
// the number a person sees in their spreadsheet program.

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

