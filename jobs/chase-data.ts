// chase-data: when an indicator's period is due (period end + reporting lag) and no value is in,
// remind the owner — one message per person listing everything they owe, with submit buttons that
// open the form pre-filled. Only periods collected are asked for: none before the organisation's
// first period collected (recorded by the first run when nobody set it), none marked "not collected",
// none superseded by a later value (src/services/evaluation.ts dueState). A person's first chase after
// go-live is a short summary. Reminders fall on working days (weekends and bank holidays skipped) and
// follow the organisation's cadence, counted from the later of the due date and go-live; after
// `escalateAfter` they go to the deputy, then the director; an absent owner's deputy is chased
// instead. At most one data chase per person per day (the outbox key says so).
import type { JobDeps, JobSummary } from '../src/ports.ts';
import { formatDate, isWorkingDay, workingDaysBetween } from '../src/domain/dates.ts';
import { formatPeriod, periodFromKey } from '../src/domain/periods.ts';
import { loadPortfolio } from '../src/services/portfolio.ts';
import { chaseMessage, firstChaseMessage, indicatorReminders, planChases, queueChases, type OwedItem, type PlannedLine } from '../src/services/chase.ts';
import { organisationDaysOff } from '../src/services/holidays.ts';
import { ABOUT_THE_BOT, chaseFrom, startCollecting } from '../src/services/go-live.ts';
import type { Action } from '../src/messages/types.ts';
import { defineJob } from './types.ts';
import { actionChaseBlocks, planActionChases, recordActionReminders } from './chase-actions.ts';
import { divider, literal } from '../src/messages/build.ts';
import { commentaryChaseBlocks, planCommentaryChases, recordCommentaryReminders, scopeName } from '../src/services/commentary.ts';
import { planRiskChases, recordRiskReminders, riskChaseBlocks, riskChaseSummary } from '../src/services/risk-chase.ts';

export const chaseDataJob = defineJob({
  name: 'chase-data',
  schedule: '0 9 * * 1-5',
  describe: 'remind owners whose data is due or overdue (escalating to deputy, then director)',
  run: chaseData,
});

export async function chaseData(deps: JobDeps, now: Date): Promise<JobSummary> {
  const { repo } = deps;
  const portfolio = await loadPortfolio(repo, now, { activeOnly: true });
  const { today } = portfolio;
  const daysOff = organisationDaysOff(portfolio.org);
  if (!isWorkingDay(today, daysOff)) return { owed: 0, people: 0, notAWorkingDay: daysOff(today) ?? 'weekend' };
  const org = await startCollecting(deps, portfolio.org, today, now, 'chase-data');
  const first = periodFromKey(org.collectFrom, org.fyStartMonth);
  const items: OwedItem[] = [];
  for (const s of portfolio.states) {
    const d = s.due;
    if (!d.period || !d.missing || !d.due || d.due > today) continue;
    const late = workingDaysBetween(d.due, today, daysOff);
    const detail = `${formatPeriod(d.period)}, due ${formatDate(d.due)}${late > 0 ? ` (${late} working day${late === 1 ? '' : 's'} overdue)` : ' (due today)'}`;
    items.push({
      subject: s.indicator,
      periodKey: d.period.key,
      from: chaseFrom(d.due, org.collectingSince),
      detail,
      group: detail,
    });
  }
  const plan = await planChases(deps, await indicatorReminders(repo, 'data', items), items, org, today, now);
  // Someone chased for values today who also owes progress updates gets them in the same message (chase-actions then has nothing more for them today).
  const actionPlan = await planActionChases(deps, org, today, now);
  // Someone passed over for an action (an owner the bot cannot reach) is news for the admins too, whichever chase sends the line.
  for (const [id, u] of actionPlan.unreachable) plan.unreachable.set(id, u);
  // …and the quarter's commentary they owe as a theme's director.
  const commentaryPlan = await planCommentaryChases(repo, org, today);
  // …and the risk reviews fallen due for them.
  const riskPlan = await planRiskChases(deps, org, today, now);
  for (const [id, u] of riskPlan.unreachable) plan.unreachable.set(id, u);
  const appendix = new Map(
    [...plan.byPerson.keys()].flatMap((id) => {
      const lines = actionPlan.byPerson.get(id) ?? [];
      const owed = commentaryPlan.byPerson.get(id) ?? [];
      const reviews = riskPlan.byPerson.get(id) ?? [];
      if (!lines.length && !owed.length && !reviews.length) return [];
      const summary = [lines.length ? `Progress updates due: ${lines.map((l) => l.action.ref).join(', ')}.` : '', owed.length ? `Commentary due: ${owed.map((l) => scopeName(l.theme)).join(', ')}.` : '', reviews.length ? riskChaseSummary(reviews) : ''].filter(Boolean).join(' ');
      const sections = [lines.length ? actionChaseBlocks(actionPlan, lines) : [], owed.length ? commentaryChaseBlocks(commentaryPlan, owed, org) : [], reviews.length ? riskChaseBlocks(riskPlan, reviews) : []].filter((b) => b.length);
      const blocks = sections.flatMap((b, i) => (i ? [divider, ...b] : b));
      const queued = async () => {
        await recordActionReminders(deps, actionPlan, id);
        await recordCommentaryReminders(repo, commentaryPlan, id);
        await recordRiskReminders(repo, riskPlan, id);
      };
      return [[id, { summary, blocks, queued }] as const];
    }),
  );
  // Gaps not asked for, and why: for the run's summary (`kpi job chase-data`).
  const notAsked = (why: string) => portfolio.states.filter((s) => s.due.notAsked?.why === why).length;
  const button = (l: PlannedLine): Action => ({ id: 'open-submit', label: `Submit ${l.subject.slug}`.slice(0, 75), value: JSON.stringify({ indicatorId: l.subject.id, periodKey: l.periodKey }) });
  const values = (n: number) => `${n} value${n === 1 ? '' : 's'}`;
  const summary = await queueChases(deps, {
    kind: 'data',
    purpose: 'chase-data',
    items,
    plan,
    today,
    now,
    collectingSince: org.collectingSince,
    appendix,
    build: (lines, firstChase) =>
      firstChase
        ? firstChaseMessage({
            title: '👋 Performance data: what is due',
            about: `${ABOUT_THE_BOT} Values are collected from **${formatPeriod(first)}** on; earlier periods are not asked for.`,
            lead: `${lines.length === 1 ? 'One value is' : `${values(lines.length)} are`} due now:`,
            lines,
            group: (l) => l.group,
            name: (l) => l.subject.slug,
            button,
            closing: 'Press a button, or type `/kpi submit <indicator> <period> <value>`. `/kpi mine` lists your indicators; `/kpi away until <day>` when you are away (your deputy is asked meanwhile).',
          })
        : chaseMessage({
            title: '📋 Performance data due',
            intro: `You have ${values(lines.length)} to submit. Press a button, or type \`/kpi submit <indicator> <period> <value>\`.`,
            lines,
            describe: (l) => `**${l.subject.slug}** ${literal(l.subject.name.length > 60 ? `${l.subject.name.slice(0, 59)}…` : l.subject.name)} — ${l.detail}`,
            button,
          }),
  });
  return { ...summary, notAskedBeforeGoLive: notAsked('before-collection'), notAskedSuperseded: notAsked('superseded'), notAskedNotCollected: notAsked('not-collected'), notAskedCalculated: notAsked('calculated'), collectFrom: org.collectFrom };
}
