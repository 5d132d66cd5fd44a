// evaluate-statuses: recompute active indicators' status, direction and year-end forecast for their
// latest period (those changed or fallen due since the last run; all of them daily and with --full:
// src/services/incremental.ts), record each change once, and alert the subscribed channels when an
// indicator turns red, declines, or (still green or amber) is forecast to miss its year-end target.
// The work is done by the alerting stages in src/alerting: evaluation → state (each transition once)
// → routing (subscriptions, snoozes, events) → notification (one living post per indicator, period and
// channel; edits and thread notes) → sending (the outbox).
import type { JobDeps, JobSummary } from '../src/ports.ts';
import { localDateOf } from '../src/domain/dates.ts';
import { historyWindow } from '../src/services/evaluation.ts';
import { planEvaluation } from '../src/services/incremental.ts';
import { reopenOutdatedApprovals } from '../src/services/outdated-approvals.ts';
import { readIndicators } from '../src/alerting/evaluation.ts';
import { indicatorCandidates, recordIndicatorChanges } from '../src/alerting/state.ts';
import { deliverable, routeIndicator } from '../src/alerting/routing.ts';
import { notify } from '../src/alerting/notification.ts';
import { send, tally } from '../src/alerting/sending.ts';
import { indicatorAlert } from '../src/alerting/indicator-alerts.ts';
import { defineJob } from './types.ts';
import { loadBenchmarks, withBenchmarks } from '../src/services/comparators.ts';

export { HISTORY_WINDOW } from '../src/services/evaluation.ts';

export const evaluateStatusesJob = defineJob({
  name: 'evaluate-statuses',
  schedule: '*/15 * * * *',
  describe: 'recompute statuses of what changed (--full: of every indicator); alert subscribed channels when an indicator turns red or declines',
  takes: ['full'],
  run: evaluateStatuses,
});

export async function evaluateStatuses(deps: JobDeps, now: Date, opts: { full?: boolean } = {}): Promise<JobSummary> {
  const { repo, log, outbox } = deps;
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
  const channels = deliverable(subs, deps.directory.platforms);
  if (channels.skipped) log.debug({ skipped: channels.skipped }, 'evaluate-statuses: subscriptions on platforms not configured here');

  // Targets written as benchmarks ("Top quartile") judged on the comparator data, as /kpi show judges them.
  const benchmarks = await loadBenchmarks(repo, org, indicators.map((i) => i.id));
  const readings = readIndicators(indicators, withBenchmarks(benchmarks, indicators, histories), org, localDateOf(now, org.timeZone));
  const { recorded, news } = await recordIndicatorChanges(repo, indicatorCandidates(readings, latest, now), { baseline });
  const summary = { evaluated: indicators.length, changes: recorded, alerts: 0, updates: 0, snoozed: 0, baseline: baseline ? 'yes' : 'no', scope: plan.scope };
  for (const t of news) {
    const routes = routeIndicator(t.reading.ind, channels.here, org, snoozed);
    if (routes === 'snoozed') {
      summary.snoozed++;
      continue;
    }
    for (const route of routes) tally(summary, await send(outbox, await notify(indicatorAlert(t, route, org), (k) => outbox.has(k)), now));
  }
  // Approved exception reports of what changed whose value or status moved on: back to "needs update", owners told.
  const reopened = await reopenOutdatedApprovals(deps, now, { ...(only ? { indicatorIds: only } : {}), actorLabel: 'job:evaluate-statuses' });
  await plan.done();
  log.info({ ...summary, exceptionReportsReopened: reopened.length }, 'evaluate-statuses');
  return { ...summary, exceptionReportsReopened: reopened.length };
}
