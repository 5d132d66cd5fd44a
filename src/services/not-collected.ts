// Periods marked "not collected": what a performance admin types to mark one (for an indicator, a
// theme's indicators or every indicator) or take the mark back, and what is said about the marks —
// shared by `/kpi not-collected` and `kpi not-collected`. A marked period is never chased, and
// `/kpi show` and the quarterly report say why it has no value.
import { formatDay } from '../domain/dates.ts';
import { markCovers, type NotCollectedMark } from '../domain/collection.ts';
import { formatPeriod, FREQUENCY_WORDS, parsePeriodLabel, periodContaining, periodFromKey, periodKindFor } from '../domain/periods.ts';
import type { Period } from '../domain/types.ts';
import { ValidationError } from '../errors.ts';
import type { IndicatorRecord, NotCollectedRecord, OrgSettings, Repository, ThemeRecord } from '../ports.ts';
import { requireIndicator, requireTheme } from './find-indicator.ts';
import { literal } from '../messages/build.ts';

export const NOT_COLLECTED_USAGE = 'not-collected [undo] <indicator | theme <name> | all> <period> [reason]';

export type NotCollectedScope = { kind: 'indicator'; indicator: IndicatorRecord } | { kind: 'theme'; theme: ThemeRecord } | { kind: 'all' };

export interface NotCollectedRequest {
  undo: boolean;
  scope: NotCollectedScope;
  period: Period;
  reason: string | null;
}

/** Who is marking: a person in the register, or the command line. */
export interface Marker {
  personId: number | null;
  /** Their name, as the mark shows it. */
  name: string;
  /** As the audit log names them (slack:U123, cli:priya@…). */
  label: string;
}

const usage = (hint: string) => new ValidationError(hint, {}, `Usage: \`/kpi ${NOT_COLLECTED_USAGE}\` — e.g. \`/kpi not-collected physical-inactivity 2016/17 survey not run that year\`.`);

/** "<indicator | theme <name> | all> <period> <reason…>", with "undo" first to take a mark back. */
export async function readNotCollected(repo: Repository, args: string, fy: number): Promise<NotCollectedRequest> {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const undo = /^(undo|remove|clear)$/i.test(words[0] ?? '');
  if (undo) words.shift();
  if (!words.length) throw usage('Which indicator (or `theme <name>`, or `all`), which period, and why?');
  let scope: NotCollectedScope;
  const first = words.shift()!;
  if (/^(all|every|everything)$/i.test(first)) scope = { kind: 'all' };
  else if (/^theme$/i.test(first)) {
    const name = words.shift();
    if (!name) throw usage('Which theme? Give its short name after `theme`.');
    scope = { kind: 'theme', theme: requireTheme(await repo.themes(), name) };
  } else scope = { kind: 'indicator', indicator: await requireIndicator(repo, first) };
  // The period is one or two words ("2016/17", "2017/18 Q3", "Oct 2017"): the longer reading first.
  let period: Period | null = null;
  for (const n of [2, 1]) {
    if (words.length < n) continue;
    const p = parsePeriodLabel(words.slice(0, n).join(' '), fy);
    if (p.ok) {
      period = p.value;
      words.splice(0, n);
      break;
    }
    // "2017/18 Q5", "0000/01": a period mistyped, not a shorter one followed by the reason.
    if (p.reason.code === 'no-such-quarter' || p.reason.code === 'year-out-of-range') throw usage(p.error);
  }
  if (!period) throw usage(`Which period? Give it with its year, e.g. 2016/17, 2017/18 Q2 or Oct 2017${words.length ? ` — got "${literal(words.slice(0, 2).join(' '))}"` : ''}.`);
  const reason = words.join(' ').trim();
  if (!undo && reason.length < 3) throw usage(`Why is ${formatPeriod(period)} not collected? The reason is shown in \`/kpi show\` and the quarterly report.`);
  if (scope.kind === 'indicator' && !coversAny(scope.indicator, period, fy)) {
    throw usage(`${formatPeriod(period)} holds no period of \`${scope.indicator.slug}\`, which is reported ${FREQUENCY_WORDS[scope.indicator.frequency]}: mark a period that contains one (a whole year for an annual measure).`);
  }
  return { undo, scope, period, reason: undo ? null : reason.slice(0, 500) };
}

/** Whether a period contains at least one period of the indicator's frequency. */
function coversAny(ind: IndicatorRecord, period: Period, fy: number): boolean {
  return marksFor(ind, [{ periodStart: period.start, periodEnd: period.end, indicatorId: ind.id, themeId: null }], fy).length > 0;
}

/** The marks that cover some period of this indicator (its own, its theme's and every indicator's, of a period holding one of its frequency). */
export function marksFor<M extends NotCollectedMark>(ind: IndicatorRecord, marks: readonly M[], fy: number): M[] {
  const kind = periodKindFor(ind.frequency);
  return marks.filter((m) => markCovers(m, ind, periodContaining(m.periodStart, kind, fy)));
}

/** "`physical-inactivity`", "every indicator of theme `housing-growth`", "every indicator". */
export function scopeWords(scope: NotCollectedScope): string {
  return scope.kind === 'indicator' ? `\`${scope.indicator.slug}\`` : scope.kind === 'theme' ? `every indicator of theme \`${scope.theme.slug}\`` : 'every indicator';
}

const scopeIds = (scope: NotCollectedScope) => ({ indicatorId: scope.kind === 'indicator' ? scope.indicator.id : null, themeId: scope.kind === 'theme' ? scope.theme.id : null });

/** Mark or unmark (audited by the repository); the sentence that says what happened. */
export async function applyNotCollected(repo: Repository, req: NotCollectedRequest, by: Marker, at: Date): Promise<string> {
  const who = { at, actorId: by.personId, actorLabel: by.label };
  const what = `${formatPeriod(req.period)} for ${scopeWords(req.scope)}`;
  if (req.undo) {
    const removed = await repo.unmarkNotCollected({ ...scopeIds(req.scope), periodKey: req.period.key }, who);
    return removed ? `✅ ${what} is collected again: it is chased when its value is due.` : `${what} was not marked not collected: nothing changed.`;
  }
  const r = await repo.markNotCollected({ ...scopeIds(req.scope), periodKey: req.period.key, periodStart: req.period.start, periodEnd: req.period.end, reason: req.reason!, byId: by.personId, byLabel: by.name, at }, who);
  const undo = `Undo: \`/kpi not-collected undo ${req.scope.kind === 'indicator' ? req.scope.indicator.slug : req.scope.kind === 'theme' ? `theme ${req.scope.theme.slug}` : 'all'} ${req.period.key}\`.`;
  return `✅ ${what} ${r.created ? 'is marked' : 'was already marked; the reason is now'} not collected: ${literal(req.reason)}. It is never chased, and \`/kpi show\` and the quarterly report say so. ${undo}`;
}

/** One line per mark, for a list: "• 2016/17 — `physical-inactivity`: survey not run (Priya Shah, 15 Jan 2018)". */
export async function notCollectedLines(repo: Repository, org: Pick<OrgSettings, 'fyStartMonth' | 'timeZone'>, marks?: NotCollectedRecord[]): Promise<string[]> {
  const all = marks ?? (await repo.notCollected());
  if (!all.length) return [];
  const [indicators, themes] = await Promise.all([repo.indicators({ activeOnly: false }), repo.themes()]);
  return all.map((m) => {
    const scope = m.indicatorId !== null ? `\`${indicators.find((i) => i.id === m.indicatorId)?.slug ?? m.indicatorId}\`` : m.themeId !== null ? `theme \`${themes.find((t) => t.id === m.themeId)?.slug ?? m.themeId}\`` : 'every indicator';
    return `• ${markPeriodText(m, org.fyStartMonth)} — ${scope}: ${literal(m.reason)} (${literal(m.byLabel)}, ${formatDay(m.at, org.timeZone)})`;
  });
}

/** The marked period as it prints. */
export function markPeriodText(m: Pick<NotCollectedRecord, 'periodKey'>, fy: number): string {
  return formatPeriod(periodFromKey(m.periodKey, fy));
}
