// Writes examples/register-sample.xlsx: the register of register-sample.csv as a workbook with four
// sheets — People, Indicators, Values (2024/25 history) and Actions — with percentages stored as Excel
// percentages, as councils' spreadsheets have them. Run: npx tsx examples/build-register-sample-xlsx.ts
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';

const here = import.meta.dirname;
const csv = parse(readFileSync(path.join(here, 'register-sample.csv'), 'utf8')) as string[][];

const wb = new ExcelJS.Workbook();
wb.creator = 'kpi-bot';
wb.created = new Date('2025-11-01T09:00:00Z');
wb.modified = wb.created;

const people = wb.addWorksheet('People');
// No chat user ids: people are found by their e-mail in the council's own workspace (an id copied
// from an example would be nobody's there, or someone else's).
people.addRow(['Name', 'Email', 'Role', 'Deputy']);
for (const row of [
  ['Emma Walsh', 'emma.walsh@trafford.example', 'officer', 'jamie.fletcher@trafford.example'],
  ['Jamie Fletcher', 'jamie.fletcher@trafford.example', 'officer', ''],
  ['Lucy Chambers', 'lucy.chambers@trafford.example', 'officer', 'imran.hussain@trafford.example'],
  ['Imran Hussain', 'imran.hussain@trafford.example', 'officer', ''],
  ['Olu Adeyemi', 'olu.adeyemi@trafford.example', 'officer', 'kate.morgan@trafford.example'],
  ['Kate Morgan', 'kate.morgan@trafford.example', 'officer', ''],
  ['Richard Okafor', 'richard.okafor@trafford.example', 'director', ''],
  ['Tom Brennan', 'tom.brennan@trafford.example', 'director', ''],
  ['Sarah Whitfield', 'sarah.whitfield@trafford.example', 'director', ''],
  ['Priya Shah', 'priya.shah@trafford.example', 'performance admin', ''],
]) people.addRow(row);

/** "56.9%" → 0.569 shown as 56.9%; "56.9%*" keeps its marker as text. */
function cellValue(s: string): string | number | null {
  if (s === '') return null;
  const pct = /^(-?\d+(?:\.\d+)?)%$/.exec(s);
  if (pct) return Number(pct[1]) / 100;
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return s;
}

const ind = wb.addWorksheet('Indicators');
ind.addRow(csv[0]!);
for (const r of csv.slice(1)) {
  const row = ind.addRow(r.map(cellValue));
  r.forEach((s, i) => {
    if (/^-?\d+(\.\d+)?%$/.test(s)) row.getCell(i + 1).numFmt = '0.0%';
  });
}

const values = wb.addWorksheet('Values');
values.addRow(['Indicator', 'Period', 'Actual', 'Target', 'Estimated', 'Provisional', 'Note']);
const history: [string, string, number | string, number | string | null, string, string, string][] = [
  ['BV 9', '2024/25 Q1', 0.292, 0.295, '', '', ''],
  ['BV 9', '2024/25 Q2', 0.566, 0.568, '', '', ''],
  ['BV 9', '2024/25 Q3', 0.861, 0.8644, '', '', ''],
  ['BV 9', '2024/25 Q4', 0.969, 0.97, '', '', 'Year-end collection'],
  ['staff-sickness-days', '2024/25 Q1', 9.8, 8.5, '', '', ''],
  ['staff-sickness-days', '2024/25 Q2', 10.1, 8.5, '', '', ''],
  ['staff-sickness-days', '2024/25 Q3', 10.49, 8.5, '', '', ''],
  ['staff-sickness-days', '2024/25 Q4', 10.24, 8.5, 'yes', '', 'Payroll figures were late'],
  ['volunteers-recruited', '2024/25 Q3', 41, null, '', '', ''],
  ['volunteers-recruited', '2024/25 Q4', 36, null, '', 'yes', 'Subject to verification'],
];
for (const h of history) {
  const row = values.addRow(h.map((v) => (v === '' ? null : v)));
  if (h[0] === 'BV 9') {
    row.getCell(3).numFmt = '0.0%';
    row.getCell(4).numFmt = '0.00%';
  }
}
// Actions and milestones (Cheshire West's layout): a re-phased one keeps its original due date and the
// reason; progress is for the quarter in the Period column; indicators are linked by ref or slug.
const actions = wb.addWorksheet('Actions');
actions.addRow(['Ref', 'Type', 'Action', 'Theme', 'Owner', 'Start date', 'Due date', 'Original due date', 'Reason for re-phasing', 'Status', '% complete', 'Commentary', 'Period', 'Indicators']);
for (const row of [
  ['FR 01', 'action', 'Move 60% of council tax payers to e-billing', 'Finance and resources', 'emma.walsh@trafford.example', null, new Date('2026-03-31'), null, null, 'on target', 0.45, 'Sign-ups ahead of profile after the autumn bill insert.', '2025/26 Q2', 'BV 9'],
  ['FR 02', 'action', 'Review every long-term sickness absence case with HR', 'Finance and resources', 'lucy.chambers@trafford.example', null, new Date('2025-12-31'), new Date('2025-09-30'), 'HR case officer post vacant until August', 'at risk', 0.3, 'Half the cases reviewed; the rest are booked for November.', '2025/26 Q2', 'staff-sickness-days'],
  ['ENV 01', 'action', 'Extend food-waste collection to flats', 'Environment', 'lucy.chambers@trafford.example', null, new Date('2026-03-31'), null, null, 'off track', 0.1, 'Caddies delivered late; the contractor has no vehicle for the flats round yet.', '2025/26 Q2', 'household-waste-recycled'],
  ['ENV 02', 'milestone', 'Planning committee adopts the revised validation checklist', 'Environment', 'emma.walsh@trafford.example', new Date('2026-01-01'), new Date('2026-06-30'), null, null, null, null, null, null, 'major-planning-on-time'],
]) {
  const r = actions.addRow(row);
  for (const c of [6, 7, 8]) r.getCell(c).numFmt = 'dd/mm/yyyy';
  r.getCell(11).numFmt = '0%';
}

for (const ws of [people, ind, values, actions]) {
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((c) => (c.width = 18));
}

await wb.xlsx.writeFile(path.join(here, 'register-sample.xlsx'));
console.log(`wrote ${path.join(here, 'register-sample.xlsx')}`);
