// What a channel reads when an indicator drops a quartile among its comparator group (the notification
// stage's benchmark half): one living post per indicator, episode and channel — posted when the latest
// comparator period's quartile is worse than the period before's, edited with a note in its thread when
// a later period changes it, resolved when a later period is no worse.
import type { IndicatorRecord, OrgSettings } from '../ports.ts';
import { formatPeriod, periodFromKey } from '../domain/periods.ts';
import { actions, context, header, literal, message, text } from '../messages/build.ts';
import { literalCode } from '../messages/markup.ts';
import type { Message } from '../messages/types.ts';
import type { ConditionTransition } from './state.ts';
import { conditionAlert, type LivingAlert } from './notification.ts';
import type { Route } from './routing.ts';

/** One indicator's drop (or recovery) in quartile in one channel, for the notification stage. */
export function quartileAlert(t: ConditionTransition<IndicatorRecord>, route: Route, org: OrgSettings): LivingAlert {
  return conditionAlert('quartile-alert', 'quartile', t, route, { message: (updated) => quartileAlertMessage(t, org, updated), note: () => quartileNote(t, org) });
}

/** "Now 9th of 10 in Greater Manchester · bottom quartile in 2017/18 Q3 (was 5th of 10 … · second quartile in 2017/18 Q2)." */
function whatChanged(t: ConditionTransition<IndicatorRecord>, org: OrgSettings): string {
  const d = t.change.conditions.length ? t.change.detail : t.prev.detail;
  const when = (k: unknown) => (typeof k === 'string' ? formatPeriod(periodFromKey(k, org.fyStartMonth)) : '');
  if (!t.change.conditions.length) return `No longer dropping: the latest comparator data no longer puts it lower than the period before (it was ${d.line} in ${when(d.periodKey)}).`;
  return `Now ${d.line} in ${when(d.periodKey)} (was ${d.previousLine} in ${when(d.previousKey)}).`;
}

function quartileAlertMessage(t: ConditionTransition<IndicatorRecord>, org: OrgSettings, updated: boolean): Message {
  const ind = t.reading.subject;
  const dropped = t.change.conditions.length > 0;
  const lead = dropped ? `📉 ${updated ? 'Still down a quartile' : 'Down a quartile'}` : '✅ Resolved';
  const title = `${lead}: ${ind.name}`;
  return message(
    `${dropped ? `${ind.name} dropped a quartile among its comparator group` : `Resolved: ${ind.name} is no longer down a quartile`}. ${whatChanged(t, org)}`,
    header(title.length > 150 ? `${title.slice(0, 149)}…` : title),
    text(literal(whatChanged(t, org))),
    actions({ id: 'show', label: `Show ${ind.slug}`.slice(0, 75), value: ind.slug }),
    context(`${literalCode(`/kpi show ${ind.slug}`)} for where it stands${updated ? ' · updated, see the thread' : ''}`),
  );
}

function quartileNote(t: ConditionTransition<IndicatorRecord>, org: OrgSettings): Message {
  const lead = t.kind === 'cleared' ? '✅ Resolved.' : '📉 Update.';
  return message(`${lead} ${whatChanged(t, org)}`, text(literal(`${lead} ${whatChanged(t, org)}`)));
}
