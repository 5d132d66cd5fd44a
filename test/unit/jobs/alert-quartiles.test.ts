// The `quartile` alert event (alert-actions on the memory repository): a channel subscribed with
// `quartile` hears once when an indicator's quartile among its comparator group is worse in the latest
// period with comparator data than in the one before; its first record is where it stood (not posted);
// a later period no worse resolves it; channels that did not ask hear nothing; the event is a
// subscription word like any other.
import { beforeEach, describe, expect, it } from 'vitest';
import { aBot, type TestBot } from '../../support/bot.ts';
import { GM_AREAS, TRAFFORD } from '../../support/comparators.ts';
import { alertActions } from '../../../jobs/alert-actions.ts';
import { readSubscription, eventWords } from '../../../src/services/subscriptions.ts';
import { readQuartiles } from '../../../src/alerting/evaluation.ts';
import { loadBenchmarks } from '../../../src/services/comparators.ts';

describe('the quartile alert', () => {
  let b: TestBot;
  const run = () => alertActions(b.deps, b.clock.now());
  const alerts = () => b.outbox.messages().filter((m) => m.purpose.startsWith('alert'));
  const by = () => ({ at: b.clock.now(), actorId: null, actorLabel: 'test' });
  /** Ten areas' sickness absence for a period, ours (Trafford, 9th in the list) given. */
  const period = (periodKey: string, ours: number) => {
    const vals = [9.1, 8.2, 10.4, 7.9, 9.6, 11.0, 8.8, 7.5, ours, 10.1];
    return b.repo.comparators.saveValues(GM_AREAS.map(([areaCode, areaName], i) => ({ indicatorId: b.council.absence.id, periodKey, areaCode, areaName, value: vals[i]!, source: 'test' })), by(), b.clock.now());
  };

  beforeEach(async () => {
    b = await aBot();
    const { admin, theme, absence } = b.council;
    await b.repo.comparators.saveGroup({ name: 'Greater Manchester', areas: GM_AREAS.map(([c]) => c) }, by(), b.clock.now());
    await b.repo.updateOrg({ comparatorArea: TRAFFORD, comparatorGroup: 'Greater Manchester' });
    await b.repo.subscribe({ platform: 'slack', channelId: 'CPERF', themeId: theme.id, indicatorId: null, events: ['quartile'], channelName: 'performance', createdById: admin.id });
    await b.repo.subscribe({ platform: 'slack', channelId: 'CHR', themeId: null, indicatorId: absence.id, events: ['red'], channelName: 'hr', createdById: admin.id });
  });

  it('reads a drop in quartile from one period with comparator data to the next', async () => {
    await period('2017/18 Q1', 7.0);
    await period('2017/18 Q2', 8.9);
    const [reading] = readQuartiles([b.council.absence], await loadBenchmarks(b.repo, await b.repo.org()));
    expect(reading).toMatchObject({ conditions: ['quartile_drop'], detail: { periodKey: '2017/18 Q2', quartile: 2, previousQuartile: 1, line: '5th of 10 in Greater Manchester · second quartile' } });
  });

  it('posts once when the quartile drops, not where it stood when alerting began, and resolves when it recovers', async () => {
    await period('2017/18 Q1', 7.0);
    expect(await run()).toMatchObject({ quartileChanges: 1, quartileAlerts: 0 });
    await period('2017/18 Q2', 8.9);
    expect(await run()).toMatchObject({ quartileChanges: 1, quartileAlerts: 1 });
    expect(await run()).toMatchObject({ quartileChanges: 0, quartileAlerts: 0 });
    const [post] = alerts();
    expect([post!.channel, post!.message.text]).toEqual([
      'CPERF',
      `${b.council.absence.name} dropped a quartile among its comparator group. Now 5th of 10 in Greater Manchester · second quartile in 2017/18 Q2 (was 1st of 10 in Greater Manchester · top quartile in 2017/18 Q1).`,
    ]);
    // Q3 back in the top quartile: the post says it is resolved; the channel that chose only `red` heard nothing.
    await period('2017/18 Q3', 7.2);
    expect(await run()).toMatchObject({ quartileChanges: 1, quartileUpdates: 1 });
    expect(alerts().map((m) => m.channel)).toEqual(['CPERF', 'CPERF', 'CPERF']);
    expect(alerts()[2]!.message.text).toMatch(/^✅ Resolved\./);
  });

  it('is a subscription event by name', async () => {
    const r = await readSubscription(b.repo, `${b.council.absence.slug} quartile`);
    expect(r.events).toEqual(['quartile']);
    expect(eventWords(['quartile'], { alertOnDeclining: true })).toBe('when an indicator drops a quartile among its comparator group');
  });
});
