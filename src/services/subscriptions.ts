// Channel subscriptions: what `/kpi subscribe` and friends (and `kpi subscribe` on the CLI) share —
// reading "theme <name> | <indicator> [red|declining|recovered|forecast|actions|all]", who may subscribe what, and
// saying in words what a channel will be told about.
import { NotInRegisterError, ValidationError, PermissionError } from '../errors.ts';
import type { AlertEvent, CommandDeps, IndicatorRecord, OrgSettings, PersonRecord, PlatformName, Repository, SubscriptionRecord, ThemeRecord } from '../ports.ts';
import { alertEvents, ALERT_EVENT_NAMES } from '../domain/monitor.ts';
import { isAdmin } from './permissions.ts';
import { requireIndicator, requireTheme } from './find-indicator.ts';
import { literal } from '../messages/build.ts';

export interface Scope {
  themeId: number | null;
  indicatorId: number | null;
  theme: ThemeRecord | null;
  indicator: IndicatorRecord | null;
}

export const ALL_SCOPE: Scope = { themeId: null, indicatorId: null, theme: null, indicator: null };

const EVENT_WORDS: Record<string, AlertEvent | 'all'> = {
  red: 'red',
  reds: 'red',
  'turned-red': 'red',
  declining: 'declining',
  decline: 'declining',
  recovered: 'recovered',
  recovery: 'recovered',
  recoveries: 'recovered',
  forecast: 'forecast',
  forecasts: 'forecast',
  'forecast-miss': 'forecast',
  actions: 'actions',
  action: 'actions',
  milestones: 'actions',
  risks: 'risks',
  risk: 'risks',
  quartile: 'quartile',
  quartiles: 'quartile',
  benchmark: 'quartile',
  benchmarks: 'quartile',
  all: 'all',
  everything: 'all',
};

/** "theme housing red declining" → the scope and the events (none: the organisation's default). */
export async function readSubscription(repo: Repository, args: string, opts: { allowEverything?: boolean } = {}): Promise<{ scope: Scope; events: AlertEvent[]; everything: boolean }> {
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (opts.allowEverything && words.length === 1 && /^(all|everything)$/i.test(words[0]!)) return { scope: ALL_SCOPE, events: [], everything: true };
  const events = new Set<AlertEvent>();
  // Event words come last: "theme housing red declining".
  while (words.length && EVENT_WORDS[words[words.length - 1]!.toLowerCase()]) {
    const e = EVENT_WORDS[words.pop()!.toLowerCase()]!;
    if (e === 'all') ALERT_EVENT_NAMES.forEach((x) => events.add(x));
    else events.add(e);
  }
  if (!words.length) return { scope: ALL_SCOPE, events: [...events], everything: false };
  if (words[0]!.toLowerCase() === 'theme') {
    if (words.length === 1) throw new ValidationError('Which theme? e.g. `/kpi subscribe theme housing-growth`.');
    const theme = requireTheme(await repo.themes(), words.slice(1).join(' '));
    return { scope: { themeId: theme.id, indicatorId: null, theme, indicator: null }, events: [...events], everything: false };
  }
  const indicator = await requireIndicator(repo, words.join(' '));
  return { scope: { themeId: null, indicatorId: indicator.id, theme: null, indicator }, events: [...events], everything: false };
}

/** Performance admins may subscribe a channel to anything; a theme's director to their theme and its indicators. */
export function ensureMaySubscribe(p: PersonRecord | null, scope: Scope, themes: ThemeRecord[]): void {
  if (isAdmin(p)) return;
  const refusal = 'Only performance admins, or a theme’s director for their own theme, can choose where alerts go.';
  if (!p || !p.active) throw new NotInRegisterError(`${refusal} You are not in the indicator register yet: ask your performance team to add you.`);
  const themeId = scope.themeId ?? scope.indicator?.themeId ?? null;
  const theme = themes.find((t) => t.id === themeId);
  if (theme && theme.directorId === p.id) return;
  if (scope.themeId === null && scope.indicatorId === null) throw new PermissionError(`${refusal} Subscribe this channel to your theme instead: \`/kpi subscribe theme <name>\`.`);
  throw new PermissionError(refusal);
}

/** "theme Housing growth", "indicator sickness-absence", "every indicator". */
export function scopeWords(s: Pick<SubscriptionRecord, 'themeId' | 'indicatorId'>, themes: ThemeRecord[], indicators: Map<number, IndicatorRecord>): string {
  if (s.indicatorId !== null) return `**${indicators.get(s.indicatorId)?.slug ?? `indicator ${s.indicatorId}`}**`;
  if (s.themeId !== null) return `the **${literal(themes.find((t) => t.id === s.themeId)?.name ?? `theme ${s.themeId}`)}** theme`;
  return 'every indicator';
}

/** "when an indicator turns red, declines while red or amber, or recovers", and "when an action is off track…" for `actions`. */
export function eventWords(events: AlertEvent[], org: Pick<OrgSettings, 'alertOnDeclining'>): string {
  const set = alertEvents(events, org);
  const parts = [
    set.has('red') ? 'turns red' : null,
    set.has('declining') ? 'declines while red or amber' : null,
    set.has('recovered') ? 'recovers' : null,
    set.has('forecast') ? 'is forecast to miss its year-end target' : null,
  ].filter(Boolean) as string[];
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}` : parts[0];
  const said = [
    list ? `when an indicator ${list}` : null,
    set.has('actions') ? 'when an action turns off track, overdue or re-phased by more than 3 months' : null,
    set.has('risks') ? 'when a risk rises into a higher band or above the risk appetite' : null,
    set.has('quartile') ? 'when an indicator drops a quartile among its comparator group' : null,
  ].filter(Boolean);
  return `${said.join(', and ')}${events.length ? '' : ' (what the organisation alerts on)'}`;
}

export interface SubscribeRequest {
  platform: PlatformName;
  channelId: string;
  scope: Scope;
  events: AlertEvent[];
  /** Who asked (audit): a person, or the command line. */
  by: { personId: number | null; label: string };
}

/**
 * Subscribe a channel: the platform makes sure the bot can post there (joining the channel itself
 * where the platform lets a bot join, e.g. a public one), then the subscription is saved and
 * audited. A refusal from the platform is a user error.
 */
export async function subscribeChannel(
  deps: Pick<CommandDeps, 'repo' | 'channels' | 'clock'>,
  r: SubscribeRequest,
): Promise<{ outcome: 'created' | 'updated' | 'unchanged'; name: string | null }> {
  const access = deps.channels[r.platform];
  const ready = access ? await access.prepare(r.channelId) : { ok: true as const, name: null };
  if (!ready.ok) throw new ValidationError(ready.reason);
  const outcome = await deps.repo.subscribe({ platform: r.platform, channelId: r.channelId, themeId: r.scope.themeId, indicatorId: r.scope.indicatorId, events: r.events, channelName: ready.name, createdById: r.by.personId });
  if (outcome !== 'unchanged') {
    await deps.repo.audit({
      at: deps.clock.now(),
      actorId: r.by.personId,
      actorLabel: r.by.label,
      action: `subscription.${outcome === 'created' ? 'create' : 'update'}`,
      entity: 'channel',
      entityId: `${r.platform}:${r.channelId}`,
      details: { themeId: r.scope.themeId, indicatorId: r.scope.indicatorId, events: r.events },
    });
  }
  return { outcome, name: ready.name };
}

/** Stop a channel's subscriptions (audited); returns how many were removed. */
export async function unsubscribeChannel(
  deps: Pick<CommandDeps, 'repo' | 'clock'>,
  r: { platform: PlatformName; channelId: string; scopes: Pick<SubscriptionRecord, 'themeId' | 'indicatorId'>[]; by: { personId: number | null; label: string } },
): Promise<number> {
  let n = 0;
  for (const s of r.scopes) {
    if (!(await deps.repo.unsubscribe(r.platform, r.channelId, s))) continue;
    n++;
    await deps.repo.audit({ at: deps.clock.now(), actorId: r.by.personId, actorLabel: r.by.label, action: 'subscription.delete', entity: 'channel', entityId: `${r.platform}:${r.channelId}`, details: { themeId: s.themeId, indicatorId: s.indicatorId } });
  }
  return n;
}
