// alert-actions: tell the channels subscribed to `actions` when an action turns off track, overdue, or
// re-phased by more than 3 months — each once, living like indicator alerts: one post per action, spell
// and channel, edited (with a note in its thread) when the action changes again and when it recovers.
// An action's first record is where it stood when alerting began: recorded, not alerted (no flood at
// go-live or after an import); an action due before collection began is not alerted as overdue. The
// stages in src/alerting do the work: evaluation → state → routing → notification → sending.
// Its own job, not part of evaluate-statuses: that one's incremental plan follows indicators' values,
// while an action turns overdue with the date and off track with an update; apart, each fails and
// retries alone. Risks ride the same run: a risk whose score rises into a higher band at a review, or
// above the risk appetite, is told once to the channels subscribed with the `risks` event (to every
// indicator, its theme, or an indicator watching it), living in the same way (src/alerting/risk-alerts.ts);
// a risk's first record, too, is where it stood when alerting began. Benchmarks too: an indicator whose
// quartile among its comparator group is worse in the latest period with comparator data than in the one
// before is told to the channels subscribed with the `quartile` event (src/alerting/quartile-alerts.ts);
// its first record is where it stood, not news.
import type { JobDeps, JobSummary } from '../src/ports.ts';
import { readQuartiles, readRisks } from '../src/alerting/evaluation.ts';
import { recordActionConditions, recordConditionChanges } from '../src/alerting/state.ts';
import { deliverable, routeAction, routeQuartile, routeRisk } from '../src/alerting/routing.ts';
import { notify } from '../src/alerting/notification.ts';
import { send, tally } from '../src/alerting/sending.ts';
import { actionAlert } from '../src/alerting/action-alerts.ts';
import { riskAlert } from '../src/alerting/risk-alerts.ts';
import { quartileAlert } from '../src/alerting/quartile-alerts.ts';
import { loadBenchmarks } from '../src/services/comparators.ts';
import { riskMatrix } from '../src/services/risks.ts';
import { defineJob } from './types.ts';

export const alertActionsJob = defineJob({
  name: 'alert-actions',
  schedule: '*/15 * * * *',
  describe: 'alert channels subscribed to actions when an action turns off track, overdue or re-phased by more than 3 months, to risks when a risk rises into a higher band or above the appetite, and to quartile when an indicator drops a quartile among its comparator group',
  run: alertActions,
});

export async function alertActions(deps: JobDeps, now: Date): Promise<JobSummary> {
  const { repo, outbox, log } = deps;
  const org = await repo.org();
  const [{ actions, recorded, news }, subs] = await Promise.all([recordActionConditions(repo, org, now), repo.channelSubscriptions()]);
  const channels = deliverable(subs, deps.directory.platforms).here;
  const summary = { actions: actions.length, changes: recorded, alerts: 0, updates: 0 };
  for (const t of news) {
    for (const route of routeAction(t.reading.subject, channels, org)) tally(summary, await send(outbox, await notify(actionAlert(t, route, org), (k) => outbox.has(k)), now));
  }
  // Risks: the same stages, their own records (subject `risk`) and words.
  const [risks, latestRisks] = await Promise.all([repo.risks.list({ activeOnly: true }), repo.conditionChanges.latest('risk')]);
  const riskChanges = await recordConditionChanges(repo.conditionChanges, 'risk', readRisks(risks, riskMatrix(org)), latestRisks, now);
  const risky = { risks: risks.length, riskChanges: riskChanges.recorded, riskAlerts: 0, riskUpdates: 0 };
  for (const t of riskChanges.news) {
    const r = t.reading.subject;
    for (const route of routeRisk({ themeId: r.themeId, indicatorIds: r.indicatorIds }, channels, org)) {
      const counts = { alerts: 0, updates: 0 };
      tally(counts, await send(outbox, await notify(riskAlert(t, route, org), (k) => outbox.has(k)), now));
      risky.riskAlerts += counts.alerts;
      risky.riskUpdates += counts.updates;
    }
  }
  Object.assign(summary, risky);
  // Quartiles: an indicator's standing among its comparator group (subject `quartile`).
  const [indicators, latestQuartiles, snoozed] = await Promise.all([repo.indicators({ activeOnly: true }), repo.conditionChanges.latest('quartile'), repo.snoozedIndicatorIds(now)]);
  const benchmarks = await loadBenchmarks(repo, org, indicators.map((i) => i.id));
  const quartileChanges = await recordConditionChanges(repo.conditionChanges, 'quartile', readQuartiles(indicators, benchmarks), latestQuartiles, now);
  const quartiles = { quartileChanges: quartileChanges.recorded, quartileAlerts: 0, quartileUpdates: 0 };
  for (const t of quartileChanges.news) {
    for (const route of routeQuartile(t.reading.subject, channels, org, snoozed)) {
      const counts = { alerts: 0, updates: 0 };
      tally(counts, await send(outbox, await notify(quartileAlert(t, route, org), (k) => outbox.has(k)), now));
      quartiles.quartileAlerts += counts.alerts;
      quartiles.quartileUpdates += counts.updates;
    }
  }
  Object.assign(summary, quartiles);
  log.info(summary, 'alert-actions');
  return summary;
}
