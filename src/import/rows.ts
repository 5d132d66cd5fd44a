// Reading a table's rows with zod: each row's cells by column into a schema, every problem named by
// sheet, row and column heading with the cell as given — shared by every kind of sheet.
import type { z } from 'zod';
import { cellString } from './cells.ts';
import type { Table, TableRow } from './tables.ts';

export interface ImportIssue {
  /** Sheet (XLSX) or file (CSV). */
  sheet: string | null;
  row: number | null;
  column: string | null;
  message: string;
  /** The cell as given. */
  got?: string;
}

/** One row through its zod schema: the parsed values, or null with each problem recorded against its column. */
export function parseRow<S extends z.ZodType>(t: Table, r: TableRow, cols: Record<string, number | undefined>, schema: S, issues: ImportIssue[]): z.output<S> | null {
  const raw: Record<string, string | null> = {};
  for (const [key, i] of Object.entries(cols)) if (i !== undefined) raw[key] = r.cells[i]?.date ?? cellString(r.cells[i]);
  const shape = (schema as unknown as z.ZodObject).shape as Record<string, unknown>;
  for (const key of Object.keys(shape)) if (!(key in raw)) raw[key] = null;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? '');
    const i = cols[key];
    issues.push({ sheet: t.sheet, row: r.row, column: i === undefined ? key : t.header[i]!, message: issue.message, ...(raw[key] ? { got: raw[key]! } : {}) });
  }
  return null;
}
