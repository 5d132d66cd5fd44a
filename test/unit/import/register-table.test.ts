// Reading registers from CSV and XLSX: the column mapping, every broken row reported with its row,
// column and what was expected, people matched by email, chat user id or name, the same register
// from the sample CSV and the sample workbook, and registers as councils keep them (title rows,
// "M" and "N/A" cells, notes below the table).
import { readBaselineLabel } from '../../../src/domain/baseline.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseImportFile, importFormat } from '../../../src/import/import.ts';
import { readTargetCell, readValueCell } from '../../../src/import/cells.ts';
import { periodColumn, type KnownRegister } from '../../../src/import/register-table.ts';
import { issueLine, uncheckedLines } from '../../../src/import/describe.ts';
import { councilWorkbook, csv, xlsx } from '../../support/workbooks.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../examples');
const empty: KnownRegister = { people: [], indicators: [], themes: [] };
const known: KnownRegister = {
  people: [
    { id: 1, email: 'lucy.chambers@trafford.example', identities: { slack: 'ULUCY' }, displayName: 'Lucy Chambers' },
    { id: 2, email: 'emma.walsh@trafford.example', identities: {}, displayName: 'Emma Walsh' },
  ],
  indicators: [{ id: 7, slug: 'sickness-absence', ref: 'BV 12', unit: 'days', frequency: 'quarterly', ownerId: 1, deputyId: null }],
  themes: [],
};

const HEAD = ['Ref', 'Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Owner', 'Target 2025/26 Q1', 'Actual 2025/26 Q1', 'Actual 2025/26 Q2'];

describe('cells', () => {
  it('reads values with their markers', () => {
    expect(readValueCell('83.8*', '%')).toEqual({ ok: true, value: { value: 83.8, estimated: false, provisional: true } });
    expect(readValueCell('10.2 (est)', 'days')).toEqual({ ok: true, value: { value: 10.2, estimated: true, provisional: false } });
    expect(readValueCell('2,261', 'number')).toEqual({ ok: true, value: { value: 2261, estimated: false, provisional: false } });
    expect(readValueCell('Reported annually', '%')).toEqual({ ok: true, value: null, noValue: { word: 'Reported annually', reason: 'reported annually' } });
    // A percentage over 100 is read: the plausibility check asks about it when the value is written.
    expect(readValueCell('120%', '%')).toMatchObject({ ok: true });
    expect(readValueCell('lots', 'number').ok).toBe(false);
  });

  it('reads targets: a number, a minimum acceptable standard, or words', () => {
    expect(readTargetCell('85% (min 82%)', '%')).toEqual({ ok: true, value: { value: 85, amberFloor: 82, text: null } });
    expect(readTargetCell('85 (minimum acceptable standard 82)', '%')).toEqual({ ok: true, value: { value: 85, amberFloor: 82, text: null } });
    expect(readTargetCell('Top quartile', '%')).toEqual({ ok: true, value: { value: null, amberFloor: null, text: 'Top quartile' } });
    expect(readTargetCell('85x', '%').ok).toBe(false);
  });

  it('reads period columns in the ways councils head them', () => {
    expect(periodColumn('Target 2017/18 Q3')).toMatchObject({ what: 'target', period: { key: '2017/18 Q3' } });
    expect(periodColumn('Q3 2017/18 Actual')).toMatchObject({ what: 'actual', period: { key: '2017/18 Q3' } });
    expect(periodColumn('Actual: Dec 2017')).toMatchObject({ what: 'actual', period: { key: '2017-12' } });
    expect(periodColumn('Value 2017/18')).toMatchObject({ what: 'actual', period: { key: '2017/18' } });
    expect(periodColumn('Target last quarter')).toMatchObject({ what: 'target', error: expect.stringContaining('not a period with its year') });
    expect(periodColumn('Owner')).toBeNull();
  });

  it('tells formats apart by name, then by content', () => {
    expect(importFormat({ name: 'a.CSV', bytes: new Uint8Array() })).toBe('csv');
    expect(importFormat({ name: 'upload', bytes: new Uint8Array([0x50, 0x4b, 3, 4]) })).toBe('xlsx');
    expect(importFormat({ name: 'upload', bytes: new TextEncoder().encode(' {"council":1}') })).toBe('json');
    expect(() => importFormat({ name: 'old.xls', bytes: new Uint8Array() })).toThrow(/save it as an Excel Workbook \(\.xlsx\)/);
  });
});

describe('a register from CSV', () => {
  it('maps every column, with markers, minimums, annual targets and people by email, Slack id and name', async () => {
    const p = await parseImportFile({ name: 'register-sample.csv', bytes: readFileSync(path.join(EXAMPLES, 'register-sample.csv')) }, known);
    expect(p.issues).toEqual([]);
    const reg = p.register!;
    expect(reg.indicators.map((i) => i.slug)).toEqual([
      'council-tax-collection', 'staff-sickness-days', 'household-waste-recycled', 'major-planning-on-time', 'reablement-91-days',
      'volunteers-recruited', 'adult-smoking-manual-occupations', 'new-business-starts',
    ]);
    const tax = reg.indicators[0]!;
    expect(tax).toMatchObject({ ref: 'BV 9', unit: '%', polarity: 'higher', frequency: 'quarterly', tolerance: { kind: 'relative', value: 1 }, reportingLagDays: 20, ownerEmail: 'emma.walsh@trafford.example' });
    expect(tax.targets).toEqual([
      { periodKey: '2025/26', value: 97, amberFloor: null, text: null },
      { periodKey: '2025/26 Q1', value: 29.5, amberFloor: null, text: null },
      { periodKey: '2025/26 Q2', value: 56.8, amberFloor: null, text: null },
    ]);
    expect(tax.observations.map((o) => [o.periodKey, o.value, o.provisional])).toEqual([['2025/26 Q1', 29.1, false], ['2025/26 Q2', 56.9, true]]);
    const sickness = reg.indicators[1]!;
    expect(sickness.ownerEmail).toBe('lucy.chambers@trafford.example'); // by e-mail
    expect(sickness.observations[1]).toMatchObject({ value: 9.2, estimated: true });
    expect(reg.indicators[2]!.ownerEmail).toBe('lucy.chambers@trafford.example'); // by name
    expect(reg.indicators[4]!.targets[0]).toEqual({ periodKey: '2025/26 Q1', value: 94, amberFloor: 90, text: null });
    expect(reg.indicators[6]!.targets).toEqual([{ periodKey: '2025/26', value: null, amberFloor: null, text: 'Top quartile' }]);
    // The directors are not in this register: listed as unknown, and their themes get none.
    expect(reg.themes).toEqual([]);
    expect(p.unknownPeople.map((u) => u.who).sort()).toEqual([
      'imran.hussain@trafford.example', 'jamie.fletcher@trafford.example', 'kate.morgan@trafford.example', 'olu.adeyemi@trafford.example',
      'richard.okafor@trafford.example', 'sarah.whitfield@trafford.example', 'tom.brennan@trafford.example',
    ]);
    expect(p.unknownPeople.find((u) => u.who === 'olu.adeyemi@trafford.example')!.where[0]).toBe('owner of reablement-91-days (register-sample.csv row 6)');
  });

  it('reports every broken row with its row number, column and what was expected, and gives no register', async () => {
    const rows = [
      HEAD,
      ['A1', 'good-one', 'A good indicator', '%', 'higher', 'Q', '', '90', '91', '92'],
      ['A2', '', 'Wrong polarity', '%', 'up-ish', 'Q', '', '90', '91', ''],
      ['A3', 'Bad Slug!', '', 'number', 'lower', 'weekly', '', '', '', ''],
      ['A4', 'pct-over', 'Over a hundred', '%', 'higher', 'quarterly', '', 'soon 5', '120', 'lots'],
      ['A1', 'dupe-ref', 'Duplicate ref', 'number', 'lower', 'Q', '', '', '', ''],
      ['A6', 'good-one', 'Duplicate slug', 'number', 'lower', 'Q', '', '', '', ''],
      ['A7', 'annual-one', 'Annual with a quarter', 'number', 'lower', 'annual', '', '', '5', ''],
    ];
    const p = await parseImportFile({ name: 'broken.csv', bytes: csv(rows) }, empty);
    expect(p.register).toBeNull();
    expect(p.issues.map(issueLine)).toEqual([
      'broken.csv row 3, column Polarity: expected higher, lower or none (also "higher is better", "lower is better") — got "up-ish"',
      'broken.csv row 4, column Slug: expected lower-case letters, digits and hyphens, e.g. sickness-absence — got "Bad Slug!"',
      'broken.csv row 4, column Name: expected the indicator’s name; the cell is empty',
      'broken.csv row 4, column Frequency: expected monthly, quarterly, annual, academic year or calendar year (also M, Q, A) — got "weekly"',
      expect.stringMatching(/^broken\.csv row 5, column Target 2025\/26 Q1: expected a target such as 8\.5 or 85%.* — got "soon 5"$/),
      expect.stringMatching(/^broken\.csv row 5, column Actual 2025\/26 Q2: expected a number .* — got "lots"$/),
      'broken.csv row 6, column Ref: expected each reference once; it is also on broken.csv row 2 — got "A1"',
      'broken.csv row 7, column Slug: expected each indicator once; good-one is also on broken.csv row 2 — got "good-one"',
      'broken.csv row 8, column Actual 2025/26 Q1: expected values for a financial year: 2025/26 Q1 is a quarter, and this indicator is reported annually (by financial year) — got "5"',
    ]);
  });

  it('reads the direction of travel basis and maintained band, empty meaning the organisation\'s', async () => {
    const head = ['Slug', 'Name', 'Polarity', 'Frequency', 'Aggregation', 'Baseline', 'Baseline period', 'DoT basis', 'Maintained band'];
    const ok = await parseImportFile(
      {
        name: 'dot.csv',
        bytes: csv([
          head,
          ['families-supported', 'Families supported', 'higher', 'Q', 'cumulative', '950', '2024/25', 'Baseline', '2%'],
          ['street-cleanliness', 'Street cleanliness', 'higher', 'Q', 'snapshot', '83.1%', '2024/25', 'same period last year', 'equal'],
          ['sickness-absence', 'Sickness absence', 'lower', 'Q', 'snapshot', '', '', '', ''],
        ]),
      },
      empty,
    );
    expect(ok.issues).toEqual([]);
    expect(ok.register!.indicators.map((i) => [i.slug, i.dotBasis, i.maintainedBand])).toEqual([
      ['families-supported', 'baseline', { kind: 'relative', percent: 2 }],
      ['street-cleanliness', 'same_last_year', { kind: 'precision' }],
      ['sickness-absence', null, null],
    ]);
    const bad = await parseImportFile({ name: 'dot.csv', bytes: csv([head, ['x-one', 'X', 'higher', 'Q', 'snapshot', '', '', 'sideways', '2']]) }, empty);
    expect(bad.issues.map(issueLine)).toEqual([
      'dot.csv row 2, column DoT basis: expected previous, same period last year or baseline — got "sideways"',
      'dot.csv row 2, column Maintained band: expected a percentage such as 2% (maintained within 2% of the value compared with), or "equal" (the same at the printed precision) — got "2"',
    ]);
  });

  it('reads a baseline with its period, or a Baseline (outturn) column, as last year\'s outturn', async () => {
    const head = ['Slug', 'Name', 'Polarity', 'Frequency', 'Aggregation', 'Baseline', 'Baseline period', 'Baseline (outturn)'];
    const p = await parseImportFile(
      {
        name: 'outturn.csv',
        bytes: csv([
          head,
          ['homes-completed', 'Homes completed', 'higher', 'Q', 'ytd', '440', '2016/17 Q4', ''],
          ['start-ups', 'Start-ups supported', 'higher', 'Q', 'cumulative', '', '2016/17', '280'],
          ['jobs-created', 'Jobs created', 'higher', 'Q', 'ytd', '', '', ' 610 '],
          ['visits', 'Library visits', 'higher', 'Q', 'cumulative', '', '16/17 Actual', '1,950'],
          ['falls', 'Injuries due to falls', 'lower', 'Q', 'snapshot', '', '', ''],
        ]),
      },
      empty,
    );
    expect(p.issues).toEqual([]);
    expect(p.register!.indicators.map((i) => [i.slug, i.baseline])).toEqual([
      ['homes-completed', { value: 440, period: '2016/17 Q4', text: '440' }],
      ['start-ups', { value: 280, period: '2016/17 outturn', text: '280' }],
      ['jobs-created', { value: 610, period: 'Outturn', text: '610' }],
      ['visits', { value: 1950, period: '16/17 Actual', text: '1,950' }],
      ['falls', null],
    ]);
    // What the engine makes of each: the year's total, of 2016/17 (or of the year before the period compared with).
    const fy = (label: string) => readBaselineLabel(label, 4);
    expect(fy('2016/17 outturn')).toMatchObject({ period: { key: '2016/17' }, outturn: true });
    expect(fy('Outturn')).toEqual({ period: null, outturn: true });
    expect(fy('16/17 Actual')).toMatchObject({ period: { key: '2016/17' }, outturn: true });
  });

  it('reads a percentage to date from the Aggregation column, in the words councils use', async () => {
    const head = ['Ref', 'Name', 'Unit', 'Polarity', 'Frequency', 'Aggregation', 'Target 2025/26', 'Target 2025/26 Q1', 'Actual 2025/26 Q1'];
    const p = await parseImportFile(
      {
        name: 'revenues.csv',
        bytes: csv([
          head,
          ['BV 9', 'Percentage of Council Tax collected', '%', 'higher is better', 'Q', 'Cumulative %', '97%', '29.5%', '29.1%'],
          ['BV 10', 'Percentage of NNDR collected', '%', 'higher is better', 'Q', '% collected to date', '98.5%', '31%', '30.2%'],
          ['LI 40', 'Rent collected (year to date)', '%', 'higher', 'monthly', 'Year to date (%)', '99%', '', ''],
          ['LI 41', 'Sundry debt collected', '%', 'higher', 'monthly', 'to-date %', '', '', ''],
          ['BV 12', 'Sickness absence', 'days', 'lower', 'Q', 'snapshot', '8.5', '', ''],
        ]),
      },
      empty,
    );
    const bad = p.issues.map(issueLine).filter((l) => l.includes('Aggregation'));
    expect(bad).toEqual([]);
    expect(p.register?.indicators.map((i) => [i.ref, i.aggregation]) ?? []).toEqual([
      ['BV 9', 'ytd_percent'],
      ['BV 10', 'ytd_percent'],
      ['LI 40', 'ytd_percent'],
      ['LI 41', 'ytd_percent'],
      ['BV 12', 'snapshot'],
    ]);
    const unknown = await parseImportFile({ name: 'x.csv', bytes: csv([head.slice(0, 6), ['X 1', 'X', '%', 'higher', 'Q', 'cumulativ %']]) }, empty);
    expect(unknown.issues.map(issueLine)).toEqual(['x.csv row 2, column Aggregation: expected snapshot, cumulative, ytd, cumulative % or average — got "cumulativ %"']);
  });

  it('says what the headings should be when it cannot tell what a file holds', async () => {
    const p = await parseImportFile({ name: 'shopping.csv', bytes: csv([['Item', 'Price'], ['Milk', '1.20']]) }, empty);
    expect(p.issues.map(issueLine)).toEqual([expect.stringContaining('shopping.csv row 1: expected the headings of an indicator register (Name, Polarity, Frequency, …)')]);
  });

  it('reads semicolon-separated CSV with a byte-order mark, as Excel saves it in some locales', async () => {
    const text = '\uFEFFName;Polarity;Frequency;Unit;Actual 2025/26 Q1\nSickness;lower;Q;days;8,4\n';
    const p = await parseImportFile({ name: 'excel.csv', bytes: new TextEncoder().encode(text) }, empty);
    // "8,4" is not read as 8.4 or 84: commas are only thousands separators.
    expect(p.issues.map(issueLine)).toEqual([expect.stringContaining('excel.csv row 2, column Actual 2025/26 Q1: expected a number')]);
  });
});

describe('a register from XLSX', () => {
  it('reads the sample workbook: people, indicators with Excel percentages, a values sheet and an actions sheet', async () => {
    const p = await parseImportFile({ name: 'register-sample.xlsx', bytes: readFileSync(path.join(EXAMPLES, 'register-sample.xlsx')) }, empty);
    expect(p.issues).toEqual([]);
    expect(p.unknownPeople).toEqual([]);
    expect(p.rows).toEqual({ indicators: 8, values: 10, people: 10, themes: 0, settings: 0, actions: 4 });
    const reg = p.register!;
    // Dates and % complete as Excel stores them: dates, and a percentage cell's fraction.
    expect(reg.actions.map((a) => [a.ref, a.due, a.originalDue ?? null, a.updates.map((u) => [u.periodKey, u.progress, u.percentComplete])])).toEqual([
      ['FR 01', '2026-03-31', null, [['2025/26 Q2', 'on_target', 45]]],
      ['FR 02', '2025-12-31', '2025-09-30', [['2025/26 Q2', 'at_risk', 30]]],
      ['ENV 01', '2026-03-31', null, [['2025/26 Q2', 'off_track', 10]]],
      ['ENV 02', '2026-06-30', null, []],
    ]);
    const fromCsv = (await parseImportFile({ name: 'register-sample.csv', bytes: readFileSync(path.join(EXAMPLES, 'register-sample.csv')) }, known)).register!;
    // The same indicators, targets and values as the CSV (owners: the workbook names everyone).
    const strip = (r: typeof reg) => r.indicators.map(({ ownerEmail: _o, deputyEmail: _d, ...i }) => i);
    expect(strip(reg)).toEqual(strip(fromCsv));
    expect(reg.people.find((x) => x.email === 'priya.shah@trafford.example')!.role).toBe('admin');
    expect(reg.themes.map((t) => [t.name, t.directorEmail])).toEqual([
      ['Finance and resources', 'richard.okafor@trafford.example'],
      ['Environment', 'tom.brennan@trafford.example'],
      ['Adult social care', 'sarah.whitfield@trafford.example'],
    ]);
    const bv9 = reg.values.find((v) => v.slug === 'council-tax-collection')!;
    expect(bv9.observations.map((o) => [o.periodKey, o.value])).toEqual([['2024/25 Q1', 29.2], ['2024/25 Q2', 56.6], ['2024/25 Q3', 86.1], ['2024/25 Q4', 96.9]]);
    expect(bv9.targets.map((t) => t.value)).toEqual([29.5, 56.8, 86.44, 97]);
    const sick = reg.values.find((v) => v.slug === 'staff-sickness-days')!;
    expect(sick.observations.at(-1)).toMatchObject({ value: 10.24, estimated: true, note: 'Payroll figures were late' });
  });

  it('checks the values sheet against the register and the file', async () => {
    const bytes = await xlsx({
      Values: [
        ['Indicator', 'Period', 'Actual', 'Target', 'Note'],
        ['sickness-absence', '2025/26 Q1', 8.9, 8.5, null],
        ['BV 12', 'Q2 2025/26', '9.1 est', null, 'late'],
        ['nothing-like-this', '2025/26 Q1', 1, null, null],
        ['sickness-absence', 'Dec 2025', 9, null, null],
        ['sickness-absence', '2025/26 Q1', 9.0, null, null],
        ['sickness-absence', 'last quarter', 9, null, null],
        ['sickness-absence', '2025/26 Q3', null, null, null],
      ],
    });
    const p = await parseImportFile({ name: 'values.xlsx', bytes }, known);
    expect(p.issues.map(issueLine)).toEqual([
      'Values row 4, column Indicator: expected the short name or reference of an indicator in the register or in this file — got "nothing-like-this"',
      'Values row 5, column Period: expected a quarter: sickness-absence is reported quarterly — got "2025-12"',
      'Values row 6, column Actual: expected one actual per indicator and period; Values row 2, column Actual gives sickness-absence 2025/26 Q1 too — got "9"',
      'Values row 7, column Period: expected a period: "last quarter" is not a period with its year (e.g. 2017/18 Q3, 2017/18, Dec 2017 or AY 2016/17) — got "last quarter"',
    ]);
    // A row with neither an actual nor a target is a period without a value, not a mistake.
    expect(p.warnings).toContain('Values: rows with neither an actual nor a target read as no value for sickness-absence 2025/26 Q3 (row 8).');
  });

  it('keeps the current owner when the file names someone unknown, and lists them', async () => {
    const bytes = await xlsx({ Indicators: [['Slug', 'Name', 'Polarity', 'Frequency', 'Owner'], ['sickness-absence', 'Sickness', 'lower', 'Q', 'new.person@trafford.example']] });
    const p = await parseImportFile({ name: 'r.xlsx', bytes }, known);
    expect(p.register!.indicators[0]!.ownerEmail).toBe('lucy.chambers@trafford.example');
    expect(p.unknownPeople).toEqual([{ who: 'new.person@trafford.example', where: ['owner of sickness-absence (Indicators row 2)'] }]);
  });

  it('makes a short name people can type from the name, not the reference, when the Slug column is empty', async () => {
    // As a council's register comes: references on some rows, long printed names, two rows naming one measure alike.
    const bytes = csv([
      ['Ref', 'Slug', 'Name', 'Polarity', 'Frequency'],
      ['BV 9', '', 'Percentage of Council Tax collected', 'higher', 'Q'],
      ['NI 157a', '', 'Percentage of major planning applications decided within 13 weeks', 'higher', 'Q'],
      ['', '', "Reduce the level of sickness absence (Council wide excluding schools) (Days)", 'lower', 'Q'],
      ['KS4 a', '', 'Key Stage 4: Average Attainment 8 (A8) score', 'higher', 'A'],
      ['KS4 b', '', "Key Stage 4: Average Attainment 8 score for 'Disadvantaged' pupils", 'higher', 'A'],
      ['BV 12', '', 'Average days lost to sickness absence per FTE', 'lower', 'Q'],
      ['LPI 4', '', 'Sickness absence (council wide)', 'lower', 'Q'],
    ]);
    const p = await parseImportFile({ name: 'register.csv', bytes }, { ...known, indicators: [...known.indicators, { id: 8, slug: 'sickness-absence-council-wide', ref: 'LPI 9', unit: 'days', frequency: 'quarterly', ownerId: null, deputyId: null }] });
    expect(p.issues).toEqual([]);
    expect(p.register!.indicators.map((i) => i.slug)).toEqual([
      'council-tax-collected',
      'major-planning-applications',
      // No reference: the register's indicator of that short name is this one, as on every re-import.
      'sickness-absence-council-wide',
      'key-stage-4-average',
      'key-stage-4-average-2',
      // BV 12 is in the register: its short name stays.
      'sickness-absence',
      // Another reference than the register's sickness-absence-council-wide (LPI 9): a name of its own.
      'sickness-absence-council-wide-2',
    ]);
  });

  it('reads percentages stored as Excel percentages', async () => {
    const bytes = await xlsx({ Indicators: [['Name', 'Unit', 'Polarity', 'Frequency', 'Tolerance', 'Actual 2025/26 Q1'], ['Collected', '%', 'higher', 'Q', { pct: 0.05 }, { pct: 0.838 }]] });
    const p = await parseImportFile({ name: 'p.xlsx', bytes }, empty);
    expect(p.register!.indicators[0]).toMatchObject({ slug: 'collected', tolerance: { kind: 'relative', value: 5 }, observations: [{ periodKey: '2025/26 Q1', value: 83.8 }] });
  });
});

describe('a register as a council keeps it', () => {
  /** The council workbook's Indicators sheet as CSV (Excel percentages as typed). */
  const asCsv = (rows: ReturnType<typeof councilWorkbook>['sheets']['Indicators']) => csv(rows.map((r) => r.map((c) => (c !== null && typeof c === 'object' ? `${c.pct * 100}%` : c))));

  it('finds the headings below a title and a blank row, on each sheet of a workbook and in a CSV file, and says so', async () => {
    const w = councilWorkbook('anytown', 'lead@anytown.example');
    const book = await parseImportFile({ name: 'anytown.xlsx', bytes: await xlsx(w.sheets, w.merges) }, empty);
    expect(book.issues).toEqual([]);
    expect(book.rows).toMatchObject({ indicators: 6, values: 5 });
    expect(book.register!.indicators.map((i) => i.slug)).toEqual(w.slugs);
    expect(book.warnings).toEqual(expect.arrayContaining([
      'Indicators: headings found on row 4; rows 1–3 read as a title.',
      'Indicators: rows 12–13, below the table, read as notes ("Source: Corporate Performance Team, January 2018").',
      'Values: headings found on row 3; rows 1–2 read as a title.',
    ]));
    const sheet = await parseImportFile({ name: 'anytown.csv', bytes: asCsv(w.sheets.Indicators) }, empty);
    expect(sheet.issues).toEqual([]);
    expect(sheet.warnings).toContain('anytown.csv: headings found on row 4; rows 1–3 read as a title.');
    // A one-row title straight above the headings, as in the brief's example.
    const short = await parseImportFile({ name: 'short.csv', bytes: csv([['Performance indicators 2017/18'], [], HEAD, ['A1', 'good-one', 'A good indicator', '%', 'higher', 'Q', '', '90', '91', '92']]) }, empty);
    expect(short.issues).toEqual([]);
    expect(short.warnings).toContain('short.csv: headings found on row 3; rows 1–2 read as a title.');
    expect(short.register!.indicators[0]!.observations.map((o) => o.value)).toEqual([91, 92]);
  });

  it('reads M, N/A, Refer comment, TBC and - in a value cell as no value with its reason, never as a problem', async () => {
    for (const [word, reason] of [['M', 'in measurement'], ['N/A', 'not applicable'], ['n/a', 'not applicable'], ['Refer comment', 'see the comment'], ['See comment', 'see the comment'], ['TBC', 'to be confirmed'], ['-', 'left blank'], ['–', 'left blank'], ['Not available', 'not available'], ['Reported annually', 'reported annually']]) {
      expect(readValueCell(word!, 'days')).toEqual({ ok: true, value: null, noValue: { word, reason } });
      const p = await parseImportFile({ name: 'gaps.csv', bytes: csv([HEAD, ['A1', 'gappy', 'Gappy', 'days', 'lower', 'Q', '', '8.5', '9.1', word!]]) }, empty);
      expect(p.issues, word).toEqual([]);
      expect(p.register!.indicators[0]!.observations.map((o) => o.periodKey)).toEqual(['2025/26 Q1']);
      expect(p.warnings).toContain(`gaps.csv: "${word}" read as no value (${reason}) for gappy 2025/26 Q2 (row 2).`);
    }
  });

  it('reads the same words in a target cell: a dash or M is no target, other words are kept as the target\'s', async () => {
    expect(readTargetCell('-', '%')).toEqual({ ok: true, value: null, noValue: { word: '-', reason: 'left blank' } });
    expect(readTargetCell('M', '%')).toEqual({ ok: true, value: null, noValue: { word: 'M', reason: 'in measurement' } });
    expect(readTargetCell('N/A', '%')).toEqual({ ok: true, value: { value: null, amberFloor: null, text: 'N/A' } });
    const p = await parseImportFile({ name: 't.csv', bytes: csv([HEAD, ['A1', 'no-target', 'No target', '%', 'higher', 'Q', '', '–', '91', '']]) }, empty);
    expect(p.issues).toEqual([]);
    expect(p.register!.indicators[0]!.targets).toEqual([]);
    expect(p.warnings).toContain('t.csv: "–" read as no target for no-target 2025/26 Q1 (row 2).');
  });

  it('keeps a missing value\'s comment in the answer, and reads a values row with neither actual nor target as no value', async () => {
    const w = councilWorkbook('anytown', 'lead@anytown.example');
    const p = await parseImportFile({ name: 'anytown.xlsx', bytes: await xlsx(w.sheets, w.merges) }, empty);
    expect(p.warnings).toEqual(expect.arrayContaining([
      'Values: "Refer comment" read as no value (see the comment) for anytown-sickness 2015/16 Q3 (row 5: "Payroll system replaced; no figures for the quarter").',
      'Values: "M" read as no value (in measurement) for anytown-sickness 2016/17 Q2 (row 6).',
      'Values: rows with neither an actual nor a target read as no value for anytown-volunteers 2017/18 Q1 (row 8).',
    ]));
    expect(p.register!.values.map((v) => [v.slug, v.observations.map((o) => o.periodKey)])).toEqual([
      ['anytown-sickness', ['2013/14 Q3']],
      ['anytown-volunteers', ['2016/17 Q2']],
    ]);
  });

  it('names a month as people write it ("Jul 2017"), not by its key, in what the answer says about a monthly value', async () => {
    const p = await parseImportFile(
      {
        name: 'foi.csv',
        bytes: csv([
          ['Slug', 'Name', 'Unit', 'Polarity', 'Frequency', 'Actual Jun 2017', 'Actual Jul 2017', 'Actual Aug 2017'],
          ['foi-20-days', 'FOI requests answered within 20 working days', '%', 'higher', 'monthly', '93%', 'Refer comment', ''],
        ]),
      },
      empty,
    );
    expect(p.warnings).toContain('foi.csv: "Refer comment" read as no value (see the comment) for foi-20-days Jul 2017 (row 2).');
    expect(p.warnings.join('\n')).not.toContain('2017-07');
    // The values the plausibility check could not judge are named the same way.
    expect(uncheckedLines([{ slug: 'foi-20-days', periodKey: '2017-06' }])[0]).toContain(': foi-20-days Jun 2017.');
  });

  it('says once that the values of an indicator whose own row has a problem wait for it, not "not an indicator" on every values row', async () => {
    const p = await parseImportFile(
      {
        name: 'register.xlsx',
        bytes: await xlsx({
          Indicators: [
            ['PI Ref', 'Indicator', 'Unit', 'Good performance', 'Frequency'],
            ['PH 3', 'Adults classified as overweight or obese', '%', 'lower', 'Anual'],
            ['BV 12', 'Days lost to sickness absence', 'days', 'lower', 'quarterly'],
          ],
          Values: [
            ['Indicator', 'Period', 'Actual'],
            ['PH 3', '2014/15', '64.1%'],
            ['PH 3', '2015/16', 'N/A'],
            ['PH 3', '2016/17', '65.2%'],
            ['BV 12', '2016/17 Q4', '10.24'],
            ['BV 99', '2016/17 Q4', '1'],
          ],
        }),
      },
      empty,
    );
    expect(p.issues.map(issueLine)).toEqual([
      'Indicators row 2, column Frequency: expected monthly, quarterly, annual, academic year or calendar year (also M, Q, A) — got "Anual"',
      'Values row 6, column Indicator: expected the short name or reference of an indicator in the register or in this file — got "BV 99"',
      'Values row 2, column Indicator: PH 3 is on Indicators row 2, which has a problem (listed above): its values here (3 rows, from row 2) are read once that row is put right — got "PH 3"',
    ]);
  });

  it('says what a number should look like, quoting the cell once', async () => {
    const p = await parseImportFile({ name: 'typo.csv', bytes: csv([HEAD, ['A1', 'typo', 'Typo', 'days', 'lower', 'Q', '', '8,5', '8,4l', 'lots']]) }, empty);
    expect(p.issues.map(issueLine)).toEqual([
      'typo.csv row 2, column Target 2025/26 Q1: expected a target such as 8.5 or 85%, or one with its minimum such as 85% (min 82%), with a point for decimals (8.4, not 8,4) and commas only between thousands (1,234.5) — got "8,5"',
      'typo.csv row 2, column Actual 2025/26 Q1: expected a number such as 8.4 or 83.8%, with a point for decimals (8.4, not 8,4) and commas only between thousands (1,234.5) — got "8,4l"',
      'typo.csv row 2, column Actual 2025/26 Q2: expected a number such as 8.4 or 83.8% (* provisional, (est) estimated), or M, N/A, TBC, Refer comment or - for no value — got "lots"',
    ]);
    const settings = await parseImportFile({ name: 's.csv', bytes: csv([['Setting', 'Value'], ['Escalate after', 'soon'], ['Tolerance', 'lots']]) }, empty);
    expect(settings.issues.map(issueLine)).toEqual([
      's.csv row 2, column Value: expected a whole number of reminders from 1 to 20 — got "soon"',
      's.csv row 3, column Value: expected a percentage such as 10% (amber within 10% of the target) or a number of units such as 2 — got "lots"',
    ]);
  });

  it('still reads a table whose headings are on its first row, and one it cannot place', async () => {
    const p = await parseImportFile({ name: 'plain.csv', bytes: csv([HEAD, ['A1', 'plain', 'Plain', '%', 'higher', 'Q', '', '90', '91', '92']]) }, empty);
    expect(p.warnings).toEqual([]);
    // A title above a table of unknown headings: the first row is taken as the headings, as before.
    const q = await parseImportFile({ name: 'shopping.csv', bytes: csv([['Weekly shop'], ['Item', 'Price'], ['Milk', '1.20']]) }, empty);
    expect(q.issues.map(issueLine)).toEqual([expect.stringContaining('shopping.csv row 1: expected the headings of an indicator register')]);
  });
});

describe('a register from the published-report fixture JSON', () => {
  it('maps the Trafford 2017/18 Q3 fixture, exception reports included', async () => {
    const bytes = readFileSync(path.resolve(import.meta.dirname, '../../fixtures/trafford-2017-18-q3.json'));
    const p = await parseImportFile({ name: 'trafford-2017-18-q3.json', bytes }, empty);
    expect(p.issues).toEqual([]);
    expect(p.register!.indicators).toHaveLength(49);
    expect(p.register!.exceptionReports).toHaveLength(12);
    expect(p.register!.exceptionReports[0]!.questions).toEqual([
      'Why is performance at the current level?',
      'What difference does this make – the implications of not meeting target?',
      'How can we make sure things get better?',
    ]);
  });

  it('names the indicator and field of every problem', async () => {
    const bad = { council: 'X', period: '2017/18 Q3', indicators: [{ ref: null, name: 'A', polarity: 'up', observations: [] }, { ref: null, name: '', polarity: null, observations: [] }] };
    const p = await parseImportFile({ name: 'bad.json', bytes: new TextEncoder().encode(JSON.stringify(bad)) }, empty);
    expect(p.issues.map(issueLine)).toEqual([expect.stringMatching(/^bad\.json row 1, column polarity: /), expect.stringMatching(/^bad\.json row 2, column name: /)]);
  });
});
