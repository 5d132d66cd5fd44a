// /kpi away on the memory repository: chases go to the deputy until the day given.
import { describe, expect, it } from 'vitest';
import { useBot, said, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';

describe('/kpi away', () => {
  const b = useBot();
  const away = (who: Parameters<TestBot['as']>[0], args: string) => runSlashCommand(b.deps, b.as(who), `/kpi away ${args}`);

  it('marks the owner away, audited, and says who gets their chases meanwhile', async () => {
    const { owner, deputy } = b.council;
    expect(said(await away(owner, 'until 2018-02-20'))).toContain(`🌴 You are away until Tuesday 20 February 2018. Chases for 2 indicators go to ${deputy.displayName} (2) meanwhile.`);
    expect((await b.repo.person(owner.id))?.absentUntil).toBe('2018-02-20');
    expect(b.repo.auditLog().at(-1)).toMatchObject({ action: 'person.away', actorId: owner.id, entityId: String(owner.id), details: { until: '2018-02-20' } });
  });

  it('lets a performance admin set someone else away by e-mail; nobody else', async () => {
    const { admin, owner, officer } = b.council;
    expect(said(await away(admin, `${owner.email} until 20 Feb`))).toContain(`🌴 ${owner.displayName} is away until Tuesday 20 February 2018.`);
    expect(said(await away(officer, `${owner.email} until 21 Feb`))).toContain('Only performance admins can set someone else as away.');
    expect(said(await away(admin, 'nobody@council.example until 21 Feb'))).toContain('There is nobody with the e-mail nobody@council.example in the register.');
    expect((await b.repo.person(owner.id))?.absentUntil).toBe('2018-02-20');
  });

  it('refuses a day that has passed, one it cannot read, none, or more than a year away', async () => {
    const { owner } = b.council;
    expect(said(await away(owner, 'until 2018-01-20'))).toContain('Saturday 20 January 2018 has passed. Give the last day you are away.');
    expect(said(await away(owner, 'until the cows come home'))).toContain('"the cows come home" is not a date I can read.');
    expect(said(await away(owner, ''))).toContain('Until when? e.g. `/kpi away until 5 January`.');
    expect(said(await away(owner, 'until 2019-06-01'))).toContain('That is more than a year away.');
    expect(said(await away(null, 'until 2018-02-20'))).toContain('You are not in the indicator register');
    expect((await b.repo.person(owner.id))?.absentUntil).toBeNull();
  });
});
