// chase-data: when an indicator's period is due (period end + reporting lag) and no value is in,
// remind the owner — one message per person listing everything they owe, with submit buttons that
// open the form pre-filled. Reminders follow the organisation's cadence; after `escalateAfter` they
// go to the deputy, then the director; an absent owner's deputy is chased instead. At most one
// data chase per person per day (the outbox key says so).
import type { JobDeps, JobSummary } from '../src/ports.ts';
import { formatDate, workingDaysBetween } from '../src/domain/dates.ts';
import { formatPeriod } from '../src/domain/periods.ts';
import { loadPortfolio } from '../src/services/portfolio.ts';
import { chaseMessage, planChases, queueChases, type OwedItem } from '../src/services/chase.ts';
import { defineJob } from './types.ts';

export const chaseDataJob = defineJob({
  name: 'chase-data',
  schedule: '0 9 * * 1-5',
  describe: 'remind owners whose data is due or overdue (escalating to deputy, then director)',
  run: chaseData,
});

export async function chaseData(deps: JobDeps, now: Date): Promise<JobSummary> {
  const { repo } = deps;
  const portfolio = await loadPortfolio(repo, now, { activeOnly: true });
  const { org, today } = portfolio;
  const items: OwedItem[] = [];
  for (const s of portfolio.states) {
    const d = s.due;
    if (!d.period || !d.missing || !d.due || d.due > today) continue;
    const late = workingDaysBetween(d.due, today);
    items.push({
      indicator: s.indicator,
      periodKey: d.period.key,
      from: d.due,
      detail: `${formatPeriod(d.period)}, due ${formatDate(d.due)}${late > 0 ? ` (${late} working day${late === 1 ? '' : 's'} overdue)` : ' (due today)'}`,
    });
  }
  const plan = await planChases(deps, 'data', items, org, today, now);
  return queueChases(deps, {
    kind: 'data',
    purpose: 'chase-data',
    items,
    plan,
    today,
    now,
    build: (lines) =>
      chaseMessage({
        title: '📋 Performance data due',
        intro: `You have ${lines.length} value${lines.length === 1 ? '' : 's'} to submit. Press a button, or type \`/kpi submit <indicator> <period> <value>\`.`,
        lines,
        describe: (l) => `**${l.indicator.slug}** ${l.indicator.name.length > 60 ? `${l.indicator.name.slice(0, 59)}…` : l.indicator.name} — ${l.detail}`,
        button: (l) => ({ id: 'open-submit', label: `Submit ${l.indicator.slug}`.slice(0, 75), value: JSON.stringify({ indicatorId: l.indicator.id, periodKey: l.periodKey }) }),
      }),
  });
}
