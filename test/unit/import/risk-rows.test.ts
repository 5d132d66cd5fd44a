// A Risks sheet as councils keep one: likelihood and impact as numbers, as "4 - Likely", or one cell
// "4x3" / "L4 I3" / "4 x 3 = 12", a Score column checked against them, the current score kept as the
// review of its Review date, mitigating actions by ref — and every problem of a messy register (a
// "High" where a number goes, a score alone, a blank impact, an unknown action ref, an off-scale
// likelihood, a review frequency typo) named by row and column, nothing read of a row with one.
import { describe, expect, it } from 'vitest';
import { parseImportFile } from '../../../src/import/import.ts';
import { issueLine } from '../../../src/import/describe.ts';
import { kindOf } from '../../../src/import/headings.ts';
import { readAssessment, readLevel, readReviewMonths } from '../../../src/import/risk-rows.ts';
import type { KnownRegister } from '../../../src/import/register-table.ts';
import { csv, xlsx } from '../../support/workbooks.ts';

const known: KnownRegister = {
  people: [
    { id: 1, email: 'dawn.hughes@trafford.example', identities: {}, displayName: 'Dawn Hughes' },
    { id: 2, email: 'mark.ellis@trafford.example', identities: {}, displayName: 'Mark Ellis' },
  ],
  indicators: [{ id: 7, slug: 'children-in-need-rate', ref: 'CS 01', unit: 'per 10,000', frequency: 'quarterly', ownerId: 1, deputyId: null }],
  themes: [],
  actions: ['CSC 03'],
  riskScale: 5,
};

const read = (rows: (string | number | null)[][], k: KnownRegister = known, name = 'risks.csv') => parseImportFile({ name, bytes: csv(rows) }, k);

describe('risk cells', () => {
  it('reads a likelihood or impact as a number, with or without its word', () => {
    expect(['4', '4 - Likely', '4 (Likely)', 'Likely (4)', '4.0'].map(readLevel)).toEqual([4, 4, 4, 4, 4]);
    expect(['High', 'likely', '', 'four'].map(readLevel)).toEqual([null, null, null, null]);
  });

  it('reads an assessment printed in one cell, and a score alone as a score', () => {
    for (const s of ['4x3', '4 × 3', 'L4 x I3', 'L4 I3', 'L=4, I=3', '4*3']) expect(readAssessment(s)).toMatchObject({ likelihood: 4, impact: 3 });
    expect(readAssessment('4 x 3 = 12')).toEqual({ likelihood: 4, impact: 3, score: 12 });
    expect(readAssessment('4x3 (12) High')).toEqual({ likelihood: 4, impact: 3, score: 12 });
    expect(readAssessment('12 (4x3)')).toEqual({ likelihood: 4, impact: 3, score: 12 });
    expect(readAssessment('12 High')).toEqual({ score: 12 });
    expect(readAssessment('High')).toBeNull();
  });

  it('reads review frequencies in councils’ words', () => {
    expect(['Quarterly', 'monthly', 'Six-monthly', 'annually', 'every 2 months', '3'].map(readReviewMonths)).toEqual([3, 1, 6, 12, 2, 3]);
    expect(['quartely', '13', 'weekly'].map(readReviewMonths)).toEqual([null, null, null]);
  });

  it('tells a risk register from an indicator register or an actions sheet by its headings, then by its name', () => {
    const kind = (header: string[], sheet = 'Sheet1') => kindOf({ sheet, header, headerRow: 1, rows: [], titleFrom: null, notes: [] });
    expect(kind(['Ref', 'Risk', 'Likelihood', 'Impact'])).toBe('risks');
    expect(kind(['Risk ref', 'Title', 'Current risk (L x I)'])).toBe('risks');
    expect(kind(['Ref', 'Risk', 'Owner', 'Review frequency'], 'Risk register')).toBe('risks');
    expect(kind(['Ref', 'Name', 'Polarity', 'Frequency'])).toBe('indicators');
    expect(kind(['Ref', 'Action', 'Due'])).toBe('actions');
  });
});

describe('a Risks sheet', () => {
  it('reads Trafford-shaped rows: separate columns, combined cells, a checked score, the current review and mitigating actions', async () => {
    const p = await read([
      ['Risk Ref', 'Risk', 'Owner', 'Deputy', 'Inherent risk (L x I)', 'Likelihood', 'Impact', 'Score', 'Target (L x I)', 'Controls', 'Review frequency', 'Mitigating actions', 'Indicators', 'Review date', 'Commentary'],
      ['CIP06', 'Workforce stability: social worker vacancies and turnover', 'Dawn Hughes', 'mark.ellis@trafford.example', '5x4', '4 - Likely', '4', '16', 'L2 I3', 'Recruitment and retention package', 'Quarterly', 'CSC 03', 'CS 01', '14/12/2017', 'Two leavers in December.'],
      ['CIP08', 'Placement sufficiency', 'dawn.hughes@trafford.example', '', '4 x 4 = 16', '', '', '', '', '', 'six monthly', '', '', '', ''],
    ]);
    expect(p.issues.map(issueLine)).toEqual([]);
    expect(p.rows).toMatchObject({ risks: 2 });
    const [cip06, cip08] = p.register!.risks;
    expect(cip06).toMatchObject({
      ref: 'CIP06',
      ownerEmail: 'dawn.hughes@trafford.example',
      deputyEmail: 'mark.ellis@trafford.example',
      inherent: { likelihood: 5, impact: 4 },
      target: { likelihood: 2, impact: 3 },
      controls: 'Recruitment and retention package',
      reviewMonths: 3,
      actions: ['CSC 03'],
      indicators: ['children-in-need-rate'],
      reviews: [{ reviewedOn: '2017-12-14', likelihood: 4, impact: 4, commentary: 'Two leavers in December.' }],
    });
    // No current score is no review (its inherent score stands until one).
    expect(cip08).toMatchObject({ inherent: { likelihood: 4, impact: 4 }, target: null, reviewMonths: 6, reviews: [] });
    expect(p.register!.risks[0]!.given).toEqual(expect.arrayContaining(['controls', 'inherent', 'target', 'actions', 'indicators', 'ownerEmail']));
  });

  it('names every problem of a messy register by row and column, and reads none of those rows', async () => {
    const p = await read([
      ['Ref', 'Risk', 'Owner', 'Likelihood', 'Impact', 'Score', 'Target', 'Review frequency', 'Mitigating actions', 'Last reviewed'],
      ['CIP01', 'Demand for early help', 'Dawn Hughes', 'High', '4', '', '', 'Quarterly', '', '01/12/2017'],
      ['CIP02', 'Court delays', 'Dawn Hughes', '3', '', '', '', 'quartely', '', '01/12/2017'],
      ['CIP03', 'Ofsted inspection outcome', 'Dawn Hughes', '3', '4', '15', '12', 'Quarterly', 'CSC 03, CSC 99', '01/12/2017'],
      ['CIP04', 'Care leavers in suitable accommodation', 'Dawn Hughes', '6', '2', '', 'Medium', '', '', '01/12/2017'],
      ['CIP05', 'Placement costs', 'Dawn Hughes', '', '', '3x4', '', '', '', ''],
      ['CIP01', 'Demand for early help (again)', '', '', '', '', '', '', '', ''],
      ['', 'Unreferenced risk', '', '', '', '', '', '', '', ''],
    ]);
    const lines = p.issues.map(issueLine);
    expect(lines).toEqual(
      expect.arrayContaining([
        'risks.csv row 2, column Likelihood: expected the current likelihood as a number from 1 to 5, such as 4 or "4 - Likely" (a word alone, such as High, is a rating, not a score) — got "High"',
        'risks.csv row 3, column Impact: expected the current impact beside its likelihood; the cell is empty',
        expect.stringMatching(/^risks\.csv row 3, column Review frequency: expected how often it is reviewed.* — got "quartely"$/),
        'risks.csv row 4, column Score: expected 3×4 = 12, as the Likelihood and Impact columns give — got "15"',
        expect.stringMatching(/^risks\.csv row 4, column Target: expected the target likelihood × impact, such as 4x3 or L4 I3: a score of 12 alone does not say which/),
        'risks.csv row 4, column Mitigating actions: expected the ref of an action in the register or this file’s Actions sheet; there is none called "CSC 99"',
        'risks.csv row 5, column Likelihood: expected the current likelihood from 1 to 5 (the risk-scale setting) — got "6"',
        'risks.csv row 5, column Target: expected the target likelihood × impact, such as 4x3 or L4 I3: a word alone, such as High, is a rating, not a score — got "Medium"',
        expect.stringMatching(/^risks\.csv row 6, column Last reviewed: expected the day of the review that gave the current likelihood and impact/),
        expect.stringMatching(/^risks\.csv row 7, column Ref: expected each risk once; CIP01 is also on risks\.csv row 2/),
        'risks.csv row 8, column Ref: expected the risk’s reference (e.g. CIP06); the cell is empty',
      ]),
    );
    expect(lines).toHaveLength(11);
    expect(p.register).toBeNull();
    expect(p.readable!.risks).toEqual([]);
  });

  it('scores on the scale a Settings sheet of the same file sets, and finds mitigating actions on its Actions sheet', async () => {
    const bytes = await xlsx({
      Settings: [['Setting', 'Value'], ['risk-scale', '4']],
      Actions: [['Ref', 'Action', 'Due'], ['CSC 07', 'Open a second assessment hub', '31/03/2018']],
      'Risk register': [['Ref', 'Risk', 'Current (L x I)', 'Review date', 'Mitigating actions'], ['CIP09', 'Assessment timeliness', '4x4', '2017-12-01', 'csc 07'], ['CIP10', 'Data quality', '5x1', '2017-12-01', '']],
    });
    const p = await parseImportFile({ name: 'register.xlsx', bytes }, known);
    expect(p.issues.map(issueLine)).toEqual(['Risk register row 3, column Current (L x I): expected the current likelihood from 1 to 4 (the risk-scale setting) — got "5"']);
    const q = await parseImportFile({ name: 'register.xlsx', bytes }, { ...known, riskScale: 5 });
    expect(q.issues).toHaveLength(1);
  });
});
