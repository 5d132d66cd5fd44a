// Alerting, stage 3 — routing: which channels hear of a subject's change, and what each asked for.
// A subscription covers every indicator, a theme, or one indicator; an action is in a theme and addresses
// indicators, so it is covered by a subscription to its theme, to any indicator it addresses, or to all —
// if that subscription chose the `actions` event. A channel subscribed twice (to a theme and one of its
// indicators) is one route. Snoozed indicators are routed nowhere. Channels on platforms this deployment
// does not post on are left alone.
import type { OrgSettings, PlatformName, SubscriptionRecord } from '../ports.ts';
import { alertEvents, type AlertEventName } from '../domain/monitor.ts';

/** One channel a change goes to: what it receives, and whether it asked to hear recoveries. */
export interface Route {
  platform: PlatformName;
  channelId: string;
  /** The events this channel receives. */
  wants: Set<AlertEventName>;
  /** The channel asked for recoveries: said in a post of their own when there is no alert to answer. */
  recoveryPosts: boolean;
}

/** Where a subject sits: its theme and the indicators it is (an indicator) or addresses (an action, a risk). */
export interface Placement {
  themeId: number | null;
  indicatorIds: readonly number[];
}

/** The subscriptions on platforms delivered on here, and how many were left out. */
export function deliverable(subs: SubscriptionRecord[], platforms: readonly PlatformName[]): { here: SubscriptionRecord[]; skipped: number } {
  const delivered = new Set(platforms);
  const here = subs.filter((s) => delivered.has(s.platform));
  return { here, skipped: subs.length - here.length };
}

/** The subscriptions that cover a subject in this place. */
export const covers = (s: SubscriptionRecord, p: Placement): boolean =>
  (s.indicatorId !== null && p.indicatorIds.includes(s.indicatorId)) || (s.themeId !== null && s.themeId === p.themeId) || (s.themeId === null && s.indicatorId === null);

/** One route per channel among the subscriptions that cover the place and pass `only`. */
export function routes(place: Placement, subs: SubscriptionRecord[], org: Pick<OrgSettings, 'alertOnDeclining'>, only: (s: SubscriptionRecord) => boolean = () => true): Route[] {
  const byChannel = new Map<string, SubscriptionRecord[]>();
  for (const s of subs) {
    if (!covers(s, place) || !only(s)) continue;
    const where = `${s.platform}:${s.channelId}`;
    byChannel.set(where, [...(byChannel.get(where) ?? []), s]);
  }
  return [...byChannel.values()].map((here) => ({
    platform: here[0]!.platform,
    channelId: here[0]!.channelId,
    wants: new Set(here.flatMap((c) => [...alertEvents(c.events, org)])),
    recoveryPosts: here.some((c) => c.events.includes('recovered')),
  }));
}

/** An indicator's routes; 'snoozed' when someone snoozed its alerts. */
export function routeIndicator(ind: { id: number; themeId: number | null }, subs: SubscriptionRecord[], org: Pick<OrgSettings, 'alertOnDeclining'>, snoozed: ReadonlySet<number>): Route[] | 'snoozed' {
  if (snoozed.has(ind.id)) return 'snoozed';
  return routes({ themeId: ind.themeId, indicatorIds: [ind.id] }, subs, org);
}

/** A risk's routes: subscriptions covering its theme or an indicator watching it that chose the `risks` event. */
export function routeRisk(risk: Placement, subs: SubscriptionRecord[], org: Pick<OrgSettings, 'alertOnDeclining'>): Route[] {
  return routes(risk, subs, org, (s) => s.events.includes('risks'));
}

/** An indicator's routes for a drop in quartile: subscriptions covering it that chose the `quartile` event (none while snoozed). */
export function routeQuartile(ind: { id: number; themeId: number | null }, subs: SubscriptionRecord[], org: Pick<OrgSettings, 'alertOnDeclining'>, snoozed: ReadonlySet<number>): Route[] {
  if (snoozed.has(ind.id)) return [];
  return routes({ themeId: ind.themeId, indicatorIds: [ind.id] }, subs, org, (s) => s.events.includes('quartile'));
}

/** An action's routes: subscriptions covering it that chose the `actions` event. */
export function routeAction(action: Placement, subs: SubscriptionRecord[], org: Pick<OrgSettings, 'alertOnDeclining'>): Route[] {
  return routes(action, subs, org, (s) => s.events.includes('actions'));
}
