// chase-actions: once a quarter has ended, each action's owner is asked for its progress for that
// quarter — one message per person a day listing every update they owe, with a button per action that
// opens the update form. Due ACTION_UPDATE_WORKING_DAYS working days after the quarter ends (counted from
// go-live when that is later); reminders follow the organisation's cadence on working days; after
// `escalateAfter` reminders the deputy is asked, then the theme's director; an owner who is away is
// stood in for by their deputy. Nothing is owed for an action delivered or no longer viable before the
// quarter, or one that starts after it. The outbox key (per person and day) makes a run exactly once.
import type { ActionRecord, ActionReminderRecord, JobDeps, JobSummary, PersonRecord } from '../src/ports.ts';
import { addWorkingDays, formatDate, isWorkingDay, localDateOf, workingDaysBetween } from '../src/domain/dates.ts';
import { formatPeriodInFull } from '../src/domain/periods.ts';
import { isFinal } from '../src/domain/actions.ts';
import { isAbsent, nextReminder } from '../src/domain/monitor.ts';
import { actions as buttons, context, header, literal, mention, message, plainMarkup, text } from '../src/messages/build.ts';
import type { Block } from '../src/messages/types.ts';
import { organisationDaysOff } from '../src/services/holidays.ts';
import { chaseFrom } from '../src/services/go-live.ts';
import { reportingQuarter } from '../src/services/actions.ts';
import { shortName } from '../src/services/views.ts';
import { defineJob } from './types.ts';

/** Progress for a quarter is due this many working days after it ends (two weeks: councils' usual reporting window). */
export const ACTION_UPDATE_WORKING_DAYS = 10;

/** Buttons per message (the strictest platform's actions block). */
const MAX_BUTTONS = 15;

export const chaseActionsJob = defineJob({
  name: 'chase-actions',
  schedule: '0 10 * * 1-5',
  describe: 'ask action owners for the quarter’s progress updates (escalating to deputy, then director)',
  run: chaseActions,
});

interface Owed {
  action: ActionRecord;
  to: PersonRecord;
  level: 0 | 1 | 2;
  number: number;
  why: string | null;
}

export async function chaseActions(deps: JobDeps, now: Date): Promise<JobSummary> {
  const { repo, outbox } = deps;
  const org = await repo.org();
  const today = localDateOf(now, org.timeZone);
  const daysOff = organisationDaysOff(org);
  if (!isWorkingDay(today, daysOff)) return { owed: 0, people: 0, notAWorkingDay: daysOff(today) ?? 'weekend' };
  const quarter = reportingQuarter(today, org.fyStartMonth);
  const due = addWorkingDays(quarter.end, ACTION_UPDATE_WORKING_DAYS, daysOff);
  const summary = { quarter: quarter.key, due, owed: 0, people: 0, sent: 0, alreadySent: 0, unaddressed: 0 };
  const owing = (await repo.actions.list({ activeOnly: true })).filter(
    (a) => (a.start === null || a.start <= quarter.end) && !(a.latest && a.latest.periodKey < quarter.key && isFinal(a.latest.progress)) && !(a.latest && a.latest.periodKey >= quarter.key),
  );
  summary.owed = owing.length;
  if (due > today || !owing.length) return summary;
  const from = org.collectingSince ? chaseFrom(due, org.collectingSince) : due;
  const sent = await repo.actions.reminders(owing.map((a) => a.id), quarter.key);
  const people = new Map((await repo.people()).map((p) => [p.id, p]));
  const admins = [...people.values()].filter((p) => p.active && p.role === 'admin');
  const rules = { cadence: org.chaseCadence, escalateAfter: org.escalateAfter, daysOff };
  const active = (id: number | null) => (id === null ? undefined : people.get(id)?.active ? people.get(id) : undefined);
  const byPerson = new Map<number, Owed[]>();
  for (const a of owing) {
    const mine = sent.filter((r) => r.actionId === a.id);
    const r = nextReminder(from, mine.length, today, rules, mine.at(-1)?.sentOn ?? null);
    if (!r.due) continue;
    const owner = active(a.ownerId);
    const deputy = active(a.deputyId) ?? (owner?.deputyId ? active(owner.deputyId) : undefined);
    const director = active(a.directorId);
    let to: PersonRecord | undefined;
    let why: string | null = null;
    if (r.level === 0 && owner && !isAbsent(owner, today)) to = owner;
    else if (r.level === 0 && owner) [to, why] = [deputy ?? director, `${literal(owner.displayName)} is away until ${formatDate(owner.absentUntil!)}`];
    else if (r.level <= 1 && deputy) [to, why] = [deputy, owner ? `${literal(owner.displayName)} has not responded (reminder ${r.number})` : 'it has no owner'];
    else [to, why] = [director ?? admins[0], owner ? `the owner and deputy have not responded (reminder ${r.number})` : 'it has no owner or deputy'];
    if (!to) {
      summary.unaddressed++;
      continue;
    }
    byPerson.set(to.id, [...(byPerson.get(to.id) ?? []), { action: a, to, level: r.level, number: r.number, why }]);
  }
  summary.people = byPerson.size;
  for (const [personId, lines] of byPerson) {
    const queued = await outbox.enqueue({ key: `chase-actions:${today}:person:${personId}`, purpose: 'chase-actions', to: { kind: 'person', personId }, message: chaseMessage(lines, quarter, due, today, daysOff) }, now);
    if (!queued) {
      summary.alreadySent++;
      continue;
    }
    summary.sent++;
    const rows: ActionReminderRecord[] = lines.map((l) => ({ actionId: l.action.id, periodKey: quarter.key, personId, level: l.level, sentOn: today }));
    await repo.actions.recordReminders(rows);
  }
  return summary;
}

function chaseMessage(lines: Owed[], quarter: ReturnType<typeof reportingQuarter>, due: string, today: string, daysOff: Parameters<typeof workingDaysBetween>[2]) {
  const late = workingDaysBetween(due, today, daysOff);
  const when = `due ${formatDate(due)}${late > 0 ? ` (${late} working day${late === 1 ? '' : 's'} overdue)` : ' (due today)'}`;
  const n = lines.length;
  const title = `📋 Progress update${n === 1 ? '' : 's'} due for ${formatPeriodInFull(quarter)}`;
  const blocks: Block[] = [
    header(title),
    text(`You have ${n === 1 ? 'one action' : `${n} actions`} to update, ${when}. Press a button, or type \`/kpi update <ref> <on target | at risk | off track | delivered …> <commentary>\`.`),
    text(
      lines
        .map((l) => `• **${literal(l.action.ref)}** ${literal(shortName(l.action.title, 60))} — due ${formatDate(l.action.due)}${l.why ? ` _(for ${l.action.ownerId !== null ? mention(l.action.ownerId) : 'nobody'}: ${l.why})_` : ''}`)
        .join('\n'),
    ),
    buttons(...lines.slice(0, MAX_BUTTONS).map((l) => ({ id: 'open-action-update' as const, label: `Update ${l.action.ref}`.slice(0, 75), value: JSON.stringify({ actionId: l.action.id }) }))),
  ];
  if (n > MAX_BUTTONS) blocks.push(context(`…buttons for the first ${MAX_BUTTONS}; \`/kpi update <ref>\` opens the form for any of them.`));
  return message(plainMarkup(`${title}: ${lines.map((l) => literal(l.action.ref)).join(', ')}.`), ...blocks);
}
