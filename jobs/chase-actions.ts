// chase-actions: once a quarter has ended, each action's owner is asked for its progress for that
// quarter — one message per person a day listing every update they owe, with a button per action that
// opens the update form. Due ACTION_UPDATE_WORKING_DAYS working days after the quarter ends (counted from
// go-live when that is later); reminders follow the organisation's cadence on working days; after
// `escalateAfter` reminders the deputy is asked, then the theme's director; an owner who is away is
// stood in for by their deputy (with none, held until they are back); someone the bot cannot reach is
// passed over and the performance admins told — who is asked is the data chase's rule
// (src/services/chase.ts, planChases). Nothing is owed for an action delivered or no longer viable before the
// quarter, or one that starts after it. The quarter's commentary owed by each theme's director (and the
// whole report's by the performance team) goes in the same message (src/services/commentary.ts), and so
// do the risk reviews that have fallen due by each risk's review frequency (src/services/risk-chase.ts).
// The outbox key (per person and day) makes a run exactly once.
import type { ActionRecord, ActionReminderRecord, JobDeps, JobSummary, OrgSettings, PersonRecord } from '../src/ports.ts';
import { planChases, type OwedItem } from '../src/services/chase.ts';
import { tellAdminsWhoCannotBeReached } from '../src/people/unreachable.ts';
import type { LocalDate, Period } from '../src/domain/types.ts';
import { addWorkingDays, formatDate, isWorkingDay, localDateOf, workingDaysBetween, type DaysOff } from '../src/domain/dates.ts';
import { formatPeriodInFull } from '../src/domain/periods.ts';
import { isFinal } from '../src/domain/actions.ts';
import { actions as buttons, context, divider, header, literal, mention, message, plainMarkup, text } from '../src/messages/build.ts';
import { commentaryChaseBlocks, planCommentaryChases, recordCommentaryReminders, scopeName, type CommentaryChasePlan, type OwedCommentary } from '../src/services/commentary.ts';
import type { Block, Message } from '../src/messages/types.ts';
import { organisationDaysOff } from '../src/services/holidays.ts';
import { chaseFrom } from '../src/services/go-live.ts';
import { reportingQuarter } from '../src/services/actions.ts';
import { planRiskChases, recordRiskReminders, riskChaseBlocks, riskChaseSummary, type OwedReview, type RiskChasePlan } from '../src/services/risk-chase.ts';
import { shortName } from '../src/services/indicator-lines.ts';
import { defineJob } from './types.ts';

/** Progress for a quarter is due this many working days after it ends (two weeks: councils' usual reporting window). */
export const ACTION_UPDATE_WORKING_DAYS = 10;

/** Buttons per message (the strictest platform's actions block). */
const MAX_BUTTONS = 15;

export const chaseActionsJob = defineJob({
  name: 'chase-actions',
  schedule: '0 10 * * 1-5',
  describe: 'ask action owners for the quarter’s progress updates and risk owners for reviews due (escalating to deputy, then director)',
  run: chaseActions,
});

export interface Owed {
  action: ActionRecord;
  to: PersonRecord;
  level: 0 | 1 | 2;
  number: number;
  why: string | null;
}

/** Who is owed a reminder today for which actions' progress (a plan: nothing is sent or recorded). */
export interface ActionChasePlan {
  quarter: Period;
  due: LocalDate;
  byPerson: Map<number, Owed[]>;
  summary: { quarter: string; due: string; owed: number; people: number; sent: number; alreadySent: number; unaddressed: number; heldOwnerAway: number; unreachable: number };
  /** People passed over because the bot cannot reach them, with why (the performance admins are told). */
  unreachable: Map<number, { person: PersonRecord; reason: string }>;
  daysOff: DaysOff;
  today: LocalDate;
}

export async function chaseActions(deps: JobDeps, now: Date): Promise<JobSummary> {
  const org = await deps.repo.org();
  const today = localDateOf(now, org.timeZone);
  const daysOff = organisationDaysOff(org);
  if (!isWorkingDay(today, daysOff)) return { owed: 0, people: 0, notAWorkingDay: daysOff(today) ?? 'weekend' };
  const plan = await planActionChases(deps, org, today, now);
  // The quarter's commentary owed by directors (and the performance team) comes in the same message.
  const commentary = await planCommentaryChases(deps.repo, org, today);
  // …and the risk reviews fallen due.
  const risks = await planRiskChases(deps, org, today, now);
  for (const [id, u] of risks.unreachable) plan.unreachable.set(id, u);
  const summary = { ...plan.summary, ...commentary.summary, ...risks.summary };
  const people = new Set([...plan.byPerson.keys(), ...commentary.byPerson.keys(), ...risks.byPerson.keys()]);
  summary.people = people.size;
  for (const personId of people) {
    const message = chaseMessage(plan, plan.byPerson.get(personId) ?? [], commentary, commentary.byPerson.get(personId) ?? [], org, risks, risks.byPerson.get(personId) ?? []);
    const queued = await deps.outbox.enqueue({ key: `chase-actions:${today}:person:${personId}`, purpose: 'chase-actions', to: { kind: 'person', personId }, message }, now);
    if (!queued) {
      summary.alreadySent++;
      continue;
    }
    summary.sent++;
    await recordActionReminders(deps, plan, personId);
    await recordCommentaryReminders(deps.repo, commentary, personId);
    await recordRiskReminders(deps.repo, risks, personId);
  }
  return { ...summary, adminsTold: await tellAdminsWhoCannotBeReached(deps, plan.unreachable, 'chase-actions', today, now) };
}

/** The plan for today: the reporting quarter's updates owed and who is reminded of which (planChases: owner, deputy, director, admins). */
export async function planActionChases(deps: Pick<JobDeps, 'repo' | 'directory'>, org: OrgSettings, today: LocalDate, now: Date): Promise<ActionChasePlan> {
  const { repo } = deps;
  const daysOff = organisationDaysOff(org);
  const quarter = reportingQuarter(today, org.fyStartMonth);
  const due = addWorkingDays(quarter.end, ACTION_UPDATE_WORKING_DAYS, daysOff);
  const summary = { quarter: quarter.key, due, owed: 0, people: 0, sent: 0, alreadySent: 0, unaddressed: 0, heldOwnerAway: 0, unreachable: 0 };
  const byPerson = new Map<number, Owed[]>();
  const plan: ActionChasePlan = { quarter, due, byPerson, summary, unreachable: new Map(), daysOff, today };
  const owing = (await repo.actions.list({ activeOnly: true })).filter(
    (a) => (a.start === null || a.start <= quarter.end) && !(a.latest && a.latest.periodKey < quarter.key && isFinal(a.latest.progress)) && !(a.latest && a.latest.periodKey >= quarter.key),
  );
  summary.owed = owing.length;
  if (due > today || !owing.length) return plan;
  const from = org.collectingSince ? chaseFrom(due, org.collectingSince) : due;
  const items: OwedItem<ActionRecord>[] = owing.map((a) => ({ subject: a, periodKey: quarter.key, from, detail: '', group: '' }));
  const sent = (await repo.actions.reminders(owing.map((a) => a.id), quarter.key)).map((r) => ({ subjectId: r.actionId, periodKey: r.periodKey, sentOn: r.sentOn }));
  const planned = await planChases(deps, sent, items, org, today, now);
  const people = new Map((await repo.people()).map((p) => [p.id, p]));
  for (const [personId, lines] of planned.byPerson) {
    const to = people.get(personId)!;
    byPerson.set(
      personId,
      lines.map((l) => ({ action: l.subject, to, level: l.level, number: l.number, why: l.why })),
    );
  }
  summary.unaddressed = planned.unaddressed.length;
  summary.heldOwnerAway = planned.held.length;
  summary.unreachable = planned.unreachable.size;
  plan.unreachable = planned.unreachable;
  return plan;
}

/** A person was sent their reminders: record them, so the cadence and escalation count them. */
export async function recordActionReminders(deps: Pick<JobDeps, 'repo'>, plan: ActionChasePlan, personId: number): Promise<void> {
  const rows: ActionReminderRecord[] = (plan.byPerson.get(personId) ?? []).map((l) => ({ actionId: l.action.id, periodKey: plan.quarter.key, personId, level: l.level, sentOn: plan.today }));
  await deps.repo.actions.recordReminders(rows);
}

function chaseMessage(plan: ActionChasePlan, lines: Owed[], cplan: CommentaryChasePlan, owed: OwedCommentary[], org: OrgSettings, rplan: RiskChasePlan, reviews: OwedReview[]): Message {
  if (reviews.length) {
    if (!lines.length && !owed.length) {
      const title = `🔍 Risk review${reviews.length === 1 ? '' : 's'} due`;
      return message(plainMarkup(riskChaseSummary(reviews)), header(title), ...riskChaseBlocks(rplan, reviews));
    }
    const rest = chaseMessage(plan, lines, cplan, owed, org, rplan, []);
    return { ...rest, text: `${rest.text} ${plainMarkup(riskChaseSummary(reviews))}`, blocks: [...rest.blocks, divider, ...riskChaseBlocks(rplan, reviews)] };
  }
  if (!owed.length) {
    const title = `📋 Progress update${lines.length === 1 ? '' : 's'} due for ${formatPeriodInFull(plan.quarter)}`;
    return message(plainMarkup(`${title}: ${lines.map((l) => literal(l.action.ref)).join(', ')}.`), header(title), ...actionChaseBlocks(plan, lines));
  }
  const scopes = owed.map((l) => literal(scopeName(l.theme))).join(', ');
  const title = lines.length ? `📋 Progress updates and commentary due for ${formatPeriodInFull(cplan.quarter)}` : `✍️ Commentary due for ${formatPeriodInFull(cplan.quarter)}`;
  const summary = `${title}: ${[...lines.map((l) => literal(l.action.ref)), `commentary for ${scopes}`].join(', ')}.`;
  return message(plainMarkup(summary), header(title), ...(lines.length ? [...actionChaseBlocks(plan, lines), divider] : []), ...commentaryChaseBlocks(cplan, owed, org));
}

/** What a person owes, as blocks: the chase's own message, or a section of the data chase's. */
export function actionChaseBlocks(plan: ActionChasePlan, lines: Owed[]): Block[] {
  const late = workingDaysBetween(plan.due, plan.today, plan.daysOff);
  const when = `due ${formatDate(plan.due)}${late > 0 ? ` (${late} working day${late === 1 ? '' : 's'} overdue)` : ' (due today)'}`;
  const n = lines.length;
  const blocks: Block[] = [
    text(`You have ${n === 1 ? 'one action' : `${n} actions`} to give progress for ${formatPeriodInFull(plan.quarter)}, ${when}. Press a button, or type \`/kpi update <ref> <on target | at risk | off track | delivered …> <commentary>\`.`),
    text(
      lines
        .map((l) => `• **${literal(l.action.ref)}** ${literal(shortName(l.action.title, 60))} — due ${formatDate(l.action.due)}${l.why ? ` _(for ${l.action.ownerId !== null ? mention(l.action.ownerId) : 'nobody'}: ${l.why}${l.number > 1 ? ` (reminder ${l.number})` : ''})_` : ''}`)
        .join('\n'),
    ),
    buttons(...lines.slice(0, MAX_BUTTONS).map((l) => ({ id: 'open-action-update' as const, label: `Update ${l.action.ref}`.slice(0, 75), value: JSON.stringify({ actionId: l.action.id }) }))),
  ];
  if (n > MAX_BUTTONS) blocks.push(context(`…buttons for the first ${MAX_BUTTONS}; \`/kpi update <ref>\` opens the form for any of them.`));
  return blocks;
}
