// The XLSX reader the import used before it read workbooks as streams: exceljs' `xlsx.load`, the
// whole workbook in memory. Kept for tests only, as the reference the streaming reader
// (src/import/xlsx.ts) must agree with on the example files and fixtures.
import type ExcelJS from 'exceljs';
import type { Cell, Sheet, TableRow } from '../../src/import/tables.ts';

function toSheet(sheet: string, rows: TableRow[]): Sheet | null {
  const kept = rows.filter((r) => r.cells.some((c) => !(c.value === null || (typeof c.value === 'string' && c.value.trim() === ''))));
  return kept.length ? { sheet, rows: kept } : null;
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

export async function readXlsxWhole(bytes: Uint8Array, name: string): Promise<Sheet[]> {
  // exceljs is loaded with the first workbook, not at start.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (e) {
    throw new Error(`${name} is not a readable Excel workbook (.xlsx): ${(e as Error).message}`);
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

