// /kpi settings on the memory repository: anyone may read the rules; performance admins change them.
import { describe, expect, it } from 'vitest';
import { useBot, said, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';
import { evaluateIndicator } from '../../../src/services/evaluation.ts';
import { periodFromKey } from '../../../src/domain/periods.ts';
import { history, indicator } from '../../support/builders.ts';

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

  it('sets the first period collected (go-live): collection counts from today; auto leaves it to the first chase', async () => {
    const { admin } = b.council;
    expect(said(await settings(admin, 'collect-from 2017/18 Q2'))).toContain('✅ Values collected from (go-live): **2017/18 Q2 on (since 5 Feb 2018): earlier periods are never chased**');
    expect(await b.repo.org()).toMatchObject({ collectFrom: '2017/18 Q2', collectingSince: '2018-02-05' });
    // The same again a day later changes nothing, not even the day collection began.
    b.clock.advance(86_400_000);
    expect(said(await settings(admin, 'go-live 2017/18 Q2'))).toContain('is already');
    expect((await b.repo.org()).collectingSince).toBe('2018-02-05');
    expect(said(await settings(admin, 'collect-from Oct 2017'))).toContain('**Oct 2017 on (since 6 Feb 2018)');
    expect(said(await settings(admin, 'collect-from soon'))).toContain('expected the first period collected, e.g. 2017/18 Q3, Oct 2017 or 2017/18 — got "soon"');
    expect(said(await settings(admin, 'collect-from auto'))).toContain('**not set: the first chase takes the most recent quarter that has ended**');
    expect(await b.repo.org()).toMatchObject({ collectFrom: null, collectingSince: null });
  });

  it('sets whose bank holidays are not working days', async () => {
    const { admin } = b.council;
    expect(said(await settings(b.council.officer, 'bank-holidays'))).toContain('Bank holidays (not working days): **England and Wales**');
    expect(said(await settings(admin, 'bank-holidays Scotland'))).toContain('✅ Bank holidays (not working days): **Scotland** (was England and Wales).');
    expect(said(await settings(admin, 'nation NI'))).toContain('**Northern Ireland**');
    expect(said(await settings(admin, 'bank-holidays France'))).toContain('expected England and Wales, Scotland, Northern Ireland or none — got "France"');
    expect((await b.repo.org()).bankHolidays).toBe('northern-ireland');
  });

  it('sets the risk scale, bands and appetite as people type them, refusing bands that cannot be used', async () => {
    const { admin } = b.council;
    expect(said(await settings(admin, 'risk-bands low 1 green, medium 4 amber, high 10 red'))).toContain('Low 1–3, Medium 4–9, High 10–25');
    expect(said(await settings(admin, 'risk-appetite medium'))).toContain('9: risks scoring over 9 are escalated');
    expect(said(await settings(admin, 'risk-appetite 30'))).toContain('expected a score from 0 to 25');
    expect(said(await settings(admin, 'risk-bands low 2 green'))).toContain('the first band must start at 1');
    expect(said(await settings(admin, 'risk-scale 4'))).toContain('1–4');
    expect(await b.repo.org()).toMatchObject({ riskScale: 4, riskBands: null, riskAppetite: null });
    expect(said(await settings(admin, 'risk-bands'))).toContain('Low 1–2, Medium 3–5, High 6–9, Very high 10–16');
  });

  it('turns the latest available value off and on: a quarter not yet in is then "in measurement", or judged on Q1', async () => {
    const { admin } = b.council;
    expect(said(await settings(b.council.officer, 'latest-available'))).toContain('**yes: the latest value of the year, marked as its period’s**');
    const ind = indicator({ unit: '%', frequency: 'quarterly' });
    const h = history(ind.id, [['2017/18 Q1', 71]], [['2017/18', 70]]);
    const q2 = periodFromKey('2017/18 Q2');
    expect(evaluateIndicator(ind, h, await b.repo.org(), q2).statusSentence).toBe('Green: 71% at Q1 (Q2 not yet in) against a target of 70%');
    expect(said(await settings(admin, 'latest-available no'))).toContain('✅ A period not yet in is judged on the latest value of its year: **no: “in measurement” until the period’s own value is in**');
    expect((await b.repo.org()).latestAvailable).toBe(false);
    expect(evaluateIndicator(ind, h, await b.repo.org(), q2).status).toBe('in_measurement');
    expect(said(await settings(admin, 'latest-available perhaps'))).toContain('expected yes or no');
    expect(said(await settings(admin, 'latest-available on'))).toContain('(was no: “in measurement” until the period’s own value is in)');
  });
});
