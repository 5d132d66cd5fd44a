// Risk reviews chased by each risk's review frequency, in the same daily message as progress updates
// and commentary (jobs/chase-actions.ts) or as values (jobs/chase-data.ts's appendix): a risk's review
// falls due its review frequency after its latest review (or after it was entered); from that day —
// or from go-live, when later — its owner is reminded on the organisation's cadence, then the deputy,
// then the theme's director (the performance team for a risk with neither), each told whose it is; an
// owner who is away is stood in for by their deputy at once. Each reminder is recorded once per risk,
// due date and day (risk_reminder), after the message that carries it is queued.
import type { LocalDate } from '../domain/types.ts';
import { formatDate, workingDaysBetween, type DaysOff } from '../domain/dates.ts';
import { isAbsent, nextReminder } from '../domain/monitor.ts';
import { actions as buttons, context, literal, mention, text } from '../messages/build.ts';
import type { Block } from '../messages/types.ts';
import type { OrgSettings, PersonRecord, Repository, RiskRecord, RiskReminderRecord } from '../ports.ts';
import { chaseFrom } from './go-live.ts';
import { organisationDaysOff } from './holidays.ts';
import { reviewDueOn, riskMatrix, scoreWords, currentOf } from './risks.ts';
import { shortName } from './indicator-lines.ts';

/** Buttons per message section (the strictest platform's actions block). */
const MAX_BUTTONS = 15;

export interface OwedReview {
  risk: RiskRecord;
  /** The day its review fell due. */
  dueOn: LocalDate;
  to: PersonRecord;
  level: 0 | 1 | 2;
  number: number;
  /** Why it comes to someone other than its owner. */
  why: string | null;
}

/** Who is owed a reminder today for which risks' reviews (a plan: nothing is sent or recorded). */
export interface RiskChasePlan {
  byPerson: Map<number, OwedReview[]>;
  summary: { reviewsDue: number; reviewsUnaddressed: number };
  daysOff: DaysOff;
  today: LocalDate;
  matrix: ReturnType<typeof riskMatrix>;
}

export async function planRiskChases(repo: Repository, org: OrgSettings, today: LocalDate): Promise<RiskChasePlan> {
  const daysOff = organisationDaysOff(org);
  const byPerson = new Map<number, OwedReview[]>();
  const plan: RiskChasePlan = { byPerson, summary: { reviewsDue: 0, reviewsUnaddressed: 0 }, daysOff, today, matrix: riskMatrix(org) };
  const due = (await repo.risks.list({ activeOnly: true })).map((risk) => ({ risk, dueOn: reviewDueOn(risk) })).filter((d) => d.dueOn <= today);
  plan.summary.reviewsDue = due.length;
  if (!due.length) return plan;
  // Reminders already sent for each risk's current review cycle (one cycle per due date).
  const sent = new Map<number, RiskReminderRecord[]>();
  for (const dueOn of new Set(due.map((d) => d.dueOn))) {
    for (const r of await repo.risks.reminders(due.filter((d) => d.dueOn === dueOn).map((d) => d.risk.id), dueOn)) sent.set(r.riskId, [...(sent.get(r.riskId) ?? []), r]);
  }
  const people = new Map((await repo.people()).map((p) => [p.id, p]));
  const admins = [...people.values()].filter((p) => p.active && p.role === 'admin');
  const rules = { cadence: org.chaseCadence, escalateAfter: org.escalateAfter, daysOff };
  const active = (id: number | null) => (id === null ? undefined : people.get(id)?.active ? people.get(id) : undefined);
  for (const { risk, dueOn } of due) {
    const mine = sent.get(risk.id) ?? [];
    // Nobody is reminded of a review that fell due before go-live as if they had been asked since.
    const from = org.collectingSince ? chaseFrom(dueOn, org.collectingSince) : dueOn;
    const r = nextReminder(from, mine.length, today, rules, mine.at(-1)?.sentOn ?? null);
    if (!r.due) continue;
    const owner = active(risk.ownerId);
    const deputy = active(risk.deputyId) ?? (owner?.deputyId ? active(owner.deputyId) : undefined);
    const director = active(risk.directorId);
    let to: PersonRecord | undefined;
    let why: string | null = null;
    if (r.level === 0 && owner && !isAbsent(owner, today)) to = owner;
    else if (r.level === 0 && owner) [to, why] = [deputy ?? director, `${literal(owner.displayName)} is away until ${formatDate(owner.absentUntil!)}`];
    else if (r.level <= 1 && deputy) [to, why] = [deputy, owner ? `${literal(owner.displayName)} has not reviewed it (reminder ${r.number})` : 'it has no owner'];
    else [to, why] = [director ?? admins[0], owner ? `the owner and deputy have not reviewed it (reminder ${r.number})` : 'it has no owner or deputy'];
    if (!to) {
      plan.summary.reviewsUnaddressed++;
      continue;
    }
    byPerson.set(to.id, [...(byPerson.get(to.id) ?? []), { risk, dueOn, to, level: r.level, number: r.number, why }]);
  }
  return plan;
}

/** A person was sent their review reminders: record them, so the cadence and escalation count them. */
export async function recordRiskReminders(repo: Repository, plan: RiskChasePlan, personId: number): Promise<number> {
  const rows: RiskReminderRecord[] = (plan.byPerson.get(personId) ?? []).map((l) => ({ riskId: l.risk.id, dueOn: l.dueOn, personId, level: l.level, sentOn: plan.today }));
  return rows.length ? repo.risks.recordReminders(rows) : 0;
}

/** "Risk reviews due: CIP06, CIP08." — the message's one-line text. */
export const riskChaseSummary = (lines: OwedReview[]): string => `Risk review${lines.length === 1 ? '' : 's'} due: ${lines.map((l) => l.risk.ref).join(', ')}.`;

/** The reviews a person owes, as blocks: a section of the day's chase message, with a button per risk opening the review form. */
export function riskChaseBlocks(plan: RiskChasePlan, lines: OwedReview[]): Block[] {
  const n = lines.length;
  const overdue = (l: OwedReview) => {
    const late = workingDaysBetween(l.dueOn, plan.today, plan.daysOff);
    return `due ${formatDate(l.dueOn)}${late > 0 ? ` (${late} working day${late === 1 ? '' : 's'} overdue)` : ' (due today)'}`;
  };
  const blocks: Block[] = [
    text(`You have ${n === 1 ? 'one risk' : `${n} risks`} to review. Press a button, or type \`/kpi review <ref> likelihood <1–${plan.matrix.scale}> impact <1–${plan.matrix.scale}> <commentary>\`.`),
    text(
      lines
        .map((l) => `• **${literal(l.risk.ref)}** ${literal(shortName(l.risk.title, 60))} — now ${scoreWords(currentOf(l.risk), plan.matrix)}; ${overdue(l)}${l.why ? ` _(for ${l.risk.ownerId !== null ? mention(l.risk.ownerId) : 'nobody'}: ${l.why})_` : ''}`)
        .join('\n'),
    ),
    buttons(...lines.slice(0, MAX_BUTTONS).map((l) => ({ id: 'open-risk-review' as const, label: `Review ${l.risk.ref}`.slice(0, 75), value: JSON.stringify({ riskId: l.risk.id }) }))),
  ];
  if (n > MAX_BUTTONS) blocks.push(context(`…buttons for the first ${MAX_BUTTONS}; \`/kpi review <ref>\` opens the form for any of them.`));
  return blocks;
}
