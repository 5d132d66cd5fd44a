// /kpi unsubscribe on the memory repository: a channel stops getting some or all of its alerts.
import { beforeEach, describe, expect, it } from 'vitest';
import { aBot, said, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';

describe('/kpi unsubscribe', () => {
  let b: TestBot;
  beforeEach(async () => {
    b = await aBot();
    const { admin, theme, absence } = b.council;
    for (const scope of [{ themeId: theme.id, indicatorId: null }, { themeId: null, indicatorId: absence.id }]) {
      await b.repo.subscribe({ platform: 'slack', channelId: 'CPERF', ...scope, events: [], channelName: 'performance', createdById: admin.id });
    }
  });
  const unsubscribe = (who: Parameters<TestBot['as']>[0], args: string, channelId = 'CPERF') => runSlashCommand(b.deps, b.as(who, { channelId }), `/kpi unsubscribe ${args}`);

  it('stops one subscription, says what is left, then everything', async () => {
    const { admin, absence, theme } = b.council;
    const one = await unsubscribe(admin, absence.slug);
    expect(one).toMatchObject({ kind: 'message', visibility: 'channel' });
    expect(said(one)).toContain(`🔕 This channel no longer gets alerts for **${absence.slug}**.\nIt still gets 1 other subscription: \`/kpi subscriptions\`.`);
    expect(said(await unsubscribe(admin, absence.slug))).toContain(`This channel is not subscribed to **${absence.slug}**. It gets alerts for the **${theme.name}** theme.`);
    expect(said(await unsubscribe(admin, 'everything'))).toContain('It gets no alerts now.');
    expect(await b.repo.channelSubscriptions({ channelId: 'CPERF' })).toEqual([]);
    expect(said(await unsubscribe(admin, 'everything'))).toContain('This channel gets no alerts, so there is nothing to stop.');
  });

  it('lets the theme’s director stop their theme only, and nobody else anything', async () => {
    const { director, owner, tag } = b.council;
    expect(said(await unsubscribe(owner, `theme theme-${tag}`))).toContain('Only performance admins, or a theme’s director for their own theme');
    expect(said(await unsubscribe(director, `theme theme-${tag}`))).toContain('🔕 This channel no longer gets alerts for the');
    expect((await b.repo.channelSubscriptions({ channelId: 'CPERF' })).map((s) => s.indicatorId)).toEqual([b.council.absence.id]);
    expect(said(await unsubscribe(director, 'everything', ''))).toContain('Type this in the channel that should stop getting alerts.');
  });
});
