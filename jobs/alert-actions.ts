// alert-actions: tell the channels subscribed to `actions` when an action turns off track, overdue, or
// re-phased by more than 3 months — each once, living like indicator alerts: one post per action, spell
// and channel, edited (with a note in its thread) when the action changes again and when it recovers.
// An action's first record is where it stood when alerting began: recorded, not alerted (no flood at
// go-live or after an import); an action due before collection began is not alerted as overdue. The
// stages in src/alerting do the work: evaluation → state → routing → notification → sending.
// Its own job, not part of evaluate-statuses: that one's incremental plan follows indicators' values,
// while an action turns overdue with the date and off track with an update; apart, each fails and
// retries alone, and risks can follow with a job of the same shape.
import type { JobDeps, JobSummary } from '../src/ports.ts';
import { recordActionConditions } from '../src/alerting/state.ts';
import { deliverable, routeAction } from '../src/alerting/routing.ts';
import { notify } from '../src/alerting/notification.ts';
import { send, tally } from '../src/alerting/sending.ts';
import { actionAlert } from '../src/alerting/action-alerts.ts';
import { defineJob } from './types.ts';

export const alertActionsJob = defineJob({
  name: 'alert-actions',
  schedule: '*/15 * * * *',
  describe: 'alert channels subscribed to actions when an action turns off track, overdue or re-phased by more than 3 months',
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
  log.info(summary, 'alert-actions');
  return summary;
}
