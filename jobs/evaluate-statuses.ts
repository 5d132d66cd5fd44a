// evaluate-statuses: recompute active indicators' status, direction and year-end forecast for their
// latest period (those changed or fallen due since the last run; all of them daily and with --full:
// src/services/incremental.ts), record each change once (a unique transition key), and alert the subscribed
// channels when an indicator turns red, declines, or (still green or amber) is forecast to miss its
// year-end target. One living message per indicator, period and channel: any later material change
// (the status, the value or the target at its printed precision, the forecast) edits it and adds a
// short thread reply; a recovery is said in the thread and the post keeps saying it is resolved.
import type { IndicatorRecord, JobDeps, JobSummary, NewStatusChange, OrgSettings, StatusChangeRecord, SubscriptionRecord } from '../src/ports.ts';
import type { Evaluation } from '../src/domain/evaluate.ts';
import type { Forecast } from '../src/domain/forecast.ts';
import { alertEvents, classifyChange, eventOf, transitionKey, type AlertEventName, type ChangeKind } from '../src/domain/monitor.ts';
import { formatPeriod, periodFromKey } from '../src/domain/periods.ts';
import { formatValue } from '../src/domain/format.ts';
import { localDateOf } from '../src/domain/dates.ts';
import { evaluateIndicator, forecastIndicator, historyWindow, needsExceptionReport, startedBy, trendChart, type ValueHistory } from '../src/services/evaluation.ts';
import { planEvaluation } from '../src/services/incremental.ts';
import { reopenOutdatedApprovals } from '../src/services/outdated-approvals.ts';
import { directionLabel, forecastIcon, statusIcon, statusLabel, statusWord } from '../src/services/labels.ts';
import { actions, context, fields, header, literal, mention, message, text } from '../src/messages/build.ts';
import type { Action, Message } from '../src/messages/types.ts';
import { defineJob } from './types.ts';

export { HISTORY_WINDOW } from '../src/services/evaluation.ts';
export const SNOOZE_DAYS = 7;

export const alertKey = (indicatorId: number, periodKey: string, sub: Pick<SubscriptionRecord, 'platform' | 'channelId'>): string =>
  `alert:${indicatorId}:${periodKey}:${sub.platform}:${sub.channelId}`;

export const evaluateStatusesJob = defineJob({
  name: 'evaluate-statuses',
  schedule: '*/15 * * * *',
  describe: 'recompute statuses of what changed (--full: of every indicator); alert subscribed channels when an indicator turns red or declines',
  takes: ['full'],
  run: evaluateStatuses,
});

export async function evaluateStatuses(deps: JobDeps, now: Date, opts: { full?: boolean } = {}): Promise<JobSummary> {
  const { repo, log } = deps;
  const org = await repo.org();
  // Only the indicators that changed or fell due since the last run, or all of them (src/services/incremental.ts).
  const plan = await planEvaluation(repo, org, now, opts);
  const only = plan.ids ?? undefined;
  const indicators = await repo.indicators({ activeOnly: true, ids: only });
  const [histories, latest, subs, snoozed, recordedBefore] = await Promise.all([
    repo.recentHistories(historyWindow(indicators, org), only),
    repo.latestStatusChanges(only),
    repo.channelSubscriptions(),
    repo.snoozedIndicatorIds(now),
    repo.hasStatusChanges(),
  ]);
  // The very first run records where everything stands without alerting about all of it at once.
  const baseline = !recordedBefore;
  const summary = { evaluated: 0, changes: 0, alerts: 0, updates: 0, snoozed: 0, baseline: baseline ? 'yes' : 'no', scope: plan.scope };
  // Channels on platforms this deployment does not post on (the demo's console channel in an install that posts on a chat platform) are left alone.
  const delivered = new Set(deps.directory.platforms);
  const channelsHere = subs.filter((s) => delivered.has(s.platform));

  if (channelsHere.length < subs.length) log.debug({ skipped: subs.length - channelsHere.length }, 'evaluate-statuses: subscriptions on platforms not configured here');

  const candidates: { ind: IndicatorRecord; history: ValueHistory; ev: Evaluation; forecast: Forecast | null; prev: StatusChangeRecord | null; kind: ChangeKind; change: NewStatusChange }[] = [];
  const today = localDateOf(now, org.timeZone);
  for (const ind of indicators) {
    const history = startedBy(histories.get(ind.id) ?? { observations: [], targets: [] }, today, org.fyStartMonth);
    const ev = evaluateIndicator(ind, history, org);
    summary.evaluated++;
    if (!ev.period) continue; // no value yet: nothing to record
    const forecast = forecastIndicator(ind, history, org);
    const next = { periodKey: ev.period.key, status: ev.status, direction: ev.direction, value: ev.value, target: ev.target.value, forecastMiss: forecast ? forecast.status !== 'green' : null };
    const prev = latest.get(ind.id) ?? null;
    // Declining is classified whatever the organisation's default: a channel may have asked for it.
    const kind = classifyChange(prev, next, { alertOnDeclining: true, decimals: ind.decimals });
    if (!kind) continue;
    candidates.push({
      ind, history, ev, forecast, prev, kind,
      change: {
        indicatorId: ind.id,
        ...next,
        transitionKey: transitionKey(prev?.id ?? null, next, ind.decimals),
        previousStatus: prev?.status ?? null,
        previousDirection: prev?.direction ?? null,
        explanation: ev.explanation,
        observedAt: now,
      },
    });
  }
  // Recorded in one go; a transition an overlapping run recorded first is not returned, so not alerted twice.
  const recorded = new Map((await repo.recordStatusChanges(candidates.map((c) => c.change))).map((c) => [c.indicatorId, c]));
  summary.changes = recorded.size;
  for (const { ind, history, ev, forecast, prev, kind } of candidates) {
    const change = recorded.get(ind.id);
    // An indicator's first record is its baseline; alerts are about changes. A quiet change is only recorded.
    if (!change || baseline || !prev || kind === 'quiet') continue;
    if (snoozed.has(ind.id)) {
      summary.snoozed++;
      continue;
    }
    const channels = channelsHere.filter((s) => s.indicatorId === ind.id || (s.themeId !== null && s.themeId === ind.themeId) || (s.themeId === null && s.indicatorId === null));
    // One alert per channel, even when it is subscribed to the indicator and its theme.
    const seen = new Set<string>();
    for (const ch of channels) {
      const where = `${ch.platform}:${ch.channelId}`;
      if (seen.has(where)) continue;
      seen.add(where);
      const here = channels.filter((c) => `${c.platform}:${c.channelId}` === where);
      const wants = new Set(here.flatMap((c) => [...alertEvents(c.events, org)]));
      const recoveryPosts = here.some((c) => c.events.includes('recovered'));
      const r = await alertChannel(deps, { ind, history, ev, forecast, org, change, prev, kind, ch, now, wants, recoveryPosts });
      summary.alerts += r.posted;
      summary.updates += r.updated;
    }
  }
  // Approved exception reports of what changed whose value or status moved on: back to "needs update", owners told.
  const reopened = await reopenOutdatedApprovals(deps, now, { ...(only ? { indicatorIds: only } : {}), actorLabel: 'job:evaluate-statuses' });
  await plan.done();
  log.info({ ...summary, exceptionReportsReopened: reopened.length }, 'evaluate-statuses');
  return { ...summary, exceptionReportsReopened: reopened.length };
}

interface AlertContext {
  ind: IndicatorRecord;
  history: ValueHistory;
  ev: Evaluation;
  forecast: Forecast | null;
  org: OrgSettings;
  change: StatusChangeRecord;
  prev: StatusChangeRecord;
  kind: ChangeKind;
  ch: SubscriptionRecord;
  now: Date;
  /** The events this channel receives. */
  wants: Set<AlertEventName>;
  /** The channel asked for recoveries: said in a post of their own when there is no alert to answer. */
  recoveryPosts: boolean;
}

async function alertChannel(deps: JobDeps, c: AlertContext): Promise<{ posted: number; updated: number }> {
  const { outbox } = deps;
  const to = { kind: 'channel' as const, platform: c.ch.platform, channelId: c.ch.channelId };
  const living = alertKey(c.ind.id, c.change.periodKey, c.ch);
  const suffix = `${c.change.id}:${c.ch.platform}:${c.ch.channelId}`;
  if (await outbox.has(living)) {
    // The period already has a post here: edit it to the current state and say what changed in its thread.
    await outbox.enqueue({ key: `alert-update:${suffix}`, purpose: 'alert-update', to, action: 'update', parentKey: living, message: alertMessage(c, true) }, c.now);
    await outbox.enqueue({ key: `alert-reply:${suffix}`, purpose: 'alert-reply', to, action: 'reply', parentKey: living, message: changeReply(c) }, c.now);
    return { posted: 0, updated: 1 };
  }
  const event = eventOf(c.kind);
  if ((event === 'red' || event === 'declining' || event === 'forecast') && c.wants.has(event)) {
    const posted = await outbox.enqueue({ key: living, purpose: 'alert', to, message: alertMessage(c, false) }, c.now);
    return { posted: posted ? 1 : 0, updated: 0 };
  }
  if (event === 'recovered') {
    // Recovered in a new period: say so under the earlier period's alert, if there was one.
    const earlier = alertKey(c.ind.id, c.prev.periodKey, c.ch);
    if (c.prev.periodKey !== c.change.periodKey && (await outbox.has(earlier))) {
      await outbox.enqueue({ key: `alert-reply:${suffix}`, purpose: 'alert-reply', to, action: 'reply', parentKey: earlier, message: changeReply(c) }, c.now);
      return { posted: 0, updated: 1 };
    }
    // A channel that asked to hear about recoveries hears about them even with no alert to answer.
    if (c.recoveryPosts) {
      const posted = await outbox.enqueue({ key: `alert-recovered:${suffix}`, purpose: 'alert', to, message: alertMessage(c, false) }, c.now);
      return { posted: posted ? 1 : 0, updated: 0 };
    }
  }
  return { posted: 0, updated: 0 };
}

const HEADLINE: Record<ChangeKind, string> = {
  'turned-red': 'Turned red',
  declining: 'Declining',
  recovered: 'Recovered',
  'forecast-miss': 'Forecast to miss',
  changed: 'Changed',
  quiet: 'Changed',
};

function fmt(ind: IndicatorRecord, v: number | null): string {
  return v === null ? '—' : formatValue(v, ind.unit, ind.decimals);
}

/** What moved, in one sentence: "Was 🟠 Amber (83.8%) in 2017/18 Q2; now 🔴 Red (80.5%) in 2017/18 Q3." */
function whatChanged(c: AlertContext): string {
  const { prev, change, ind, org } = c;
  const was = `${statusLabel(prev.status)} (${fmt(ind, prev.value)}) in ${formatPeriod(periodFromKey(prev.periodKey, org.fyStartMonth))}`;
  const now = `${statusLabel(change.status)} (${fmt(ind, change.value)}) in ${formatPeriod(periodFromKey(change.periodKey, org.fyStartMonth))}`;
  const target = prev.target !== null && change.target !== null && fmt(ind, prev.target) !== fmt(ind, change.target) ? ` The target moved from ${fmt(ind, prev.target)} to ${fmt(ind, change.target)}.` : '';
  const forecast = prev.forecastMiss !== null && change.forecastMiss !== null && prev.forecastMiss !== change.forecastMiss && c.forecast ? ` Year end: now ${c.forecast.sentence}.` : '';
  return `Was ${was}; now ${now}.${target}${forecast}`;
}

export function alertMessage(c: AlertContext, updated: boolean): Message {
  const { ind, ev, org } = c;
  const period = formatPeriod(ev.period!);
  const icon = c.kind === 'forecast-miss' && !updated && c.forecast ? forecastIcon(c.forecast.status) : statusIcon(ev.status);
  const title = `${icon} ${updated ? `Now ${statusWord(ev.status).toLowerCase()}` : HEADLINE[c.kind]}: ${ind.name}`;
  // A post that has recovered says so in every later edit, not only in the thread.
  const resolved = updated && ev.status !== 'red' && ev.status !== 'amber' ? [context(`✅ Resolved: ${ind.slug} is ${statusWord(ev.status).toLowerCase()} now.`)] : [];
  const buttons: Action[] = [{ id: 'show', label: 'Show', value: ind.slug }];
  if (needsExceptionReport(ev.status, org)) {
    buttons.push({ id: 'open-exception', label: 'Write exception report', value: JSON.stringify({ indicatorId: ind.id, periodKey: ev.period!.key }), style: 'primary' });
  }
  buttons.push({ id: 'snooze', label: `Snooze ${SNOOZE_DAYS} days`, value: JSON.stringify({ indicatorId: ind.id, days: SNOOZE_DAYS }) });
  return message(
    `${HEADLINE[c.kind]}: ${ind.slug} is ${statusWord(ev.status).toLowerCase()} for ${period}. ${ev.explanation}`,
    header(title.length > 150 ? `${title.slice(0, 149)}…` : title),
    text(literal(`${whatChanged(c)} ${ev.explanation}`)),
    ...resolved,
    ...(c.forecast ? [text(`${forecastIcon(c.forecast.status)} **Year end ${formatPeriod(c.forecast.year)}:** ${literal(c.forecast.sentence)}.`)] : []),
    fields([
      { label: 'Value', value: `${fmt(ind, ev.value)}${ev.estimated ? ' (estimated)' : ''} · ${period}` },
      { label: 'Target', value: ev.target.value !== null ? fmt(ind, ev.target.value) : (ev.target.text ? literal(ev.target.text) : 'No target set') },
      { label: 'Direction', value: directionLabel(ev.direction) },
      { label: 'Owner', value: ind.ownerId ? mention(ind.ownerId) : 'no owner set' },
    ]),
    { type: 'chart', chart: trendChart(ind, c.history, ev, org), title: `${ind.slug} trend` },
    actions(...buttons),
    context(`${ind.slug}${ind.themeName ? ` · ${literal(ind.themeName)}` : ''}${updated ? ' · updated, see the thread' : ''}`),
  );
}

function changeReply(c: AlertContext): Message {
  const lead = c.kind === 'recovered' ? `${statusIcon(c.change.status)} Recovered.` : `${statusIcon(c.change.status)} Update.`;
  return message(`${lead} ${whatChanged(c)}`, text(literal(`${lead} ${whatChanged(c)} ${c.ev.explanation}`)));
}
