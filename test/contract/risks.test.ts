// The RiskStore contract (repo.risks): one set of cases on the memory repository and on Prisma over
// PGlite and PostgreSQL — risks written by ref (a repeat changes nothing), inherent and target kept,
// links to actions and indicators, every review kept with the latest and the one before it read back,
// a repeated review written once, filters, and review reminders once per risk, due date and day.
import { describe, expect, it } from 'vitest';
import type { RiskFields } from '../../src/ports.ts';
import { repositoryBackends, useRepository, type RepositoryBackend } from '../support/repositories.ts';
import { TestClock } from '../support/clock.ts';
import { aCouncil, AT, type Council } from '../support/council.ts';

const by = { at: AT, actorId: null, actorLabel: 'test' };

function aRisk(c: Council, over: Partial<RiskFields> = {}): RiskFields {
  return {
    ref: `CIP${c.tag}01`,
    title: 'Insufficient social worker capacity to meet demand',
    description: null,
    themeId: c.theme.id,
    ownerId: c.owner.id,
    deputyId: c.deputy.id,
    controls: 'Agency cover; recruitment and retention offer',
    inherent: { likelihood: 5, impact: 4 },
    target: { likelihood: 2, impact: 3 },
    reviewMonths: 3,
    active: true,
    actionIds: [],
    indicatorIds: [c.absence.id],
    ...over,
  };
}

const review = (riskId: number, over: Partial<Parameters<RepositoryUnderTestRisks['saveReview']>[0]> = {}) => ({
  riskId,
  reviewedOn: '2017-12-20',
  likelihood: 3,
  impact: 4,
  commentary: 'Caseloads stable after two starters.',
  authorId: null,
  source: 'test',
  at: AT,
  ...over,
});
type RepositoryUnderTestRisks = ReturnType<typeof useRepository>['repo']['risks'];

describe.each(repositoryBackends())('the risk store on %s', (backend: RepositoryBackend) => {
  const r = useRepository(backend, new TestClock(AT));

  it('writes risks by ref with their assessments and links, a repeat changes nothing, a change is one update', async () => {
    const c = await aCouncil(r.repo);
    const first = await r.repo.risks.upsert([aRisk(c)], AT);
    expect(first).toMatchObject({ created: 1, updated: 0, unchanged: 0 });
    expect(await r.repo.risks.upsert([aRisk(c)], AT)).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    const a = (await r.repo.risks.byRef(`cip${c.tag}01`))!;
    expect(a).toMatchObject({ id: first.ids.get(`CIP${c.tag}01`), inherent: { likelihood: 5, impact: 4 }, target: { likelihood: 2, impact: 3 }, themeName: c.theme.name, directorId: c.director.id, indicatorIds: [c.absence.id], actionIds: [], latest: null, previous: null, reviewMonths: 3, createdOn: AT.toISOString().slice(0, 10) });

    const changed = await r.repo.risks.upsert([aRisk(c, { target: null, indicatorIds: [c.visits.id, c.cleanliness.id], reviewMonths: 1 })], AT);
    expect(changed).toMatchObject({ updated: 1 });
    expect(await r.repo.risks.byRef(`CIP${c.tag}01`)).toMatchObject({ target: null, indicatorIds: [c.cleanliness.id, c.visits.id].sort((x, y) => x - y), reviewMonths: 1 });
  });

  it('keeps every review: the latest is current, the one before it gives the trend, and the same review again is written once', async () => {
    const c = await aCouncil(r.repo);
    const id = (await r.repo.risks.upsert([aRisk(c)], AT)).ids.get(`CIP${c.tag}01`)!;
    expect((await r.repo.risks.saveReview(review(id, { reviewedOn: '2017-09-30', likelihood: 3, impact: 3 }), by)).created).toBe(true);
    expect((await r.repo.risks.saveReview(review(id), by)).created).toBe(true);
    expect((await r.repo.risks.saveReview(review(id), by)).created).toBe(false);
    // A second review of the same day saying something else is kept as well, after the first.
    const later = await r.repo.risks.saveReview(review(id, { likelihood: 4, impact: 4, commentary: 'Two leavers in December.' }), by);
    expect(later.created).toBe(true);
    const risk = (await r.repo.risks.byRef(`CIP${c.tag}01`))!;
    expect(risk.latest).toMatchObject({ likelihood: 4, impact: 4, reviewedOn: '2017-12-20' });
    expect(risk.previous).toMatchObject({ likelihood: 3, impact: 4, reviewedOn: '2017-12-20' });
    const all = await r.repo.risks.reviews([id]);
    expect(all.map((v) => `${v.reviewedOn} ${v.likelihood}×${v.impact}`)).toEqual(['2017-12-20 4×4', '2017-12-20 3×4', '2017-09-30 3×3']);
  });

  it('filters by owner or deputy, director, theme, indicator and action', async () => {
    const c = await aCouncil(r.repo);
    const act = (await r.repo.actions.upsert([{ ref: `A${c.tag}`, kind: 'action', title: 'Recruit', description: null, themeId: c.theme.id, ownerId: c.owner.id, deputyId: null, start: null, due: '2018-03-31', isKey: false, active: true, indicatorIds: [] }], AT)).ids.get(`A${c.tag}`)!;
    await r.repo.risks.upsert([aRisk(c, { actionIds: [act] }), aRisk(c, { ref: `CIP${c.tag}02`, ownerId: c.officer.id, deputyId: null, themeId: null, indicatorIds: [], active: false })], AT);
    const refs = async (f: Parameters<typeof r.repo.risks.list>[0]) => (await r.repo.risks.list(f)).map((x) => x.ref).filter((ref) => ref.startsWith(`CIP${c.tag}`));
    expect(await refs({ personId: c.deputy.id })).toEqual([`CIP${c.tag}01`]);
    expect(await refs({ personId: c.officer.id })).toEqual([`CIP${c.tag}02`]);
    expect(await refs({ directorId: c.director.id })).toEqual([`CIP${c.tag}01`]);
    expect(await refs({ themeId: c.theme.id })).toEqual([`CIP${c.tag}01`]);
    expect(await refs({ indicatorId: c.absence.id })).toEqual([`CIP${c.tag}01`]);
    expect(await refs({ actionId: act })).toEqual([`CIP${c.tag}01`]);
    expect(await refs({ activeOnly: true })).toEqual([`CIP${c.tag}01`]);
    expect(await refs({})).toEqual([`CIP${c.tag}01`, `CIP${c.tag}02`]);
  });

  it('records a review reminder once per risk, due date and day', async () => {
    const c = await aCouncil(r.repo);
    const id = (await r.repo.risks.upsert([aRisk(c)], AT)).ids.get(`CIP${c.tag}01`)!;
    const row = { riskId: id, dueOn: '2018-01-10', personId: c.owner.id, level: 0, sentOn: '2018-01-15' };
    expect(await r.repo.risks.recordReminders([row])).toBe(1);
    expect(await r.repo.risks.recordReminders([row, { ...row, sentOn: '2018-01-18' }])).toBe(1);
    expect(await r.repo.risks.reminders([id], '2018-01-10')).toEqual([row, { ...row, sentOn: '2018-01-18' }]);
    expect(await r.repo.risks.reminders([id], '2018-04-10')).toEqual([]);
  });

  it('hands risks over when a person is merged or retired (their reviews and reminders too); retired with nobody named, their deputyships end', async () => {
    const c = await aCouncil(r.repo);
    await r.repo.risks.upsert([aRisk(c), aRisk(c, { ref: `CIP${c.tag}02`, ownerId: c.officer.id, deputyId: c.owner.id })], AT);
    const [id] = [...(await r.repo.risks.upsert([aRisk(c)], AT)).ids.values()];
    await r.repo.risks.saveReview(review(id!, { authorId: c.owner.id }), by);
    await r.repo.risks.recordReminders([{ riskId: id!, dueOn: '2018-01-15', personId: c.owner.id, level: 0, sentOn: '2018-01-15' }]);
    const merged = await r.repo.mergePeople(c.owner.id, c.officer.id, by);
    // The reviews they wrote and the reminders they were sent are the person kept's.
    expect((await r.repo.risks.reviews([id!])).map((x) => x.authorId)).toEqual([c.officer.id]);
    expect((await r.repo.risks.reminders([id!], '2018-01-15')).map((x) => x.personId)).toEqual([c.officer.id]);
    // CIP…02: the officer already owns it, so they do not become its deputy too.
    expect(merged).toMatchObject({ risksOwned: 1, risksDeputised: 0 });
    expect(await r.repo.risks.byRef(`CIP${c.tag}01`)).toMatchObject({ ownerId: c.officer.id, deputyId: c.deputy.id });
    expect(await r.repo.risks.byRef(`CIP${c.tag}02`)).toMatchObject({ ownerId: c.officer.id, deputyId: null });
    expect(await r.repo.retirePerson(c.deputy.id, c.admin.id, by)).toMatchObject({ risksDeputised: 1 });
    expect(await r.repo.risks.byRef(`CIP${c.tag}01`)).toMatchObject({ ownerId: c.officer.id, deputyId: c.admin.id });
    expect(await r.repo.retirePerson(c.admin.id, null, by)).toMatchObject({ risksDeputised: 1 });
    expect(await r.repo.risks.byRef(`CIP${c.tag}01`)).toMatchObject({ deputyId: null });
  });
});
