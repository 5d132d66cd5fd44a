// A Risks sheet imported as councils keep one, end to end through `kpi import` on PGlite: a directorate
// register under a title, its assessments in one cell ("5x4") or as Likelihood and Impact columns, the
// current score kept as the review of its date, mitigating actions and indicators by ref. All or
// nothing, a re-import changes nothing, a partial sheet changes only its columns, and a review in a
// signed-off quarter needs a performance admin's reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { runKpi } from '../support/cli.ts';
import { csv, xlsx, fileWriter } from '../support/workbooks.ts';
import { PrismaRepository } from '../../src/repo/prisma-repository.ts';

const { file } = fileWriter('kpi-risks-');

const register = () =>
  xlsx({
    People: [
      ['Name', 'Email', 'Role'],
      ['Dawn Hughes', 'dawn.hughes@trafford.example', 'director'],
      ['Mark Ellis', 'mark.ellis@trafford.example', 'officer'],
      ['Asha Patel', 'asha.patel@trafford.example', 'officer'],
      ['Nina Shaw', 'nina.shaw@trafford.example', 'admin'],
    ],
    Indicators: [
      ['Ref', 'Name', 'Theme', 'Owner', 'Director', 'Unit', 'Polarity', 'Frequency'],
      ['CS 04', 'Re-referrals to children’s social care within 12 months', 'Children’s improvement', 'mark.ellis@trafford.example', 'dawn.hughes@trafford.example', '%', 'lower', 'Q'],
    ],
    Actions: [
      ['Ref', 'Action', 'Owner', 'Due'],
      ['CIP-WS1', 'Early Help triage in First Response', 'mark.ellis@trafford.example', '2017/18 Q4'],
    ],
    'Directorate risks': [
      ['Children’s Services — Directorate Risk Register, Quarter 3 2017/18'],
      [],
      ['Risk ref', 'Risk', 'Theme', 'Risk owner', 'Deputy', 'Inherent risk (L x I)', 'Likelihood', 'Impact', 'Target (L x I)', 'Existing controls', 'Review frequency', 'Mitigating actions', 'Indicators', 'Last reviewed', 'Commentary'],
      ['CIP01', 'Lack of capacity to manage Early Help cases', 'Children’s improvement', 'Mark Ellis', 'asha.patel@trafford.example', '5x4', '4 - Likely', '3', 'L2 I3', 'Early Help triage in First Response', 'Quarterly', 'CIP-WS1', 'CS 04', '15/12/2017', 'Triage is reducing inappropriate referrals.'],
      ['CIP07', 'Special Guardianship Orders conversion rate', 'Children’s improvement', 'asha.patel@trafford.example', '', '3 x 3 = 9', '2', '3', '', '', 'six monthly', '', '', '15/12/2017', ''],
    ],
  });

describe('kpi import: a Risks sheet', () => {
  let db: TestDatabase;
  let repo: PrismaRepository;
  const now = ['--now', '2018-01-15T09:00'];
  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    repo = new PrismaRepository(db.prisma);
  });
  afterAll(() => db?.close());

  it('imports a directorate register under its title: scores, the review of its date, actions and indicators; again, nothing changes', async () => {
    const run = await runKpi(db, ['import', file('register.xlsx', await register()), ...now]);
    expect(run.stdout).toContain('2 risk rows');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Risks: 2 created');
    expect(run.stdout).toContain('Risk reviews: 2 new');
    const cip01 = (await repo.risks.byRef('CIP01'))!;
    const cs04 = (await repo.indicators()).find((i) => i.ref === 'CS 04')!;
    const ws1 = (await repo.actions.byRef('CIP-WS1'))!;
    expect(cip01).toMatchObject({
      title: 'Lack of capacity to manage Early Help cases',
      themeName: 'Children’s improvement',
      inherent: { likelihood: 5, impact: 4 },
      target: { likelihood: 2, impact: 3 },
      controls: 'Early Help triage in First Response',
      reviewMonths: 3,
      actionIds: [ws1.id],
      indicatorIds: [cs04.id],
      latest: { reviewedOn: '2017-12-15', likelihood: 4, impact: 3, commentary: 'Triage is reducing inappropriate referrals.' },
    });
    expect((await repo.person(cip01.ownerId!))!.email).toBe('mark.ellis@trafford.example');
    expect((await repo.person(cip01.deputyId!))!.email).toBe('asha.patel@trafford.example');
    expect((await repo.person(cip01.directorId!))!.email).toBe('dawn.hughes@trafford.example');
    expect(await repo.risks.byRef('CIP07')).toMatchObject({ reviewMonths: 6, inherent: { likelihood: 3, impact: 3 }, target: null, latest: { likelihood: 2, impact: 3 } });

    const again = await runKpi(db, ['import', file('register.xlsx', await register()), ...now]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing changed');
    expect(await db.prisma.riskReview.count()).toBe(2);
  });

  it('lists every problem of a messy sheet in one round and writes nothing', async () => {
    const [risks, reviews] = [await db.prisma.risk.count(), await db.prisma.riskReview.count()];
    const run = await runKpi(db, [
      'import',
      file('messy.csv', csv([
        ['Ref', 'Risk', 'Owner', 'Likelihood', 'Impact', 'Current score', 'Mitigating actions', 'Review date'],
        ['CIP02', 'Lack of performance system', 'mark.ellis@trafford.example', 'High', '4', '', '', '10/01/2018'],
        ['CIP03', 'Lack of project support for Early Help', 'mark.ellis@trafford.example', '3', '4', '16', 'CIP-WS9', '10/01/2018'],
        ['CIP04', 'Incorrect configuration of Front Door', 'mark.ellis@trafford.example', '2', '', '', '', ''],
      ])),
      ...now,
    ]);
    expect(run.code).not.toBe(0);
    const out = run.stdout + run.stderr;
    expect(out).toContain('row 2, column Likelihood: expected the current likelihood as a number from 1 to 5');
    expect(out).toContain('row 3, column Current score: expected 3×4 = 12, as the Likelihood and Impact columns give');
    expect(out).toContain('row 3, column Mitigating actions: expected the ref of an action in the register or this file’s Actions sheet; there is none called "CIP-WS9"');
    expect(out).toContain('row 4, column Impact: expected the current impact beside its likelihood; the cell is empty');
    expect([await db.prisma.risk.count(), await db.prisma.riskReview.count()]).toEqual([risks, reviews]);
  });

  it('changes only the columns a partial sheet has: a new review keeps the owner, controls, actions and indicators', async () => {
    const run = await runKpi(db, ['import', file('review.csv', csv([['Ref', 'Risk', 'Current (L x I)', 'Review date', 'Commentary'], ['CIP01', 'Lack of capacity to manage Early Help cases', '4x4', '12/01/2018', 'Two leavers in December.']])), ...now]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Risk reviews: 1 new');
    expect(run.stdout).not.toContain('Risks: 1 updated');
    const cip01 = (await repo.risks.byRef('CIP01'))!;
    expect(cip01).toMatchObject({ controls: 'Early Help triage in First Response', reviewMonths: 3, target: { likelihood: 2, impact: 3 }, latest: { reviewedOn: '2018-01-12', likelihood: 4, impact: 4 }, previous: { reviewedOn: '2017-12-15' } });
    expect(cip01.actionIds).toHaveLength(1);
    expect(cip01.indicatorIds).toHaveLength(1);
    expect(cip01.ownerId).not.toBeNull();
  });

  it('refuses a new review dated in a signed-off quarter unless a performance admin gives a reason', async () => {
    expect((await runKpi(db, ['close-quarter', '2017/18 Q3', ...now])).code).toBe(0);
    const late = file('late.csv', csv([['Ref', 'Risk', 'Likelihood', 'Impact', 'Review date'], ['CIP07', 'Special Guardianship Orders conversion rate', '3', '3', '20/12/2017']]));
    const refused = await runKpi(db, ['import', late, ...now]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain('CIP07: a review of 2017-12-20 is in signed-off 2017/18 Q3');
    expect((await repo.risks.byRef('CIP07'))!.latest).toMatchObject({ likelihood: 2 });
    const admitted = await runKpi(db, ['import', late, '--by', 'nina.shaw@trafford.example', '--reason', 'review minuted late', ...now]);
    expect(admitted.code).toBe(0);
    expect((await repo.risks.byRef('CIP07'))!.latest).toMatchObject({ reviewedOn: '2017-12-20', likelihood: 3 });
  });
});
