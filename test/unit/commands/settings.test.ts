// /kpi settings on the memory repository: anyone may read the rules; performance admins change them.
import { describe, expect, it } from 'vitest';
import { useBot, said, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';

describe('/kpi settings', () => {
  const b = useBot();
  const settings = (who: Parameters<TestBot['as']>[0], args: string) => runSlashCommand(b.deps, b.as(who), `/kpi settings ${args}`);

  it('shows every setting, or one, to anyone', async () => {
    const all = said(await settings(b.council.officer, ''));
    expect(all).toContain('`tolerance` — Default tolerance (amber): **within 10% of the target**');
    expect(all).toContain('`chase-cadence` — Reminders (working days after the due date): **0, 3, 7 working days after the due date, then weekly**');
    expect(said(await settings(null, 'tolerance'))).toContain('Change it with `/kpi settings tolerance <value>`');
  });

  it('changes a setting for a performance admin, audited, and says when it was already so', async () => {
    const { admin } = b.council;
    expect(said(await settings(admin, 'tolerance 5%'))).toContain('✅ Default tolerance (amber): **within 5% of the target** (was within 10% of the target).');
    expect((await b.repo.org()).tolerance).toEqual({ kind: 'relative', value: 5 });
    expect(said(await settings(admin, 'tolerance 5%'))).toContain('Default tolerance (amber) is already **within 5% of the target**.');
    expect(b.repo.auditLog().filter((a) => a.action === 'settings.change')).toEqual([
      { at: b.clock.now(), actorId: admin.id, actorLabel: `slack:U${admin.id}`, action: 'settings.change', entity: 'organisation', entityId: 'tolerance', details: { before: 'within 10% of the target', after: 'within 5% of the target' } },
    ]);
  });

  it('refuses a change from anyone else, a value it cannot read, and a setting that does not exist', async () => {
    const { admin, owner } = b.council;
    expect(said(await settings(owner, 'tolerance 5%'))).toContain('Sorry, only performance admins can change the organisation’s settings.');
    expect(said(await settings(admin, 'tolerance lots'))).toContain('expected a percentage such as 10% (amber within 10% of the target) or a number of units such as 2 — got "lots".');
    expect(said(await settings(admin, 'nonsense 1'))).toContain('There is no setting "nonsense".');
    expect((await b.repo.org()).tolerance).toEqual({ kind: 'relative', value: 10 });
  });
});
