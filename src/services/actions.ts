// What commands and jobs share about actions and milestones: who may update one, the quarter an update
// is for, how one reads in a list (in the organisation's vocabulary: Cheshire West's categories or
// Halton's colours) and the filters people type.
import { isFinal, planCategory, PLAN_LABEL, progressColour, PROGRESS_LABEL, rephasing, isOverdue, type ActionPosition, type PlanCategory } from '../domain/actions.ts';
import { formatDate, formatDateTime } from '../domain/dates.ts';
import { formatPeriodInFull, nextPeriod, periodContaining, periodFromKey, previousPeriod } from '../domain/periods.ts';
import type { LocalDate, Period } from '../domain/types.ts';
import type { ActionChangeRecord, ActionRecord, ActionUpdateRecord, OrgSettings, PersonRecord, Repository } from '../ports.ts';
import { NotInRegisterError, ValidationError } from '../errors.ts';
import { findTheme } from './find-indicator.ts';
import { canActOnOwned, isAdmin } from './permissions.ts';
import { shortName } from './indicator-lines.ts';
import { literal, literalCode } from '../messages/markup.ts';

/** People's display names by id, in one query (null ids left out): owners, deputies, directors, authors. */
export async function namesOf(repo: Pick<Repository, 'people'>, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  return new Map((wanted.length ? await repo.people({ ids: wanted }) : []).map((p) => [p.id, p.displayName]));
}

/** An action as the domain reads it. */
export const positionOf = (a: ActionRecord): ActionPosition => ({ start: a.start, due: a.due, originalDue: a.originalDue, progress: a.latest?.progress ?? null });

/** Owner, deputy, the theme's director and performance admins may update an action. */
export const canUpdateAction = (p: PersonRecord | null, a: ActionRecord): boolean => canActOnOwned(p, a);

/** The theme's director and performance admins decide a new due date and "no longer viable". */
export function canDecideActionChange(p: PersonRecord | null, a: ActionRecord): boolean {
  return !!p && p.active && (isAdmin(p) || (a.directorId !== null && a.directorId === p.id));
}

/** One progress update as a line: "**2017/18 Q3 (Oct–Dec 2017)** (version 2): On target, 50% complete — commentary _(Olu Adeyemi, 15 Jan 2018, 14:29)_". */
export function updateLine(u: ActionUpdateRecord, by: string, timeZone: string, fy: number): string {
  const period = formatPeriodInFull(periodFromKey(u.periodKey, fy));
  return `**${period}**${u.version > 1 ? ` (version ${u.version})` : ''}: ${PROGRESS_LABEL[u.progress]}${u.percentComplete !== null ? `, ${u.percentComplete}% complete` : ''} — ${u.commentary ? literal(u.commentary) : 'no commentary'} _(${literal(by)}, ${formatDateTime(u.createdAt, timeZone)})_`;
}

/** Who gave an update, in words: its author, "an import", or where it came from. */
export function updateAuthor(u: ActionUpdateRecord, names: Map<number, string>): string {
  return u.authorId !== null ? (names.get(u.authorId) ?? 'someone') : u.source.startsWith('import') ? 'an import' : u.source;
}

/** A request waiting for a decision, in words: "move CIP-WS1 from 31 Mar 2018 to 31 May 2018". */
export function describeActionChange(a: Pick<ActionRecord, 'ref' | 'due'>, c: Pick<ActionChangeRecord, 'kind' | 'proposedDue'>): string {
  return c.kind === 'due' ? `move ${literal(a.ref)} from ${formatDate(a.due)} to ${formatDate(c.proposedDue!)}` : `record ${literal(a.ref)} as no longer viable`;
}

/** The quarter progress is reported for on a day: the latest that has ended (Q2's progress is given in October). */
export function reportingQuarter(today: LocalDate, fyStartMonth: number): Period {
  return previousPeriod(periodContaining(today, 'quarter', fyStartMonth), fyStartMonth);
}

const COLOUR_ICON = { green: '🟢', amber: '🟠', red: '🔴' } as const;
const CATEGORY_ICON: Record<PlanCategory, string> = {
  delivered: '✅',
  on_target: '🟢',
  scheduled_future: '🗓',
  rephased_under_3_months: '🟠',
  rephased_over_3_months: '🔴',
  no_longer_viable: '⛔',
  off_track: '🔴',
};

/** How an action's state reads in the organisation's vocabulary, as of a day: "🟠 Re-phased (under 3 months)" or "🟠 Amber". */
export function actionState(a: ActionRecord, asOf: LocalDate, org: Pick<OrgSettings, 'actionProgress'>): { icon: string; label: string } {
  const pos = positionOf(a);
  if ((org.actionProgress ?? 'plan') === 'colours') {
    const c = progressColour(pos, asOf);
    return { icon: COLOUR_ICON[c], label: `${c[0]!.toUpperCase()}${c.slice(1)}${a.latest ? ` (${PROGRESS_LABEL[a.latest.progress].toLowerCase()})` : ' (no update yet)'}` };
  }
  const c = planCategory(pos, asOf);
  if (c === 'off_track') return { icon: CATEGORY_ICON[c], label: isOverdue(pos, asOf) && a.latest?.progress !== 'off_track' ? 'Overdue' : 'Off track' };
  // Cheshire West counts these as on target; the line says what the owner said, or that nobody has.
  if (c === 'on_target' && a.latest?.progress === 'at_risk') return { icon: '🟠', label: 'At risk' };
  if (c === 'on_target' && !a.latest) return { icon: '⚪', label: 'No update yet' };
  // Re-phased and past even its new date: counted as re-phased, said as overdue too.
  if ((c === 'rephased_over_3_months' || c === 'rephased_under_3_months') && isOverdue(pos, asOf)) return { icon: CATEGORY_ICON.off_track, label: `${PLAN_LABEL[c]}, overdue` };
  return { icon: CATEGORY_ICON[c], label: PLAN_LABEL[c] };
}

/** "due 30 Jun 2014 (first due 31 Mar 2014)" — the original date said whenever the due date moved. */
export function dueWords(a: ActionRecord): string {
  return `due ${formatDate(a.due)}${a.due !== a.originalDue ? ` (first due ${formatDate(a.originalDue)})` : ''}`;
}

/** "🟢 `EEP 02` Deliver the BID Year 1 action plan… — On target · due 31 Mar 2014 · Sian Jones" */
export function actionLine(a: ActionRecord, asOf: LocalDate, org: Pick<OrgSettings, 'actionProgress'>, ownerName: string | null): string {
  const s = actionState(a, asOf, org);
  return `${s.icon} ${literalCode(a.ref)} ${literal(shortName(a.title))} — ${s.label} · ${dueWords(a)}${ownerName ? ` · ${literal(ownerName)}` : ''}`;
}

export type ActionFilterWord = 'mine' | 'off-track' | 'overdue' | 'due' | 're-phased' | 'all';

/**
 * What a filter keeps, as of a day: off track (its owner says so, or overdue, or no longer viable);
 * overdue; due — not finished and due by the end of the next quarter (the milestones expected next);
 * re-phased — a due date later than first agreed.
 */
export function keepsAction(word: Exclude<ActionFilterWord, 'mine' | 'all'>, a: ActionRecord, asOf: LocalDate, fyStartMonth: number): boolean {
  const pos = positionOf(a);
  switch (word) {
    case 'off-track':
      return a.latest?.progress === 'off_track' || a.latest?.progress === 'no_longer_viable' || isOverdue(pos, asOf);
    case 'overdue':
      return isOverdue(pos, asOf);
    case 'due': {
      const next = nextPeriod(periodContaining(asOf, 'quarter', fyStartMonth), fyStartMonth);
      return !isFinal(pos.progress) && a.due <= next.end;
    }
    case 're-phased':
      return rephasing(a.originalDue, a.due) !== 'none';
  }
}

export const FILTER_WORDS: Record<string, ActionFilterWord> = {
  mine: 'mine',
  my: 'mine',
  'off-track': 'off-track',
  'off track': 'off-track',
  offtrack: 'off-track',
  red: 'off-track',
  overdue: 'overdue',
  late: 'overdue',
  due: 'due',
  'due soon': 'due',
  next: 'due',
  're-phased': 're-phased',
  rephased: 're-phased',
  're phased': 're-phased',
  moved: 're-phased',
  all: 'all',
};

export const ACTIONS_USAGE = 'actions [mine | theme <name> | off-track | overdue | due | re-phased | <ref>]';

/** Worst first: off track and re-phased before on target, then by due date. */
const RANK: Record<PlanCategory, number> = { off_track: 0, no_longer_viable: 1, rephased_over_3_months: 2, rephased_under_3_months: 3, on_target: 4, scheduled_future: 5, delivered: 6 };

/** "action" or "actions": the organisation's word for one or many. */
export const plural = (word: string, n: number) => (n === 1 ? word : `${word}s`);
const cap = (s: string) => `${s[0]!.toUpperCase()}${s.slice(1)}`;

/** "3 on target, 1 re-phased (under 3 months)" in the organisation's vocabulary. */
function summaryCounts(list: ActionRecord[], today: LocalDate, org: Pick<OrgSettings, 'actionProgress'>): string {
  const counts = new Map<string, number>();
  for (const x of list) {
    const full = actionState(x, today, org).label;
    // Colours are counted by colour ("2 amber"), categories by their whole name.
    const label = org.actionProgress === 'colours' ? full.replace(/ \(.*\)$/, '') : full;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([l, n]) => `${n} ${l.toLowerCase()}`).join(', ');
}

/**
 * What `/kpi actions <words>` and `kpi actions <words>` list: one action by its ref, or those a filter
 * (or a theme) keeps, worst first, a line each (at most `max`).
 */
export async function listActions(
  repo: Repository,
  org: OrgSettings,
  today: LocalDate,
  args: string,
  person: PersonRecord | null,
  max = 40,
): Promise<{ one: ActionRecord } | { title: string; lines: string[]; total: number; counts: string; word: string }> {
  const word = org.actionWord ?? 'action';
  const a = args.trim();
  const filterWord: ActionFilterWord | undefined = FILTER_WORDS[a.toLowerCase()] ?? (a ? undefined : 'all');
  let title: string;
  let list: ActionRecord[];
  if (filterWord) {
    if (filterWord === 'mine' && !person) throw new NotInRegisterError(`You are not in the register, so you have no ${plural(word, 2)} of your own. Ask your performance team to add you.`);
    list = await repo.actions.list({ activeOnly: true, ...(filterWord === 'mine' ? { personId: person!.id } : {}) });
    if (filterWord !== 'mine' && filterWord !== 'all') list = list.filter((x) => keepsAction(filterWord, x, today, org.fyStartMonth));
    const words = plural(word, 2);
    title = { all: `All ${words}`, mine: `Your ${words}`, 'off-track': `${cap(words)} off track or overdue`, overdue: `Overdue ${words}`, due: `${cap(words)} due by the end of next quarter`, 're-phased': `Re-phased ${words}` }[filterWord];
  } else {
    const one = await repo.actions.byRef(a);
    if (one) return { one };
    const theme = findTheme(await repo.themes(), a.replace(/^theme\s+/i, ''));
    if (!theme) throw new ValidationError(`"${literal(a)}" is not ${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word} reference or a filter I know.`, {}, `Try \`/kpi ${ACTIONS_USAGE}\`.`);
    list = await repo.actions.list({ activeOnly: true, themeId: theme.id });
    title = `${theme.name}: ${plural(word, 2)}`;
  }
  const rank = (x: ActionRecord) => RANK[planCategory(positionOf(x), today)];
  list.sort((x, y) => rank(x) - rank(y) || (x.due < y.due ? -1 : x.due > y.due ? 1 : 0));
  const people = await namesOf(repo, list.map((x) => x.ownerId));
  const lines = list.slice(0, max).map((x) => actionLine(x, today, org, x.ownerId === null ? null : (people.get(x.ownerId) ?? null)));
  return { title, lines, total: list.length, counts: summaryCounts(list, today, org), word };
}
