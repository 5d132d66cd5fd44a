// evaluate-statuses on the memory repository: each change recorded once, subscribed channels told.
import { beforeEach, describe, expect, it } from 'vitest';
import { aBot, type TestBot } from '../../support/bot.ts';
import { evaluateStatuses } from '../../../jobs/evaluate-statuses.ts';
import { runSlashCommand } from '../../../commands/router.ts';

describe('evaluate-statuses', () => {
  let b: TestBot;
  beforeEach(async () => {
    b = await aBot();
    const { admin, theme } = b.council;
    await b.repo.subscribe({ platform: 'slack', channelId: 'CPERF', themeId: theme.id, indicatorId: null, events: [], channelName: 'performance', createdById: admin.id });
  });
  const run = () => evaluateStatuses(b.deps, b.clock.now());
  const alerts = () => b.outbox.messages().filter((m) => m.purpose.startsWith('alert'));
  const turnRed = async () => {
    await runSlashCommand(b.deps, b.as(b.council.owner), `/kpi submit ${b.council.absence.slug} 2017/18 Q4 11`);
    b.clock.advance(3_600_000);
  };

  it('records where everything stands on the first run without alerting about all of it', async () => {
    expect(await run()).toMatchObject({ evaluated: 3, changes: 2, alerts: 0, baseline: 'yes' });
    expect((await b.repo.latestStatusChanges()).get(b.council.absence.id)).toMatchObject({ periodKey: '2017/18 Q3', status: 'red' });
    expect(await run()).toMatchObject({ changes: 0, alerts: 0, baseline: 'no' });
  });

  it('alerts the subscribed channel once when an indicator turns red', async () => {
    await run();
    await turnRed();
    expect(await run()).toMatchObject({ changes: 1, alerts: 1 });
    expect(alerts().map((m) => [m.purpose, m.platform, m.channel, m.message.text.split('.')[0]])).toEqual([['alert', 'slack', 'CPERF', `Turned red: ${b.council.absence.slug} is red for 2017/18 Q4`]]);
    expect(await run()).toMatchObject({ changes: 0, alerts: 0 });
    expect(alerts()).toHaveLength(1);
  });

  it('records but does not alert while the indicator is snoozed', async () => {
    await run();
    await b.repo.snooze(b.council.absence.id, new Date(b.clock.now().getTime() + 7 * 86_400_000), b.council.owner.id);
    await turnRed();
    expect(await run()).toMatchObject({ changes: 1, alerts: 0, snoozed: 1 });
    expect(alerts()).toEqual([]);
  });
});
