// The words of the quarterly report, shared by every format: the title, the summary sentences as
// councils write them, cell texts with their markers, and the performance key.
import { DOT_BASIS_PHRASE, describeMaintainedBand } from '../domain/direction.ts';
import { formatValue } from '../domain/format.ts';
import { formatPeriod } from '../domain/periods.ts';
import { formatDateTime } from '../domain/dates.ts';
import type { DotBasis, Period } from '../domain/types.ts';
import type { ChartSpec } from '../charts/spec.ts';
import type { ExceptionReportRecord } from '../ports.ts';
import { valueAndStatus } from '../services/outdated-approvals.ts';
import type { QuarterReport, ReportRow, ReportValue } from './model.ts';
import { commentaryOwedSentence } from './commentary.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "Quarter 3 2017/18 (October to December 2017)". */
export function quarterTitle(q: Period): string {
  const from = MONTHS[Number(q.start.slice(5, 7)) - 1];
  const to = MONTHS[Number(q.end.slice(5, 7)) - 1];
  return `Quarter ${q.key.slice(-1)} ${q.key.slice(0, 7)} (${from} to ${to} ${q.end.slice(0, 4)})`;
}

export function reportTitle(r: QuarterReport): string {
  return `${r.organisation}: Performance Report ${quarterTitle(r.quarter)}${r.themeFilter ? ` — ${r.themeFilter}` : ''}`;
}

/** A long date as printed: "10 February 2018". */
export function longDate(d: Date): string {
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
}

export function signOffText(r: QuarterReport): string {
  if (!r.signOff) return `Not signed off: ${r.quarter.key} is still open and its figures may change.`;
  const when = `Signed off on ${longDate(r.signOff.at)}${r.signOff.by ? ` by ${r.signOff.by}` : ''}`;
  if (!r.snapshot) return `${when}: the quarter's values are locked.`;
  const n = r.afterSignOff.length;
  return `${when}: this is the report as signed off. ${n ? `${n === 1 ? 'One change' : `${n} changes`} entered since ${n === 1 ? 'is' : 'are'} listed apart in section 5, "Changed after sign-off".` : 'Nothing has been entered for it since.'}`;
}

/** For a report kept at sign-off: what became of an exception report it prints since ("Since sign-off: needs updating …, see section 5"). */
export function exceptionSinceSignOff(r: QuarterReport, row: ReportRow, timeZone = 'Europe/London'): string | null {
  const later = r.afterSignOff.filter((a) => a.what === 'exception report' && a.indicator.id === row.indicator.id).at(-1);
  return later ? `Since sign-off (${formatDateTime(later.at, timeZone)}) this exception report ${later.to === 'none' ? 'was removed' : `is ${later.to}`}${later.reason ? `: ${later.reason}` : ''} — see section 5.` : null;
}

/** The heading of the "Changed after sign-off" section, and its table. */
export const AFTER_SIGN_OFF_TITLE = 'Changed after sign-off';
export const AFTER_SIGN_OFF_HEAD = ['Indicator', 'Period', 'What', 'As signed off', 'Now', 'When', 'By', 'Reason'];

/** The rows of the "Changed after sign-off" table: what was entered after the report was signed off. */
export function afterSignOffRows(r: QuarterReport, timeZone = 'Europe/London'): string[][] {
  return r.afterSignOff.map((a) => [a.indicator.ref ?? a.indicator.slug, formatPeriod(a.period), a.what, a.from, a.to, formatDateTime(a.at, timeZone), a.by, a.reason ?? '']);
}

/** The words under the section's heading. */
export function afterSignOffIntro(r: QuarterReport): string {
  return r.afterSignOff.length
    ? `The report above is ${r.quarter.key} as it was signed off${r.signOff ? ` on ${longDate(r.signOff.at)}` : ''}. These were entered later for periods it covers (the quarter, its months and the years it shows); they are not in the figures above.`
    : `Nothing has been entered for the periods this report covers since it was signed off.`;
}

/** When a value is for: "2017/18 Q2", or the baseline's period as written ("Summer 2016"). */
export function whenText(v: ReportValue): string {
  return v.when ?? (v.period ? formatPeriod(v.period) : '');
}

/** A value as councils print it, with its markers: "83.8%*" (provisional), "10.49 days (est)". */
export function valueText(v: ReportValue | null, row: ReportRow, withPeriod = false): string {
  if (!v) return '';
  const ind = row.indicator;
  const when = withPeriod && v.period?.key !== row.period.key && whenText(v) ? ` (${whenText(v)})` : '';
  return `${formatValue(v.value, ind.unit, ind.decimals)}${v.provisional ? '*' : ''}${v.estimated ? ' (est)' : ''}${when}`;
}

export function targetText(row: ReportRow): string {
  const t = row.evaluation.target;
  const ind = row.indicator;
  if (t.value !== null) {
    const floor = row.amberFloor !== null ? ` (min ${formatValue(row.amberFloor, ind.unit, ind.decimals)})` : '';
    return `${formatValue(t.value, ind.unit, ind.decimals)}${t.basis === 'pro-rata' ? ' (pro rata)' : ''}${floor}`;
  }
  if (t.text) return t.text;
  return row.state === 'reported' ? 'No target set' : '';
}

/** What the current-actual cell says. */
export function actualText(row: ReportRow): string {
  if (row.state === 'annual') return 'Reported annually';
  if (row.state === 'missing') return 'No value yet';
  const ev = row.evaluation;
  // Cumulative and average indicators are judged on the year to date: say it beside the period's own value.
  const ytd = ev.value !== null && row.current && ev.value !== row.current.value ? ` (${formatValue(ev.value, row.indicator.unit, row.indicator.decimals)} year to date)` : '';
  // The latest available value of the year, standing in for the period's, says whose it is: "80% (2017/18 Q2)".
  return valueText(row.current, row, ev.latestAvailable !== null) + (row.period.kind === 'month' ? ` (${formatPeriod(row.period)})` : '') + ytd;
}

export type StatusKey = 'green' | 'amber' | 'red' | 'no_target' | 'none';

export function statusKey(row: ReportRow): StatusKey {
  if (row.state !== 'reported') return 'none';
  const s = row.evaluation.status;
  return s === 'in_measurement' ? 'none' : s;
}

export const STATUS_WORDS: Record<StatusKey, string> = { green: 'Green', amber: 'Amber', red: 'Red', no_target: 'No target', none: '' };
/** The status cell: "G Green", "A Amber", "R Red", "No target", or empty when not reported. */
export const STATUS_CELL: Record<StatusKey, string> = { green: 'G Green', amber: 'A Amber', red: 'R Red', no_target: 'No target', none: '' };

export function directionText(row: ReportRow): string {
  if (row.state !== 'reported') return '';
  return row.evaluation.direction === 'improving' ? '↑' : row.evaluation.direction === 'maintained' ? '↔' : row.evaluation.direction === 'declining' ? '↓' : '';
}

export function exceptionText(row: ReportRow): string {
  if (row.exceptionAttached) return '✓';
  if (row.exceptionNeedsUpdate) return 'Needs update';
  if (row.exceptionOwed) return 'Due';
  return '';
}

/**
 * What an exception report printed in section 4 is, when it is not simply approved: "submitted,
 * awaiting review", or — approved for a figure the period no longer has — that it needs updating,
 * with the figure its answers were written for.
 */
export function exceptionNotice(row: ReportRow, report: ExceptionReportRecord): { state: string; note: string | null } | null {
  if (row.exceptionNeedsUpdate) {
    const was = valueAndStatus(row.indicator, { value: report.approvedValue, status: report.approvedStatus });
    const now = valueAndStatus(row.indicator, { value: row.current?.value ?? null, status: row.state === 'reported' ? row.evaluation.status : null });
    return { state: 'needs update', note: `Needs update: the answers below were written for ${was}; ${formatPeriod(row.period)} now has ${now}.` };
  }
  if (report.state === 'approved') return null;
  return { state: report.state === 'submitted' ? 'submitted, awaiting review' : report.state.replace('_', ' '), note: null };
}

const n = (x: number, one: string, many: string) => `${x} ${x === 1 ? one : many}`;

/** The summary paragraph, in the words of the published reports. */
/** The key indicators' rows (the register's Key indicator flag), in theme order. */
export const keyIndicatorRows = (r: QuarterReport): ReportRow[] => r.themes.flatMap((t) => t.rows.filter((x) => x.indicator.isKey));

/** Whether the report has a column for where we rank among our comparator group (some row has comparator data). */
export const hasBenchmarks = (r: QuarterReport): boolean => r.themes.some((t) => t.rows.some((x) => x.benchmark));

/** The later years any of these rows has a target for, in order ("2018/19", "2019/20"): one column each beside this year's target. */
export function laterYears(rows: ReportRow[]): string[] {
  const first = new Map<string, number>();
  for (const row of rows) for (const t of row.laterTargets ?? []) if (!first.has(t.year)) first.set(t.year, first.size);
  return [...first.keys()].sort();
}

/** A row's target for a later year as printed ("75%", "Top quartile"), or blank when none is set. */
export function laterTargetText(row: ReportRow, year: string): string {
  const t = row.laterTargets?.find((x) => x.year === year);
  if (!t) return '';
  return t.value !== null ? formatValue(t.value, row.indicator.unit, row.indicator.decimals) : (t.text ?? '');
}

export function summarySentences(r: QuarterReport): string[] {
  const c = r.counts;
  const what = r.themeFilter ? `The theme has` : `The register has`;
  const parts = [`${c.reported} ${c.reported === 1 ? 'has' : 'have'} been reported in ${r.quarter.key}`];
  if (c.annual) parts.push(`${c.annual} ${c.annual === 1 ? 'is' : 'are'} reported annually`);
  if (c.missing) parts.push(`${c.missing} ${c.missing === 1 ? 'has' : 'have'} no value for the quarter yet`);
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0]!;
  const out = [`${what} ${n(c.indicators, 'indicator', 'indicators')}: ${list}.${c.discontinued ? ` ${n(c.discontinued, 'indicator has', 'indicators have')} been discontinued.` : ''}`];
  out.push(
    `There ${c.green === 1 ? 'is' : 'are'} ${c.green} Green ${c.green === 1 ? 'indicator' : 'indicators'} (on target), ${c.amber} Amber and ${c.red} Red.` +
      (c.noTarget ? ` ${n(c.noTarget, 'indicator has', 'indicators have')} no target, and therefore no RAG status.` : ''),
  );
  const since = r.direction.bases.length === 1 && r.direction.defaultBasis === 'previous' ? 'since the previous period' : `compared with ${basisWords(r)}`;
  out.push(
    `${c.improving} ${c.improving === 1 ? 'has' : 'have'} improved ${since}, ${c.maintained} stayed the same and ${c.declining} worsened` +
      (c.notComparable ? `; ${n(c.notComparable, 'has', 'have')} no earlier value to compare with.` : '.'),
  );
  if (c.exceptionsAttached || c.exceptionsOwed || c.exceptionsNeedingUpdate) {
    out.push(
      `${n(c.exceptionsAttached, 'exception report is', 'exception reports are')} included (section 4)` +
        (c.exceptionsOwed ? `; ${n(c.exceptionsOwed, 'is', 'are')} still owed for Red or Amber indicators` : '') +
        (c.exceptionsNeedingUpdate
          ? `; ${n(c.exceptionsNeedingUpdate, 'was', 'were')} approved for a value or status that has since changed and ${c.exceptionsNeedingUpdate === 1 ? 'needs' : 'need'} updating (marked in section 4).`
          : '.'),
    );
  }
  if (r.actions) {
    const a = r.actions;
    const counted = a.summary.filter((x) => x.count).map((x) => `${x.count} ${x.label.toLowerCase()}`);
    out.push(`Of ${n(a.total, a.word, `${a.word}s`)}, ${counted.length > 1 ? `${counted.slice(0, -1).join(', ')} and ${counted.at(-1)}` : counted[0]} (section ${r.snapshot ? 6 : 5}).`);
  }
  if (r.risks) {
    const k = r.risks;
    out.push(`Of ${n(k.total, 'risk', 'risks')} on the register, ${k.aboveAppetite} ${k.aboveAppetite === 1 ? 'is' : 'are'} above the risk appetite (section ${(r.snapshot ? 6 : 5) + (r.actions ? 1 : 0)}).`);
  }
  const owedCommentary = commentaryOwedSentence(r.commentary);
  if (owedCommentary) out.push(owedCommentary);
  const corrected = r.themes.flatMap((t) => t.rows).filter((x) => x.correction).length;
  if (corrected) out.push(`${n(corrected, 'value was', 'values were')} corrected after ${corrected === 1 ? 'its period was' : 'their periods were'} signed off (noted with each indicator).`);
  const forecasts = r.themes.flatMap((t) => t.rows).filter((x) => x.forecast);
  const misses = forecasts.filter((x) => x.forecast!.status !== 'green').length;
  if (forecasts.length) {
    out.push(`Of ${n(forecasts.length, 'indicator', 'indicators')} with an annual target, ${misses} ${misses === 1 ? 'is' : 'are'} on course to miss ${misses === 1 ? 'it' : 'them'} at the year end on current performance.`);
  }
  if (c.estimated || c.provisional) {
    out.push(
      [c.estimated ? `${n(c.estimated, 'value is an estimate', 'values are estimates')} (est)` : '', c.provisional ? `${n(c.provisional, 'value is', 'values are')} provisional, subject to verification (*)` : '']
        .filter(Boolean)
        .join('; ') + '.',
    );
  }
  return out;
}


/**
 * What direction of travel compares with across the report: "the baseline", or, where indicators
 * differ, "the previous period (the same period last year for 3 indicators, the baseline for 2)".
 */
export function basisWords(r: QuarterReport): string {
  const [first, ...others] = r.direction.bases.filter((b, i) => i === 0 || b.count > 0);
  const main = DOT_BASIS_PHRASE[first!.basis];
  if (!others.length) return main;
  return `${main} (${others.map((b) => `${DOT_BASIS_PHRASE[b.basis]} for ${n(b.count, 'indicator', 'indicators')}`).join(', ')})`;
}

const HEADING: Record<DotBasis, string> = { previous: 'Previous', same_last_year: 'Last year', baseline: 'Baseline' };

/** The heading of the column direction of travel compares with: "Previous", "Last year", "Baseline" or, mixed, "Compared with". */
export function comparisonHeading(r: QuarterReport): string {
  const used = r.direction.bases.filter((b) => b.count > 0);
  return used.length > 1 ? 'Compared with' : HEADING[(used[0] ?? r.direction.bases[0]!).basis];
}

export function keyLines(r: QuarterReport): { symbol: string; meaning: string }[] {
  const tol = r.tolerance.kind === 'relative' ? `${r.tolerance.value}%` : `${r.tolerance.value} units`;
  const basis = basisWords(r);
  const band = `${describeMaintainedBand(r.direction.band)}${r.direction.ownBands ? ' unless the indicator sets its own band' : ''}`;
  return [
    { symbol: 'G', meaning: 'Performance meets or exceeds the target' },
    { symbol: 'A', meaning: `Performance is within the agreed tolerance of the target (${tol} unless the indicator sets its own, or a minimum acceptable standard)` },
    { symbol: 'R', meaning: 'Performance is further from the target than the agreed tolerance' },
    { symbol: '↑', meaning: `Performance has improved compared with ${basis}` },
    { symbol: '↔', meaning: `Performance is the same as ${basis} (${band})` },
    { symbol: '↓', meaning: `Performance has worsened compared with ${basis}` },
    ...(r.direction.yearToDate
      ? [{ symbol: '↑ ↔ ↓', meaning: 'A count or percentage that builds up over the year is compared as the year to date: with the same point last year, or else the baseline pro rata for the part of the year elapsed' }]
      : []),
    { symbol: '(est)', meaning: 'An estimated result: an assessment of performance by the owner' },
    { symbol: '*', meaning: 'Provisional: subject to verification' },
    { symbol: '✓', meaning: `An exception report is included (Red${r.exceptionForAmber ? ' and Amber' : ''} indicators)` },
    ...(r.counts.exceptionsNeedingUpdate
      ? [{ symbol: 'Needs update', meaning: 'The exception report was approved for a value or status that has since changed: its answers (section 4) are for the earlier figure' }]
      : []),
  ];
}

/** The report's two charts: RAG status by theme, and direction of travel. */
export function reportCharts(r: QuarterReport): ChartSpec[] {
  const groups = r.themes
    .map((t) => {
      const rep = t.rows.filter((x) => x.state === 'reported');
      const count = (s: string) => rep.filter((x) => x.evaluation.status === s).length;
      return { label: t.name.slice(0, 200), green: count('green'), amber: count('amber'), red: count('red'), noTarget: count('no_target') };
    })
    .filter((g) => g.green + g.amber + g.red + g.noTarget > 0);
  const charts: ChartSpec[] = [];
  if (groups.length) charts.push({ kind: 'rag-by-group', title: 'Performance indicator RAG status by theme', groups: groups.slice(0, 30) });
  charts.push({
    kind: 'direction-counts',
    title: 'Direction of travel of the indicators reported',
    improving: r.counts.improving,
    maintained: r.counts.maintained,
    declining: r.counts.declining,
    notComparable: r.counts.notComparable,
  });
  return charts;
}

/** The file name of a report: "trafford-council-performance-report-2017-18-q3.pdf". */
export function reportFileName(r: QuarterReport, ext: string): string {
  const slug = (s: string, max = 60) => {
    const full = s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    if (full.length <= max) return full;
    // Cut at a word.
    const cut = full.slice(0, max + 1);
    return cut.slice(0, cut.lastIndexOf('-') > 0 ? cut.lastIndexOf('-') : max);
  };
  return `${slug(r.organisation, 40)}-performance-report-${slug(r.quarter.key)}${r.themeFilter ? `-${slug(r.themeFilter, 30)}` : ''}.${ext}`;
}

/** Notes under an indicator's row: a period not collected, a value corrected after sign-off, and the year-end forecast. */
export function rowNotes(row: ReportRow, timeZone = 'Europe/London'): string[] {
  const ind = row.indicator;
  const fmt = (v: number) => formatValue(v, ind.unit, ind.decimals);
  const notes: string[] = [];
  if (row.notCollected) notes.push(`Not collected for ${formatPeriod(row.period)}: ${row.notCollected.reason}.`);
  const c = row.correction;
  if (c) {
    const change = c.from !== null ? `${fmt(c.from)} → ${fmt(row.current!.value)}` : `${fmt(row.current!.value)} (no value when signed off)`;
    notes.push(`Corrected after sign-off: ${change} on ${formatDateTime(c.at, timeZone)} by ${c.by}${c.reason ? ` (reason: ${c.reason})` : ''}.`);
  }
  if (row.forecast) notes.push(`Year end ${formatPeriod(row.forecast.year)}: ${row.forecast.sentence}.`);
  // A calculated indicator (src/domain/formula.ts): its formula and, with a value, its inputs' values.
  if (ind.formula) notes.push(`Calculated as ${ind.formula}${row.current?.inputs ? ` from ${row.current.inputs}` : ''}.`);
  return notes;
}
