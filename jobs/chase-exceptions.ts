// chase-exceptions: every red indicator (amber too where the organisation asks) without a submitted
// exception report for its period, or one approved for the value it still has, once that period's
// value is due (never for a quarter still running) and only for periods collected: remind the owner,
// with a button that opens the exception-report form (questions, baseline, target and actual
// pre-filled). Same working days, cadence, escalation and first-chase summary as chase-data, counted
// from the latest of the day the value came in, the day the period's value was due and go-live (a
// report back to "needs update" after its value changed starts a new round from that day).
import type { JobDeps, JobSummary } from '../src/ports.ts';
import { formatDate, isWorkingDay, localDateOf, workingDaysBetween } from '../src/domain/dates.ts';
import { dueDate, formatPeriod, periodFromKey } from '../src/domain/periods.ts';
import { loadPortfolio } from '../src/services/portfolio.ts';
import { chaseMessage, firstChaseMessage, indicatorReminders, planChases, queueChases, type OwedItem, type PlannedLine } from '../src/services/chase.ts';
import { statusLabel } from '../src/services/labels.ts';
import { organisationDaysOff } from '../src/services/holidays.ts';
import { ABOUT_THE_BOT, chaseFrom, startCollecting } from '../src/services/go-live.ts';
import type { Action } from '../src/messages/types.ts';
import { defineJob } from './types.ts';
import { literal } from '../src/messages/build.ts';

export const chaseExceptionsJob = defineJob({
  name: 'chase-exceptions',
  schedule: '30 9 * * 1-5',
  describe: 'remind owners of red indicators to write their exception report',
  run: chaseExceptions,
});

export async function chaseExceptions(deps: JobDeps, now: Date): Promise<JobSummary> {
  const { repo } = deps;
  const portfolio = await loadPortfolio(repo, now, { activeOnly: true });
  const { today } = portfolio;
  const daysOff = organisationDaysOff(portfolio.org);
  if (!isWorkingDay(today, daysOff)) return { owed: 0, people: 0, notAWorkingDay: daysOff(today) ?? 'weekend' };
  const org = await startCollecting(deps, portfolio.org, today, now, 'chase-exceptions');
  const first = periodFromKey(org.collectFrom, org.fyStartMonth);
  const items: OwedItem[] = [];
  for (const s of portfolio.states) {
    if (!s.exceptionOwed || !s.exceptionFor) continue;
    const { period, evaluation } = s.exceptionFor;
    const obs = s.history.observations.find((o) => o.periodKey === period.key);
    const given = obs ? localDateOf(obs.submittedAt, org.timeZone) : today;
    const due = dueDate(period, s.indicator.reportingLagDays);
    const from = chaseFrom(given > due ? given : due, org.collectingSince);
    const waiting = workingDaysBetween(from, today, daysOff);
    const outdated = s.exception?.state === 'needs_update' || s.exception?.state === 'approved';
    const state = outdated
      ? 'approved for an earlier value: needs updating'
      : s.exception?.state === 'returned'
        ? 'returned for changes'
        : s.exception?.state === 'draft'
          ? 'draft saved, not submitted'
          : 'not started';
    items.push({
      subject: s.indicator,
      periodKey: period.key,
      from,
      ...(outdated ? { countFrom: from } : {}),
      detail: `${statusLabel(evaluation.status)} for ${formatPeriod(period)} since ${formatDate(from)}${waiting > 0 ? ` (${waiting} working day${waiting === 1 ? '' : 's'})` : ''}; report ${state}`,
      group: `${statusLabel(evaluation.status)} for ${formatPeriod(period)}${state === 'not started' ? '' : ` (report ${state})`}`,
    });
  }
  const plan = await planChases(deps, await indicatorReminders(repo, 'exception', items), items, org, today, now);
  const button = (l: PlannedLine): Action => ({ id: 'open-exception', label: `${l.countFrom ? 'Update' : 'Write'} report: ${l.subject.slug}`.slice(0, 75), value: JSON.stringify({ indicatorId: l.subject.id, periodKey: l.periodKey }), style: 'primary' });
  const questions = org.exceptionQuestions.map((q) => `“${literal(q)}”`).join(' ');
  return queueChases(deps, {
    kind: 'exception',
    purpose: 'chase-exceptions',
    items,
    plan,
    today,
    now,
    collectingSince: org.collectingSince,
    build: (lines, firstChase) =>
      firstChase
        ? firstChaseMessage({
            title: '👋 Exception reports: what is owed',
            about: `${ABOUT_THE_BOT} Values are collected from **${formatPeriod(first)}** on. An indicator off target needs an exception report: ${questions}`,
            lead: `${lines.length === 1 ? 'One report is' : `${lines.length} reports are`} owed now:`,
            lines,
            group: (l) => l.group,
            name: (l) => l.subject.slug,
            button,
            closing: 'Press a button to write one (a draft can be saved), or type `/kpi exception <indicator>`. `/kpi mine` lists your indicators.',
          })
        : chaseMessage({
            title: '📝 Exception reports owed',
            intro:
              `${lines.length === 1 ? 'An indicator is' : `${lines.length} indicators are`} off target and need${lines.length === 1 ? 's' : ''} an exception report: ` + questions,
            lines,
            describe: (l) => `**${l.subject.slug}** — ${l.detail}`,
            button,
          }),
  });
}
