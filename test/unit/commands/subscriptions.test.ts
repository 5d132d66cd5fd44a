// /kpi subscriptions on the memory repository: what this channel is told about; admins see every channel.
import { beforeEach, describe, expect, it } from 'vitest';
import { aBot, said, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';

describe('/kpi subscriptions', () => {
  let b: TestBot;
  beforeEach(async () => {
    b = await aBot();
    const { admin, theme, absence } = b.council;
    await b.repo.subscribe({ platform: 'slack', channelId: 'CPERF', themeId: theme.id, indicatorId: null, events: [], channelName: 'performance', createdById: admin.id });
    await b.repo.subscribe({ platform: 'slack', channelId: 'CDIR', themeId: null, indicatorId: absence.id, events: ['red', 'recovered'], channelName: 'directorate', createdById: admin.id });
  });
  const subscriptions = async (who: Parameters<TestBot['as']>[0], channelId: string) => said(await runSlashCommand(b.deps, b.as(who, { channelId }), '/kpi subscriptions'));

  it('says what this channel gets, in words', async () => {
    const r = await subscriptions(b.council.officer, 'CDIR');
    expect(r).toContain(`**This channel** gets alerts for:\n• **${b.council.absence.slug}** when an indicator turns red or recovers`);
    expect(r).not.toContain('Every channel');
    expect(await subscriptions(b.council.officer, 'CNONE')).toContain('This channel gets no alerts.');
  });

  it('shows a performance admin every channel', async () => {
    const r = await subscriptions(b.council.admin, 'CNONE');
    expect(r).toContain('**Every channel** (2):');
    expect(r).toContain(`**#performance** (slack, CPERF): the **${b.council.theme.name}** theme`);
    expect(r).toContain(`**#directorate** (slack, CDIR): **${b.council.absence.slug}**`);
  });
});
