// Shared by chase-data and chase-exceptions: which owed items are due a reminder today, and who
// gets it — the owner, or (absent owner) the deputy; after `escalateAfter` reminders the deputy,
// then the director; with nobody left, the performance admins.
import { isAbsent, nextReminder } from '../domain/monitor.ts';
import type { LocalDate } from '../domain/types.ts';
import { actions, context, header, mention, message, text } from '../messages/build.ts';
import type { Action, Block, Message } from '../messages/types.ts';
import type { IndicatorRecord, OrgSettings, Outbox, PersonRecord, ReminderKind, ReminderRecord, Repository } from '../ports.ts';
import type { Logger } from '../log.ts';

export interface OwedItem {
  indicator: IndicatorRecord;
  periodKey: string;
  /** Reminders count in working days from this day (the due date, or when the value turned red). */
  from: LocalDate;
  /** Free text for the line, e.g. "due 15 Oct 2025, 3 working days ago". */
  detail: string;
}

export interface PlannedLine extends OwedItem {
  level: 0 | 1 | 2;
  /** Which reminder this is for the item (1 = first). */
  number: number;
  /** Set when the recipient is not the owner: whose item it is. */
  ownerId: number | null;
  why: string | null;
}

export interface ChasePlan {
  /** Recipient person id → lines, in the order the items came. */
  byPerson: Map<number, PlannedLine[]>;
  /** Items due a reminder but with nobody active to send it to. */
  unaddressed: OwedItem[];
}

export async function planChases(repo: Repository, kind: ReminderKind, items: OwedItem[], org: OrgSettings, today: LocalDate): Promise<ChasePlan> {
  const plan: ChasePlan = { byPerson: new Map(), unaddressed: [] };
  if (!items.length) return plan;
  const sent = await repo.reminders(kind, [...new Set(items.map((i) => i.indicator.id))]);
  const count = new Map<string, { n: number; last: LocalDate }>();
  for (const r of sent) {
    const k = `${r.indicatorId}|${r.periodKey}`;
    const c = count.get(k);
    count.set(k, { n: (c?.n ?? 0) + 1, last: c && c.last > r.sentOn ? c.last : r.sentOn });
  }
  const people = new Map((await repo.people()).map((p) => [p.id, p]));
  const admins = [...people.values()].filter((p) => p.role === 'admin' && p.active);
  const rules = { cadence: org.chaseCadence, escalateAfter: org.escalateAfter };

  for (const item of items) {
    const c = count.get(`${item.indicator.id}|${item.periodKey}`);
    const next = nextReminder(item.from, c?.n ?? 0, today, rules, c?.last ?? null);
    if (!next.due) continue;
    const target = recipient(item.indicator, next.level, people, today) ?? (admins[0] ? { person: admins[0], why: 'no owner, deputy or director can be reached' } : null);
    if (!target) {
      plan.unaddressed.push(item);
      continue;
    }
    const lines = plan.byPerson.get(target.person.id) ?? [];
    lines.push({ ...item, level: next.level, number: next.number, ownerId: target.person.id === item.indicator.ownerId ? null : item.indicator.ownerId, why: target.why });
    plan.byPerson.set(target.person.id, lines);
  }
  return plan;
}

function recipient(ind: IndicatorRecord, level: 0 | 1 | 2, people: Map<number, PersonRecord>, today: LocalDate): { person: PersonRecord; why: string | null } | null {
  const reachable = (id: number | null | undefined): PersonRecord | null => {
    const p = id ? people.get(id) : undefined;
    return p && p.active && !isAbsent(p, today) ? p : null;
  };
  const owner = ind.ownerId ? people.get(ind.ownerId) : undefined;
  const deputyId = ind.deputyId ?? owner?.deputyId ?? null;
  const chain: { id: number | null; why: string | null }[] = [
    { id: ind.ownerId, why: null },
    { id: deputyId, why: level === 0 ? 'the owner is away' : 'the owner has not responded' },
    { id: ind.directorId, why: level === 2 ? 'the owner and deputy have not responded' : 'neither owner nor deputy can be reached' },
  ];
  for (const step of chain.slice(level)) {
    const p = reachable(step.id);
    if (p) return { person: p, why: p.id === ind.ownerId ? null : step.why };
  }
  return null;
}

/** The reminder rows to record once the messages are queued. */
export function reminderRows(kind: ReminderKind, plan: ChasePlan, personId: number, today: LocalDate): ReminderRecord[] {
  return (plan.byPerson.get(personId) ?? []).map((l) => ({ kind, indicatorId: l.indicator.id, periodKey: l.periodKey, personId, level: l.level, sentOn: today }));
}

/** At most this many lines and buttons per chase; the rest are counted and pointed at `/kpi mine`. */
export const MAX_LINES = 15;
export const MAX_BUTTONS = 5;

export function chaseMessage(opts: {
  title: string;
  intro: string;
  lines: PlannedLine[];
  button: (l: PlannedLine) => Action;
  describe: (l: PlannedLine) => string;
}): Message {
  const shown = opts.lines.slice(0, MAX_LINES);
  const body = shown.map((l) => {
    const whose = l.ownerId ? ` — ${mention(l.ownerId)}'s indicator; ${l.why ?? 'escalated'} (reminder ${l.number})` : l.number > 1 ? ` (reminder ${l.number})` : '';
    return `• ${opts.describe(l)}${whose}`;
  });
  const more = opts.lines.length - shown.length;
  const blocks: Block[] = [header(opts.title), text(opts.intro)];
  // Slack sections take 3,000 characters: five lines a block keeps well inside that.
  for (let i = 0; i < body.length; i += 5) blocks.push(text(body.slice(i, i + 5).join('\n')));
  if (more > 0) blocks.push(context(`…and ${more} more. \`/kpi mine\` lists everything.`));
  blocks.push(actions(...opts.lines.slice(0, MAX_BUTTONS).map(opts.button)));
  return message(`${opts.title}: ${opts.lines.length} item${opts.lines.length === 1 ? '' : 's'}`, ...blocks);
}

/**
 * Queue one message per recipient (key `<purpose>:<day>:person:<id>`: at most one a day) and record
 * the reminders it carries. Queued first, recorded second: a crash in between loses no reminder.
 */
export async function queueChases(
  deps: { repo: Repository; outbox: Outbox; log: Logger },
  o: { kind: ReminderKind; purpose: string; items: OwedItem[]; plan: ChasePlan; today: LocalDate; now: Date; build: (lines: PlannedLine[]) => Message },
): Promise<Record<string, number>> {
  const summary = { owed: o.items.length, people: 0, reminders: 0, skippedAlreadyChasedToday: 0, unaddressed: o.plan.unaddressed.length };
  for (const [personId, lines] of o.plan.byPerson) {
    const queued = await deps.outbox.enqueue({ key: `${o.purpose}:${o.today}:person:${personId}`, purpose: o.purpose, to: { kind: 'person', personId }, message: o.build(lines) }, o.now);
    if (!queued) {
      summary.skippedAlreadyChasedToday++;
      continue;
    }
    summary.people++;
    summary.reminders += await deps.repo.recordReminders(reminderRows(o.kind, o.plan, personId, o.today));
  }
  if (o.plan.unaddressed.length) deps.log.warn({ indicators: o.plan.unaddressed.map((i) => i.indicator.slug) }, `${o.purpose}: nobody to chase`);
  deps.log.info(summary, o.purpose);
  return summary;
}
