// Alerting's routing stage alone: which channels hear of an indicator's or an action's change.
import { describe, expect, it } from 'vitest';
import type { SubscriptionRecord } from '../../../src/ports.ts';
import { deliverable, routeAction, routeIndicator } from '../../../src/alerting/routing.ts';
import { org } from '../../support/builders.ts';

const sub = (over: Partial<SubscriptionRecord>): SubscriptionRecord => ({ platform: 'slack', channelId: 'CPERF', themeId: null, indicatorId: null, events: [], channelName: null, ...over });
const where = (rs: { platform: string; channelId: string }[]) => rs.map((r) => `${r.platform}:${r.channelId}`);

describe('routing', () => {
  const o = org({ alertOnDeclining: false });

  it('routes an indicator to each channel once, with the events of all its subscriptions there', () => {
    const subs = [sub({ themeId: 3, events: ['red'] }), sub({ indicatorId: 7, events: ['recovered'] }), sub({ channelId: 'CALL' }), sub({ channelId: 'COTHER', themeId: 4 })];
    const routes = routeIndicator({ id: 7, themeId: 3 }, subs, o, new Set());
    expect(routes).not.toBe('snoozed');
    const [perf, all] = routes as Exclude<typeof routes, 'snoozed'>;
    expect(where([perf!, all!])).toEqual(['slack:CPERF', 'slack:CALL']);
    expect([...perf!.wants].sort()).toEqual(['recovered', 'red']);
    expect(perf!.recoveryPosts).toBe(true);
    // No events chosen: what the organisation alerts on (declining off here), never actions.
    expect([...all!.wants].sort()).toEqual(['forecast', 'recovered', 'red']);
    expect(all!.recoveryPosts).toBe(false);
  });

  it('routes a snoozed indicator nowhere', () => {
    expect(routeIndicator({ id: 7, themeId: 3 }, [sub({})], o, new Set([7]))).toBe('snoozed');
  });

  it('routes an action only to subscriptions that chose actions: by its theme, an indicator it addresses, or all', () => {
    const subs = [
      sub({ channelId: 'CTHEME', themeId: 3, events: ['actions'] }),
      sub({ channelId: 'CIND', indicatorId: 9, events: ['red', 'actions'] }),
      sub({ channelId: 'CALL', events: ['actions'] }),
      sub({ channelId: 'CDEFAULT', themeId: 3 }),
      sub({ channelId: 'CRED', indicatorId: 9, events: ['red', 'declining', 'recovered', 'forecast'] }),
      sub({ channelId: 'COTHER', themeId: 4, events: ['actions'] }),
    ];
    expect(where(routeAction({ themeId: 3, indicatorIds: [8, 9] }, subs, o))).toEqual(['slack:CTHEME', 'slack:CIND', 'slack:CALL']);
    expect(where(routeAction({ themeId: null, indicatorIds: [] }, subs, o))).toEqual(['slack:CALL']);
  });

  it('leaves subscriptions on platforms not delivered on here alone', () => {
    const r = deliverable([sub({}), sub({ platform: 'teams', channelId: '19:x' }), sub({ platform: 'console', channelId: 'console' })], ['slack', 'teams']);
    expect([where(r.here), r.skipped]).toEqual([['slack:CPERF', 'teams:19:x'], 1]);
  });
});
