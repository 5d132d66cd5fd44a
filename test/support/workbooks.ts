// Spreadsheets for import tests: XLSX workbooks built with exceljs, CSV from rows.
import ExcelJS from 'exceljs';

export type SheetRows = (string | number | null)[][];

/** A workbook of named sheets; cells given as `{ pct: 0.838 }` are stored as Excel percentages. */
export async function xlsx(sheets: Record<string, (string | number | null | { pct: number })[][]>): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) {
      const row = ws.addRow(r.map((c) => (c !== null && typeof c === 'object' ? c.pct : c)));
      r.forEach((c, i) => {
        if (c !== null && typeof c === 'object') row.getCell(i + 1).numFmt = '0.0%';
      });
    }
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** CSV text from rows (cells quoted when they need it). */
export function csv(rows: SheetRows): Uint8Array {
  const cell = (c: string | number | null) => {
    const s = c === null ? '' : String(c);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return new TextEncoder().encode(rows.map((r) => r.map(cell).join(',')).join('\n') + '\n');
}
