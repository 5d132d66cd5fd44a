// The quarterly performance report as data, computed with the same engine as everything else: for
// each indicator, the period it reports in this quarter, its status, direction of travel, previous
// and current actual and whether an exception report is attached; summary counts as councils print
// them; the exception reports; and whether the quarter is signed off. A signed-off quarter's report
// is the one kept at sign-off (src/report/snapshot.ts), with what came in later listed apart.
// Renderers (HTML, PDF, XLSX, Markdown) only lay this out.
//
// The periods a quarter's report covers (src/domain/coverage.ts): a quarterly indicator's quarter, a
// monthly one's three months (its row shows the latest with a value), an annual one's financial
// year containing the quarter, an academic- or calendar-year one's latest year ended by the
// quarter's end.
import { buildReportActions, type ReportActions } from './actions.ts';
import { buildReportRisks, type ReportRisks } from './risks.ts';
import { buildReportCommentary, type ReportCommentary } from './commentary.ts';
import { accumulates } from '../domain/aggregation.ts';
import { markCovers } from '../domain/collection.ts';
import type { Evaluation } from '../domain/evaluate.ts';
import type { Forecast } from '../domain/forecast.ts';
import { monthsOf, periodsCovered, yearReportedIn } from '../domain/coverage.ts';
import { financialYearOf, formatPeriod, periodFromKey, previousPeriod, samePeriodLastYear } from '../domain/periods.ts';
import type { Direction, DotBasis, MaintainedBand, Period } from '../domain/types.ts';
import { baselinePoint, evaluateIndicator, forecastIndicator, needsExceptionReport, type IndicatorHistory } from '../services/evaluation.ts';
import { changedAfterSignOff, givenBy, lockFor } from '../services/provenance.ts';
import { needsUpdate, reportStands } from '../services/exception-states.ts';
import { loadBenchmarks, quartileAt, withBenchmarks } from '../services/comparators.ts';
import type { ExceptionReportRecord, IndicatorRecord, OrgSettings, Repository, ThemeRecord } from '../ports.ts';

export interface ReportValue {
  /** Null for a baseline whose period is written in words ("Summer 2016"). */
  period: Period | null;
  /** The period as the council wrote it, where that is not how the period prints (a baseline's "March 2017"). */
  when?: string | null;
  value: number;
  estimated: boolean;
  provisional: boolean;
  /** A calculated indicator's value: its inputs' values ("tax-collected 8,700,000; tax-due 10,000,000"). */
  inputs?: string;
}

export interface ReportRow {
  indicator: IndicatorRecord;
  /** The period this indicator reports in the quarter (the quarter, a month of it, or a year). */
  period: Period;
  /** reported: a value for the period; annual: reported once a year and not yet in; missing: no value yet. */
  state: 'reported' | 'annual' | 'missing';
  evaluation: Evaluation;
  current: ReportValue | null;
  /** The value direction of travel is compared with: the previous period's, the same period's last year, or the baseline. */
  previous: ReportValue | null;
  /** The minimum acceptable standard set on the period's target ("85%, minimum 82%"). */
  amberFloor: number | null;
  exception: ExceptionReportRecord | null;
  /** An exception report is attached (submitted, or approved for the value and status the period still has). */
  exceptionAttached: boolean;
  /** An approved exception report whose value or status changed since: it needs updating (its narrative is for the old figure). */
  exceptionNeedsUpdate: boolean;
  /** Red (or amber, by the organisation's rule) and no exception report attached. */
  exceptionOwed: boolean;
  /** The current value replaced the one signed off: what it was, when and by whom it changed, and why. */
  correction: Correction | null;
  /** The year-end forecast as of this period (indicators with an annual target, part-way through the year). */
  forecast: Forecast | null;
  /** Every period of the indicator the quarter's report covers, with the version of its value now (null: none): what a sign-off holds. */
  covered: { periodKey: string; version: number | null }[];
  /** Targets already set for the years after the report's (a year's own target, else its last period's), as councils print them beside this year's. Optional: reports kept before this existed have none. */
  laterTargets?: LaterTarget[];
  /** The period is marked "not collected" (and why); null when it is not. Optional: set by buildQuarterReport. */
  notCollected?: { periodKey: string; reason: string } | null;
  /** Where we rank among our comparator group for the period ("5th of 10 in Greater Manchester · second quartile"); null or absent: no comparator data. */
  benchmark?: string | null;
}

/** A later year's target: the year as printed ("2018/19"), and the target (a number, or the council's words). */
export interface LaterTarget {
  year: string;
  value: number | null;
  text: string | null;
}

/** How many later years' targets a report shows at most. */
export const LATER_YEARS = 3;

/**
 * The targets set for the years after the one the report's period falls in, one per year: the
 * year's own target where there is one, else the target of its last period (a profiled target's
 * year-end). Quarterly and monthly targets belong to their financial year; a yearly indicator's to
 * its own year.
 */
export function laterTargets(h: Pick<IndicatorHistory, 'targets'>, period: Period, fy = 4): LaterTarget[] {
  const yearOf = (p: Period) => (p.kind === 'quarter' || p.kind === 'month' ? financialYearOf(p, fy) : p);
  const after = yearOf(period).end;
  const best = new Map<string, { year: Period; at: Period; value: number | null; text: string | null }>();
  for (const t of h.targets) {
    if (t.value === null && !t.text) continue;
    const at = periodFromKey(t.periodKey, fy);
    const year = yearOf(at);
    if (year.start <= after) continue;
    const had = best.get(year.key);
    const own = at.key === year.key;
    if (!had || own || (had.at.key !== had.year.key && at.end > had.at.end)) best.set(year.key, { year, at, value: t.value, text: t.text });
  }
  return [...best.values()]
    .sort((a, b) => (a.year.start < b.year.start ? -1 : 1))
    .slice(0, LATER_YEARS)
    .map((b) => ({ year: formatPeriod(b.year), value: b.value, text: b.value === null ? b.text : null }));
}

export interface Correction {
  /** The value as signed off (null: there was none then). */
  from: number | null;
  at: Date;
  by: string;
  reason: string | null;
}

export interface ReportTheme {
  name: string;
  rows: ReportRow[];
}

export interface ReportCounts {
  /** Active indicators in the report. */
  indicators: number;
  reported: number;
  annual: number;
  missing: number;
  /** Inactive (discontinued) indicators, not in the tables. */
  discontinued: number;
  green: number;
  amber: number;
  red: number;
  noTarget: number;
  improving: number;
  maintained: number;
  declining: number;
  /** Reported, but no earlier value to compare with (or a contextual measure). */
  notComparable: number;
  estimated: number;
  provisional: number;
  exceptionsAttached: number;
  exceptionsOwed: number;
  /** Approved exception reports whose value or status changed since (among those owed when still Red or Amber). */
  exceptionsNeedingUpdate: number;
}

/** How direction of travel was worked out across the report: for the performance key. */
export interface DirectionKey {
  /** The organisation's basis, and how many indicators of the report use each basis (the organisation's first). */
  defaultBasis: DotBasis;
  bases: { basis: DotBasis; count: number }[];
  band: MaintainedBand;
  /** Indicators that set their own "maintained" band. */
  ownBands: number;
  /** Some counts that build up over the year are compared as the year to date (same point last year, or the baseline pro rata). */
  yearToDate: boolean;
}

/** Something entered after sign-off for a period the report covers: printed apart, the report itself is as signed off. */
export interface AfterSignOff {
  theme: string;
  indicator: Pick<IndicatorRecord, 'id' | 'slug' | 'ref' | 'name'>;
  period: Period;
  what: 'value' | 'exception report';
  /** As the signed-off report had it ("Reported annually", "83.8%", "approved") and as it is now. */
  from: string;
  to: string;
  at: Date;
  by: string;
  /** The reason given (a performance admin's, for a value the sign-off held), or what happened. */
  reason: string | null;
}

export interface QuarterReport {
  organisation: string;
  quarter: Period;
  /** Only this theme, when the report was asked for one. */
  themeFilter: string | null;
  generatedAt: Date;
  signOff: { at: Date; by: string | null } | null;
  /** The report is the one kept when the quarter was signed off (null: a live report — open, or signed off before reports were kept). */
  snapshot: { takenAt: Date } | null;
  /** With a snapshot: what was entered later for the periods it covers, oldest first. */
  afterSignOff: AfterSignOff[];
  tolerance: OrgSettings['tolerance'];
  exceptionForAmber: boolean;
  direction: DirectionKey;
  themes: ReportTheme[];
  counts: ReportCounts;
  exceptionReports: { theme: string; row: ReportRow; report: ExceptionReportRecord }[];
  /** What the council is doing about them, theme by theme (absent: no actions, or a report kept before actions were). */
  actions?: ReportActions | null;
  /** The risk register as at the quarter's end: heat maps and the risks above appetite (absent: no risks, or a report kept before risks were). */
  risks?: ReportRisks | null;
  /** The quarter's commentary: the whole report's and each theme's, attributed (absent: a report kept before commentary was). */
  commentary?: ReportCommentary | null;
}

/** The period an indicator of this frequency reports in a quarter. */
export function reportingPeriod(ind: IndicatorRecord, quarter: Period, h: IndicatorHistory, fy: number): Period {
  switch (ind.frequency) {
    case 'quarterly':
      return quarter;
    case 'monthly': {
      // The latest month of the quarter with a value (data often lags a month), else its last month.
      const months = monthsOf(quarter);
      const have = new Set(h.observations.map((o) => o.periodKey));
      return [...months].reverse().find((m) => have.has(m.key)) ?? months[2]!;
    }
    case 'annual':
      return yearReportedIn('financial_year', quarter, fy);
    case 'academic_year':
      return yearReportedIn('academic_year', quarter, fy);
    case 'calendar_year':
      return yearReportedIn('calendar_year', quarter, fy);
  }
}

function valueAt(h: IndicatorHistory, p: Period): ReportValue | null {
  const o = h.observations.find((x) => x.periodKey === p.key);
  if (!o) return null;
  // A calculated value's inputs, as its note gives them (src/repo/calculated.ts).
  const inputs = o.source === 'calculated' && o.note ? { inputs: o.note } : {};
  return { period: p, value: o.value, estimated: o.estimated, provisional: o.provisional, ...inputs };
}

/** What the row's direction of travel is compared with, as a value for the table. */
function comparisonValue(ind: IndicatorRecord, h: IndicatorHistory, period: Period, basis: DotBasis, fy: number): ReportValue | null {
  if (basis === 'same_last_year') return valueAt(h, samePeriodLastYear(period, fy));
  if (basis === 'previous') return valueAt(h, previousPeriod(period, fy));
  const b = baselinePoint(ind.baseline, fy);
  if (!b || b.value === null) return null;
  return { period: b.period, when: b.label, value: b.value, estimated: false, provisional: false };
}

export function reportRow(ind: IndicatorRecord, h: IndicatorHistory, quarter: Period, org: OrgSettings, reports: ExceptionReportRecord[]): ReportRow {
  const fy = org.fyStartMonth;
  const period = reportingPeriod(ind, quarter, h, fy);
  const evaluation = evaluateIndicator(ind, h, org, period);
  // Not in yet: the latest value of the year stands in (setting latest-available), marked with its period.
  const standIn = evaluation.latestAvailable;
  const current = valueAt(h, period) ?? (standIn ? valueAt(h, standIn) : null);
  const previous = comparisonValue(ind, h, standIn ?? period, evaluation.directionBasis, fy);
  const yearly = ind.frequency === 'annual' || ind.frequency === 'academic_year' || ind.frequency === 'calendar_year';
  const state = current ? 'reported' : yearly ? 'annual' : 'missing';
  const exceptionFor = (key: string | undefined) => (key ? reports.find((r) => r.indicatorId === ind.id && r.periodKey === key) : undefined);
  const exception = exceptionFor(period.key) ?? exceptionFor(standIn?.key) ?? exceptionFor(quarter.key) ?? null;
  const now = { value: current?.value ?? null, status: evaluation.status };
  const exceptionAttached = reportStands(exception, now);
  return {
    indicator: ind,
    period,
    state,
    evaluation,
    current,
    previous,
    amberFloor: h.targets.find((t) => t.periodKey === period.key)?.amberFloor ?? null,
    exception,
    exceptionAttached,
    exceptionNeedsUpdate: needsUpdate(exception, now),
    exceptionOwed: state === 'reported' && needsExceptionReport(evaluation.status, org) && !exceptionAttached,
    correction: null,
    forecast: current && (period.kind === 'quarter' || period.kind === 'month') ? forecastIndicator(ind, h, org, period) : null,
    laterTargets: laterTargets(h, period, fy),
    covered: periodsCovered(ind.frequency, quarter, fy).map((p) => ({ periodKey: p.key, version: h.observations.find((o) => o.periodKey === p.key)?.version ?? null })),
  };
}

/** Mark the rows whose value was changed after its period was signed off, with what it was. */
async function markCorrections(repo: Repository, rows: ReportRow[], histories: Map<number, IndicatorHistory>): Promise<void> {
  const locks = await repo.periodLocks();
  const changed = rows.flatMap((row) => {
    const obs = row.current ? histories.get(row.indicator.id)?.observations.find((o) => o.periodKey === row.period.key) : undefined;
    const lock = lockFor(locks, row.period);
    return obs && changedAfterSignOff(obs, lock) ? [{ row, obs, lock: lock! }] : [];
  });
  if (!changed.length) return;
  const ids = [...new Set(changed.map((c) => c.obs.submittedById).filter((id): id is number => id !== null))];
  const people = new Map((ids.length ? await repo.people({ ids }) : []).map((p) => [p.id, p]));
  for (const c of changed) {
    const versions = await repo.observationVersions(c.row.indicator.id, c.row.period.key);
    const signedOff = versions.find((v) => v.submittedAt.getTime() <= c.lock.closedAt.getTime());
    c.row.correction = { from: signedOff?.value ?? null, at: c.obs.submittedAt, by: givenBy(c.obs, people), reason: c.obs.correctionReason };
  }
}

export function countRows(rows: ReportRow[], discontinued: number): ReportCounts {
  const reported = rows.filter((r) => r.state === 'reported');
  const status = (s: Evaluation['status']) => reported.filter((r) => r.evaluation.status === s).length;
  const dir = (d: Direction) => reported.filter((r) => r.evaluation.direction === d).length;
  return {
    indicators: rows.length,
    reported: reported.length,
    annual: rows.filter((r) => r.state === 'annual').length,
    missing: rows.filter((r) => r.state === 'missing').length,
    discontinued,
    green: status('green'),
    amber: status('amber'),
    red: status('red'),
    noTarget: status('no_target'),
    improving: dir('improving'),
    maintained: dir('maintained'),
    declining: dir('declining'),
    notComparable: reported.filter((r) => r.evaluation.direction === null).length,
    estimated: reported.filter((r) => r.current?.estimated).length,
    provisional: reported.filter((r) => r.current?.provisional).length,
    exceptionsAttached: rows.filter((r) => r.exceptionAttached).length,
    exceptionsOwed: rows.filter((r) => r.exceptionOwed).length,
    exceptionsNeedingUpdate: rows.filter((r) => r.exceptionNeedsUpdate).length,
  };
}

export function directionKey(rows: ReportRow[], org: Pick<OrgSettings, 'dotBasis' | 'maintainedBand'>): DirectionKey {
  const counts = new Map<DotBasis, number>([[org.dotBasis, 0]]);
  for (const r of rows) counts.set(r.evaluation.directionBasis, (counts.get(r.evaluation.directionBasis) ?? 0) + 1);
  return {
    defaultBasis: org.dotBasis,
    bases: [...counts].map(([basis, count]) => ({ basis, count })),
    band: org.maintainedBand,
    ownBands: rows.filter((r) => r.indicator.maintainedBand !== null).length,
    yearToDate: rows.some(
      (r) =>
        (accumulates(r.indicator.aggregation) && r.indicator.frequency !== 'annual' && r.evaluation.directionBasis !== 'previous') ||
        // A percentage to date (declared or read from its figures) is compared so under any basis.
        r.evaluation.comparedWith?.kind === 'same-point' ||
        r.evaluation.comparedWith?.kind === 'baseline-pro-rata',
    ),
  };
}

/** Match a theme by its short name or (part of) its name. */
export function findTheme(themes: ThemeRecord[], query: string): ThemeRecord | ThemeRecord[] {
  const q = query.trim().toLowerCase();
  const exact = themes.find((t) => t.slug === q || t.name.toLowerCase() === q);
  if (exact) return exact;
  const partial = themes.filter((t) => t.slug.includes(q) || t.name.toLowerCase().includes(q));
  return partial.length === 1 ? partial[0]! : partial;
}

/**
 * The quarter's report worked out now from the register, as it stands: what a sign-off keeps. The
 * report people are given is src/report/snapshot.ts's quarterReport (for a signed-off quarter, the
 * one kept then).
 */
export async function buildQuarterReport(repo: Repository, quarterKey: string, now: Date, opts: { themeId?: number } = {}): Promise<QuarterReport> {
  const org = await repo.org();
  const quarter = periodFromKey(quarterKey, org.fyStartMonth);
  if (quarter.kind !== 'quarter') throw new Error(`buildQuarterReport: ${quarterKey} is not a quarter`);
  const filter = opts.themeId !== undefined ? { themeId: opts.themeId } : {};
  const [all, themes, lock] = await Promise.all([repo.indicators({ ...filter, activeOnly: false }), repo.themes(), repo.lockCovering(quarter.start, quarter.end)]);
  const active = all.filter((i) => i.active);
  const ids = active.map((i) => i.id);
  const [stored, reports, marks, benchmarks] = await Promise.all([
    repo.histories(ids),
    ids.length ? repo.exceptionReports({ indicatorIds: ids }) : Promise.resolve([]),
    ids.length ? repo.notCollected({ indicatorIds: ids }) : Promise.resolve([]),
    loadBenchmarks(repo, org, ids),
  ]);
  const histories = withBenchmarks(benchmarks, active, stored);
  const rows = active.map((ind) => reportRow(ind, histories.get(ind.id) ?? { observations: [], targets: [] }, quarter, org, reports));
  // Where we rank among our group for the row's period (or the value standing in for it), when other councils' values for it are in.
  for (const row of rows) {
    const p = row.current?.period ?? row.period;
    const ranked = quartileAt(benchmarks, row.indicator, p.key);
    if (ranked) row.benchmark = ranked.line;
  }
  await markCorrections(repo, rows, histories);
  // A period with no value on purpose says why (one given a value since is reported, not "not collected").
  for (const row of rows) {
    const mark = row.current?.period?.key === row.period.key ? undefined : marks.find((m) => markCovers(m, row.indicator, row.period));
    row.notCollected = mark ? { periodKey: mark.periodKey, reason: mark.reason } : null;
  }

  // Themes in register order; indicators with no theme last.
  const byTheme = new Map<number | null, ReportRow[]>();
  for (const r of rows) byTheme.set(r.indicator.themeId, [...(byTheme.get(r.indicator.themeId) ?? []), r]);
  const ordered: ReportTheme[] = [];
  for (const t of themes) if (byTheme.has(t.id)) ordered.push({ name: t.name, rows: byTheme.get(t.id)! });
  if (byTheme.has(null)) ordered.push({ name: 'No theme', rows: byTheme.get(null)! });

  const closedBy = lock?.closedById ? await repo.person(lock.closedById) : null;
  const actions = await buildReportActions(repo, org, quarter, ordered.map((t) => t.name), opts);
  const risks = await buildReportRisks(repo, org, quarter, ordered.map((t) => t.name), opts);
  const commentary = await buildReportCommentary(repo, org, quarter, ordered.map((t) => t.name), opts);
  return {
    organisation: org.name,
    quarter,
    themeFilter: opts.themeId !== undefined ? (themes.find((t) => t.id === opts.themeId)?.name ?? null) : null,
    generatedAt: now,
    signOff: lock ? { at: lock.closedAt, by: closedBy?.displayName ?? null } : null,
    snapshot: null,
    afterSignOff: [],
    tolerance: org.tolerance,
    exceptionForAmber: org.exceptionForAmber,
    direction: directionKey(rows, org),
    themes: ordered,
    counts: countRows(rows, all.length - active.length),
    exceptionReports: exceptionReportsOf(ordered),
    actions,
    risks,
    commentary,
  };
}

/** The exception reports a report prints: those attached, and those needing an update (marked, with the narrative written for the old figure). */
export function exceptionReportsOf(themes: ReportTheme[]): QuarterReport['exceptionReports'] {
  return themes.flatMap((t) => t.rows.filter((r) => r.exceptionAttached || r.exceptionNeedsUpdate).map((row) => ({ theme: t.name, row, report: row.exception! })));
}
