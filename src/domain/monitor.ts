// The monitor's rules, pure: when a status change deserves an alert, and when an owner is due a
// reminder and to whom it escalates. The jobs apply them; nothing here touches I/O.
import { addWorkingDays, NO_DAYS_OFF, type DaysOff } from './dates.ts';
import type { Direction, LocalDate, Status } from './types.ts';

export interface StatusPoint {
  periodKey: string;
  status: Status;
  direction: Direction | null;
  /** The value judged (year to date where the indicator accumulates); undefined when not recorded. */
  value?: number | null;
  /** The target that applied; null or undefined when there was none or it was not recorded. */
  target?: number | null;
  /** The year-end forecast misses its target; null or undefined when there is no forecast or it was not recorded. */
  forecastMiss?: boolean | null;
}

/**
 * Why a change is news:
 * - `turned-red`: red now, and not red before (or red for a new period after a recovery).
 * - `declining`: red or amber and now declining, where it was not (the organisation may switch this off).
 * - `recovered`: was red, is not any more.
 * - `forecast-miss`: still green or amber, and now forecast to miss its year-end target where it was not.
 * - `changed`: anything else that moved materially (a correction, a new target, amber ↔ green): said only
 *   where a post already exists, so a living alert always shows the latest value and target.
 * - `quiet`: worth recording (a figure recorded for the first time, a forecast that stopped missing) but not worth a message.
 */
export type ChangeKind = 'turned-red' | 'declining' | 'recovered' | 'forecast-miss' | 'changed' | 'quiet';

/** Two figures differ materially when they print differently at the indicator's decimals. */
export function materiallyDifferent(a: number | null | undefined, b: number | null | undefined, decimals: number): boolean {
  if (a === undefined || b === undefined || a === null || b === null) return false;
  return a.toFixed(decimals) !== b.toFixed(decimals);
}

export function classifyChange(prev: StatusPoint | null, next: StatusPoint, rules: { alertOnDeclining: boolean; decimals?: number }): ChangeKind | null {
  const d = rules.decimals ?? 2;
  const samePlace = prev && prev.periodKey === next.periodKey && prev.status === next.status && prev.direction === next.direction;
  const figures = prev && (materiallyDifferent(prev.value, next.value, d) || materiallyDifferent(prev.target, next.target, d));
  const known = (f: boolean | null | undefined): f is boolean => f === true || f === false;
  const forecastMoved = prev && known(prev.forecastMiss) && known(next.forecastMiss) && prev.forecastMiss !== next.forecastMiss;
  const newlyRecorded =
    prev &&
    ((prev.value === undefined && next.value !== undefined) || (!known(prev.forecastMiss) && known(next.forecastMiss)) || (prev.target == null && next.target != null && prev.status === next.status));
  if (samePlace && !figures && !forecastMoved) return newlyRecorded ? 'quiet' : null;
  const wasRed = prev?.status === 'red';
  if (next.status === 'red' && (!wasRed || prev.periodKey !== next.periodKey)) return 'turned-red';
  if (wasRed && next.status !== 'red') return 'recovered';
  const worrying = next.status === 'red' || next.status === 'amber';
  const newlyDeclining = next.direction === 'declining' && (prev?.direction !== 'declining' || prev.periodKey !== next.periodKey || prev.status !== next.status);
  if (rules.alertOnDeclining && worrying && newlyDeclining) return 'declining';
  if (forecastMoved && next.forecastMiss && (next.status === 'green' || next.status === 'amber')) return 'forecast-miss';
  return 'changed';
}

/** The key that makes a transition unique per indicator: the same move from the same last record is one row. */
export function transitionKey(previousChangeId: number | null, next: StatusPoint, decimals = 2): string {
  const fig = (v: number | null | undefined) => (v === null || v === undefined ? '-' : v.toFixed(decimals));
  const f = next.forecastMiss === true ? 'miss' : next.forecastMiss === false ? 'meet' : '-';
  return `${previousChangeId ?? 0}>${next.periodKey}:${next.status}:${next.direction ?? '-'}:${fig(next.value)}:${fig(next.target)}:${f}`;
}

export interface ChaseRules {
  /** Working days after the start date on which to remind, e.g. [0, 3, 7]. After the last, every 5 working days. */
  cadence: number[];
  /** Reminders to the owner before escalating: the next goes to the deputy, the one after to the director. */
  escalateAfter: number;
  /** Days besides weekends that are not working days (the organisation's bank holidays); none when absent. */
  daysOff?: DaysOff;
}

/** Working days from the start to reminder number `n` (0-based). */
function offset(n: number, rules: ChaseRules): number {
  const c = rules.cadence.length ? rules.cadence : [0];
  return n < c.length ? c[n]! : c[c.length - 1]! + 5 * (n - c.length + 1);
}

/** The day reminder number `n` (0-based) falls due, counted in working days from `from`. */
export function reminderDay(from: LocalDate, n: number, rules: ChaseRules): LocalDate {
  return addWorkingDays(from, offset(n, rules), rules.daysOff ?? NO_DAYS_OFF);
}

/**
 * Whether reminder number `sent` (the count already sent) is due today, and to which level. A late
 * start does not fire the missed reminders on consecutive days: each keeps its gap after the last one sent.
 */
export function nextReminder(
  from: LocalDate,
  sent: number,
  today: LocalDate,
  rules: ChaseRules,
  lastSentOn: LocalDate | null = null,
): { due: boolean; level: 0 | 1 | 2; number: number } {
  const gap = sent === 0 ? 0 : Math.max(1, offset(sent, rules) - offset(sent - 1, rules));
  const due = reminderDay(from, sent, rules) <= today && (lastSentOn === null || addWorkingDays(lastSentOn, gap, rules.daysOff ?? NO_DAYS_OFF) <= today);
  const over = sent - Math.max(1, rules.escalateAfter) + 1;
  const level = over <= 0 ? 0 : over === 1 ? 1 : 2;
  return { due, level, number: sent + 1 };
}

export function isAbsent(p: { absentUntil: LocalDate | null }, today: LocalDate): boolean {
  return p.absentUntil !== null && p.absentUntil >= today;
}

/**
 * What a channel can be told about: an indicator's events, `actions` (an action off track, overdue or
 * re-phased by more than 3 months), `risks` (a risk risen into a higher band or above the appetite) and
 * `quartile` (an indicator dropped a quartile among its comparator group).
 */
export type AlertEventName = 'red' | 'declining' | 'recovered' | 'forecast' | 'actions' | 'risks' | 'quartile';
export const ALERT_EVENT_NAMES: readonly AlertEventName[] = ['red', 'declining', 'recovered', 'forecast', 'actions', 'risks', 'quartile'];

/** The events a subscription receives: those it chose, or what the organisation alerts on. */
export function alertEvents(chosen: readonly AlertEventName[], rules: { alertOnDeclining: boolean }): Set<AlertEventName> {
  if (chosen.length) return new Set(chosen);
  return new Set<AlertEventName>(rules.alertOnDeclining ? ['red', 'declining', 'recovered', 'forecast'] : ['red', 'recovered', 'forecast']);
}

/** Which event a change is, if any: a new post is made only for an event the channel receives. */
export function eventOf(kind: ChangeKind): AlertEventName | null {
  return kind === 'turned-red' ? 'red' : kind === 'declining' ? 'declining' : kind === 'recovered' ? 'recovered' : kind === 'forecast-miss' ? 'forecast' : null;
}

/**
 * What an event about a subject told by its conditions (an action off track, overdue…) is:
 * - `first`: the subject's first record — what already held when alerting began: recorded, never alerted.
 * - `raised`: a condition holds that did not: news (a post, or the living post edited).
 * - `cleared`: nothing holds any more, where something did: said where a post exists.
 * - `changed`: a condition went while others hold, or what the alert shows changed: said where a post exists.
 * null: nothing changed.
 */
export type ConditionChange = 'first' | 'raised' | 'cleared' | 'changed';

export interface ConditionPoint {
  conditions: readonly string[];
  /** What else the alert shows, as one string (empty while nothing holds). */
  fingerprint: string;
}

export function classifyConditions(prev: ConditionPoint | null, next: ConditionPoint): ConditionChange | null {
  if (!prev) return 'first';
  const before = new Set(prev.conditions);
  if (next.conditions.some((c) => !before.has(c))) return 'raised';
  if (!next.conditions.length) return prev.conditions.length ? 'cleared' : null;
  return next.conditions.length !== prev.conditions.length || next.fingerprint !== prev.fingerprint ? 'changed' : null;
}

/** Unique per subject: the same move from the same last record is one row, however many processes compute it. */
export const conditionTransitionKey = (previousId: number | null, next: ConditionPoint): string => `${previousId ?? 0}>${next.conditions.join('+') || 'none'}|${next.fingerprint}`;
