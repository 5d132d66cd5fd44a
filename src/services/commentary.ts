// What commands, jobs and the report share about commentary: who may write a scope's (a theme's
// director, the director's deputy, performance admins; the whole report's: performance admins), the
// lock a sign-off puts on a quarter's commentary, what is written and owed for a quarter, and the chase
// — asked of each theme's director once the quarter's reporting window is due and until it is signed
// off, in the same daily message as progress updates (jobs/chase-actions.ts, jobs/chase-data.ts).
import { emptySections, sectionsFor } from '../domain/commentary.ts';
import { addDays, addWorkingDays, formatDate, localDateOf, workingDaysBetween, type DaysOff } from '../domain/dates.ts';
import { dueDate, formatPeriodInFull, periodFromKey } from '../domain/periods.ts';
import { monthsOf } from '../domain/coverage.ts';
import { isAbsent, nextReminder } from '../domain/monitor.ts';
import type { LocalDate, Period } from '../domain/types.ts';
import type { CommentaryRecord, CommentaryReminderRecord, OrgSettings, PersonRecord, Repository, ThemeRecord } from '../ports.ts';
import { actions as buttons, literal, mention, text } from '../messages/build.ts';
import type { Block } from '../messages/types.ts';
import { chaseFrom } from './go-live.ts';
import { organisationDaysOff } from './holidays.ts';
import { isAdmin } from './permissions.ts';
import { reportingQuarter } from './actions.ts';

/** A theme with no quarterly or monthly indicators: its commentary is due this many working days after the quarter ends, with the progress updates. */
export const COMMENTARY_WORKING_DAYS = 10;

/** Whose commentary: a theme's, or (null) the whole report's. */
export type CommentaryScope = ThemeRecord | null;

export const scopeName = (t: CommentaryScope): string => (t ? t.name : 'the whole report');

/** The theme's director, the director's deputy and performance admins write a theme's commentary; performance admins the whole report's. */
export function canWriteCommentary(p: PersonRecord | null, theme: CommentaryScope, director: PersonRecord | null): boolean {
  if (!p || !p.active) return false;
  if (isAdmin(p)) return true;
  if (!theme || theme.directorId === null) return false;
  return theme.directorId === p.id || (director?.deputyId !== null && director?.deputyId === p.id);
}

/** What someone who may not write a scope's commentary is told. */
export function commentaryRefusal(theme: CommentaryScope, director: PersonRecord | null): string {
  if (!theme) return 'Sorry, only performance admins write the commentary for the whole report.';
  return `Sorry, only ${director ? `${literal(director.displayName)} (the theme’s director), their deputy` : 'the theme’s director'} or a performance admin can write the commentary for ${literal(theme.name)}.`;
}

/** Why a quarter's commentary cannot change: it was signed off (by whom, when); null while it is open. */
export async function commentaryLocked(repo: Repository, quarter: Period): Promise<string | null> {
  const lock = await repo.lockCovering(quarter.start, quarter.end);
  if (!lock) return null;
  const [org, by] = await Promise.all([repo.org(), lock.closedById !== null ? repo.person(lock.closedById) : Promise.resolve(null)]);
  return `${formatPeriodInFull(quarter)} was signed off on ${formatDate(localDateOf(lock.closedAt, org.timeZone))}${by ? ` by ${literal(by.displayName)}` : ''}: its commentary is as the report printed it, and can no longer be changed. Write it for a later quarter instead.`;
}

export interface ScopeStatus {
  theme: CommentaryScope;
  /** The newest version, draft or submitted. */
  current: CommentaryRecord | null;
  /** The newest submitted version: what the report prints. */
  submitted: CommentaryRecord | null;
  /** Nothing submitted yet. */
  owed: boolean;
}

/**
 * Every scope that writes commentary for a quarter — each theme with active indicators or actions, then
 * the whole report — with its current version and whether it is still owed (none submitted).
 */
export async function commentaryStatus(repo: Repository, quarterKey: string): Promise<ScopeStatus[]> {
  const [themes, indicators, actions, written, submitted] = await Promise.all([
    repo.themes(),
    repo.indicators({ activeOnly: true }),
    repo.actions.list({ activeOnly: true }),
    repo.commentary.forQuarter(quarterKey),
    repo.commentary.forQuarter(quarterKey, { submitted: true }),
  ]);
  const used = new Set([...indicators.map((i) => i.themeId), ...actions.map((a) => a.themeId)]);
  const scopes: CommentaryScope[] = [...themes.filter((t) => used.has(t.id)), null];
  return scopes.map((theme) => {
    const mine = (c: CommentaryRecord) => c.themeId === (theme?.id ?? null);
    const done = submitted.find(mine) ?? null;
    return { theme, current: written.find(mine) ?? null, submitted: done, owed: !done };
  });
}

/** The sections to show in a form or a chase: the organisation's, with what the current version holds. */
export const sectionsNow = (org: Pick<OrgSettings, 'commentarySections'>, current: CommentaryRecord | null) => sectionsFor(org.commentarySections ?? [], current?.sections ?? []);

export interface OwedCommentary {
  theme: CommentaryScope;
  current: CommentaryRecord | null;
  due: LocalDate;
  level: 0 | 1 | 2;
  number: number;
  /** Set when the recipient is not the director: why it comes to them. */
  why: string | null;
}

export interface CommentaryChasePlan {
  quarter: Period;
  today: LocalDate;
  daysOff: DaysOff;
  byPerson: Map<number, OwedCommentary[]>;
  /** Recorded once sent: one per scope (the first person it went to). */
  rows: Map<number, CommentaryReminderRecord[]>;
  summary: { commentaryQuarter: string; commentaryOwed: number; commentaryDueNow: number; commentaryHeld: number; commentaryUnaddressed: number; commentaryNotAsked?: string };
}

/**
 * When a quarter's commentary is due, per theme: once the quarter's values are — the day the last of
 * its quarterly and monthly indicators' values is due (period end plus reporting lag), or, sooner, the
 * day the last of them came in (the figures are there to write about). A theme with none: with the
 * progress updates, 10 working days after the quarter. The whole report's: when the last theme's is.
 */
export async function commentaryDueDates(repo: Repository, quarter: Period, themeIds: number[], daysOff: DaysOff, timeZone: string): Promise<{ themes: Map<number, LocalDate>; report: LocalDate }> {
  const indicators = (await repo.indicators({ activeOnly: true })).filter((i) => i.themeId !== null && (i.frequency === 'quarterly' || i.frequency === 'monthly'));
  const histories = await repo.histories(indicators.map((i) => i.id));
  // A monthly indicator's value for the quarter is its last month's (due when the quarter's is).
  const lastMonth = monthsOf(quarter)[2]!.key;
  const fallback = addWorkingDays(quarter.end, COMMENTARY_WORKING_DAYS, daysOff);
  const themes = new Map<number, LocalDate>();
  for (const id of themeIds) {
    const mine = indicators.filter((i) => i.themeId === id);
    if (!mine.length) {
      themes.set(id, fallback);
      continue;
    }
    let allDue = '';
    let allIn: string | null = '';
    for (const i of mine) {
      const d = dueDate(quarter, i.reportingLagDays);
      if (d > allDue) allDue = d;
      const obs = histories.get(i.id)?.observations.find((o) => o.periodKey === (i.frequency === 'monthly' ? lastMonth : quarter.key));
      const given = obs ? localDateOf(obs.submittedAt, timeZone) : null;
      if (allIn !== null) allIn = given === null ? null : given > allIn ? given : allIn;
    }
    themes.set(id, allIn !== null && allIn < allDue ? (allIn > quarter.end ? allIn : addDays(quarter.end, 1)) : allDue);
  }
  const report = themes.size ? [...themes.values()].reduce((a, b) => (b > a ? b : a)) : fallback;
  return { themes, report };
}

/**
 * Who is asked today for which commentary: the reporting quarter's (the latest ended), once it is due
 * (commentaryDueDates; counted from go-live when later), never for a quarter ending before the first
 * period collected, and not once it is signed off. A theme's director is
 * asked; while away, their deputy; with no deputy to stand in, held until they are back. After the
 * organisation's `escalateAfter` reminders it goes to the deputy, then the performance admins. The
 * whole report's goes to every performance admin.
 */
export async function planCommentaryChases(repo: Repository, org: OrgSettings, today: LocalDate): Promise<CommentaryChasePlan> {
  const daysOff = organisationDaysOff(org);
  const quarter = reportingQuarter(today, org.fyStartMonth);
  const plan: CommentaryChasePlan = {
    quarter,
    today,
    daysOff,
    byPerson: new Map(),
    rows: new Map(),
    summary: { commentaryQuarter: quarter.key, commentaryOwed: 0, commentaryDueNow: 0, commentaryHeld: 0, commentaryUnaddressed: 0 },
  };
  const notAsked = (why: string) => ((plan.summary.commentaryNotAsked = why), plan);
  if (!org.collectFrom) return notAsked('go-live not set yet');
  if (quarter.end < periodFromKey(org.collectFrom, org.fyStartMonth).start) return notAsked(`${quarter.key} ends before ${org.collectFrom}, the first period collected`);
  if (await repo.lockCovering(quarter.start, quarter.end)) return notAsked(`${quarter.key} is signed off`);
  const status = await commentaryStatus(repo, quarter.key);
  const owedAll = status.filter((s) => s.owed);
  plan.summary.commentaryOwed = owedAll.length;
  if (!owedAll.length) return plan;
  const dues = await commentaryDueDates(repo, quarter, status.flatMap((s) => (s.theme ? [s.theme.id] : [])), daysOff, org.timeZone);
  const dueOf = (s: ScopeStatus) => (s.theme ? dues.themes.get(s.theme.id)! : dues.report);
  const owed = owedAll.filter((s) => dueOf(s) <= today);
  plan.summary.commentaryDueNow = owed.length;
  if (!owed.length) return plan;
  const sent = await repo.commentary.reminders(quarter.key);
  const people = new Map((await repo.people()).map((p) => [p.id, p]));
  const active = (id: number | null | undefined) => (id == null ? undefined : people.get(id)?.active ? people.get(id) : undefined);
  const admins = [...people.values()].filter((p) => p.active && p.role === 'admin' && !isAbsent(p, today));
  const rules = { cadence: org.chaseCadence, escalateAfter: org.escalateAfter, daysOff };
  for (const s of owed) {
    const themeId = s.theme?.id ?? null;
    const mine = sent.filter((r) => r.themeId === themeId);
    const due = dueOf(s);
    const from = org.collectingSince ? chaseFrom(due, org.collectingSince) : due;
    const r = nextReminder(from, mine.length, today, rules, mine.at(-1)?.sentOn ?? null);
    if (!r.due) continue;
    let to: PersonRecord[] = [];
    let why: string | null = null;
    if (!s.theme) to = admins;
    else {
      const director = active(s.theme.directorId);
      const deputy = active(director?.deputyId);
      const away = director && isAbsent(director, today) ? `${literal(director.displayName)} is away until ${formatDate(director.absentUntil!)}` : null;
      const present = (p: PersonRecord | undefined) => (p && !isAbsent(p, today) ? p : undefined);
      if (r.level === 0 && director && !away) to = [director];
      else if (r.level === 0 && away) {
        if (!present(deputy)) {
          plan.summary.commentaryHeld++;
          continue;
        }
        [to, why] = [[deputy!], away];
      } else if (r.level <= 1 && present(deputy)) [to, why] = [[deputy!], director ? `${literal(director.displayName)} has not written it (reminder ${r.number})` : 'the theme has no director'];
      else [to, why] = [admins.slice(0, 1), director ? `the director${deputy ? ' and deputy have' : ' has'} not written it (reminder ${r.number})` : 'the theme has no director'];
    }
    if (!to.length) {
      plan.summary.commentaryUnaddressed++;
      continue;
    }
    for (const p of to) plan.byPerson.set(p.id, [...(plan.byPerson.get(p.id) ?? []), { theme: s.theme, current: s.current, due, level: r.level, number: r.number, why }]);
    plan.rows.set(to[0]!.id, [...(plan.rows.get(to[0]!.id) ?? []), { themeId, periodKey: quarter.key, personId: to[0]!.id, level: r.level, sentOn: today }]);
  }
  return plan;
}

/** A person was sent their reminders: record them (the cadence and escalation count them). */
export async function recordCommentaryReminders(repo: Repository, plan: CommentaryChasePlan, personId: number): Promise<void> {
  const rows = plan.rows.get(personId);
  if (rows?.length) await repo.commentary.recordReminders(rows);
}

/** The button that opens a scope's commentary form. */
export const commentaryButton = (theme: CommentaryScope, periodKey: string, label = `Write commentary: ${theme ? theme.name : 'whole report'}`) => ({
  id: 'open-commentary' as const,
  label: label.length > 75 ? `${label.slice(0, 74)}…` : label,
  value: JSON.stringify({ themeId: theme?.id ?? null, periodKey }),
  style: 'primary' as const,
});

/** What a person owes, as blocks: part of the day's chase message. */
export function commentaryChaseBlocks(plan: CommentaryChasePlan, lines: OwedCommentary[], org: Pick<OrgSettings, 'commentarySections'>): Block[] {
  const headings = (org.commentarySections ?? []).map((h) => `“${literal(h)}”`).join(', ');
  const lead = `The commentary for ${formatPeriodInFull(plan.quarter)} is due now that its figures are, before the quarter is signed off: ${headings}. It opens the report, with your name.`;
  const line = (l: OwedCommentary) => {
    const late = workingDaysBetween(l.due, plan.today, plan.daysOff);
    const when = `due ${formatDate(l.due)}${late > 0 ? ` (${late} working day${late === 1 ? '' : 's'} ago)` : ''}`;
    const state = l.current ? `draft saved, ${emptySections(sectionsNow(org, l.current)).length ? 'not finished' : 'not submitted'}` : 'not started';
    const whose = l.why ? ` _(${l.theme?.directorId != null ? `for ${mention(l.theme.directorId)}: ` : ''}${l.why})_` : l.number > 1 ? ` (reminder ${l.number})` : '';
    return `• **${literal(scopeName(l.theme))}** — ${when}; ${state}${whose}`;
  };
  return [
    text(`✍️ ${lead}`),
    text(lines.map(line).join('\n')),
    buttons(...lines.slice(0, 10).map((l) => commentaryButton(l.theme, plan.quarter.key))),
  ];
}
