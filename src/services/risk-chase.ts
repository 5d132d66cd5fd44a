// Risk reviews chased by each risk's review frequency, in the same daily message as progress updates
// and commentary (jobs/chase-actions.ts) or as values (jobs/chase-data.ts's appendix): a risk's review
// falls due its review frequency after its latest review (or after it was entered); from that day —
// or from go-live, when later — its owner is reminded on the organisation's cadence, then the deputy,
// then the theme's director, then the performance admins, each told whose it is — the data chase's rule
// (chase.ts, planChases): an owner who is away or whom the bot cannot reach is stood in for by their
// deputy at once (away with no deputy: held until they are back), and the admins are told of anyone the
// bot cannot reach. Each reminder is recorded once per risk,
// due date and day (risk_reminder), after the message that carries it is queued.
import type { LocalDate } from '../domain/types.ts';
import { formatDate, workingDaysBetween, type DaysOff } from '../domain/dates.ts';
import { actions as buttons, context, literal, mention, text } from '../messages/build.ts';
import { planChases, type ChasePlan, type OwedItem, type SentReminder } from './chase.ts';
import type { Block } from '../messages/types.ts';
import type { Directory, OrgSettings, PersonRecord, Repository, RiskRecord, RiskReminderRecord } from '../ports.ts';
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
  summary: { reviewsDue: number; reviewsUnaddressed: number; reviewsHeld: number };
  /** People passed over because the bot cannot reach them, with why (the admins are told: reach.ts). */
  unreachable: ChasePlan<RiskRecord>['unreachable'];
  daysOff: DaysOff;
  today: LocalDate;
  matrix: ReturnType<typeof riskMatrix>;
}

export async function planRiskChases(deps: { repo: Repository; directory: Directory }, org: OrgSettings, today: LocalDate, now: Date): Promise<RiskChasePlan> {
  const { repo } = deps;
  const daysOff = organisationDaysOff(org);
  const byPerson = new Map<number, OwedReview[]>();
  const plan: RiskChasePlan = { byPerson, summary: { reviewsDue: 0, reviewsUnaddressed: 0, reviewsHeld: 0 }, unreachable: new Map(), daysOff, today, matrix: riskMatrix(org) };
  const due = (await repo.risks.list({ activeOnly: true })).map((risk) => ({ risk, dueOn: reviewDueOn(risk) })).filter((d) => d.dueOn <= today);
  plan.summary.reviewsDue = due.length;
  if (!due.length) return plan;
  // One review cycle per due date: its reminders are the cycle's (the subject's "period" is the due date).
  const sent: SentReminder[] = [];
  for (const dueOn of new Set(due.map((d) => d.dueOn))) {
    for (const r of await repo.risks.reminders(due.filter((d) => d.dueOn === dueOn).map((d) => d.risk.id), dueOn)) sent.push({ subjectId: r.riskId, periodKey: r.dueOn, sentOn: r.sentOn });
  }
  // Nobody is reminded of a review that fell due before go-live as if they had been asked since.
  const items: OwedItem<RiskRecord>[] = due.map(({ risk, dueOn }) => ({ subject: risk, periodKey: dueOn, from: org.collectingSince ? chaseFrom(dueOn, org.collectingSince) : dueOn, detail: '', group: '' }));
  // Who is asked is the data chase's rule: owner, deputy (at once while the owner is away or cannot be reached), director, admins.
  const planned = await planChases(deps, sent, items, org, today, now);
  const people = new Map((await repo.people()).map((p) => [p.id, p]));
  for (const [personId, lines] of planned.byPerson) {
    byPerson.set(
      personId,
      lines.map((l) => ({ risk: l.subject, dueOn: l.periodKey, to: people.get(personId)!, level: l.level, number: l.number, why: l.why })),
    );
  }
  plan.summary.reviewsUnaddressed = planned.unaddressed.length;
  plan.summary.reviewsHeld = planned.held.length;
  plan.unreachable = planned.unreachable;
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
        .map((l) => `• **${literal(l.risk.ref)}** ${literal(shortName(l.risk.title, 60))} — now ${scoreWords(currentOf(l.risk), plan.matrix)}; ${overdue(l)}${l.why ? ` _(for ${l.risk.ownerId !== null ? mention(l.risk.ownerId) : 'nobody'}: ${l.why}${l.number > 1 ? ` (reminder ${l.number})` : ''})_` : ''}`)
        .join('\n'),
    ),
    buttons(...lines.slice(0, MAX_BUTTONS).map((l) => ({ id: 'open-risk-review' as const, label: `Review ${l.risk.ref}`.slice(0, 75), value: JSON.stringify({ riskId: l.risk.id }) }))),
  ];
  if (n > MAX_BUTTONS) blocks.push(context(`…buttons for the first ${MAX_BUTTONS}; \`/kpi review <ref>\` opens the form for any of them.`));
  return blocks;
}
