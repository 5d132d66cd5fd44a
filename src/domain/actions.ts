// Actions and milestones as councils report them: what the owner says of an action's progress
// (typed), what is computed from its dates (re-phased, overdue, scheduled for a later quarter), and
// the two ways councils print the result — Cheshire West's six categories of planned actions and
// Halton's three-colour progress key for milestones. One model, two vocabularies. Pure: no platform,
// no storage.
import { fromUtc, lastDayOfMonth } from './dates.ts';
import type { LocalDate } from './types.ts';

/** What an owner says of an action's progress in an update. Delivered and no longer viable are final. */
export type Progress = 'not_started' | 'on_target' | 'at_risk' | 'off_track' | 'delivered' | 'no_longer_viable';
export const PROGRESS: readonly Progress[] = ['not_started', 'on_target', 'at_risk', 'off_track', 'delivered', 'no_longer_viable'];

/** An action is finished once delivered or declared no longer viable: no more updates are asked for. */
export const isFinal = (p: Progress | null): boolean => p === 'delivered' || p === 'no_longer_viable';

/** What a person types for each progress, first the word shown. */
export const PROGRESS_WORDS: Record<Progress, readonly string[]> = {
  not_started: ['not started', 'not-started', 'scheduled', 'future', 'not yet started'],
  on_target: ['on target', 'on-target', 'on track', 'on-track', 'on course', 'green', 'g'],
  at_risk: ['at risk', 'at-risk', 'uncertain', 'too early to say', 'amber', 'a'],
  off_track: ['off track', 'off-track', 'off target', 'off-target', 'behind', 'red', 'r'],
  delivered: ['delivered', 'complete', 'completed', 'done', 'achieved'],
  no_longer_viable: ['no longer viable', 'no-longer-viable', 'not viable', 'abandoned', 'cancelled', 'withdrawn'],
};

/** The progress a person's words mean, or null. Case and spacing do not matter. */
export function readProgress(text: string): Progress | null {
  const t = text.trim().toLowerCase().replace(/[\s_]+/g, ' ');
  for (const p of PROGRESS) if (PROGRESS_WORDS[p].some((w) => w.replace(/-/g, ' ') === t.replace(/-/g, ' '))) return p;
  return null;
}

/** The progress words that start a text, and the rest (`on target Contract signed` → on_target, "Contract signed"). */
export function leadingProgress(text: string): { progress: Progress; rest: string } | null {
  const words = text.trim().split(/\s+/);
  for (let n = Math.min(5, words.length); n >= 1; n--) {
    const p = readProgress(words.slice(0, n).join(' '));
    if (p) return { progress: p, rest: words.slice(n).join(' ') };
  }
  return null;
}

export const PROGRESS_LABEL: Record<Progress, string> = {
  not_started: 'Not started',
  on_target: 'On target',
  at_risk: 'At risk',
  off_track: 'Off track',
  delivered: 'Delivered',
  no_longer_viable: 'No longer viable',
};

/** A date some whole calendar months later, on the same day or the month's last (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(d: LocalDate, months: number): LocalDate {
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7)) - 1 + months;
  const year = y + Math.floor(m / 12);
  const month = (((m % 12) + 12) % 12) + 1;
  const day = Math.min(Number(d.slice(8, 10)), lastDayOfMonth(year, month));
  return fromUtc(Date.UTC(year, month - 1, day));
}

/** How far an action's due date has moved from the one first agreed. */
export type Rephasing = 'none' | 'under_3_months' | 'over_3_months';

/**
 * Re-phasing is computed, never typed: a due date later than the original is re-phased, by up to
 * three calendar months "under 3 months" (exactly three months included), by more "over 3 months".
 * A due date brought forward is not re-phasing.
 */
export function rephasing(originalDue: LocalDate, due: LocalDate): Rephasing {
  if (due <= originalDue) return 'none';
  return due <= addMonths(originalDue, 3) ? 'under_3_months' : 'over_3_months';
}

/** What the report and the lists need to know of one action, as of a day (usually a quarter's last day). */
export interface ActionPosition {
  start: LocalDate | null;
  due: LocalDate;
  originalDue: LocalDate;
  /** The latest update's progress; null when none was ever given. */
  progress: Progress | null;
}

/** Due and not finished by the day. */
export const isOverdue = (a: ActionPosition, asOf: LocalDate): boolean => !isFinal(a.progress) && a.due < asOf;

/** Cheshire West's categories of planned actions, and the one kpi-bot adds so nothing is hidden. */
export type PlanCategory = 'delivered' | 'on_target' | 'scheduled_future' | 'rephased_under_3_months' | 'rephased_over_3_months' | 'no_longer_viable' | 'off_track';

export const PLAN_CATEGORIES: readonly PlanCategory[] = ['delivered', 'on_target', 'scheduled_future', 'rephased_under_3_months', 'rephased_over_3_months', 'no_longer_viable', 'off_track'];

export const PLAN_LABEL: Record<PlanCategory, string> = {
  delivered: 'Delivered',
  on_target: 'On target',
  scheduled_future: 'Scheduled for future quarter',
  rephased_under_3_months: 'Re-phased (under 3 months)',
  rephased_over_3_months: 'Re-phased (over 3 months)',
  no_longer_viable: 'No longer viable',
  off_track: 'Off track or overdue (not re-phased)',
};

/**
 * An action in Cheshire West's six categories, as of the quarter's last day: final states first, then
 * re-phasing (measured against the original due date), then an action that starts after the quarter
 * ("scheduled for future quarter"). An action its owner says is off track, or that is overdue, without
 * a new date agreed, is not "on target": it is counted apart (a seventh category, printed only when
 * some action is in it) so the table never hides it.
 */
export function planCategory(a: ActionPosition, asOf: LocalDate): PlanCategory {
  if (a.progress === 'delivered') return 'delivered';
  if (a.progress === 'no_longer_viable') return 'no_longer_viable';
  const r = rephasing(a.originalDue, a.due);
  if (r === 'over_3_months') return 'rephased_over_3_months';
  if (r === 'under_3_months') return 'rephased_under_3_months';
  if (a.progress === 'off_track' || isOverdue(a, asOf)) return 'off_track';
  if (a.start !== null && a.start > asOf) return 'scheduled_future';
  return 'on_target';
}

/** Halton's progress key: the same three colours for milestones and indicators. */
export type ProgressColour = 'green' | 'amber' | 'red';

export const COLOUR_MEANING: Record<ProgressColour, string> = {
  green: 'on course to be achieved within the appropriate timeframe',
  amber: 'uncertain or too early to say at this stage',
  red: 'highly likely or certain that it will not be achieved',
};

/**
 * A milestone's progress colour, as of a day: delivered or on target is green; at risk, not started,
 * no update yet or re-phased (it will not be met in the timeframe first agreed) is amber; off track,
 * overdue or no longer viable is red.
 */
export function progressColour(a: ActionPosition, asOf: LocalDate): ProgressColour {
  if (a.progress === 'delivered') return 'green';
  if (a.progress === 'no_longer_viable' || a.progress === 'off_track' || isOverdue(a, asOf)) return 'red';
  if (a.progress === 'on_target' && rephasing(a.originalDue, a.due) === 'none') return 'green';
  return 'amber';
}

/** Counts per category, with each category's share of the whole (percentages to one decimal, as Cheshire West prints them). */
export function planSummary(actions: ActionPosition[], asOf: LocalDate): { category: PlanCategory; count: number; percent: number }[] {
  return categorySummary(actions.map((a) => planCategory(a, asOf)));
}

/** Counts of categories already worked out; the off-track category only when some action is in it. */
export function categorySummary(categories: PlanCategory[]): { category: PlanCategory; count: number; percent: number }[] {
  const counts = new Map<PlanCategory, number>(PLAN_CATEGORIES.map((c) => [c, 0]));
  for (const c of categories) counts.set(c, counts.get(c)! + 1);
  return PLAN_CATEGORIES.filter((c) => c !== 'off_track' || counts.get(c)! > 0).map((category) => ({
    category,
    count: counts.get(category)!,
    percent: categories.length ? Math.round((counts.get(category)! / categories.length) * 1000) / 10 : 0,
  }));
}

/** What a channel subscribed to actions is told about: an action off track, overdue, or re-phased by more than three months. */
export type ActionCondition = 'off_track' | 'overdue' | 'rephased';
export const ACTION_CONDITIONS: readonly ActionCondition[] = ['off_track', 'overdue', 'rephased'];

export const CONDITION_LABEL: Record<ActionCondition, string> = { off_track: 'off track', overdue: 'overdue', rephased: 're-phased by more than 3 months' };

/** Which alerting conditions hold for an action as of a day; none once it is delivered or no longer viable. */
export function actionConditions(a: ActionPosition, asOf: LocalDate): ActionCondition[] {
  if (isFinal(a.progress)) return [];
  const holds: Record<ActionCondition, boolean> = { off_track: a.progress === 'off_track', overdue: isOverdue(a, asOf), rephased: rephasing(a.originalDue, a.due) === 'over_3_months' };
  return ACTION_CONDITIONS.filter((c) => holds[c]);
}
