// /kpi close-quarter on the memory repository: a performance admin signs off a quarter, after
// being told what is still missing.
import { describe, expect, it } from 'vitest';
import { useBot, buttons, said, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';
import { confirmCloseQuarter } from '../../../commands/close-quarter.ts';

describe('/kpi close-quarter', () => {
  const b = useBot();
  const close = (who: Parameters<TestBot['as']>[0], args: string) => runSlashCommand(b.deps, b.as(who), `/kpi close-quarter ${args}`);

  it('asks first, saying what is missing, then signs off and says so in the channel', async () => {
    const { admin, absence, cleanliness } = b.council;
    const ask = await close(admin, 'last quarter');
    expect(said(ask)).toContain(`**Sign off 2017/18 Q3?** 2 of 3 indicators have a value for the quarter. ⚠️ 1 has no value yet: \`${cleanliness.slug}\`. ⚠️ 1 exception report is still due: \`${absence.slug}\`.`);
    expect(buttons(ask).map((x) => [x.id, x.value])).toEqual([
      ['confirm-close-quarter', '2017/18 Q3'],
      ['cancel', ''],
    ]);
    expect(await b.repo.periodLocks()).toEqual([]);
    const done = await confirmCloseQuarter(b.deps, b.as(admin), '2017/18 Q3');
    expect(done).toMatchObject({ kind: 'message', visibility: 'channel' });
    expect(said(done)).toContain(`🔒 **2017/18 Q3 is signed off** by ${admin.displayName} on 5 February 2018, with 2 of 3 indicators reported.`);
    expect(await b.repo.periodLocks()).toEqual([{ periodKey: '2017/18 Q3', periodStart: '2017-10-01', periodEnd: '2017-12-31', closedAt: b.clock.now(), closedById: admin.id }]);
    expect(said(await close(admin, '2017/18 Q3'))).toContain(`2017/18 Q3 is already signed off: on 5 February 2018 by ${admin.displayName}. Nothing changed.`);
    expect(said(await confirmCloseQuarter(b.deps, b.as(admin), '2017/18 Q3'))).toContain('already signed off');
  });

  it('refuses a quarter that has not ended, a button that was changed, and anyone but a performance admin', async () => {
    const { admin, owner } = b.council;
    expect(said(await close(admin, '2017/18 Q4'))).toContain('2017/18 Q4 has not ended yet (it ends on 2018-03-31): a quarter is signed off after it ends.');
    expect(said(await close(admin, ''))).toContain('Which quarter? Give it as e.g. 2025/26 Q2 or "last quarter".');
    await expect(confirmCloseQuarter(b.deps, b.as(admin), '2017-12')).rejects.toThrow('That button is out of date. Run /kpi close-quarter again.');
    expect(said(await close(owner, '2017/18 Q3'))).toContain('Sorry, only performance admins');
    await expect(confirmCloseQuarter(b.deps, b.as(owner), '2017/18 Q3')).rejects.toThrow(/only performance admins/);
    expect(await b.repo.periodLocks()).toEqual([]);
  });
});
