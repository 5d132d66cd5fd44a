// The ComparatorStore contract (repo.comparators): one set of cases on the memory repository and on
// Prisma over PGlite and PostgreSQL — values keyed by indicator, period and area, a file saved again
// changes nothing, a changed value or name is replaced, six decimal places kept, one audit entry per
// save that changed something; groups created, replaced and left alone when the same.
import { describe, expect, it } from 'vitest';
import type { ComparatorValueRecord } from '../../src/ports.ts';
import { repositoryBackends, useRepository, type RepositoryBackend } from '../support/repositories.ts';
import { TestClock } from '../support/clock.ts';
import { aCouncil, AT } from '../support/council.ts';

const by = { at: AT, actorId: null, actorLabel: 'cli' };

describe.each(repositoryBackends())('the comparator store on %s', (backend: RepositoryBackend) => {
  const r = useRepository(backend, new TestClock(AT));

  it('saves values once, replaces a changed one, keeps missing values as null and reads them back in order', async () => {
    const c = await aCouncil(r.repo);
    const id = c.absence.id;
    const row = (areaCode: string, value: number | null, over: Partial<ComparatorValueRecord> = {}): ComparatorValueRecord => ({ indicatorId: id, periodKey: '2017/18 Q3', areaCode, areaName: `Area ${areaCode}`, value, source: 'import:gm.csv', ...over });
    const file = [row('E08000009', 8.9), row('E08000001', 9.1234567), row('E08000002', null), row('E08000003', 7.5, { periodKey: '2017/18 Q2' })];
    expect(await r.repo.comparators.saveValues(file, by, AT)).toEqual({ added: 4, changed: 0, unchanged: 0 });
    expect(await r.repo.comparators.saveValues(file, by, AT)).toEqual({ added: 0, changed: 0, unchanged: 4 });
    expect(await r.repo.comparators.saveValues([row('E08000009', 8.7), row('E08000001', 9.1234567, { areaName: 'Bolton' })], by, AT)).toEqual({ added: 0, changed: 2, unchanged: 0 });
    const back = await r.repo.comparators.values({ indicatorIds: [id] });
    expect(back.map((v) => [v.periodKey, v.areaCode, v.areaName, v.value])).toEqual([
      ['2017/18 Q2', 'E08000003', 'Area E08000003', 7.5],
      ['2017/18 Q3', 'E08000001', 'Bolton', 9.123457],
      ['2017/18 Q3', 'E08000002', 'Area E08000002', null],
      ['2017/18 Q3', 'E08000009', 'Area E08000009', 8.7],
    ]);
    expect((await r.repo.comparators.values({ indicatorIds: [id], periodKeys: ['2017/18 Q2'] })).map((v) => v.areaCode)).toEqual(['E08000003']);
    const audits = (await r.auditLog()).filter((a) => a.action === 'comparators.import' && a.actorLabel === 'cli');
    expect(audits.at(-1)).toMatchObject({ entity: 'comparator_value', details: { added: 0, changed: 2, unchanged: 0, source: 'import:gm.csv' } });
  });

  it('creates, replaces and leaves alone a group, audited when it changed', async () => {
    const c = await aCouncil(r.repo);
    const name = `Greater Manchester ${c.tag}`;
    expect(await r.repo.comparators.saveGroup({ name, areas: ['E08000001', 'E08000009'] }, by, AT)).toBe('created');
    expect(await r.repo.comparators.saveGroup({ name, areas: ['E08000001', 'E08000009'] }, by, AT)).toBe('unchanged');
    expect(await r.repo.comparators.saveGroup({ name, areas: ['E08000001', 'E08000002', 'E08000009'] }, by, AT)).toBe('updated');
    expect((await r.repo.comparators.groups()).find((g) => g.name === name)).toEqual({ name, areas: ['E08000001', 'E08000002', 'E08000009'] });
    expect((await r.auditLog()).filter((a) => a.action === 'comparators.group' && a.entityId === name)).toHaveLength(2);
  });

  it('keeps our area code and group as settings', async () => {
    await r.repo.updateOrg({ comparatorArea: 'E08000009', comparatorGroup: 'Greater Manchester' });
    expect(await r.repo.org()).toMatchObject({ comparatorArea: 'E08000009', comparatorGroup: 'Greater Manchester' });
    await r.repo.updateOrg({ comparatorArea: null, comparatorGroup: null });
    expect(await r.repo.org()).toMatchObject({ comparatorArea: null, comparatorGroup: null });
  });
});
