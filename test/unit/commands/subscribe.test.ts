// /kpi subscribe on the memory repository: a channel chooses its alerts; who may, and where.
import { beforeEach, describe, expect, it } from 'vitest';
import { aBot, FakeChannels, said, type TestBot } from '../../support/bot.ts';
import { runSlashCommand } from '../../../commands/router.ts';

describe('/kpi subscribe', () => {
  let b: TestBot;
  let channels: FakeChannels;
  beforeEach(async () => {
    channels = new FakeChannels();
    b = await aBot({ channels: { slack: channels } });
  });
  const subscribe = (who: Parameters<TestBot['as']>[0], args: string, channelId?: string) => runSlashCommand(b.deps, b.as(who, channelId ? { channelId } : {}), `/kpi subscribe ${args}`);

  it('subscribes the channel to a theme, joins it, and says what it will hear about and what is red now', async () => {
    const { admin, theme, tag } = b.council;
    const r = await subscribe(admin, `theme theme-${tag}`, 'CPERF');
    expect(r).toMatchObject({ kind: 'message', visibility: 'channel' });
    expect(said(r)).toContain(`✅ #performance will get alerts for the **${theme.name}** theme when an indicator turns red, declines while red or amber, recovers or is forecast to miss its year-end target (what the organisation alerts on).`);
    expect(said(r)).toContain('**Red now** (1 of 3):');
    expect(channels.joined).toEqual(['CPERF']);
    expect(await b.repo.channelSubscriptions({ channelId: 'CPERF' })).toEqual([{ platform: 'slack', channelId: 'CPERF', themeId: theme.id, indicatorId: null, events: [], channelName: 'performance' }]);
    expect(said(await subscribe(admin, `theme theme-${tag}`, 'CPERF'))).toContain('#performance already gets alerts');
  });

  it('subscribes to one indicator for chosen events, and changes them when asked again', async () => {
    const { admin, absence } = b.council;
    expect(said(await subscribe(admin, `${absence.slug} red recovered`, 'CPERF'))).toContain(`alerts for **${absence.slug}** when an indicator turns red or recovers.`);
    expect(said(await subscribe(admin, `${absence.slug} declining`, 'CPERF'))).toContain('(changed from before)');
    expect((await b.repo.channelSubscriptions({ channelId: 'CPERF' })).map((s) => s.events)).toEqual([['declining']]);
  });

  it('subscribes a theme to action alerts, alone or with indicator events, and says so', async () => {
    const { admin, theme, tag } = b.council;
    expect(said(await subscribe(admin, `theme theme-${tag} actions`, 'CPERF'))).toContain(`alerts for the **${theme.name}** theme when an action turns off track, overdue or re-phased by more than 3 months.`);
    expect(said(await subscribe(admin, `theme theme-${tag} red milestones`, 'CPERF'))).toContain('when an indicator turns red, and when an action turns off track, overdue or re-phased by more than 3 months. (changed from before)'.replace('. (', ' ('));
    expect((await b.repo.channelSubscriptions({ channelId: 'CPERF' })).map((s) => s.events)).toEqual([['actions', 'red']]);
    expect(said(await subscribe(admin, `theme theme-${tag} all`, 'CPERF'))).toContain('is forecast to miss its year-end target, and when an action turns');
  });

  it('lets a director subscribe only their own theme; an officer not at all', async () => {
    const { director, owner, tag } = b.council;
    expect(said(await subscribe(director, `theme theme-${tag}`, 'CDIR'))).toContain('✅ #directorate will get alerts');
    expect(said(await subscribe(director, '', 'CDIR'))).toContain('Subscribe this channel to your theme instead: `/kpi subscribe theme <name>`.');
    expect(said(await subscribe(owner, `theme theme-${tag}`, 'CPERF'))).toContain('Only performance admins, or a theme’s director for their own theme, can choose where alerts go.');
    expect((await b.repo.channelSubscriptions()).map((s) => s.channelId)).toEqual(['CDIR']);
  });

  it('says how to invite the bot to a private channel, that alerts go to channels, and where to type it', async () => {
    const { admin } = b.council;
    expect(said(await subscribe(admin, '', 'GSECRET'))).toContain('Invite me with `/invite @kpi`, then type `/kpi subscribe` again.');
    expect(said(await subscribe(admin, '', 'D0123'))).toContain('Alerts go to channels, not direct messages');
    expect(said(await subscribe(admin, ''))).toContain('Type this in the channel that should get the alerts.');
    expect(await b.repo.channelSubscriptions()).toEqual([]);
  });
});
