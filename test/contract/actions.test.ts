// The ActionStore contract (repo.actions): one set of cases on the memory repository and on Prisma over
// PGlite and PostgreSQL — actions written by ref (a repeat changes nothing), the original due date
// kept when the due date moves, progress updates versioned per period with the current one read back,
// filters for owners, directors, themes and indicators, and hand-overs when people are merged or retired.
import { describe, expect, it } from 'vitest';
import type { ActionFields, Repository } from '../../src/ports.ts';
import { repositoryBackends, useRepository, type RepositoryBackend } from '../support/repositories.ts';
import { TestClock } from '../support/clock.ts';
import { aCouncil, AT, type Council } from '../support/council.ts';

const by = { at: AT, actorId: null, actorLabel: 'test' };

function anAction(c: Council, over: Partial<ActionFields> = {}): ActionFields {
  return {
    ref: `EEP ${c.tag} 02`,
    kind: 'milestone',
    title: 'Deliver the BID Year 1 action plan by March 2014',
    description: null,
    themeId: c.theme.id,
    ownerId: c.owner.id,
    deputyId: c.deputy.id,
    start: null,
    due: '2014-03-31',
    isKey: false,
    active: true,
    indicatorIds: [c.absence.id],
    ...over,
  };
}

const update = (actionId: number, over: Partial<Parameters<Repository['actions']['saveUpdate']>[0]> = {}) => ({
  actionId,
  periodKey: '2013/14 Q2',
  progress: 'on_target' as const,
  percentComplete: null,
  commentary: 'All outputs are on programme and on budget.',
  authorId: null,
  source: 'test',
  at: AT,
  ...over,
});

describe.each(repositoryBackends())('the action store on %s', (backend: RepositoryBackend) => {
  const r = useRepository(backend, new TestClock(AT));

  it('writes actions by ref, keeps the original due date when the due date moves, and a repeat changes nothing', async () => {
    const c = await aCouncil(r.repo);
    const first = await r.repo.actions.upsert([anAction(c)], AT);
    expect(first).toMatchObject({ created: 1, updated: 0, unchanged: 0 });
    expect(await r.repo.actions.upsert([anAction(c)], AT)).toMatchObject({ created: 0, updated: 0, unchanged: 1 });

    const moved = await r.repo.actions.upsert([anAction(c, { due: '2014-06-30', rephaseReason: 'Partner funding confirmed late' })], AT);
    expect(moved).toMatchObject({ updated: 1 });
    const a = (await r.repo.actions.byRef(`eep ${c.tag} 02`))!;
    expect(a).toMatchObject({ kind: 'milestone', due: '2014-06-30', originalDue: '2014-03-31', rephaseReason: 'Partner funding confirmed late', themeName: c.theme.name, directorId: c.director.id, indicatorIds: [c.absence.id], latest: null });
    expect(a.id).toBe(first.ids.get(`EEP ${c.tag} 02`));

    await r.repo.actions.upsert([anAction(c, { due: '2014-06-30', indicatorIds: [c.visits.id, c.cleanliness.id] })], AT);
    expect((await r.repo.actions.byRef(`EEP ${c.tag} 02`))!.indicatorIds).toEqual([c.cleanliness.id, c.visits.id].sort((x, y) => x - y));
  });

  it('lists by owner or deputy, director, theme and indicator', async () => {
    const c = await aCouncil(r.repo);
    await r.repo.actions.upsert([anAction(c), anAction(c, { ref: `EEP ${c.tag} 03`, ownerId: c.officer.id, deputyId: null, indicatorIds: [] })], AT);
    const refs = async (f: Parameters<Repository['actions']['list']>[0]) => (await r.repo.actions.list(f)).map((a) => a.ref);
    expect(await refs({ personId: c.deputy.id })).toEqual([`EEP ${c.tag} 02`]);
    expect(await refs({ personId: c.officer.id })).toEqual([`EEP ${c.tag} 03`]);
    expect(await refs({ directorId: c.director.id })).toEqual([`EEP ${c.tag} 02`, `EEP ${c.tag} 03`]);
    expect(await refs({ themeId: c.theme.id })).toHaveLength(2);
    expect(await refs({ indicatorId: c.absence.id })).toEqual([`EEP ${c.tag} 02`]);
  });

  it('keeps every version of a period’s update, audits each, and a repeat is not a new version', async () => {
    const c = await aCouncil(r.repo);
    const id = (await r.repo.actions.upsert([anAction(c)], AT)).ids.get(`EEP ${c.tag} 02`)!;
    const one = await r.repo.actions.saveUpdate(update(id, { authorId: c.owner.id }), by);
    expect(one).toMatchObject({ created: true, update: { version: 1, progress: 'on_target', authorId: c.owner.id } });
    expect((await r.repo.actions.saveUpdate(update(id, { authorId: c.owner.id }), by)).created).toBe(false);
    await r.repo.actions.saveUpdate(update(id, { progress: 'at_risk', commentary: 'A4E slightly behind target.' }), by);
    await r.repo.actions.saveUpdate(update(id, { periodKey: '2013/14 Q3', progress: 'off_track', percentComplete: 40, commentary: 'Contract ended.' }), by);
    const all = await r.repo.actions.updates([id]);
    expect(all.map((u) => [u.periodKey, u.version, u.progress])).toEqual([
      ['2013/14 Q3', 1, 'off_track'],
      ['2013/14 Q2', 2, 'at_risk'],
      ['2013/14 Q2', 1, 'on_target'],
    ]);
    expect((await r.repo.actions.byRef(`EEP ${c.tag} 02`))!.latest).toMatchObject({ periodKey: '2013/14 Q3', progress: 'off_track', percentComplete: 40 });
    const audits = (await r.auditLog()).filter((e) => e.action === 'action.update' && e.entityId === String(id));
    expect(audits).toHaveLength(3);
  });

  it('moves a due date only once approved (the original kept), records "no longer viable" once approved, and decides each request once', async () => {
    const c = await aCouncil(r.repo);
    const id = (await r.repo.actions.upsert([anAction(c)], AT)).ids.get(`EEP ${c.tag} 02`)!;
    const move = await r.repo.actions.requestChange({ actionId: id, kind: 'due', proposedDue: '2014-06-30', reason: 'Partner funding late', periodKey: null, requestedById: c.owner.id, requestedAt: AT }, by);
    expect(move).toMatchObject({ state: 'pending', proposedDue: '2014-06-30' });
    expect((await r.repo.actions.byRef(`EEP ${c.tag} 02`))!.due).toBe('2014-03-31');
    const decider = { personId: c.director.id, label: 'test', at: AT };
    expect(await r.repo.actions.decideChange(move.id, 'approved', decider)).toMatchObject({ state: 'approved', decidedById: c.director.id });
    expect(await r.repo.actions.decideChange(move.id, 'returned', decider)).toBeNull();
    expect((await r.repo.actions.byRef(`EEP ${c.tag} 02`))!).toMatchObject({ due: '2014-06-30', originalDue: '2014-03-31', rephaseReason: 'Partner funding late' });

    const first = await r.repo.actions.requestChange({ actionId: id, kind: 'no_longer_viable', proposedDue: null, reason: 'Funding withdrawn', periodKey: '2013/14 Q3', requestedById: c.owner.id, requestedAt: AT }, by);
    const second = await r.repo.actions.requestChange({ actionId: id, kind: 'no_longer_viable', proposedDue: null, reason: 'Funding withdrawn by the LEP', periodKey: '2013/14 Q3', requestedById: c.owner.id, requestedAt: AT }, by);
    expect((await r.repo.actions.actionChange(first.id))!.state).toBe('withdrawn');
    expect((await r.repo.actions.pendingChanges(id)).map((x) => x.id)).toEqual([second.id]);
    await r.repo.actions.decideChange(second.id, 'approved', decider);
    expect((await r.repo.actions.byRef(`EEP ${c.tag} 02`))!.latest).toMatchObject({ progress: 'no_longer_viable', commentary: 'Funding withdrawn by the LEP', authorId: c.owner.id });
    expect((await r.auditLog()).filter((e) => e.entityId === String(id)).map((e) => e.action)).toEqual(['action.change-requested', 'action.change-approved', 'action.change-requested', 'action.change-requested', 'action.update', 'action.change-approved']);
  });

  it('hands actions over when a person is merged or retired', async () => {
    const c = await aCouncil(r.repo);
    await r.repo.actions.upsert([anAction(c)], AT);
    const merged = await r.repo.mergePeople(c.owner.id, c.officer.id, by);
    expect(merged).toMatchObject({ actionsOwned: 1, actionsDeputised: 0 });
    expect((await r.repo.actions.byRef(`EEP ${c.tag} 02`))!).toMatchObject({ ownerId: c.officer.id, deputyId: c.deputy.id });
    const retired = await r.repo.retirePerson(c.deputy.id, c.admin.id, by);
    expect(retired).toMatchObject({ actionsDeputised: 1 });
    expect((await r.repo.actions.byRef(`EEP ${c.tag} 02`))!).toMatchObject({ ownerId: c.officer.id, deputyId: c.admin.id });
  });
});
