// The streaming XLSX reader (src/import/xlsx.ts) gives what the whole-workbook reader it replaced
// gave (exceljs' xlsx.load, kept in test/support/xlsx-reference.ts): on the example register, on a
// council's workbook with merged titles and percentages, and on a workbook of every kind of cell
// (dates, rich text, formula results, booleans, errors, a hidden sheet).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readXlsx } from '../../../src/import/tables.ts';
import { readXlsxWhole } from '../../support/xlsx-reference.ts';
import { councilWorkbook, xlsx } from '../../support/workbooks.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../examples');

async function everyKindOfCell(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Values');
  ws.addRow(['Indicator', 'Period', 'Actual', 'Target', 'Note', 'Flag']);
  ws.addRow(['sickness-absence', new Date(Date.UTC(2017, 11, 31)), 8.4, { formula: 'C2*2', result: 16.8 }, { richText: [{ text: 'Payroll ' }, { font: { bold: true }, text: 'late' }] }, true]);
  ws.getCell('B2').numFmt = 'dd/mm/yyyy';
  ws.addRow(['recycling', 'Dec 2017', 0.456, { formula: 'C3', result: 0.456 }, { formula: 'A3&"!"', result: 'recycling!' }, { error: '#N/A' }]);
  ws.getCell('C3').numFmt = '0.0%';
  ws.getCell('D3').numFmt = '0%';
  ws.addRow([]);
  ws.addRow(['Source: payroll', null, null, null, '  ', { formula: '1/0', result: { error: '#DIV/0!' } }]);
  ws.mergeCells('A7:C8');
  ws.getCell('A7').value = 'A note across three columns and two rows';
  ws.getCell('F9').value = 12;
  ws.getCell('F9').numFmt = 'mmm yy';
  const hidden = wb.addWorksheet('Workings', { state: 'hidden' });
  hidden.addRow(['secret', 1]);
  const veryHidden = wb.addWorksheet('Lookups', { state: 'veryHidden' });
  veryHidden.addRow(['lookup', 2]);
  wb.addWorksheet('Empty');
  const after = wb.addWorksheet('Themes');
  after.addRow(['Theme', 'Director']);
  after.addRow(['Strong communities', 'Emma Walsh']);
  after.mergeCells('A3:A5');
  after.getCell('A3').value = 'Merged down';
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('reading an XLSX workbook as a stream', () => {
  it('reads the example register as the whole-workbook reader did', async () => {
    const bytes = readFileSync(path.join(EXAMPLES, 'register-sample.xlsx'));
    const streamed = (await readXlsx(bytes, 'register-sample.xlsx')).sheets;
    expect(streamed.length).toBeGreaterThan(1);
    expect(streamed).toEqual(await readXlsxWhole(bytes, 'register-sample.xlsx'));
  });

  it('reads a council workbook (merged titles, percentages, gaps, notes) as the whole-workbook reader did', async () => {
    const w = councilWorkbook('par', 'lucy.chambers@trafford.example');
    const bytes = await xlsx(w.sheets, w.merges);
    const streamed = (await readXlsx(bytes, 'anytown.xlsx')).sheets;
    expect(streamed.flatMap((s) => s.rows.flatMap((r) => r.cells)).some((c) => c.merged)).toBe(true);
    expect(streamed.flatMap((s) => s.rows.flatMap((r) => r.cells)).some((c) => c.percent)).toBe(true);
    expect(streamed).toEqual(await readXlsxWhole(bytes, 'anytown.xlsx'));
  });

  it('reads dates, rich text, formula results, booleans, errors and merged ranges as before, and skips hidden sheets', async () => {
    const bytes = await everyKindOfCell();
    const streamed = (await readXlsx(bytes, 'kinds.xlsx')).sheets;
    expect(streamed.map((s) => s.sheet)).toEqual(['Values', 'Themes']);
    const values = streamed[0]!.rows;
    expect(values[1]!.cells.slice(1, 5)).toEqual([{ value: 'Dec 2017', date: '2017-12-31' }, { value: 8.4 }, { value: 16.8 }, { value: 'Payroll late' }]);
    expect(values[2]!.cells[3]).toEqual({ value: 0.456, percent: true });
    expect(values.find((r) => r.row === 8)!.cells[2]).toEqual({ value: 'A note across three columns and two rows', merged: true });
    expect(streamed).toEqual(await readXlsxWhole(bytes, 'kinds.xlsx'));
  });
});
