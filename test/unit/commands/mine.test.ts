// /kpi mine on the memory repository: what I owe — values due, exception reports to write.
import { describe, expect, it } from 'vitest';
import { useBot, buttons, said, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';

describe('/kpi mine', () => {
  const b = useBot();
  const mine = (who: Parameters<TestBot['as']>[0]) => runSlashCommand(b.deps, b.as(who), '/kpi mine');

  it('lists the values due and the exception reports owed, each with its button', async () => {
    const { absence, cleanliness, owner } = b.council;
    const r = await mine(owner);
    expect(said(r)).toContain('Your indicators: 1 value(s) due, 1 exception report(s) to write.');
    expect(said(r)).toContain(`\`${cleanliness.slug}\` 2017/18 Q3 — ⏰ overdue by 36 day(s)`);
    expect(said(r)).toContain(`\`${absence.slug}\` 2017/18 Q3 is red`);
    expect(buttons(r)).toEqual([
      { id: 'open-submit', label: 'Submit 2017/18 Q3', value: JSON.stringify({ indicatorId: cleanliness.id, periodKey: '2017/18 Q3' }), style: 'primary' },
      { id: 'open-exception', label: 'Write exception report', value: JSON.stringify({ indicatorId: absence.id, periodKey: '2017/18 Q3' }) },
    ]);
  });

  it('owes no report once it is submitted, and nothing once the value is in', async () => {
    const { absence, cleanliness, owner } = b.council;
    await b.repo.saveExceptionReport({ indicatorId: absence.id, periodKey: '2017/18 Q3', questions: ['Why?'], answers: ['Winter flu, as every year.'], state: 'submitted', authorId: owner.id }, { expectedVersion: null });
    await runSlashCommand(b.deps, b.as(owner), `/kpi submit ${cleanliness.slug} 2017/18 Q3 84`);
    const r = await mine(owner);
    expect(said(r)).toContain('Your indicators: 0 value(s) due, 0 exception report(s) to write.');
    expect(said(r)).toContain('Nothing due from you right now. 👍');
  });

  it('tells a director with no indicators of their own, and someone not in the register, what they can do', async () => {
    expect(said(await mine(b.council.director))).toContain('You do not own or deputise for any indicator. `/kpi list` shows them all.');
    expect(said(await mine(null))).toContain('Ask your performance team to add you (with your email address).');
  });
});
