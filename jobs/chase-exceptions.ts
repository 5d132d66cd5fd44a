// chase-exceptions: every red indicator (amber too where the organisation asks) without a submitted
// exception report for its period, or one approved for the value it still has: remind the owner,
// with a button that opens the exception-report form (questions, baseline, target and actual
// pre-filled). Same cadence and escalation as chase-data, counted from the day the value came in (a
// report back to "needs update" after its value changed starts a new round from that day).
import type { JobDeps, JobSummary } from '../src/ports.ts';
import { formatDate, localDateOf, workingDaysBetween } from '../src/domain/dates.ts';
import { formatPeriod } from '../src/domain/periods.ts';
import { loadPortfolio } from '../src/services/portfolio.ts';
import { chaseMessage, planChases, queueChases, type OwedItem } from '../src/services/chase.ts';
import { statusLabel } from '../src/services/labels.ts';
import { defineJob } from './types.ts';

export const chaseExceptionsJob = defineJob({
  name: 'chase-exceptions',
  schedule: '30 9 * * 1-5',
  describe: 'remind owners of red indicators to write their exception report',
  run: chaseExceptions,
});

export async function chaseExceptions(deps: JobDeps, now: Date): Promise<JobSummary> {
  const { repo } = deps;
  const portfolio = await loadPortfolio(repo, now, { activeOnly: true });
  const { org, today } = portfolio;
  const items: OwedItem[] = [];
  for (const s of portfolio.states) {
    const period = s.evaluation.period;
    if (!s.exceptionOwed || !period) continue;
    const obs = s.history.observations.find((o) => o.periodKey === period.key);
    const from = obs ? localDateOf(obs.submittedAt, org.timeZone) : today;
    const waiting = workingDaysBetween(from, today);
    const outdated = s.exception?.state === 'needs_update' || s.exception?.state === 'approved';
    const state = outdated
      ? 'approved for an earlier value: needs updating'
      : s.exception?.state === 'returned'
        ? 'returned for changes'
        : s.exception?.state === 'draft'
          ? 'draft saved, not submitted'
          : 'not started';
    items.push({
      indicator: s.indicator,
      periodKey: period.key,
      from,
      ...(outdated ? { countFrom: from } : {}),
      detail: `${statusLabel(s.evaluation.status)} for ${formatPeriod(period)} since ${formatDate(from)}${waiting > 0 ? ` (${waiting} working day${waiting === 1 ? '' : 's'})` : ''}; report ${state}`,
    });
  }
  const plan = await planChases(deps, 'exception', items, org, today, now);
  return queueChases(deps, {
    kind: 'exception',
    purpose: 'chase-exceptions',
    items,
    plan,
    today,
    now,
    build: (lines) =>
      chaseMessage({
        title: '📝 Exception reports owed',
        intro:
          `${lines.length === 1 ? 'An indicator is' : `${lines.length} indicators are`} off target and need${lines.length === 1 ? 's' : ''} an exception report: ` +
          `${org.exceptionQuestions.map((q) => `“${q}”`).join(' ')}`,
        lines,
        describe: (l) => `**${l.indicator.slug}** — ${l.detail}`,
        button: (l) => ({ id: 'open-exception', label: `${l.countFrom ? 'Update' : 'Write'} report: ${l.indicator.slug}`.slice(0, 75), value: JSON.stringify({ indicatorId: l.indicator.id, periodKey: l.periodKey }), style: 'primary' }),
      }),
  });
}
