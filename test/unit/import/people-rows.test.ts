// A People sheet against the register it is imported into: a row is the person it already is — by
// e-mail, by a chat id their platform confirmed, by a "Previous email" column, or by the name of the
// one person whose address no platform ever confirmed — so a corrected address edits that person and
// never makes a second one. Anything less certain is a problem, not a guess; ids from a sheet are
// kept only where no platform said otherwise; retired and merged people are not brought back.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseImportFile } from '../../../src/import/import.ts';
import type { KnownRegister } from '../../../src/import/register-table.ts';
import { issueLine } from '../../../src/import/describe.ts';
import { xlsx } from '../../support/workbooks.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../examples');

/** Trafford's people as a register holds them a month in: Emma found on Slack, Lucy never found (her address was mistyped), Kate retired. */
const known: KnownRegister = {
  people: [
    { id: 1, email: 'lucy.chambers@trafford.gov.ukk', identities: {}, unconfirmed: { slack: 'ULUCY' }, displayName: 'Lucy Chambers', active: true },
    { id: 2, email: 'emma.walsh@trafford.gov.uk', identities: { slack: 'U07EMMA1' }, displayName: 'Emma Walsh', active: true },
    { id: 3, email: 'kate.morgan@trafford.gov.uk', identities: {}, displayName: 'Kate Morgan', active: false, successorId: 4 },
    { id: 4, email: 'jamie.fletcher@trafford.gov.uk', identities: {}, displayName: 'Jamie Fletcher', active: true },
    { id: 5, email: 'chris.doyle@trafford.gov.uk', identities: {}, displayName: 'Chris Doyle', active: true },
    { id: 6, email: 'c.doyle@trafford.gov.uk', identities: {}, displayName: 'Chris Doyle', active: true },
  ],
  indicators: [{ id: 7, slug: 'sickness-absence', ref: 'BV 12', unit: 'days', frequency: 'quarterly', ownerId: 1, deputyId: null }],
  themes: [],
};

const INDICATORS = [
  ['Ref', 'Slug', 'Name', 'Owner', 'Deputy', 'Unit', 'Polarity', 'Frequency', 'Actual 2017/18 Q3'],
  ['BV 12', 'sickness-absence', 'Average days lost to sickness absence per FTE', 'lucy.chambers@trafford.gov.ukk', 'kate.morgan@trafford.gov.uk', 'days', 'lower', 'Q', 'M'],
];

const read = async (people: (string | null)[][], indicators = INDICATORS.map((r) => r.map((c) => (c === 'M' ? '' : c)))) =>
  parseImportFile({ name: 'register.xlsx', bytes: await xlsx({ People: people, Indicators: indicators }) }, known);

describe('a People sheet against the register', () => {
  it('changes an address given in a Previous email column: the same person, named by either address elsewhere in the file', async () => {
    const p = await read([
      ['Name', 'Email', 'Previous email', 'Role'],
      ['Lucy Chambers', 'lucy.chambers@trafford.gov.uk', 'lucy.chambers@trafford.gov.ukk', 'officer'],
    ]);
    expect(p.issues.map(issueLine)).toEqual([]);
    expect(p.register!.people).toEqual([expect.objectContaining({ email: 'lucy.chambers@trafford.gov.uk', previousEmail: 'lucy.chambers@trafford.gov.ukk' })]);
    // The Indicators sheet still names her by the old address: it means her new one.
    expect(p.register!.indicators[0]).toMatchObject({ ownerEmail: 'lucy.chambers@trafford.gov.uk' });
  });

  it('changes the address of the one person of that name whose address no platform ever confirmed, and says so', async () => {
    const p = await read([
      ['Name', 'Email', 'Slack ID'],
      ['Lucy Chambers', 'lucy.chambers@trafford.gov.uk', ''],
      ['Emma Walsh', 'emma.walsh@trafford.gov.uk', 'U07EMMA1'],
    ]);
    expect(p.issues.map(issueLine)).toEqual([]);
    expect(p.register!.people[0]).toMatchObject({ email: 'lucy.chambers@trafford.gov.uk', previousEmail: 'lucy.chambers@trafford.gov.ukk' });
    expect(p.register!.people[1]).not.toHaveProperty('previousEmail');
    expect(p.warnings.join('\n')).toContain("People row 2: Lucy Chambers — taken as the register's Lucy Chambers (lucy.chambers@trafford.gov.ukk, an address no chat platform ever confirmed)");
  });

  it('does not change a confirmed person’s address on a name alone, nor guess between two of a name: problems, nothing written', async () => {
    const p = await read([
      ['Name', 'Email'],
      ['Emma Walsh', 'emma.walsh@trafford.gov.uk.new'],
      ['Chris Doyle', 'christopher.doyle@trafford.gov.uk'],
    ]);
    expect(p.register).toBeNull();
    const problems = p.issues.map(issueLine);
    expect(problems[0]).toContain('People row 2, column Email: the register has Emma Walsh as emma.walsh@trafford.gov.uk, which Slack confirmed, so I will not change it on a name alone');
    expect(problems[0]).toContain('give emma.walsh@trafford.gov.uk in a "Previous email" column (or run kpi people edit emma.walsh@trafford.gov.uk --email emma.walsh@trafford.gov.uk.new); if this is another person of the same name, write "new" there');
    expect(problems[1]).toContain('People row 3, column Name: expected one person of this name; the register has 2 (chris.doyle@trafford.gov.uk, c.doyle@trafford.gov.uk)');
  });

  it('takes "new" as a new person of the same name, and a confirmed Slack ID of the same name as that person', async () => {
    const p = await read([
      ['Name', 'Email', 'Previous email', 'Slack ID'],
      ['Emma Walsh', 'emma.walsh2@trafford.gov.uk', 'new', ''],
      ['Emma Walsh', 'e.walsh@trafford.gov.uk', '', 'U07EMMA1'],
    ]);
    expect(p.issues.map(issueLine)).toEqual([]);
    expect(p.register!.people[0]).not.toHaveProperty('previousEmail');
    expect(p.register!.people[1]).toMatchObject({ email: 'e.walsh@trafford.gov.uk', previousEmail: 'emma.walsh@trafford.gov.uk', identities: { slack: 'U07EMMA1' } });
    expect(p.warnings.join('\n')).toContain('matched by the Slack ID U07EMMA1, which Slack confirmed as theirs');
  });

  it('refuses a Previous email nobody has, or one that would make two people one', async () => {
    const p = await read([
      ['Name', 'Email', 'Previous email'],
      ['Lucy Chambers', 'lucy.chambers@trafford.gov.uk', 'lucy@trafford.gov.uk'],
      ['Chris Doyle', 'chris.doyle@trafford.gov.uk', 'c.doyle@trafford.gov.uk'],
      ['Jamie Fletcher', 'jamie.fletcher@trafford.gov.uk', 'not an address'],
    ]);
    expect(p.issues.map(issueLine)).toEqual([
      'People row 4, column Previous email: expected the e-mail address the register has for this person now (or "new" for a new person) — got "not an address"',
      'People row 2, column Previous email: expected the address the register has for this person now; nobody in the register has it — got "lucy@trafford.gov.uk"',
      'People row 3, column Previous email: c.doyle@trafford.gov.uk and chris.doyle@trafford.gov.uk are two people in the register (Chris Doyle, Chris Doyle): if they are one person, merge them (kpi people merge c.doyle@trafford.gov.uk chris.doyle@trafford.gov.uk) rather than change an address — got "c.doyle@trafford.gov.uk"',
    ]);
  });

  it('keeps a sheet’s id only where no platform confirmed otherwise, and says the others wait for confirmation', async () => {
    const p = await read([
      ['Name', 'Email', 'Slack ID'],
      ['Jamie Fletcher', 'jamie.fletcher@trafford.gov.uk', 'U07EMMA1'],
      ['Emma Walsh', 'emma.walsh@trafford.gov.uk', 'U0WRONG1'],
      ['Chris Doyle', 'chris.doyle@trafford.gov.uk', 'U0CHRIS1'],
    ]);
    expect(p.issues).toEqual([]);
    expect(p.register!.people.map((x) => x.identities)).toEqual([{}, {}, { slack: 'U0CHRIS1' }]);
    expect(p.warnings).toEqual(expect.arrayContaining([
      "People row 2: the Slack ID U07EMMA1 is Emma Walsh's (Slack confirmed it), so it is not linked to Jamie Fletcher.",
      "People row 3: Slack confirmed U07EMMA1 as Emma Walsh; the sheet's U0WRONG1 is ignored.",
      expect.stringContaining('1 chat user id from the People sheet is used only once the platform confirms it belongs to the person'),
    ]));
  });

  it('skips a retired person’s row, and gives their indicators to whoever took over', async () => {
    const p = await read([
      ['Name', 'Email'],
      ['Kate Morgan', 'kate.morgan@trafford.gov.uk'],
    ]);
    expect(p.issues).toEqual([]);
    expect(p.register!.people).toEqual([]);
    expect(p.register!.indicators[0]).toMatchObject({ deputyEmail: 'jamie.fletcher@trafford.gov.uk' });
    expect(p.warnings.join('\n')).toContain('People row 2: Kate Morgan (kate.morgan@trafford.gov.uk) is no longer active in the register (retired, or merged into someone else), so the row is skipped. To bring them back: kpi people edit kate.morgan@trafford.gov.uk --active yes.');
    expect(p.warnings.join('\n')).toContain('deputy of sickness-absence (Indicators row 2): Kate Morgan (kate.morgan@trafford.gov.uk) is no longer active in the register; Jamie Fletcher (jamie.fletcher@trafford.gov.uk), who took over, is used instead.');
  });

  it('names an owner by a Slack ID the register has, confirmed or from an earlier sheet', async () => {
    const p = await read([['Name', 'Email']], [INDICATORS[0]!, ['BV 12', 'sickness-absence', 'Sickness absence', 'U07EMMA1', 'ULUCY', 'days', 'lower', 'Q', '']]);
    expect(p.issues).toEqual([]);
    expect(p.register!.indicators[0]).toMatchObject({ ownerEmail: 'emma.walsh@trafford.gov.uk', deputyEmail: 'lucy.chambers@trafford.gov.ukk' });
  });
});

describe('the sample register', () => {
  it('carries no chat user ids: people are found by e-mail in the council’s own workspace', async () => {
    const sample = await parseImportFile({ name: 'register-sample.xlsx', bytes: readFileSync(path.join(EXAMPLES, 'register-sample.xlsx')) }, { people: [], indicators: [], themes: [] });
    expect(sample.issues).toEqual([]);
    expect(sample.register!.people.length).toBe(10);
    expect(sample.register!.people.filter((x) => Object.keys(x.identities).length)).toEqual([]);
    expect(readFileSync(path.join(EXAMPLES, 'register-sample.csv'), 'utf8')).not.toMatch(/\bU[A-Z0-9]{4,}\b/);
  });
});
