// /kpi back on the memory repository: chases come to the owner again.
import { describe, expect, it } from 'vitest';
import { useBot, said, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';

describe('/kpi back', () => {
  const b = useBot();
  const back = (who: Parameters<TestBot['as']>[0], args = '') => runSlashCommand(b.deps, b.as(who), `/kpi back ${args}`);

  it('clears an absence, audited, and says nothing changed when there was none', async () => {
    const { owner } = b.council;
    expect(said(await back(owner))).toContain('You were not marked as away: nothing changed.');
    await b.repo.setAbsence(owner.id, '2018-02-20');
    // Each request reads the person afresh, as the platforms do.
    expect(said(await back(await b.repo.person(owner.id)))).toContain('👋 Welcome back. Chases for your indicators come to you again.');
    expect((await b.repo.person(owner.id))?.absentUntil).toBeNull();
    expect(b.repo.auditLog().at(-1)).toMatchObject({ action: 'person.back', actorId: owner.id, entityId: String(owner.id) });
  });

  it('lets a performance admin bring someone back by e-mail; nobody else', async () => {
    const { admin, owner, officer } = b.council;
    await b.repo.setAbsence(owner.id, '2018-02-20');
    expect(said(await back(officer, owner.email!))).toContain('Only performance admins can set someone else as away.');
    expect((await b.repo.person(owner.id))?.absentUntil).toBe('2018-02-20');
    expect(said(await back(admin, owner.email!))).toContain(`👋 Welcome back, ${owner.displayName}. Chases for their indicators come to them again.`);
    expect((await b.repo.person(owner.id))?.absentUntil).toBeNull();
  });
});
