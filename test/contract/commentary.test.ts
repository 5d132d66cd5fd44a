// The CommentaryStore contract (repo.commentary): one set of cases on the memory repository and on
// Prisma over PGlite and PostgreSQL — every version kept per theme and for the whole report, a repeat
// is no new version, the current version per scope read back for a quarter, each save audited,
// reminders once per scope, quarter and day, and authors handed over when people are merged.
import { describe, expect, it } from 'vitest';
import type { NewCommentary } from '../../src/ports.ts';
import { repositoryBackends, useRepository, type RepositoryBackend } from '../support/repositories.ts';
import { TestClock } from '../support/clock.ts';
import { aCouncil, AT } from '../support/council.ts';

const by = { at: AT, actorId: null, actorLabel: 'test' };

const written = (over: Partial<NewCommentary> = {}): NewCommentary => ({
  themeId: null,
  periodKey: '2017/18 Q3',
  sections: [
    { heading: 'Key messages', text: 'Progress continues across the 9 work-streams.' },
    { heading: 'Doing well', text: '' },
  ],
  state: 'draft',
  authorId: null,
  source: 'test',
  at: AT,
  ...over,
});

describe.each(repositoryBackends())('the commentary store on %s', (backend: RepositoryBackend) => {
  const r = useRepository(backend, new TestClock(AT));

  it('keeps every version per theme and for the whole report, a repeat is no new version, and audits each', async () => {
    const c = await aCouncil(r.repo);
    const quarter = `2017/18 Q3 ${c.tag}`;
    const one = await r.repo.commentary.save(written({ themeId: c.theme.id, periodKey: quarter, authorId: c.director.id }), by);
    expect(one).toMatchObject({ created: true, commentary: { version: 1, state: 'draft', themeId: c.theme.id, authorId: c.director.id } });
    expect((await r.repo.commentary.save(written({ themeId: c.theme.id, periodKey: quarter, authorId: c.director.id }), by)).created).toBe(false);
    const sections = [
      { heading: 'Key messages', text: 'Progress continues across the 9 work-streams.' },
      { heading: 'Doing well', text: 'Team caseloads are now lower (17.4) than the target levels.' },
    ];
    const two = await r.repo.commentary.save(written({ themeId: c.theme.id, periodKey: quarter, sections, state: 'submitted', authorId: c.director.id }), by);
    expect(two.commentary).toMatchObject({ version: 2, state: 'submitted', sections });
    await r.repo.commentary.save(written({ periodKey: quarter, authorId: c.admin.id }), by);

    const current = await r.repo.commentary.forQuarter(quarter);
    expect(current.map((x) => [x.themeId, x.version, x.state])).toEqual([
      [null, 1, 'draft'],
      [c.theme.id, 2, 'submitted'],
    ]);
    expect((await r.repo.commentary.versions(quarter, c.theme.id)).map((x) => x.version)).toEqual([2, 1]);
    // A draft after the submitted version: the report still has the submitted one.
    await r.repo.commentary.save(written({ themeId: c.theme.id, periodKey: quarter, sections, state: 'draft', authorId: c.director.id }), by);
    expect((await r.repo.commentary.forQuarter(quarter)).map((x) => [x.themeId, x.version])).toEqual([[null, 1], [c.theme.id, 3]]);
    expect((await r.repo.commentary.forQuarter(quarter, { submitted: true })).map((x) => [x.themeId, x.version])).toEqual([[c.theme.id, 2]]);
    expect(await r.repo.commentary.forQuarter(`2017/18 Q4 ${c.tag}`)).toEqual([]);
    const audits = (await r.auditLog()).filter((e) => e.entity === 'commentary' && (e.details as { periodKey?: string } | null)?.periodKey === quarter);
    expect(audits.map((e) => [e.action, e.entityId])).toEqual([
      ['commentary.save', `theme:${c.theme.id}`],
      ['commentary.submit', `theme:${c.theme.id}`],
      ['commentary.save', 'report'],
      ['commentary.save', `theme:${c.theme.id}`],
    ]);
  });

  it('records a reminder once per scope, quarter and day', async () => {
    const c = await aCouncil(r.repo);
    const quarter = `2017/18 Q3 ${c.tag}`;
    const row = { themeId: c.theme.id, periodKey: quarter, personId: c.director.id, level: 0, sentOn: '2018-01-16' };
    expect(await r.repo.commentary.recordReminders([row, { ...row, themeId: null, personId: c.admin.id }])).toBe(2);
    expect(await r.repo.commentary.recordReminders([row, { ...row, sentOn: '2018-01-19' }])).toBe(1);
    expect((await r.repo.commentary.reminders(quarter)).map((x) => [x.themeId, x.sentOn])).toEqual([
      [c.theme.id, '2018-01-16'],
      [null, '2018-01-16'],
      [c.theme.id, '2018-01-19'],
    ]);
  });

  it('hands a merged person’s commentary to the person kept', async () => {
    const c = await aCouncil(r.repo);
    const quarter = `2017/18 Q3 ${c.tag}`;
    await r.repo.commentary.save(written({ themeId: c.theme.id, periodKey: quarter, authorId: c.director.id }), by);
    await r.repo.mergePeople(c.director.id, c.officer.id, by);
    expect((await r.repo.commentary.versions(quarter, c.theme.id))[0]!.authorId).toBe(c.officer.id);
  });
});
