// Spreadsheets for import tests: XLSX workbooks built with exceljs, CSV from rows, and a register
// shaped as a council keeps it (title rows, merged cells, "M" and "N/A" cells, years of gaps, notes
// below the table).
import ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type SheetRows = (string | number | null)[][];
type XlsxCell = string | number | null | { pct: number };

/**
 * A workbook of named sheets; cells given as `{ pct: 0.838 }` are stored as Excel percentages.
 * `merges`: ranges merged per sheet (`{ Indicators: ['A1:L1'] }`), as a title across the table is.
 */
export async function xlsx(sheets: Record<string, XlsxCell[][]>, merges: Record<string, string[]> = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) {
      const row = ws.addRow(r.map((c) => (c !== null && typeof c === 'object' ? c.pct : c)));
      r.forEach((c, i) => {
        if (c !== null && typeof c === 'object') row.getCell(i + 1).numFmt = '0.0%';
      });
    }
    for (const range of merges[name] ?? []) ws.mergeCells(range);
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

export interface CouncilWorkbook {
  sheets: { Indicators: XlsxCell[][]; Values: XlsxCell[][] };
  merges: Record<string, string[]>;
  /** The indicators' short names, in the order of their rows. */
  slugs: string[];
}

/**
 * A register as a council keeps it: an Indicators sheet under a two-row title (merged across the
 * table) and a blank row, with "Actual" columns years apart and "M", "N/A", "Refer comment", "TBC",
 * "-", "Reported annually" where there is no value, then a blank row, a "Source:" line and a
 * footnote; a Values sheet of history under its own title, with a comment where a value is missing.
 * Short names start with `tag` (one set per test); `owner` is the lead officer of all of them.
 */
export function councilWorkbook(tag: string, owner: string): CouncilWorkbook {
  const s = (name: string) => `${tag}-${name}`;
  const head = ['Ref', 'Slug', 'Indicator', 'Unit', 'Good performance', 'Frequency', 'Lead officer', 'Target 2017/18', 'Actual 2014/15 Q3', 'Actual 2016/17 Q3', 'Actual 2017/18 Q2', 'Actual 2017/18 Q3'];
  const title = (text: string): XlsxCell[] => [text, ...head.slice(1).map(() => null)];
  const indicators: XlsxCell[][] = [
    title('Anytown Borough Council — Corporate performance indicators'),
    title('Quarter 3 2017/18 (October to December 2017), for the Corporate Leadership Team'),
    [],
    head,
    [`${tag.toUpperCase()} 01`, s('tax-collected'), 'Council tax collected', '%', 'High', 'Q', owner, { pct: 0.97 }, { pct: 0.841 }, 'N/A', { pct: 0.566 }, { pct: 0.861 }],
    [`${tag.toUpperCase()} 02`, s('sickness'), 'Working days lost to sickness per FTE', 'days', 'Low', 'Q', owner, 8.5, 9.9, '-', 8.9, 'M'],
    [`${tag.toUpperCase()} 03`, s('cleanliness'), 'Land assessed grade B or above', '%', 'High', 'Q', owner, 'TBC', 'n/a', { pct: 0.831 }, 'Refer comment', { pct: 0.838 }],
    [`${tag.toUpperCase()} 04`, s('volunteers'), 'New volunteers recruited', 'number', 'High', 'Q', owner, 120, null, 31, 'TBC', '29*'],
    [`${tag.toUpperCase()} 05`, s('homes-built'), 'Net additional homes', 'number', 'High', 'Q', owner, 400, '–', 'Not available', 61, '58 (est)'],
    [`${tag.toUpperCase()} 06`, s('smoking'), 'Smoking prevalence, manual occupations', '%', 'Low', 'Q', owner, '-', 'Reported annually', 'Reported annually', 'Reported annually', 'See comment'],
    [],
    ['Source: Corporate Performance Team, January 2018'],
    ['* subject to verification; (est) estimated by the service lead'],
  ];
  const values: XlsxCell[][] = [
    ['History of values, 2013/14 to 2017/18', null, null, null],
    [],
    ['Indicator', 'Period', 'Actual', 'Note'],
    [s('sickness'), '2013/14 Q3', 10.49, null],
    [s('sickness'), '2015/16 Q3', 'Refer comment', 'Payroll system replaced; no figures for the quarter'],
    [s('sickness'), '2016/17 Q2', 'M', null],
    [s('volunteers'), '2016/17 Q2', 27, null],
    [s('volunteers'), '2017/18 Q1', null, null],
  ];
  return {
    sheets: { Indicators: indicators, Values: values },
    merges: { Indicators: ['A1:L1', 'A2:L2'], Values: ['A1:D1'] },
    slugs: ['tax-collected', 'sickness', 'cleanliness', 'volunteers', 'homes-built', 'smoking'].map(s),
  };
}

/** A folder of its own under the system's temporary one, and a writer of files into it (a path back, for `kpi import <path>`). */
export function fileWriter(prefix: string): { dir: string; file(name: string, bytes: Uint8Array): string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    file(name, bytes) {
      const p = path.join(dir, name);
      writeFileSync(p, bytes);
      return p;
    },
  };
}
