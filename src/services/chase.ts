// Shared by chase-data, chase-exceptions and chase-actions: which owed items (an indicator's value or
// exception report, an action's progress update — any subject with an owner, a deputy and a director
// above them) are due a reminder today, and who gets it — the owner, or (absent or unreachable owner) the deputy at once; after `escalateAfter`
// reminders the deputy, then the director; with nobody left, the performance admins. Someone the
// bot cannot find on any chat platform is passed over (the message says so), and only reminders
// that reached someone count towards escalation. Reminders fall on working days (weekends and the
// organisation's bank holidays skipped), and an owner who is away with nobody to stand in is not
// reminded until they are back: their reminders do not fall due while they are away, so neither
// does the escalation. A person's first chase after go-live is one short summary.
import { isAbsent, nextReminder } from '../domain/monitor.ts';
import { organisationDaysOff } from './holidays.ts';
import type { LocalDate } from '../domain/types.ts';
import { actions, context, divider, header, literal, mention, message, text } from '../messages/build.ts';
import type { Action, Block, Message } from '../messages/types.ts';
import type { Directory, IndicatorRecord, OrgSettings, Outbox, PersonRecord, ReminderKind, ReminderRecord, Repository } from '../ports.ts';
import { formatDate } from '../domain/dates.ts';
import { tellAdminsWhoCannotBeReached } from '../people/unreachable.ts';
import type { Logger } from '../log.ts';

/** What is chased: whose it is — its owner, deputy (or the owner's) and the director above them. An indicator, an action; a risk fits too. */
export interface ChaseSubject {
  id: number;
  ownerId: number | null;
  deputyId: number | null;
  directorId: number | null;
}

/** A reminder already sent about a subject's period: what the cadence and escalation count. */
export interface SentReminder {
  subjectId: number;
  periodKey: string;
  sentOn: LocalDate;
}

export interface OwedItem<S extends ChaseSubject = IndicatorRecord> {
  subject: S;
  periodKey: string;
  /** Reminders count in working days from this day (the due date, or when the value turned red). */
  from: LocalDate;
  /** Free text for the line, e.g. "due 15 Oct 2025, 3 working days ago". */
  detail: string;
  /** Reminders sent before this day do not count (an approved exception report back to "needs update" starts a new round). */
  countFrom?: LocalDate;
  /** What the item has in common with others, for a first chase's summary: "2017/18 Q3, due 30 Jan 2018 (4 working days overdue)". */
  group: string;
}

export interface PlannedLine<S extends ChaseSubject = IndicatorRecord> extends OwedItem<S> {
  level: 0 | 1 | 2;
  /** Which reminder this is for the item (1 = first). */
  number: number;
  /** Set when the recipient is not the owner: whose item it is. */
  ownerId: number | null;
  why: string | null;
}

export interface ChasePlan<S extends ChaseSubject = IndicatorRecord> {
  /** Recipient person id → lines, in the order the items came. */
  byPerson: Map<number, PlannedLine<S>[]>;
  /** Items due a reminder but with nobody active to send it to. */
  unaddressed: OwedItem<S>[];
  /** People passed over because the bot cannot reach them, with why. */
  unreachable: Map<number, { person: PersonRecord; reason: string }>;
  /** Items not reminded today because their owner is away and nobody can stand in: reminded once they are back. */
  held: (OwedItem<S> & { why: string })[];
}

/** The data or exception reminders sent about these items' indicators. */
export async function indicatorReminders(repo: Repository, kind: ReminderKind, items: OwedItem[]): Promise<SentReminder[]> {
  if (!items.length) return [];
  return (await repo.reminders(kind, [...new Set(items.map((i) => i.subject.id))])).map((r) => ({ subjectId: r.indicatorId, periodKey: r.periodKey, sentOn: r.sentOn }));
}

export async function planChases<S extends ChaseSubject>(
  deps: { repo: Repository; directory: Directory },
  sent: SentReminder[],
  items: OwedItem<S>[],
  org: OrgSettings,
  today: LocalDate,
  now: Date,
): Promise<ChasePlan<S>> {
  const { repo, directory } = deps;
  const plan: ChasePlan<S> = { byPerson: new Map(), unaddressed: [], unreachable: new Map(), held: [] };
  if (!items.length) return plan;
  const countFrom = new Map(items.filter((i) => i.countFrom).map((i) => [`${i.subject.id}|${i.periodKey}`, i.countFrom!]));
  const count = new Map<string, { n: number; last: LocalDate }>();
  for (const r of sent) {
    const k = `${r.subjectId}|${r.periodKey}`;
    if (r.sentOn < (countFrom.get(k) ?? '')) continue;
    const c = count.get(k);
    count.set(k, { n: (c?.n ?? 0) + 1, last: c && c.last > r.sentOn ? c.last : r.sentOn });
  }
  const people = new Map((await repo.people()).map((p) => [p.id, p]));
  const rules = { cadence: org.chaseCadence, escalateAfter: org.escalateAfter, daysOff: organisationDaysOff(org) };
  // Each person is looked up at most once per run.
  const reach = new Map<number, Promise<string | null>>();
  const unreachable = (p: PersonRecord): Promise<string | null> => {
    let r = reach.get(p.id);
    if (!r) {
      r = directory.reach(p, now).then((x) => {
        if (x.ok) return null;
        plan.unreachable.set(p.id, { person: p, reason: x.reason });
        return x.reason;
      });
      reach.set(p.id, r);
    }
    return r;
  };

  for (const item of items) {
    const c = count.get(`${item.subject.id}|${item.periodKey}`);
    const next = nextReminder(item.from, c?.n ?? 0, today, rules, c?.last ?? null);
    if (!next.due) continue;
    const to = await recipient(item.subject, next.level, people, today, unreachable);
    if (to && 'held' in to) {
      plan.held.push({ ...item, why: to.held });
      continue;
    }
    const target = to ?? (await anyAdmin(people, unreachable));
    if (!target) {
      plan.unaddressed.push(item);
      continue;
    }
    const lines = plan.byPerson.get(target.person.id) ?? [];
    lines.push({ ...item, level: next.level, number: next.number, ownerId: target.person.id === item.subject.ownerId ? null : item.subject.ownerId, why: target.why });
    plan.byPerson.set(target.person.id, lines);
  }
  return plan;
}

type Unreachable = (p: PersonRecord) => Promise<string | null>;

/**
 * Who gets a reminder at a level: the first of owner, deputy, director (from the level on) who is
 * active, present and reachable. An owner who is away is stood in for by the deputy; with no deputy to
 * stand in, the reminder is held until the owner is back (`held`) — the director hears of it only by
 * escalation, never because someone is on leave.
 */
async function recipient(
  ind: ChaseSubject,
  level: 0 | 1 | 2,
  people: Map<number, PersonRecord>,
  today: LocalDate,
  unreachable: Unreachable,
): Promise<{ person: PersonRecord; why: string | null } | { held: string } | null> {
  const owner = ind.ownerId ? people.get(ind.ownerId) : undefined;
  const deputyId = ind.deputyId ?? owner?.deputyId ?? null;
  const deputy = deputyId ? people.get(deputyId) : undefined;
  const ownerAway = owner && owner.active && isAbsent(owner, today) ? `the owner is away until ${formatDate(owner.absentUntil!)}` : null;
  // Said as it is: an indicator with no owner (or no deputy) is not one whose owner "has not responded"
  // or whose owner and deputy "cannot be reached".
  const noOwner = !owner || !owner.active;
  const noDeputy = !deputy || !deputy.active;
  const ownerPart = noOwner ? (noDeputy ? 'it has no owner or deputy in the register' : 'it has no owner in the register') : (ownerAway ?? 'the owner has not responded');
  const deputyPart = noOwner ? null : 'it has no deputy';
  /** Why a reminder at this level comes to the deputy or the director, given who was passed over on the way. */
  const whyFor = (role: 'the deputy' | 'the director', passed: string[]): string => {
    const parts =
      role === 'the deputy'
        ? level === 0
          ? passed.length
            ? passed
            : [noOwner ? ownerPart : 'the owner is away']
          : [ownerPart]
        : level === 0
          ? [...passed, noOwner ? ownerPart : noDeputy ? deputyPart : null]
          : level === 1
            ? [ownerPart, ...passed, noDeputy ? deputyPart : null]
            : noOwner || noDeputy || ownerAway
              ? [ownerPart, noDeputy ? deputyPart : 'the deputy has not responded']
              : ['the owner and deputy have not responded'];
    return parts.filter((x): x is string => Boolean(x)).join('; ') || 'neither owner nor deputy can be reached';
  };
  const chain: { id: number | null; role: 'the owner' | 'the deputy' | 'the director' }[] = [
    { id: ind.ownerId, role: 'the owner' },
    { id: deputyId, role: 'the deputy' },
    { id: ind.directorId, role: 'the director' },
  ];
  /** Why the steps before this one were passed over, as the message says it. */
  const passed: string[] = [];
  for (const step of chain.slice(level)) {
    const p = step.id ? people.get(step.id) : undefined;
    if (!p || !p.active) continue;
    // The owner will be back: at the owner's level, nobody above the deputy is asked because of an absence.
    if (level === 0 && ownerAway && step.role === 'the director') return { held: `${ownerAway} and no deputy can stand in` };
    if (isAbsent(p, today)) {
      passed.push(`${step.role} is away until ${formatDate(p.absentUntil!)}`);
      continue;
    }
    const why = await unreachable(p);
    if (why) {
      passed.push(`${step.role} (${literal(p.displayName)}) cannot be reached: ${literal(why)}`);
      continue;
    }
    // Their own indicator (an owner who is also its deputy or director): nothing to explain.
    if (p.id === ind.ownerId || step.role === 'the owner') return { person: p, why: null };
    return { person: p, why: whyFor(step.role, passed) };
  }
  return level === 0 && ownerAway ? { held: `${ownerAway} and no deputy can stand in` } : null;
}

async function anyAdmin(people: Map<number, PersonRecord>, unreachable: Unreachable): Promise<{ person: PersonRecord; why: string } | null> {
  for (const p of people.values()) {
    if (p.role !== 'admin' || !p.active) continue;
    if (!(await unreachable(p))) return { person: p, why: 'no owner, deputy or director can be reached' };
  }
  return null;
}

/** The reminder rows to record once the messages are queued. */
export function reminderRows(kind: ReminderKind, plan: ChasePlan, personId: number, today: LocalDate, messageKey: string): ReminderRecord[] {
  return (plan.byPerson.get(personId) ?? []).map((l) => ({ kind, indicatorId: l.subject.id, periodKey: l.periodKey, personId, level: l.level, sentOn: today, messageKey }));
}

/**
 * At most this many lines per chase, each with its button; the rest are counted and pointed at
 * `/kpi mine`. Within every platform's limits: Slack takes 25 buttons in an actions block and 50
 * blocks a message, Teams lays buttons out three to a row in cards of at most 26,000 bytes.
 */
export const MAX_LINES = 15;

/** What a chase line says about whose item it is, when it is not the recipient's own. */
function whose(l: PlannedLine): string {
  if (l.ownerId) return ` — ${mention(l.ownerId)}'s indicator; ${l.why ?? 'escalated'} (reminder ${l.number})`;
  // Nobody's indicator (no owner in the register): why it comes to this person.
  if (l.why) return ` — ${l.why} (reminder ${l.number})`;
  return l.number > 1 ? ` (reminder ${l.number})` : '';
}

export function chaseMessage(opts: {
  title: string;
  intro: string;
  lines: PlannedLine[];
  button: (l: PlannedLine) => Action;
  describe: (l: PlannedLine) => string;
}): Message {
  const shown = opts.lines.slice(0, MAX_LINES);
  const body = shown.map((l) => `• ${opts.describe(l)}${whose(l)}`);
  const more = opts.lines.length - shown.length;
  const blocks: Block[] = [header(opts.title), text(opts.intro)];
  // A section of text may be at most 3,000 characters on the strictest platform: five lines a block keeps well inside that.
  for (let i = 0; i < body.length; i += 5) blocks.push(text(body.slice(i, i + 5).join('\n')));
  if (more > 0) blocks.push(context(`…and ${more} more. \`/kpi mine\` lists everything.`));
  // Every line listed has its button.
  blocks.push(actions(...shown.map(opts.button)));
  return message(`${opts.title}: ${opts.lines.length} item${opts.lines.length === 1 ? '' : 's'}`, ...blocks);
}

/**
 * A person's first chase after go-live: one short message — what the bot is, which periods it collects,
 * and what is due, grouped (one line per period and whose), each item with its button.
 */
export function firstChaseMessage(opts: {
  title: string;
  /** What the bot is and what it collects, in a sentence or two. */
  about: string;
  /** "3 values are due:" */
  lead: string;
  lines: PlannedLine[];
  /** The group a line belongs to: "2017/18 Q3, due 30 Jan 2018 (4 working days overdue)". */
  group: (l: PlannedLine) => string;
  /** How an item is named in its group: its short name. */
  name: (l: PlannedLine) => string;
  button: (l: PlannedLine) => Action;
  closing: string;
}): Message {
  const shown = opts.lines.slice(0, MAX_LINES);
  // One line per period and whose: "• 2017/18 Q3, due 30 Jan 2018: **a**, **b** — <@owner>'s indicator; the owner is away (reminder 1)".
  const groups = new Map<string, { group: string; whose: string; names: string[] }>();
  for (const l of shown) {
    const key = `${opts.group(l)}|${whose(l)}`;
    const g = groups.get(key) ?? { group: opts.group(l), whose: whose(l), names: [] };
    g.names.push(`**${opts.name(l)}**`);
    groups.set(key, g);
  }
  const body = [...groups.values()].map((g) => `• ${g.group}: ${g.names.join(', ')}${g.whose}`);
  const more = opts.lines.length - shown.length;
  const blocks: Block[] = [header(opts.title), text(opts.about), text(opts.lead)];
  for (let i = 0; i < body.length; i += 5) blocks.push(text(body.slice(i, i + 5).join('\n')));
  if (more > 0) blocks.push(context(`…and ${more} more. \`/kpi mine\` lists everything.`));
  blocks.push(actions(...shown.map(opts.button)), context(opts.closing));
  return message(`${opts.title}: ${opts.lines.length} item${opts.lines.length === 1 ? '' : 's'}`, ...blocks);
}

/**
 * Queue one message per recipient (key `<purpose>:<day>:person:<id>`: at most one a day) and record
 * the reminders it carries. Queued first, recorded second: a crash in between loses no reminder.
 */
export async function queueChases(
  deps: { repo: Repository; outbox: Outbox; log: Logger; directory: Directory },
  o: {
    kind: ReminderKind;
    purpose: string;
    items: OwedItem[];
    plan: ChasePlan;
    today: LocalDate;
    now: Date;
    /** The day collection began: a person sent no reminder since then gets the first-chase summary. */
    collectingSince: LocalDate;
    build: (lines: PlannedLine[], first: boolean) => Message;
    /** More a person owes, sent in the same message (the progress updates of their actions), and what to record once it is queued. */
    appendix?: Map<number, { summary: string; blocks: Block[]; queued: () => Promise<unknown> }>;
  },
): Promise<Record<string, number>> {
  const summary = {
    owed: o.items.length,
    people: 0,
    firstChases: 0,
    reminders: 0,
    skippedAlreadyChasedToday: 0,
    heldOwnerAway: o.plan.held.length,
    unaddressed: o.plan.unaddressed.length,
    unreachable: o.plan.unreachable.size,
    adminsTold: 0,
  };
  const reminded = o.plan.byPerson.size ? await deps.repo.peopleRemindedSince(o.collectingSince) : new Set<number>();
  for (const [personId, lines] of o.plan.byPerson) {
    const key = `${o.purpose}:${o.today}:person:${personId}`;
    const first = !reminded.has(personId);
    const built = o.build(lines, first);
    const more = o.appendix?.get(personId);
    const msg = more ? { ...built, text: `${built.text} ${more.summary}`, blocks: [...built.blocks, divider, ...more.blocks] } : built;
    const queued = await deps.outbox.enqueue({ key, purpose: o.purpose, to: { kind: 'person', personId }, message: msg }, o.now);
    if (!queued) {
      summary.skippedAlreadyChasedToday++;
      continue;
    }
    summary.people++;
    if (first) summary.firstChases++;
    summary.reminders += await deps.repo.recordReminders(reminderRows(o.kind, o.plan, personId, o.today, key));
    await more?.queued();
  }
  if (o.plan.unaddressed.length) deps.log.warn({ indicators: o.plan.unaddressed.map((i) => i.subject.slug) }, `${o.purpose}: nobody to chase`);
  summary.adminsTold = await tellAdminsWhoCannotBeReached(deps, o.plan.unreachable, o.purpose, o.today, o.now);
  deps.log.info(summary, o.purpose);
  return summary;
}
