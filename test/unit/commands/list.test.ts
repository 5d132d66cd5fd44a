// /kpi list on the memory repository: indicators with their status, worst first, filtered.
import { describe, expect, it } from 'vitest';
import { useBot, said, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';

describe('/kpi list', () => {
  const b = useBot();
  const list = (args: string, who = b.council.officer as Parameters<TestBot['as']>[0]) => runSlashCommand(b.deps, b.as(who), `/kpi list ${args}`);
  const lines = (text: string) => text.split('\n').filter((l) => /^[🔴🟠🟢⚪]/u.test(l));

  it('lists every indicator worst first, with what is overdue', async () => {
    const r = await list('');
    expect(r).toMatchObject({ kind: 'message', visibility: 'private' });
    expect(said(r)).toContain('3 indicators: 1 red, 0 amber, 0 green.');
    const [first, second, third] = lines(said(r));
    expect(first).toMatch(/^🔴 `absence-c\d+x` .* — 10.49 days \(target 8.5 days\) ↓ · 2017\/18 Q3$/);
    expect(second).toContain('no value yet');
    expect(second).toContain('⏰ 2017/18 Q3 overdue 36 day(s)');
    expect(third).toContain('⏰ Jan 2018 overdue 5 day(s)');
  });

  it('narrows to a status, a theme, overdue or mine', async () => {
    expect(lines(said(await list('red')))).toHaveLength(1);
    expect(said(await list('green'))).toContain('Green indicators: none.');
    expect(lines(said(await list(`theme-${b.council.tag}`)))).toHaveLength(3);
    expect(lines(said(await list('overdue')))).toHaveLength(2);
    expect(lines(said(await list('mine', b.council.owner))).map((l) => l.split('`')[1])).toEqual([b.council.absence.slug, b.council.cleanliness.slug]);
  });

  it('says which filters there are, and that someone not in the register has no indicators', async () => {
    expect(said(await list('bogus'))).toContain(`"bogus" is not a filter I know.\nTry /kpi list red, amber, green, overdue, mine, or a theme: theme-${b.council.tag}.`);
    expect(said(await list('mine', null))).toContain('You are not in the indicator register, so you have no indicators of your own.');
  });
});
