// Import limits (src/import/limits.ts), with small limits so the files are tiny: rows per sheet and
// filled cells refused as soon as they are passed, with the answer naming the sheet and the limit;
// an XLSX that says it unpacks to more than the limit refused before anything is inflated, and one
// that unpacks to more than it says stopped while inflating; a merged range counted as the cells it
// fills. And how a CSV's encoding is said: Windows-1252 read and said so, bytes that are neither
// refused at their row and column.
import ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseImportFile } from '../../../src/import/import.ts';
import { IMPORT_LIMITS, type ImportLimits } from '../../../src/import/limits.ts';
import type { KnownRegister } from '../../../src/import/register-table.ts';
import { ValidationError } from '../../../src/errors.ts';
import { loadConfig } from '../../../src/config.ts';
import { csv, xlsx } from '../../support/workbooks.ts';

const empty: KnownRegister = { people: [], indicators: [], themes: [] };
const small = (l: Partial<ImportLimits>): ImportLimits => ({ ...IMPORT_LIMITS, ...l });
const HEAD = ['Indicator', 'Period', 'Actual'];
const valueRows = (n: number) => Array.from({ length: n }, (_, i) => [`ind-${i}`, '2017/18 Q3', String(i)]);

async function refusal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ValidationError);
  return (e as Error).message;
}

/** The archive again, with the size one part declares changed in its central directory. */
function declaring(bytes: Uint8Array, part: string, size: number): Uint8Array {
  const out = new Uint8Array(bytes);
  const v = new DataView(out.buffer);
  const name = new TextEncoder().encode(part);
  for (let i = 0; i + 46 < out.length; i++) {
    if (v.getUint32(i, true) !== 0x02014b50) continue;
    const len = v.getUint16(i + 28, true);
    if (len === name.length && name.every((b, k) => out[i + 46 + k] === b)) {
      v.setUint32(i + 24, size, true);
      return out;
    }
  }
  throw new Error(`no ${part} in the archive`);
}

/** A workbook as fflate writes it (sizes in the central directory, no data descriptors). */
async function rezipped(bytes: Uint8Array): Promise<Uint8Array> {
  return zipSync(unzipSync(bytes), { level: 6 });
}

describe('import limits', () => {
  it('refuses a CSV over the rows per sheet at the row that passes it, before reading further', async () => {
    // Line 6 is broken CSV (an unclosed quote): the refusal comes first, so reading stopped before it.
    const text = new TextEncoder().encode([HEAD, ...valueRows(4)].map((r) => r.join(',')).join('\n') + '\n"broken,2017/18 Q3,1\n');
    const message = await refusal(parseImportFile({ name: 'values.csv', bytes: text }, empty, { limits: small({ rowsPerSheet: 3 }) }));
    expect(message).toBe('values.csv has more than 3 rows; the most I import is 3 rows per sheet. Split it into smaller files and import them one after another (an import adds to the register; it does not replace it).');
  });

  it('imports a CSV of exactly the rows allowed', async () => {
    const p = await parseImportFile({ name: 'values.csv', bytes: csv([HEAD, ...valueRows(2)]) }, empty, { limits: small({ rowsPerSheet: 3 }) });
    expect(p.rows.values).toBe(2);
  });

  it('names the sheet of an XLSX over the rows per sheet', async () => {
    const bytes = await xlsx({ People: [['Name', 'Email'], ['Lucy', 'lucy@x.example']], Values: [HEAD, ...valueRows(5)] });
    const message = await refusal(parseImportFile({ name: 'register.xlsx', bytes }, empty, { limits: small({ rowsPerSheet: 4 }) }));
    expect(message).toMatch(/^register\.xlsx has more than 4 rows in sheet Values; the most I import is 4 rows per sheet\./);
  });

  it('refuses a file over the filled cells, counted across its sheets', async () => {
    const bytes = await xlsx({ One: [HEAD, ...valueRows(2)], Two: [HEAD, ...valueRows(2)] });
    expect(await refusal(parseImportFile({ name: 'r.xlsx', bytes }, empty, { limits: small({ cells: 15 }) }))).toMatch(/^r\.xlsx has more than 15 filled cells; the most I import is 15 in one file\./);
    expect(await refusal(parseImportFile({ name: 'r.csv', bytes: csv([HEAD, ...valueRows(4)]) }, empty, { limits: small({ cells: 12 }) }))).toMatch(/^r\.csv has more than 12 filled cells/);
  });

  it('counts the cells a merged range fills: a value merged over a huge range is refused, not copied', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Values');
    ws.addRow(HEAD);
    ws.getCell('A2').value = 'everywhere';
    ws.mergeCells('A2:Z1000');
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    expect(await refusal(parseImportFile({ name: 'merged.xlsx', bytes }, empty, { limits: small({ cells: 10_000 }) }))).toMatch(/^merged\.xlsx has more than 10,000 filled cells/);
  });

  it('refuses a workbook that says it unpacks to more than the limit, before inflating anything', async () => {
    const bytes = await rezipped(await xlsx({ Values: [HEAD, ...valueRows(3)] }));
    // The sheet's data is as small as ever: only the declared size is large, so only the check of what is declared can refuse it.
    const bomb = declaring(bytes, 'xl/worksheets/sheet1.xml', 0xfffffff0);
    expect(await refusal(parseImportFile({ name: 'bomb.xlsx', bytes: bomb }, empty))).toBe(
      'bomb.xlsx unpacks to more than 200 MB (4,096 MB); the most I read from one workbook is 200 MB. Split it into smaller files and import them one after another (an import adds to the register; it does not replace it).',
    );
    expect(await refusal(parseImportFile({ name: 'small.xlsx', bytes }, empty, { limits: small({ unzippedBytes: 2000 }) }))).toMatch(/^small\.xlsx unpacks to more than 2 KB \(\d+ KB\)/);
  });

  it('stops inflating a part that gives more than it declared', async () => {
    const bytes = await rezipped(await xlsx({ Values: [HEAD, ...valueRows(300)] }));
    const liar = declaring(bytes, 'xl/worksheets/sheet1.xml', 100);
    expect(await refusal(parseImportFile({ name: 'liar.xlsx', bytes: liar }, empty))).toMatch(/^liar\.xlsx unpacks to more than 200 MB; the most I read/);
  });

  it('reads the limits from the environment, the rest as they are', () => {
    const c = loadConfig({ KPI_IMPORT_MAX_ROWS: '1000', KPI_IMPORT_MAX_UNZIPPED_MB: '20' });
    expect(c.importLimits).toEqual({ ...IMPORT_LIMITS, rowsPerSheet: 1000, unzippedBytes: 20 * 2 ** 20 });
    expect(() => loadConfig({ KPI_IMPORT_MAX_CELLS: 'lots' })).toThrow(/KPI_IMPORT_MAX_CELLS: a whole number of filled cells per file/);
  });
});

describe('a CSV’s encoding', () => {
  const win1252 = (text: string) => Uint8Array.from([...text].map((ch) => ({ '£': 0xa3, 'é': 0xe9, '’': 0x92 })[ch] ?? ch.charCodeAt(0)));

  it('reads Windows-1252 and says so in the answer', async () => {
    const bytes = win1252('Slug,Name,Unit,Polarity,Frequency\nspend,Café spend’s total,£,lower,Q\n');
    const p = await parseImportFile({ name: 'excel.csv', bytes }, empty);
    expect(p.register?.indicators[0]?.name).toBe('Café spend’s total');
    expect(p.warnings[0]).toMatch(/^excel\.csv is not UTF-8: I read it as Windows-1252/);
  });

  it('says nothing of the encoding of a UTF-8 file', async () => {
    const p = await parseImportFile({ name: 'utf8.csv', bytes: new TextEncoder().encode('Slug,Name,Unit,Polarity,Frequency\nspend,Café spend,£,lower,Q\n') }, empty);
    expect(p.warnings.join('\n')).not.toMatch(/1252|UTF-8/);
  });

  it('refuses bytes that are neither UTF-8 nor Windows-1252, naming the row and column', async () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode('Slug,Name,Unit\nok,Fine,%\nbad,Caf'), 0xe9, 0x81, ...new TextEncoder().encode(',%\n')]);
    expect(await refusal(parseImportFile({ name: 'binary.csv', bytes }, empty))).toMatch(/^binary\.csv row 3, column B: the byte 0x81 is neither UTF-8 nor Windows-1252 text/);
  });
});

describe('control characters in cells', () => {
  it('leaves NUL and other control characters out of a CSV’s cells, and says where', async () => {
    const p = await parseImportFile(
      { name: 'nul.csv', bytes: csv([['Slug', 'Name', 'Unit', 'Polarity', 'Frequency'], ['spend', 'Spend\u0000 total\u0007', '£', 'lower', 'Q'], ['other', 'Other\u001b total', '%', 'higher', 'Q']]) },
      empty,
    );
    expect(p.register?.indicators.map((i) => i.name)).toEqual(['Spend total', 'Other total']);
    expect(p.warnings).toContain('nul.csv row 2, column B and 1 other cell: control characters (such as NUL) are not text; I left them out.');
  });

  it('refuses a workbook whose XML holds a NUL with a message', async () => {
    const parts = unzipSync(await xlsx({ Indicators: [['Slug', 'Name', 'Unit', 'Polarity', 'Frequency'], ['spend', 'Spend@@ total', '£', 'lower', 'Q']] }));
    parts['xl/sharedStrings.xml'] = new TextEncoder().encode(new TextDecoder().decode(parts['xl/sharedStrings.xml']).replace('@@', '&#0;'));
    expect(await refusal(parseImportFile({ name: 'nul.xlsx', bytes: zipSync(parts) }, empty))).toMatch(/^nul\.xlsx is not a readable Excel workbook \(\.xlsx\): .+\. Save it again from Excel/);
  });
});
