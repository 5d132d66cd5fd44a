// Whatever a spreadsheet holds, reading it never crashes: a file either becomes a register or comes
// back with problems (row, column, what was expected), or is refused with a message. Random CSV
// built from the register's own headings and hostile cells, random JSON, and random bytes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseImportFile } from '../../../src/import/import.ts';
import type { KnownRegister } from '../../../src/import/register-table.ts';
import { isUserError } from '../../../src/errors.ts';

fc.configureGlobal({ seed: Number(process.env.KPI_FUZZ_SEED ?? 20180205), numRuns: Number(process.env.KPI_FUZZ_RUNS ?? 150) });

const known: KnownRegister = { people: [], indicators: [], themes: [] };
const HEADINGS = ['Ref', 'Slug', 'Name', 'Theme', 'Owner', 'Deputy', 'Director', 'Unit', 'Polarity', 'Frequency', 'Aggregation', 'Tolerance', 'Reporting lag (days)', 'Baseline', 'Baseline period', 'Target 2025/26', 'Target 2025/26 Q1', 'Actual 2025/26 Q1', 'Actual Sep 2025', 'Indicator', 'Period', 'Value', 'Email', 'Role', 'Display name'];
const cell = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('higher', 'lower', 'none', 'sideways', 'quarterly', 'Q', 'monthly', '85%', '85% (min 82%)', '10.2 (est)', '83.8*', '1e309', '-0', 'NaN', 'TBC', 'Top quartile', '2025/26 Q5', '=SUM(A1:A9)', '"quoted, comma"', 'x'.repeat(300), 'a@b', 'nobody@example.org'),
  fc.double({ noNaN: false }).map(String),
);
const csv = fc
  .tuple(fc.uniqueArray(fc.constantFrom(...HEADINGS), { minLength: 1, maxLength: 10 }), fc.array(fc.array(cell, { maxLength: 12 }), { maxLength: 8 }), fc.constantFrom(',', ';', '\t'))
  .map(([heads, rows, sep]) => [heads, ...rows].map((r) => r.map((c) => (/[",;\t\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(sep)).join('\n'));

async function read(name: string, bytes: Uint8Array): Promise<void> {
  try {
    const parsed = await parseImportFile({ name, bytes }, known);
    // Either a register or the reasons there is none.
    if (!parsed.register) expect(parsed.issues.length).toBeGreaterThan(0);
    for (const issue of parsed.issues) expect(issue.message.length).toBeGreaterThan(0);
  } catch (e) {
    if (!isUserError(e)) throw e;
  }
}

describe('reading an import file never crashes', () => {
  it('CSV made of register headings and hostile cells', async () => {
    await fc.assert(fc.asyncProperty(csv, (text) => read('register.csv', new TextEncoder().encode(text))));
  });

  it('JSON of any shape', async () => {
    await fc.assert(fc.asyncProperty(fc.json({ maxDepth: 4 }), (text) => read('register.json', new TextEncoder().encode(text))));
  });

  it('any bytes, named as any kind of file', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 400 }), fc.constantFrom('r.csv', 'r.xlsx', 'r.json', 'r'), (bytes, name) => read(name, bytes)));
  });
});
