// The ConditionChangeStore contract (repo.conditionChanges): one set of cases on the memory repository
// and on Prisma over PGlite and PostgreSQL — each transition recorded once by its key (a second process
// recording it gets nothing back), the latest per subject read back with its conditions, detail and
// spell, and subjects of one kind kept apart by id.
import { describe, expect, it } from 'vitest';
import type { NewConditionChange } from '../../src/ports.ts';
import { repositoryBackends, useRepository, type RepositoryBackend } from '../support/repositories.ts';
import { TestClock } from '../support/clock.ts';
import { AT } from '../support/council.ts';

let seq = 5000;

describe.each(repositoryBackends())('the condition change store on %s', (backend: RepositoryBackend) => {
  const r = useRepository(backend, new TestClock(AT));

  it('records each transition once, and reads back the latest per subject as it was written', async () => {
    const [one, two] = [++seq, ++seq];
    const change = (subjectId: number, over: Partial<NewConditionChange> = {}): NewConditionChange => ({
      subject: 'action', subjectId, transitionKey: '0>none|', conditions: [], detail: {}, episodeId: null, observedAt: AT, ...over,
    });
    const first = await r.repo.conditionChanges.record([change(one), change(two, { transitionKey: '0>overdue|x', conditions: ['overdue'], detail: { progress: null, due: '2018-01-31', update: null } })]);
    expect(first.map((c) => [c.subjectId, c.conditions])).toEqual([[one, []], [two, ['overdue']]]);
    // The same transitions again (an overlapping run): nothing recorded, nothing returned.
    expect(await r.repo.conditionChanges.record([change(one), change(two, { transitionKey: '0>overdue|x', conditions: ['overdue'] })])).toEqual([]);
    const raised = change(one, { transitionKey: `${first[0]!.id}>off_track|y`, conditions: ['off_track', 'overdue'], detail: { update: 12, progress: 'off_track', due: '2018-03-31' }, observedAt: new Date(AT.getTime() + 60_000) });
    const [rec] = await r.repo.conditionChanges.record([raised]);
    expect(rec).toMatchObject({ subject: 'action', subjectId: one, conditions: ['off_track', 'overdue'], episodeId: null });
    const continued = await r.repo.conditionChanges.record([change(one, { transitionKey: `${rec!.id}>none|`, episodeId: rec!.id })]);
    const latest = await r.repo.conditionChanges.latest('action', [one, two]);
    expect(latest.get(one)).toEqual({ ...continued[0], detail: {} });
    expect(latest.get(two)).toMatchObject({ conditions: ['overdue'], detail: { progress: null, due: '2018-01-31', update: null }, episodeId: null, observedAt: AT });
    expect([...(await r.repo.conditionChanges.latest('action', [two])).keys()]).toEqual([two]);
  });
});
