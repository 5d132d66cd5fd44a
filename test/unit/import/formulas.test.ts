// Calculated indicators in a register sheet: a Formula column, or Numerator / Denominator (with a
// Multiplier, or a % unit meaning × 100), read after every row is known and stored with short names;
// refused at their row and column as a council's sheet gets them wrong — an unknown name, a
// reference to itself, a cycle, nonsense units, another frequency, a value typed for a calculated
// indicator — alongside the file's other problems.
import { describe, expect, it } from 'vitest';
import { parseImportFile } from '../../../src/import/import.ts';
import { issueLine } from '../../../src/import/describe.ts';
import type { KnownRegister } from '../../../src/import/register-table.ts';
import { csv, xlsx } from '../../support/workbooks.ts';

const known: KnownRegister = {
  people: [],
  indicators: [
    { id: 7, slug: 'sickness-days', ref: 'BV 12a', unit: 'days', frequency: 'quarterly', ownerId: null, deputyId: null },
    { id: 8, slug: 'average-fte', ref: 'BV 12b', unit: 'FTE', frequency: 'quarterly', ownerId: null, deputyId: null },
    { id: 9, slug: 'days-per-fte', ref: 'BV 12', unit: 'days', frequency: 'quarterly', ownerId: null, deputyId: null, formula: 'sickness-days / average-fte' },
  ],
  themes: [],
};

const read = async (rows: (string | number | null)[][], k: KnownRegister = known) => parseImportFile({ name: 'register.csv', bytes: csv(rows) }, k);
const lines = (p: Awaited<ReturnType<typeof read>>) => p.issues.map(issueLine);

describe('calculated indicators in an import', () => {
  it('reads a Numerator and a Denominator (a % unit meaning × 100) and a Formula over references, stored with short names', async () => {
    const p = await read([
      ['Title: Corporate indicators 2017/18'],
      ['Ref', 'Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Numerator', 'Denominator', 'Formula'],
      ['BV 9a', 'tax-collected', 'Council tax collected', '£', 'higher', 'quarterly', null, null, null],
      ['BV 9b', 'tax-due', 'Council tax due', '£', 'none', 'quarterly', null, null, null],
      ['BV 9', 'tax-rate', 'Council tax collection rate', '%', 'higher', 'quarterly', 'BV 9a', 'tax-due', null],
      [null, 'days-lost-per-1000', 'Days lost per 1,000 FTE', 'days', 'lower', 'quarterly', null, null, '[BV 12a] / [BV 12b] × 1000'],
    ]);
    expect(p.issues).toEqual([]);
    const f = Object.fromEntries(p.register!.indicators.map((i) => [i.slug, i.formula]));
    expect(f).toEqual({ 'tax-collected': null, 'tax-due': null, 'tax-rate': 'tax-collected / tax-due * 100', 'days-lost-per-1000': 'sickness-days / average-fte * 1000' });
  });

  it('takes a Multiplier, and a count ratio without one', async () => {
    const p = await read([
      ['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Numerator', 'Denominator', 'Multiplier'],
      ['per-10k', 'Rate per 10,000', 'rate', 'lower', 'quarterly', 'sickness-days', 'average-fte', '× 10,000'],
      ['ratio', 'Days per FTE again', 'days', 'lower', 'quarterly', 'sickness-days', 'average-fte', null],
    ]);
    expect(p.issues).toEqual([]);
    expect(p.register!.indicators.map((i) => i.formula)).toEqual(['sickness-days / average-fte * 10000', 'sickness-days / average-fte']);
  });

  it('refuses, at its row and column, an unknown name, itself, a cycle, nonsense units, another frequency and a half-given ratio', async () => {
    const p = await read([
      ['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Formula', 'Numerator', 'Denominator', 'Multiplier'],
      ['typo', 'A typo', '%', 'higher', 'quarterly', 'sickness-dayz / average-fte * 100', null, null, null],
      ['minus', 'Written without spaces', 'days', 'lower', 'quarterly', 'sickness-days-average-fte', null, null, null],
      ['selfish', 'Itself', 'number', 'higher', 'quarterly', 'selfish + 1', null, null, null],
      ['a-loop', 'Loop A', 'number', 'higher', 'quarterly', 'b-loop * 2', null, null, null],
      ['b-loop', 'Loop B', 'number', 'higher', 'quarterly', 'a-loop / 2', null, null, null],
      ['mixed', 'Days plus FTE', 'number', 'higher', 'quarterly', 'sickness-days + average-fte', null, null, null],
      ['yearly', 'Annual share', '%', 'higher', 'annual', 'sickness-days / average-fte * 100', null, null, null],
      ['half', 'No denominator', '%', 'higher', 'quarterly', null, 'sickness-days', null, null],
      ['both', 'Both ways', '%', 'higher', 'quarterly', 'sickness-days / average-fte', 'sickness-days', 'average-fte', null],
      ['bad-mult', 'Odd multiplier', '%', 'higher', 'quarterly', null, 'sickness-days', 'average-fte', 'lots'],
      ['broken', 'Broken formula', 'number', 'higher', 'quarterly', 'sickness-days / (average-fte', null, null, null],
    ]);
    expect(lines(p)).toEqual([
      'register.csv row 2, column Formula: expected the short name or reference of an indicator in the register or in this file; there is no sickness-dayz (write minus with spaces: "a - b") — got \"sickness-dayz\"',
      'register.csv row 3, column Formula: expected the short name or reference of an indicator in the register or in this file; there is no sickness-days-average-fte (write minus with spaces: "a - b") — got \"sickness-days-average-fte\"',
      'register.csv row 4, column Formula: expected a formula over other indicators; selfish cannot be calculated from itself — got \"selfish\"',
      'register.csv row 7, column Formula: expected a formula whose units make sense: it adds or subtracts values in different units (days and FTE) — got \"sickness-days + average-fte\"',
      'register.csv row 8, column Formula: expected inputs reported annually (by financial year), like yearly: sickness-days is reported quarterly — got \"sickness-days\"',
      'register.csv row 8, column Formula: expected inputs reported annually (by financial year), like yearly: average-fte is reported quarterly — got \"average-fte\"',
      'register.csv row 9, column Numerator: expected a Denominator too: a calculated indicator is a numerator / a denominator (or a Formula) — got \"sickness-days\"',
      'register.csv row 10, column Numerator: expected a Formula or a Numerator and Denominator, not both; this row has a Formula (sickness-days / average-fte) — got \"sickness-days\"',
      'register.csv row 11, column Multiplier: expected a multiplier such as 100 (for a percentage) or 1000 — got \"lots\"',
      'register.csv row 12, column Formula: expected a formula over other indicators (e.g. staff-days-lost / average-fte): a "(" has no ")" (at the end) — got \"sickness-days / (average-fte\"',
      'register.csv row 5, column Formula: expected formulas that do not depend on themselves: a-loop → b-loop → a-loop',
    ]);
  });

  it('refuses a value typed for a calculated indicator — this file’s or the register’s — at its cell, in an indicators sheet and a Values sheet', async () => {
    const file = await xlsx({
      Indicators: [
        ['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Numerator', 'Denominator', 'Actual 2017/18 Q3'],
        ['share', 'A share', '%', 'higher', 'quarterly', 'sickness-days', 'average-fte', '8.4'],
      ],
      Values: [
        ['Indicator', 'Period', 'Actual'],
        ['BV 12', '2017/18 Q2', 'M'],
        ['BV 12', '2017/18 Q3', '8.4'],
        ['sickness-days', '2017/18 Q3', '840'],
      ],
    });
    const p = await parseImportFile({ name: 'register.xlsx', bytes: file }, known);
    expect(lines(p)).toEqual([
      'Indicators row 2, column Actual 2017/18 Q3: expected no value for share 2017/18 Q3: it is calculated from sickness-days, average-fte — give their values and it is worked out',
      'Values row 3, column Actual: expected no value for days-per-fte 2017/18 Q3: it is calculated from sickness-days, average-fte — give their values and it is worked out',
    ]);
  });

  it('lets a file make a calculated indicator ordinary again (an empty Formula cell), and then takes its values', async () => {
    const p = await read([
      ['Ref', 'Name', 'Unit', 'Polarity', 'Frequency', 'Formula', 'Actual 2017/18 Q3'],
      ['BV 12', 'Days per FTE', 'days', 'lower', 'quarterly', null, '8.4'],
    ]);
    expect(p.issues).toEqual([]);
    expect(p.register!.indicators[0]).toMatchObject({ slug: 'days-per-fte', formula: null, given: expect.arrayContaining(['formula']) });
  });
});
