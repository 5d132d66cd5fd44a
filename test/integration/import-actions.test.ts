// An Actions sheet imported as councils keep one, end to end through `kpi import` on PGlite: Halton's
// Key Milestones under a title (Ref, Milestones, Progress, Supporting Commentary) and Cheshire West's
// planned actions (outcome plan, owner by e-mail, due as a date, a month or a period, original due and
// the reason for re-phasing), with the indicators each addresses. All or nothing, every problem of
// the file in one round, a re-import changes nothing, and a partial sheet changes only its columns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { runKpi } from '../support/cli.ts';
import { csv, xlsx, fileWriter } from '../support/workbooks.ts';
import { PrismaRepository } from '../../src/repo/prisma-repository.ts';
import { planCategory } from '../../src/domain/actions.ts';

const { file } = fileWriter('kpi-actions-');

const register = () =>
  xlsx({
    People: [
      ['Name', 'Email', 'Role'],
      ['Wesley Rourke', 'wesley.rourke@halton.example', 'director'],
      ['Sian Jones', 'sian.jones@halton.example', 'officer'],
      ['Tom Hale', 'tom.hale@halton.example', 'officer'],
      ['Nina Patel', 'nina.patel@halton.example', 'admin'],
    ],
    Indicators: [
      ['Ref', 'Name', 'Theme', 'Owner', 'Director', 'Unit', 'Polarity', 'Frequency'],
      ['EEP LI 01', 'Occupancy of HBC industrial units', 'Economy, Enterprise and Property', 'sian.jones@halton.example', 'wesley.rourke@halton.example', '%', 'higher', 'Q'],
      ['EEP LI 06', 'Number of people into employment', 'Economy, Enterprise and Property', 'tom.hale@halton.example', '', 'number', 'higher', 'Q'],
    ],
    'Key Milestones': [
      ['Economy, Enterprise and Property — Key Milestones, Quarter 2 2013/14'],
      [],
      ['Ref', 'Milestones', 'Business area', 'Lead officer', 'Due', 'Progress', 'Supporting Commentary', 'Period', 'Indicators'],
      ['EEP 02', 'Deliver the BID Year 1 action plan by March 2014', 'Economy, Enterprise and Property', 'Sian Jones', 'March 2014', 'Green', 'All outputs associated with the BID Year 1 Action Plan are on programme and on budget.', '2013/14 Q2', 'EEP LI 01'],
      ['EEP 03', 'Deliver Work Programme via sub contract arrangements to Prime Contractors', 'Economy, Enterprise and Property', 'tom.hale@halton.example', '2013/14 Q4', 'amber', 'A4E slightly behind target; a performance development plan was implemented.', '2013/14 Q2', 'EEP LI 06, occupancy-hbc-industrial-units'],
    ],
  });

const plannedActions = (extra: (string | null)[][] = []) =>
  csv([
    ['Ref', 'Action', 'Outcome plan', 'Owner', 'Start', 'Due date', 'Original due date', 'Reason for re-phasing', 'Status', 'Commentary', 'Period'],
    ['OP1-07', 'Open the new enterprise hub', 'Economy, Enterprise and Property', 'sian.jones@halton.example', '01/04/2013', '30/09/2014', '31/03/2014', 'Contractor went into administration', 'on track', 'New contractor appointed in August.', '2013/14 Q2'],
    ['OP1-08', 'Review market trading', 'Economy, Enterprise and Property', 'tom.hale@halton.example', '2014-01-01', '31 Dec 2014', '', '', 'not started', '', '2013/14 Q2'],
    ...extra,
  ]);

describe('kpi import: an Actions sheet', () => {
  let db: TestDatabase;
  let repo: PrismaRepository;
  const now = ['--now', '2013-10-15T09:00'];
  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    repo = new PrismaRepository(db.prisma);
  });
  afterAll(() => db?.close());

  it('imports Halton’s Key Milestones under their title, each with its quarter’s progress and the indicators it addresses', async () => {
    const run = await runKpi(db, ['import', file('halton.xlsx', await register()), ...now]);
    expect(run.stdout).toContain('2 action rows');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Actions: 2 created');
    expect(run.stdout).toContain('Progress updates: 2 new');
    const eep02 = (await repo.actions.byRef('EEP 02'))!;
    const byRef = async (ref: string) => (await repo.indicators()).find((i) => i.ref === ref);
    const [li01, li06] = [await byRef('EEP LI 01'), await byRef('EEP LI 06')];
    expect(eep02).toMatchObject({ kind: 'milestone', due: '2014-03-31', originalDue: '2014-03-31', themeName: 'Economy, Enterprise and Property', indicatorIds: [li01!.id], latest: { periodKey: '2013/14 Q2', progress: 'on_target' } });
    expect((await repo.person(eep02.ownerId!))!.email).toBe('sian.jones@halton.example');
    expect((await repo.person(eep02.directorId!))!.email).toBe('wesley.rourke@halton.example');
    const eep03 = (await repo.actions.byRef('EEP 03'))!;
    expect(eep03).toMatchObject({ due: '2014-03-31', latest: { progress: 'at_risk', commentary: 'A4E slightly behind target; a performance development plan was implemented.' } });
    expect(eep03.indicatorIds).toEqual([li01!.id, li06!.id].sort((a, b) => a - b));

    const again = await runKpi(db, ['import', file('halton.xlsx', await register()), ...now]);
    expect(again.stdout).toContain('nothing changed');
    expect(again.stdout).toContain('Actions: 2 unchanged');
  });

  it('imports Cheshire West’s planned actions: re-phased against the original due date with its reason, a later start scheduled for a future quarter', async () => {
    const run = await runKpi(db, ['import', file('actions.csv', plannedActions()), ...now]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Actions: 2 created');
    const hub = (await repo.actions.byRef('op1-07'))!;
    expect(hub).toMatchObject({ kind: 'action', start: '2013-04-01', due: '2014-09-30', originalDue: '2014-03-31', rephaseReason: 'Contractor went into administration', latest: { progress: 'on_target' } });
    expect(planCategory({ ...hub, progress: hub.latest!.progress }, '2013-09-30')).toBe('rephased_over_3_months');
    const market = (await repo.actions.byRef('OP1-08'))!;
    expect(planCategory({ ...market, progress: market.latest!.progress }, '2013-09-30')).toBe('scheduled_future');
  });

  it('lists every problem of the sheet in one round and writes nothing', async () => {
    const before = await db.prisma.action.count();
    const run = await runKpi(db, [
      'import',
      file('broken.csv', plannedActions([
        ['OP1-09', '', 'Economy, Enterprise and Property', 'nobody@halton.example', '', 'soon', '', '', 'nearly', '', '2013/14 Q2'],
        ['OP1-07', 'Open the new enterprise hub again', '', '', '', '2014-03-31', '', '', '', '', ''],
        ['OP1-10', 'Refurbish the market hall', '', '', '', '2014-03-31', '', '', 'delivered', 'Opened in June', ''],
      ])),
      ...now,
    ]);
    expect(run.code).not.toBe(0);
    const out = run.stdout + run.stderr;
    expect(out).toContain('row 4, column Action: expected what the action or milestone is; the cell is empty');
    expect(out).toContain('row 4, column Due date: expected the due date: a date such as 31/03/2014');
    expect(out).toContain('row 4, column Status: expected the progress: on target, at risk');
    expect(out).toContain('row 5, column Ref: expected each action once; OP1-07 is also on');
    expect(out).toMatch(/row 6, column Period: expected the quarter this progress is for/);
    expect(await db.prisma.action.count()).toBe(before);
  });

  it('refuses new progress for a signed-off quarter unless a performance admin gives a reason; the same progress again is no change', async () => {
    expect((await runKpi(db, ['close-quarter', '2013/14 Q2', ...now])).code).toBe(0);
    const same = await runKpi(db, ['import', file('halton.xlsx', await register()), ...now]);
    expect(same.stdout).toContain('nothing changed');
    const changed = csv([
      ['Ref', 'Milestones', 'Due', 'Progress', 'Commentary', 'Period'],
      ['EEP 03', 'Deliver Work Programme via sub contract arrangements to Prime Contractors', '2013/14 Q4', 'red', 'Contract terminated.', '2013/14 Q2'],
    ]);
    const refused = await runKpi(db, ['import', file('late.csv', changed), ...now]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain('1 progress update would change signed-off periods');
    expect(refused.stdout + refused.stderr).toContain('EEP 03 2013/14 Q2');
    expect(refused.stdout + refused.stderr).toContain('the progress differs from the one signed off in 2013/14 Q2');
    expect((await repo.actions.byRef('EEP 03'))!.latest).toMatchObject({ progress: 'at_risk' });
    const admitted = await runKpi(db, ['import', file('late.csv', changed), '--by', 'nina.patel@halton.example', '--reason', 'contract terminated before the report was published', ...now]);
    expect(admitted.code).toBe(0);
    expect((await repo.actions.byRef('EEP 03'))!.latest).toMatchObject({ progress: 'off_track', version: 2 });
  });

  it('changes only the columns a partial sheet has: a new due date keeps the owner, theme and the original due date', async () => {
    const run = await runKpi(db, ['import', file('moved.csv', csv([['Ref', 'Action', 'Due'], ['EEP 02', 'Deliver the BID Year 1 action plan by March 2014', '30 June 2014']])), ...now]);
    expect(run.stdout).toContain('Actions: 1 updated');
    expect((await repo.actions.byRef('EEP 02'))!).toMatchObject({ due: '2014-06-30', originalDue: '2014-03-31', themeName: 'Economy, Enterprise and Property', kind: 'milestone' });
    expect((await repo.actions.byRef('EEP 02'))!.ownerId).not.toBeNull();
  });
});
