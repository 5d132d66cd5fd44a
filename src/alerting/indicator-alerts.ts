// What a channel reads about an indicator's change (the notification stage's indicator half): the living
// post — one per indicator, period and channel — its edits and its thread notes. A post that has
// recovered says so in every later edit; the forecast, chart, owner and buttons (show, exception
// report, snooze) come with it.
import type { OrgSettings, StatusChangeRecord, SubscriptionRecord } from '../ports.ts';
import type { ChangeKind } from '../domain/monitor.ts';
import { eventOf } from '../domain/monitor.ts';
import { formatPeriod, periodFromKey } from '../domain/periods.ts';
import { formatValue } from '../domain/format.ts';
import { needsExceptionReport, trendChart } from '../services/evaluation.ts';
import { directionLabel, forecastIcon, statusIcon, statusLabel, statusWord } from '../services/labels.ts';
import { actions, context, fields, header, literal, mention, message, text } from '../messages/build.ts';
import type { Action, Message } from '../messages/types.ts';
import type { IndicatorReading } from './evaluation.ts';
import type { IndicatorTransition } from './state.ts';
import type { LivingAlert } from './notification.ts';
import type { Route } from './routing.ts';

export const SNOOZE_DAYS = 7;

export const alertKey = (indicatorId: number, periodKey: string, sub: Pick<SubscriptionRecord, 'platform' | 'channelId'>): string =>
  `alert:${indicatorId}:${periodKey}:${sub.platform}:${sub.channelId}`;

/** What an indicator's alert says: the reading, the change and the one before it. */
interface AlertContext extends Pick<IndicatorReading, 'ind' | 'history' | 'ev' | 'forecast'> {
  org: OrgSettings;
  change: StatusChangeRecord;
  prev: StatusChangeRecord;
  kind: ChangeKind;
}

/** One indicator change in one channel, for the notification stage. */
export function indicatorAlert(t: IndicatorTransition, route: Route, org: OrgSettings): LivingAlert {
  const c: AlertContext = { ...t.reading, org, change: t.change, prev: t.prev, kind: t.kind };
  const event = eventOf(t.kind);
  return {
    to: { platform: route.platform, channelId: route.channelId },
    prefix: 'alert',
    living: alertKey(c.ind.id, c.change.periodKey, route),
    suffix: `${c.change.id}:${route.platform}:${route.channelId}`,
    opens: (event === 'red' || event === 'declining' || event === 'forecast') && route.wants.has(event),
    recovered: event === 'recovered',
    earlier: alertKey(c.ind.id, c.prev.periodKey, route),
    recoveryPosts: route.recoveryPosts,
    message: (updated) => alertMessage(c, updated),
    note: () => changeReply(c),
  };
}

const HEADLINE: Record<ChangeKind, string> = {
  'turned-red': 'Turned red',
  declining: 'Declining',
  recovered: 'Recovered',
  'forecast-miss': 'Forecast to miss',
  changed: 'Changed',
  quiet: 'Changed',
};

function fmt(ind: AlertContext['ind'], v: number | null): string {
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

function alertMessage(c: AlertContext, updated: boolean): Message {
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
