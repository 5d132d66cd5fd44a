// /kpi history on the memory repository: every version of every value, who gave it, how and why.
import { describe, expect, it } from 'vitest';
import { useBot, buttons, said } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';
import { confirmCorrection } from '../../../commands/submit.ts';
import { confirmCloseQuarter } from '../../../commands/close-quarter.ts';
import { periodFromKey } from '../../../src/domain/periods.ts';

describe('/kpi history', () => {
  const b = useBot();
  const history = (args: string) => runSlashCommand(b.deps, b.as(b.council.officer), `/kpi history ${args}`);

  it('lists every version, latest period first, with who gave it, how, and the reason for a correction', async () => {
    const { absence, owner, admin } = b.council;
    const ask = await runSlashCommand(b.deps, b.as(owner), `/kpi submit ${absence.slug} 2017/18 Q3 9.9`);
    await confirmCorrection(b.deps, b.as(owner), buttons(ask)[0]!.value, 'payroll re-run', 'button');
    const q = periodFromKey('2017/18 Q3');
    b.clock.advance(86_400_000);
    await b.repo.closePeriod({ periodKey: q.key, periodStart: q.start, periodEnd: q.end, closedById: admin.id, actorLabel: 'test', at: b.clock.now() });
    const r = said(await history(absence.slug));
    expect(r).toContain(`${absence.slug}: 4 versions of 3 values, 1 corrected.`);
    expect(r).toContain(`**2017/18 Q3**\n• v2 (current) · **9.9 days** · ${owner.displayName}, 5 Feb 2018, 09:00, chat (Slack) · reason: payroll re-run\n• v1 · **10.49 days** · unknown, 5 Feb 2018, 09:00, test`);
    expect(r.indexOf('2017/18 Q3')).toBeLessThan(r.indexOf('2017/18 Q1'));
  });

  it('marks a value given after the sign-off of the quarter whose report covers its period (a month of it here)', async () => {
    const { absence, visits, admin } = b.council;
    await runSlashCommand(b.deps, b.as(admin), '/kpi close-quarter 2017/18 Q3');
    await confirmCloseQuarter(b.deps, b.as(admin), '2017/18 Q3');
    b.clock.advance(3_600_000);
    const ask = await runSlashCommand(b.deps, b.as(admin), `/kpi submit ${visits.slug} Dec 2017 1095 turnstile recount`);
    await confirmCorrection(b.deps, b.as(admin), buttons(ask)[0]!.value, null, 'button');
    const r = said(await history(`${visits.slug} Dec 2017`));
    expect(r).toContain(`• v2 (current) · **1,095** · ${admin.displayName}, 5 Feb 2018, 10:00, chat (Slack) · 🔒 after the 2017/18 Q3 sign-off on 5 Feb 2018 · reason: turnstile recount`);
    expect(r).toContain('• v1 · **1,080** · unknown, 5 Feb 2018, 09:00, test');
    expect(said(await history(`${absence.slug} 2017/18 Q2`))).not.toContain('🔒');
  });

  it('shows one period when asked, and says when there is nothing yet', async () => {
    const { absence, cleanliness } = b.council;
    expect(said(await history(`${absence.slug} 2017/18 Q2`))).toContain(`${absence.slug} for 2017/18 Q2: 1 version of 1 value, 0 corrected.`);
    expect(said(await history(cleanliness.slug))).toContain(`**${cleanliness.slug}** has no values yet.`);
  });

  it('helps when the indicator or period is missing or unknown', async () => {
    expect(said(await history(''))).toContain('Which indicator? Give its short name, e.g. `/kpi history sickness-absence`.');
    expect(said(await history('nothing'))).toContain('No indicator matches "nothing".');
    expect(said(await history(b.council.tag))).toContain(`Which indicator is "${b.council.tag}"?`);
    expect(said(await history(`${b.council.absence.slug} Sep 2017`))).toContain('is reported quarterly');
  });
});
