// The actions half of a quarter's report, theme by theme, as councils print it: Cheshire West's
// action summary (counts and percentages per category), the re-phased and no-longer-viable actions
// with their reasons, and Halton's milestone table (Ref, milestone, progress) with the supporting
// commentary — each action as its quarter's update left it (a later update is not this quarter's).
import { categorySummary, planCategory, progressColour, type ActionPosition, PLAN_LABEL, PROGRESS_LABEL, rephasing, type PlanCategory, type Progress, type ProgressColour, type Rephasing } from '../domain/actions.ts';
import { addDays, formatDate } from '../domain/dates.ts';
import type { LocalDate, Period } from '../domain/types.ts';
import { namesOf } from '../services/actions.ts';
import type { ActionProgressStyle, ActionRecord, ActionUpdateRecord, OrgSettings, Repository } from '../ports.ts';

export interface ReportAction {
  ref: string;
  title: string;
  kind: ActionRecord['kind'];
  owner: string | null;
  due: LocalDate;
  originalDue: LocalDate;
  rephasing: Rephasing;
  rephaseReason: string | null;
  category: PlanCategory;
  colour: ProgressColour;
  /** The quarter's progress (its latest update up to the quarter), null: none given. */
  progress: Progress | null;
  /** The period the progress was given for (an earlier quarter's when none this quarter). */
  progressPeriod: string | null;
  commentary: string | null;
}

export interface ReportActionTheme {
  name: string;
  summary: { category: PlanCategory; label: string; count: number; percent: number }[];
  actions: ReportAction[];
}

export interface ReportActions {
  style: ActionProgressStyle;
  /** What the organisation calls an action. */
  word: string;
  themes: ReportActionTheme[];
  /** Every theme's actions together. */
  summary: ReportActionTheme['summary'];
  total: number;
}

/** The quarter's update of an action: the newest version of its latest period up to the quarter. */
export function updateAsOf(updates: ActionUpdateRecord[], quarterKey: string): ActionUpdateRecord | null {
  let best: ActionUpdateRecord | null = null;
  for (const u of updates) {
    if (u.periodKey > quarterKey) continue;
    if (!best || u.periodKey > best.periodKey || (u.periodKey === best.periodKey && u.version > best.version)) best = u;
  }
  return best;
}

/** The actions section of a quarter's report (null when the register holds no actions for it). */
export async function buildReportActions(repo: Repository, org: OrgSettings, quarter: Period, themeOrder: string[], opts: { themeId?: number } = {}): Promise<ReportActions | null> {
  const list = await repo.actions.list({ activeOnly: true, ...(opts.themeId !== undefined ? { themeId: opts.themeId } : {}) });
  if (!list.length) return null;
  const names = await namesOf(repo, list.map((a) => a.ownerId));
  // As at the quarter's end: what was due by its last day and not delivered is overdue (judged the day
  // after), what starts after it is scheduled for a future quarter.
  const asOf = addDays(quarter.end, 1);
  const rows: (ReportAction & { theme: string; pos: ActionPosition })[] = [];
  const updates = await repo.actions.updates(list.map((a) => a.id));
  for (const a of list) {
    const u = updateAsOf(updates.filter((x) => x.actionId === a.id), quarter.key);
    const pos = { start: a.start, due: a.due, originalDue: a.originalDue, progress: u?.progress ?? null };
    rows.push({
      pos,
      theme: a.themeName ?? 'No theme',
      ref: a.ref,
      title: a.title,
      kind: a.kind,
      owner: a.ownerId === null ? null : (names.get(a.ownerId) ?? null),
      due: a.due,
      originalDue: a.originalDue,
      rephasing: rephasing(a.originalDue, a.due),
      rephaseReason: a.rephaseReason,
      category: a.start !== null && a.start > quarter.end && !pos.progress ? 'scheduled_future' : planCategory(pos, asOf),
      colour: progressColour(pos, asOf),
      progress: u?.progress ?? null,
      progressPeriod: u?.periodKey ?? null,
      commentary: u?.commentary || null,
    });
  }
  const themeNames = [...themeOrder.filter((n) => rows.some((r) => r.theme === n)), ...new Set(rows.map((r) => r.theme).filter((n) => !themeOrder.includes(n)))];
  const themes = themeNames.map((name) => {
    const rs = rows.filter((r) => r.theme === name).sort((x, y) => (x.ref < y.ref ? -1 : x.ref > y.ref ? 1 : 0));
    return { name, actions: rs.map(({ theme: _t, pos: _p, ...r }) => r), summary: summaryOf(rs) };
  });
  return { style: org.actionProgress ?? 'plan', word: org.actionWord ?? 'action', themes, summary: summaryOf(rows), total: rows.length };
}

/** Counts and percentages per category, with the words printed. */
const summaryOf = (rows: { category: PlanCategory }[]): ReportActionTheme['summary'] => categorySummary(rows.map((r) => r.category)).map((s) => ({ ...s, label: PLAN_LABEL[s.category] }));

/** "Green", "Amber", "Red" or the category as the organisation prints progress; the owner's word beside it. */
export function progressText(a: ReportAction, style: ActionProgressStyle): string {
  if (style === 'colours') return `${a.colour[0]!.toUpperCase()}${a.colour.slice(1)}${a.progress ? ` (${PROGRESS_LABEL[a.progress].toLowerCase()})` : ' (no update)'}`;
  return PLAN_LABEL[a.category] + (a.category === 'on_target' && a.progress === 'at_risk' ? ' (at risk)' : a.category === 'on_target' && !a.progress ? ' (no update)' : '');
}

/** "31 Mar 2018", or "30 Jun 2018 (first due 31 Mar 2018)". */
export const dueText = (a: ReportAction): string => `${formatDate(a.due)}${a.due !== a.originalDue ? ` (first due ${formatDate(a.originalDue)})` : ''}`;

/** Why an action is in the re-phased list: "Re-phased (over 3 months) from 31 Mar 2018 to 30 Sep 2018: contractor went into administration". */
export function rephasedText(a: ReportAction): string {
  if (a.category === 'no_longer_viable') return `No longer viable${a.commentary ? `: ${a.commentary}` : ''}`;
  return `${PLAN_LABEL[a.rephasing === 'over_3_months' ? 'rephased_over_3_months' : 'rephased_under_3_months']} from ${formatDate(a.originalDue)} to ${formatDate(a.due)}${a.rephaseReason ? `: ${a.rephaseReason}` : ''}`;
}

/** The sentence above the tables: how many, and what the key means. */
export function actionsIntro(a: ReportActions): string {
  const key =
    a.style === 'colours'
      ? 'Progress: Green — on course to be achieved within the appropriate timeframe; Amber — uncertain or too early to say at this stage (or re-phased); Red — highly likely or certain that it will not be achieved (or overdue).'
      : 'Re-phasing is measured against each one’s original due date. An action off track or overdue without a new date agreed is counted apart, not as on target.';
  return `${a.total} ${a.total === 1 ? a.word : `${a.word}s`} in all. ${key}`;
}

/** The section's title: "Actions and milestones", or the organisation's own word ("Milestones", "Commitments and milestones"). */
export function actionsTitle(a: ReportActions): string {
  const words = `${a.word[0]!.toUpperCase()}${a.word.slice(1)}s`;
  return a.word === 'milestone' ? words : `${words} and milestones`;
}
