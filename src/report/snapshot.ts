// A signed-off quarter's report, kept. At sign-off the report as it stands — values, statuses,
// directions, targets, forecasts, exception-report narratives, counts — is stored with the lock
// (period_lock.report), and what it covered per indicator with the version of each value
// (signed_off_value: the quarter, its months, the year shown; src/domain/coverage.ts). Afterwards the
// quarter's report is that one, as signed off, and apart from it a "Changed after sign-off" list of
// whatever was entered later for the periods it covers: who, when, what it was and is now, and why.
// A quarter signed off before reports were kept is reported live, with its corrections noted.
import type { Period } from '../domain/types.ts';
import { formatValue } from '../domain/format.ts';
import { periodFromKey } from '../domain/periods.ts';
import { isYear } from '../domain/coverage.ts';
import { localDateOf } from '../domain/dates.ts';
import type { ExceptionReportRecord, ExceptionState, ObservationRecord, QuarterSnapshot, Repository } from '../ports.ts';
import { givenBy } from '../services/provenance.ts';
import { valueAndStatus } from '../services/outdated-approvals.ts';
import { narrowCommentary } from './commentary.ts';
import { buildQuarterReport, countRows, directionKey, exceptionReportsOf, type AfterSignOff, type QuarterReport, type ReportRow, type ReportTheme } from './model.ts';

const FORMAT = 1;
const DATE = '$date';

/** What is stored: the whole report (every theme), and the themes of its discontinued indicators (for a report narrowed to one). */
interface Stored {
  format: typeof FORMAT;
  report: QuarterReport;
  discontinued: (number | null)[];
}

/** The report as JSON for the database, its dates kept as dates (its exception reports are its rows', kept once). */
export function snapshotJson(report: QuarterReport, discontinued: (number | null)[]): unknown {
  const stored: Stored = { format: FORMAT, report: { ...report, exceptionReports: [] }, discontinued };
  return JSON.parse(
    JSON.stringify(stored, function (this: Record<string, unknown>, key, value: unknown) {
      const raw = this[key];
      return raw instanceof Date ? { [DATE]: raw.toISOString() } : value;
    }),
  ) as unknown;
}

/** The stored report, or null for one this version cannot read. */
export function readSnapshot(json: unknown): Stored | null {
  const revived = JSON.parse(JSON.stringify(json), (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (typeof o[DATE] === 'string' && Object.keys(o).length === 1) return new Date(o[DATE]);
    }
    return v;
  }) as Partial<Stored> | null;
  if (!revived || revived.format !== FORMAT || !revived.report) return null;
  return { ...(revived as Stored), report: { ...revived.report, exceptionReports: exceptionReportsOf(revived.report.themes) } };
}

/**
 * Sign off a quarter: take its report as it stands and lock it with the report kept (one
 * transaction; a second sign-off of the same quarter changes nothing).
 */
export async function signOffQuarter(
  repo: Repository,
  quarter: Period,
  by: { personId: number | null; name: string | null; label: string },
  now: Date,
): Promise<{ created: boolean; report: QuarterReport }> {
  const [live, all] = await Promise.all([buildQuarterReport(repo, quarter.key, now), repo.indicators({ activeOnly: false })]);
  const report: QuarterReport = { ...live, signOff: { at: now, by: by.name } };
  const covered = live.themes.flatMap((t) => t.rows.flatMap((r) => r.covered.map((c) => ({ indicatorId: r.indicator.id, ...c }))));
  const discontinued = all.filter((i) => !i.active).map((i) => i.themeId);
  const { created } = await repo.closePeriod(
    { periodKey: quarter.key, periodStart: quarter.start, periodEnd: quarter.end, closedById: by.personId, actorLabel: by.label, at: now },
    { takenAt: now, report: snapshotJson(report, discontinued), covered },
  );
  return { created, report };
}

/**
 * The report to publish for a quarter: for one signed off with its report kept, that report as
 * signed off with what came in since; else worked out now (src/report/model.ts).
 */
export async function quarterReport(repo: Repository, quarterKey: string, now: Date, opts: { themeId?: number } = {}): Promise<QuarterReport> {
  return (await signedOffReport(repo, quarterKey, now, opts)) ?? buildQuarterReport(repo, quarterKey, now, opts);
}

/** The kept report of a signed-off quarter (narrowed to a theme when asked), with what was entered after; null when none was kept. */
export async function signedOffReport(repo: Repository, quarterKey: string, now: Date, opts: { themeId?: number } = {}): Promise<QuarterReport | null> {
  const snap = await repo.quarterSnapshot(quarterKey);
  const stored = snap ? readSnapshot(snap.report) : null;
  if (!snap || !stored) return null;
  const report = opts.themeId !== undefined ? narrowed(stored, opts.themeId) : stored.report;
  const org = await repo.org();
  return { ...report, generatedAt: now, snapshot: { takenAt: snap.takenAt }, afterSignOff: await changesAfter(repo, snap, report, org.fyStartMonth, org.timeZone) };
}

/** The kept report of one theme: its rows, counted and keyed as the whole report was. */
function narrowed(stored: Stored, themeId: number): QuarterReport {
  const r = stored.report;
  const themes: ReportTheme[] = r.themes.map((t) => ({ ...t, rows: t.rows.filter((x) => x.indicator.themeId === themeId) })).filter((t) => t.rows.length);
  const rows = themes.flatMap((t) => t.rows);
  return {
    ...r,
    themeFilter: rows[0]?.indicator.themeName ?? themes[0]?.name ?? null,
    themes,
    counts: countRows(rows, stored.discontinued.filter((id) => id === themeId).length),
    direction: directionKey(rows, { dotBasis: r.direction.defaultBasis, maintainedBand: r.direction.band }),
    exceptionReports: exceptionReportsOf(themes),
    commentary: r.commentary ? narrowCommentary(r.commentary, themeId) : r.commentary,
  };
}

/** A save can be stamped a moment before the report was taken yet land after it: its version, not its time, decides. */
const MARGIN_MS = 10 * 60_000;

const STATE_WORDS: Record<ExceptionState, string> = {
  draft: 'a draft',
  submitted: 'submitted for review',
  returned: 'returned to its author',
  approved: 'approved',
  needs_update: 'needs updating',
};

/** What was entered after the report was taken for the periods it covers, oldest first. */
async function changesAfter(repo: Repository, snap: QuarterSnapshot, report: QuarterReport, fy: number, timeZone: string): Promise<AfterSignOff[]> {
  const rows = new Map(report.themes.flatMap((t) => t.rows.map((row) => [row.indicator.id, { theme: t.name, row }] as const)));
  const basis = new Map(snap.covered.filter((c) => rows.has(c.indicatorId)).map((c) => [`${c.indicatorId}|${c.periodKey}`, c.version ?? 0]));
  const ids = [...rows.keys()];
  if (!ids.length) return [];
  const [since, reports] = await Promise.all([repo.observationVersionsSince(new Date(snap.takenAt.getTime() - MARGIN_MS), ids), repo.exceptionReports({ indicatorIds: ids })]);
  const later = since.filter((v) => v.version > (basis.get(`${v.indicatorId}|${v.periodKey}`) ?? Infinity));
  const personIds = [...new Set([...later.map((v) => v.submittedById), ...reports.flatMap((r) => [r.authorId, r.reviewerId])].filter((x): x is number => x !== null))];
  const people = new Map((personIds.length ? await repo.people({ ids: personIds }) : []).map((p) => [p.id, p]));
  const name = (id: number | null) => (id !== null ? (people.get(id)?.displayName ?? 'someone no longer in the register') : 'the bot');

  const out: AfterSignOff[] = [];
  // Values: each version after the one signed off, with the one before it.
  const versions = new Map<string, ObservationRecord[]>();
  for (const v of later) {
    const k = `${v.indicatorId}|${v.periodKey}`;
    if (!versions.has(k)) versions.set(k, await repo.observationVersions(v.indicatorId, v.periodKey));
    const { theme, row } = rows.get(v.indicatorId)!;
    const ind = row.indicator;
    const fmt = (o: ObservationRecord) => `${formatValue(o.value, ind.unit, ind.decimals)}${o.provisional ? '*' : ''}${o.estimated ? ' (est)' : ''}`;
    const before = versions.get(k)!.find((x) => x.version === v.version - 1);
    const period = periodFromKey(v.periodKey, fy);
    const notThere = v.periodKey === row.period.key && row.state === 'annual' ? 'Reported annually' : 'no value';
    const yearEnded = isYear(period) && localDateOf(v.submittedAt, timeZone) > period.end;
    out.push({
      theme,
      indicator: { id: ind.id, slug: ind.slug, ref: ind.ref, name: ind.name },
      period,
      what: 'value',
      from: before ? fmt(before) : notThere,
      to: fmt(v),
      at: v.submittedAt,
      by: givenBy(v, people),
      reason: v.correctionReason ?? (!before && yearEnded ? 'given after the year ended, for the reports still to come' : (v.note ?? null)),
    });
  }
  // Exception reports: a new version of the report a row had (or a report it had not) since the sign-off.
  for (const { theme, row } of rows.values()) {
    const live = reports.find((r) => r.indicatorId === row.indicator.id && r.periodKey === (row.exception?.periodKey ?? row.period.key));
    if (!live || (row.exception && live.version <= row.exception.version)) continue;
    out.push({
      theme,
      indicator: { id: row.indicator.id, slug: row.indicator.slug, ref: row.indicator.ref, name: row.indicator.name },
      period: periodFromKey(live.periodKey, fy),
      what: 'exception report',
      from: row.exception ? STATE_WORDS[row.exception.state] : 'none',
      to: STATE_WORDS[live.state],
      at: exceptionAt(live),
      by: exceptionActor(live, name),
      reason: exceptionReason(live, row),
    });
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

function exceptionAt(r: ExceptionReportRecord): Date {
  if ((r.state === 'approved' || r.state === 'returned') && r.reviewedAt) return r.reviewedAt;
  if (r.state === 'submitted' && r.submittedAt) return r.submittedAt;
  return r.updatedAt;
}

function exceptionActor(r: ExceptionReportRecord, name: (id: number | null) => string): string {
  if (r.state === 'needs_update') return 'the bot';
  if (r.state === 'approved' || r.state === 'returned') return name(r.reviewerId);
  return name(r.authorId);
}

function exceptionReason(r: ExceptionReportRecord, row: ReportRow): string | null {
  if (r.state === 'needs_update') return `it was approved for ${valueAndStatus(row.indicator, { value: r.approvedValue, status: r.approvedStatus })}, and the value changed`;
  if (r.state === 'returned') return r.reviewComment;
  return null;
}
