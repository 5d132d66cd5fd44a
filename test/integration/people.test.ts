// Putting people right from the command line, as the first day in docs/operating.md says: a council imports its
// register with an address mistyped, `kpi people sync` cannot find that person, and the People sheet
// is imported again with the address fixed — which edits that person (the same record, their
// indicators still theirs), never makes a second one. An address a platform confirmed is not changed
// on a name alone. `kpi people edit | merge | retire` do the rest, each audited, each with --help and
// a non-zero exit when refused.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, setLink, type TestDatabase } from '../support/db.ts';
import { runKpi } from '../support/cli.ts';
import { xlsx } from '../support/workbooks.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'kpi-people-'));
let seq = 0;
const file = async (sheets: Parameters<typeof xlsx>[0]) => {
  const p = path.join(tmp, `register-${++seq}.xlsx`);
  writeFileSync(p, await xlsx(sheets));
  return p;
};

const PEOPLE_HEAD = ['Name', 'Email', 'Role', 'Deputy'];
/** The register as a council first sends it: Lucy's and Olu's addresses mistyped. */
const PEOPLE = [
  ['Lucy Chambers', 'lucy.chambers@trafford.gov.ukk', 'officer', 'imran.hussain@trafford.gov.uk'],
  ['Imran Hussain', 'imran.hussain@trafford.gov.uk', 'officer', null],
  ['Olu Adeyemi', 'olu.adeyemi@traford.gov.uk', 'officer', null],
  ['Emma Walsh', 'emma.walsh@trafford.gov.uk', 'officer', null],
  ['Kate Morgan', 'kate.morgan@trafford.gov.uk', 'officer', null],
  ['Priya Shah', 'priya.shah@trafford.gov.uk', 'Performance admin', null],
];
const INDICATORS = [
  ['Ref', 'Slug', 'Name', 'Owner', 'Deputy', 'Unit', 'Polarity', 'Frequency', 'Target 2017/18 Q2', 'Actual 2017/18 Q1', 'Actual 2017/18 Q2'],
  ['BV 12i', 'sickness-absence', 'Average days lost to sickness absence per FTE', 'lucy.chambers@trafford.gov.ukk', 'Imran Hussain', 'days', 'lower is better', 'Q', 8.5, 2.1, 4.31],
  ['NI 192', 'household-waste-recycled', 'Household waste sent for reuse, recycling or composting', 'Lucy Chambers', null, '%', 'higher', 'quarterly', { pct: 0.61 }, { pct: 0.624 }, { pct: 0.605 }],
  ['CAG 08', 'reablement-91-days', 'Older people at home 91 days after reablement', 'olu.adeyemi@traford.gov.uk', 'kate.morgan@trafford.gov.uk', '%', 'higher', 'quarterly', 82, 79.6, 80.1],
  ['L 14', 'library-visits', 'Visits to libraries', 'emma.walsh@trafford.gov.uk', null, 'number', 'higher', 'quarterly', 110000, 98400, null],
];

describe.each(backends('pglite'))('putting people right on the command line on %s', (backend) => {
  let db: TestDatabase;
  const person = (email: string) => db.prisma.person.findUnique({ where: { email } });
  const named = (displayName: string) => db.prisma.person.findMany({ where: { displayName } });
  const ownerOf = async (slug: string) => (await db.prisma.indicator.findUniqueOrThrow({ where: { slug }, select: { owner: { select: { id: true, email: true } } } })).owner;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    const first = await runKpi(db, ['import', await file({ People: [PEOPLE_HEAD, ...PEOPLE], Indicators: INDICATORS })]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
  });
  afterAll(() => db?.close());

  it('re-importing the People sheet with the address fixed and a Previous email column edits the person: same record, indicators still theirs', async () => {
    const lucy = (await person('lucy.chambers@trafford.gov.ukk'))!;
    const rows = [['Name', 'Email', 'Previous email', 'Role'], ['Lucy Chambers', 'lucy.chambers@trafford.gov.uk', 'lucy.chambers@trafford.gov.ukk', 'officer']];
    const dry = await runKpi(db, ['import', await file({ People: rows }), '--dry-run']);
    const r = await runKpi(db, ['import', await file({ People: rows })]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await named('Lucy Chambers')).toMatchObject([{ id: lucy.id, email: 'lucy.chambers@trafford.gov.uk' }]);
    expect(await ownerOf('sickness-absence')).toEqual({ id: lucy.id, email: 'lucy.chambers@trafford.gov.uk' });
    expect(await ownerOf('household-waste-recycled')).toEqual({ id: lucy.id, email: 'lucy.chambers@trafford.gov.uk' });
    expect(dry.stdout).toContain('Lucy Chambers: e-mail changed from lucy.chambers@trafford.gov.ukk to lucy.chambers@trafford.gov.uk');
    expect(r.stdout).toContain('People: 1 updated');
    expect(r.stdout).toContain('Lucy Chambers: e-mail changed from lucy.chambers@trafford.gov.ukk to lucy.chambers@trafford.gov.uk');
    expect(await db.prisma.auditLog.findFirst({ where: { action: 'person.edit', entityId: String(lucy.id) } })).toMatchObject({ details: { changes: { email: { from: 'lucy.chambers@trafford.gov.ukk', to: 'lucy.chambers@trafford.gov.uk' } } } });
    // The same file again changes nothing.
    const again = await runKpi(db, ['import', await file({ People: rows })]);
    expect(again.stdout).toContain('nothing changed');
  });

  it('re-importing the whole People sheet with an address fixed edits the one person of that name no platform ever confirmed, and says so', async () => {
    const olu = (await person('olu.adeyemi@traford.gov.uk'))!;
    const fixed = PEOPLE.map((p) => (p[0] === 'Olu Adeyemi' ? ['Olu Adeyemi', 'olu.adeyemi@trafford.gov.uk', 'officer', null] : p[0] === 'Lucy Chambers' ? ['Lucy Chambers', 'lucy.chambers@trafford.gov.uk', 'officer', 'imran.hussain@trafford.gov.uk'] : p));
    const r = await runKpi(db, ['import', await file({ People: [PEOPLE_HEAD, ...fixed] })]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await named('Olu Adeyemi')).toMatchObject([{ id: olu.id, email: 'olu.adeyemi@trafford.gov.uk' }]);
    expect(await ownerOf('reablement-91-days')).toEqual({ id: olu.id, email: 'olu.adeyemi@trafford.gov.uk' });
    expect(await db.prisma.person.count()).toBe(PEOPLE.length);
    expect(r.stdout).toContain('Olu Adeyemi: e-mail changed from olu.adeyemi@traford.gov.uk to olu.adeyemi@trafford.gov.uk');
    expect(r.stdout).toContain("Olu Adeyemi — taken as the register's Olu Adeyemi (olu.adeyemi@traford.gov.uk, an address no chat platform ever confirmed)");
  });

  it('does not change a confirmed person’s address on a name alone: the import is refused with what to do, and nothing changes', async () => {
    const emma = (await person('emma.walsh@trafford.gov.uk'))!;
    await setLink(db, emma.id, 'slack', 'U07EMMA01'); // found on Slack by her address
    const r = await runKpi(db, ['import', await file({ People: [PEOPLE_HEAD, ['Emma Walsh', 'e.walsh@trafford.gov.uk', 'officer', null]] })]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Nothing was written');
    expect(r.stdout).toContain('the register has Emma Walsh as emma.walsh@trafford.gov.uk, which Slack confirmed, so I will not change it on a name alone');
    expect(await named('Emma Walsh')).toMatchObject([{ id: emma.id, email: 'emma.walsh@trafford.gov.uk' }]);
    expect(await db.prisma.person.count()).toBe(PEOPLE.length);
  });

  it('people edit, merge and retire: audited, with --help, and refused with a non-zero exit and the reason', async () => {
    for (const sub of ['edit', 'merge', 'retire']) {
      const help = await runKpi(db, ['people', sub, '--help']);
      expect(help.code, sub).toBe(0);
      expect(help.stdout, sub).toContain(`Usage: kpi people ${sub}`);
    }
    const by = ['--by', 'priya.shah@trafford.gov.uk'];
    const imran = (await person('imran.hussain@trafford.gov.uk'))!;
    const edit = await runKpi(db, ['people', 'edit', 'imran.hussain@trafford.gov.uk', '--name', 'Imran Hussain MBE', '--deputy', 'kate.morgan@trafford.gov.uk', '--slack-id', 'U07IMRAN1', ...by]);
    expect(edit.code, edit.stderr).toBe(0);
    expect(edit.stdout).toContain('Imran Hussain MBE: name Imran Hussain → Imran Hussain MBE; deputy none → Kate Morgan; Slack not linked → U07IMRAN1.');
    const priya = (await person('priya.shah@trafford.gov.uk'))!;
    expect(await db.prisma.auditLog.findFirst({ where: { action: 'person.edit', entityId: String(imran.id) } })).toMatchObject({ actorId: priya.id, actorLabel: 'cli:priya.shah@trafford.gov.uk' });

    // A duplicate made before this version (the same Lucy at the fixed address, created anew): merged into the original.
    await db.prisma.person.create({ data: { displayName: 'Lucy Chambers', email: 'l.chambers@trafford.gov.uk' } });
    const lucy = (await person('lucy.chambers@trafford.gov.uk'))!;
    const dupe = (await person('l.chambers@trafford.gov.uk'))!;
    await db.prisma.indicator.update({ where: { slug: 'household-waste-recycled' }, data: { ownerId: dupe.id } });
    const merge = await runKpi(db, ['people', 'merge', 'l.chambers@trafford.gov.uk', 'lucy.chambers@trafford.gov.uk', ...by]);
    expect(merge.code, merge.stderr).toBe(0);
    expect(merge.stdout).toContain('Lucy Chambers (l.chambers@trafford.gov.uk) is merged into Lucy Chambers (lucy.chambers@trafford.gov.uk).');
    expect(await ownerOf('household-waste-recycled')).toMatchObject({ id: lucy.id });
    expect(await person('l.chambers@trafford.gov.uk')).toMatchObject({ active: false, successorId: lucy.id });
    expect(await db.prisma.auditLog.findFirst({ where: { action: 'person.merge', entityId: String(dupe.id) } })).toMatchObject({ actorId: priya.id, details: { into: { id: lucy.id }, indicatorsOwned: 1 } });

    const refused = await runKpi(db, ['people', 'retire', 'emma.walsh@trafford.gov.uk', ...by]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Emma Walsh owns 1 indicator: say who takes over with --hand-to <email>.');
    const retire = await runKpi(db, ['people', 'retire', 'emma.walsh@trafford.gov.uk', '--hand-to', 'kate.morgan@trafford.gov.uk', ...by]);
    expect(retire.code, retire.stderr).toBe(0);
    expect(retire.stdout).toContain('Handed to Kate Morgan (kate.morgan@trafford.gov.uk): 1 indicator owned.');
    expect(retire.stdout).toContain('Their Slack link removed.');
    expect((await ownerOf('library-visits'))?.email).toBe('kate.morgan@trafford.gov.uk');
    expect(await db.prisma.personIdentity.count({ where: { person: { email: 'emma.walsh@trafford.gov.uk' } } })).toBe(0);
    expect(await db.prisma.auditLog.findFirst({ where: { action: 'person.retire' } })).toMatchObject({ actorId: priya.id, details: { handedTo: { email: 'kate.morgan@trafford.gov.uk' } } });

    // Errors: exit 1 and a sentence to act on.
    for (const [args, says] of [
      [['people', 'edit', 'nobody@trafford.gov.uk', '--name', 'X'], 'No one with the e-mail nobody@trafford.gov.uk is in the register'],
      [['people', 'edit', 'kate.morgan@trafford.gov.uk', '--email', 'lucy.chambers@trafford.gov.uk'], 'lucy.chambers@trafford.gov.uk is already the address of Lucy Chambers'],
      [['people', 'edit', 'kate.morgan@trafford.gov.uk', '--role', 'boss'], '--role: expected officer, director or admin'],
      [['people', 'merge', 'lucy.chambers@trafford.gov.uk', 'lucy.chambers@trafford.gov.uk'], 'are the same person: nothing to merge'],
      [['people', 'retire', 'emma.walsh@trafford.gov.uk', '--hand-to', 'kate.morgan@trafford.gov.uk'], 'Emma Walsh (emma.walsh@trafford.gov.uk) is no longer active in the register (Kate Morgan, kate.morgan@trafford.gov.uk, took over)'],
    ] as const) {
      const r = await runKpi(db, [...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toContain(says);
    }
  });
});
