// Benchmarks, from stored records: the comparator data for a set of indicators (other councils' values
// and the groups), our standing among our group for a period ("5th of 10 in Greater Manchester ·
// second quartile"), the figure a benchmark target means, and the import of LG Inform's long CSV and of
// groups (the CLI and chat call these).
import { benchmarkFigure, describeStanding, standingAmong, type AreaValue, type BenchmarkAim, type Quartile, type Standing } from '../domain/comparators.ts';
import type { BenchmarkLookup } from '../domain/evaluate.ts';
import { comparePeriods, formatPeriod, periodFromKey } from '../domain/periods.ts';
import type { Period } from '../domain/types.ts';
import type { BarChartSpec } from '../charts/spec.ts';
import type { ComparatorGroupRecord, ComparatorSave, ComparatorValueRecord, IndicatorRecord, OrgSettings, Repository } from '../ports.ts';
// The file readers (CSV and XLSX parsers) are loaded when a file is imported, not with show and the report.
import type { KnownIndicator } from '../import/comparators.ts';
const readers = () => import('../import/comparators.ts');
import { ValidationError } from '../errors.ts';
import type { ValueHistory } from './evaluation.ts';

/** Other councils' values for some indicators, and every comparator group. */
export interface Benchmarks {
  org: Pick<OrgSettings, 'comparatorArea' | 'comparatorGroup' | 'fyStartMonth'>;
  groups: ComparatorGroupRecord[];
  /** Per indicator, per period key: the areas' values. */
  values: Map<number, Map<string, AreaValue[]>>;
  /** Area code → name, as the files gave it. */
  names: Map<string, string>;
}

/** The comparator data for these indicators (all of them when not given), in two queries. */
export async function loadBenchmarks(repo: Repository, org: OrgSettings, indicatorIds?: number[]): Promise<Benchmarks> {
  const [groups, rows] = await Promise.all([repo.comparators.groups(), indicatorIds && !indicatorIds.length ? Promise.resolve([]) : repo.comparators.values(indicatorIds ? { indicatorIds } : {})]);
  const values = new Map<number, Map<string, AreaValue[]>>();
  const names = new Map<string, string>();
  for (const r of rows) {
    names.set(r.areaCode, r.areaName);
    const byPeriod = values.get(r.indicatorId) ?? values.set(r.indicatorId, new Map()).get(r.indicatorId)!;
    (byPeriod.get(r.periodKey) ?? byPeriod.set(r.periodKey, []).get(r.periodKey)!).push({ area: r.areaCode, value: r.value });
  }
  return { org: { comparatorArea: org.comparatorArea ?? null, comparatorGroup: org.comparatorGroup ?? null, fyStartMonth: org.fyStartMonth }, groups, values, names };
}

/** The group a name means: by name without case, or by its initials ("GM" for Greater Manchester); null: our group. */
export function findGroup(b: Pick<Benchmarks, 'groups' | 'org'>, name: string | null): ComparatorGroupRecord | { why: string } {
  if (name === null) {
    const ours = b.org.comparatorGroup ? b.groups.find((g) => g.name === b.org.comparatorGroup) : b.groups.length === 1 ? b.groups[0] : undefined;
    if (ours) return ours;
    return { why: b.org.comparatorGroup ? `the comparator group "${b.org.comparatorGroup}" (our group) has not been imported` : 'no comparator group is set as ours (kpi settings comparator-group <name>)' };
  }
  const n = name.trim().toLowerCase();
  const initials = (s: string) => s.split(/[\s-]+/).filter((w) => w && !/^(of|the|and|&)$/i.test(w)).map((w) => w[0]).join('').toLowerCase();
  const found = b.groups.find((g) => g.name.toLowerCase() === n) ?? b.groups.find((g) => initials(g.name) === n.replace(/[^a-z]/g, ''));
  return found ?? { why: `there is no comparator group called "${name}"` };
}

/** What a benchmark target means for one indicator, by period: its figure from the comparator data, or why there is none. */
export function benchmarkLookup(b: Benchmarks, ind: Pick<IndicatorRecord, 'id' | 'polarity'>): BenchmarkLookup {
  return (aim: BenchmarkAim, period: Period) => {
    const values = b.values.get(ind.id)?.get(period.key);
    const label = formatPeriod(period);
    if (!values?.length) return { ok: false, why: `no comparator data has been imported for ${label}` };
    const group = aim.kind === 'quartile' ? findGroup(b, null) : findGroup(b, aim.group);
    const national = aim.kind === 'average' && aim.scope === 'national';
    if ('why' in group && !national) return { ok: false, why: group.why };
    const g = 'why' in group ? { name: 'England', areas: [] } : group;
    if (!b.org.comparatorArea && aim.kind === 'rank') return { ok: false, why: 'our own area code is not set (kpi settings our-area <code>)' };
    return benchmarkFigure({ aim, polarity: ind.polarity, groupName: g.name, group: g.areas, ourArea: b.org.comparatorArea ?? '', values, periodLabel: label });
  };
}

/** The history with what its benchmark targets mean, where there is comparator data for the indicator. */
export function withBenchmark<H extends ValueHistory>(b: Benchmarks, ind: Pick<IndicatorRecord, 'id' | 'polarity'>, h: H): H {
  return b.values.has(ind.id) ? { ...h, benchmark: benchmarkLookup(b, ind) } : h;
}

/** Histories with what their benchmark targets mean (the same map, entries replaced). */
export function withBenchmarks<H extends ValueHistory>(b: Benchmarks, indicators: readonly Pick<IndicatorRecord, 'id' | 'polarity'>[], histories: Map<number, H>): Map<number, H> {
  for (const ind of indicators) {
    const h = histories.get(ind.id);
    if (h) histories.set(ind.id, withBenchmark(b, ind, h));
  }
  return histories;
}

export interface StandingAt {
  period: Period;
  group: string;
  standing: Standing;
}

/**
 * Our standing among our group for a period (default: the latest period with comparator data for the
 * indicator); null when there is no comparator data for it at all, or no group or area set.
 */
export function standingFor(b: Benchmarks, ind: Pick<IndicatorRecord, 'id' | 'polarity'>, periodKey?: string): StandingAt | null {
  const byPeriod = b.values.get(ind.id);
  if (!byPeriod?.size || !b.org.comparatorArea) return null;
  const group = findGroup(b, null);
  if ('why' in group) return null;
  const key = periodKey ?? [...byPeriod.keys()].map((k) => periodFromKey(k, b.org.fyStartMonth)).sort(comparePeriods).at(-1)!.key;
  const values = byPeriod.get(key);
  if (!values) return null;
  return { period: periodFromKey(key, b.org.fyStartMonth), group: group.name, standing: standingAmong({ ourArea: b.org.comparatorArea, group: group.areas, values, polarity: ind.polarity }) };
}

/** The periods with comparator data for an indicator, oldest first. */
export function benchmarkPeriods(b: Benchmarks, indicatorId: number): Period[] {
  return [...(b.values.get(indicatorId)?.keys() ?? [])].map((k) => periodFromKey(k, b.org.fyStartMonth)).sort(comparePeriods);
}

/** The quartile for a period (null: not ranked). */
export function quartileAt(b: Benchmarks, ind: Pick<IndicatorRecord, 'id' | 'polarity'>, periodKey: string): { quartile: Quartile; line: string } | null {
  const s = standingFor(b, ind, periodKey);
  return s && s.standing.kind === 'ranked' ? { quartile: s.standing.quartile, line: describeStanding(s.standing, s.group) } : null;
}

/** "5th of 10 in Greater Manchester · second quartile in 2017/18 Q3", or why we are not ranked; null when there is nothing to say. */
export function standingSentence(s: StandingAt | null): string | null {
  if (!s) return null;
  const when = formatPeriod(s.period);
  return s.standing.kind === 'ranked' ? `${describeStanding(s.standing, s.group)} in ${when}` : `not ranked in ${s.group} for ${when}: ${s.standing.why}`;
}

/**
 * The group's values for the period as a strip, best first, ours marked (a stacked horizontal bar:
 * the others grey, ours blue); null when fewer than two areas of the group reported.
 */
export function benchmarkChart(b: Benchmarks, ind: Pick<IndicatorRecord, 'id' | 'polarity' | 'name' | 'unit'>, at: StandingAt): BarChartSpec | null {
  const group = findGroup(b, null);
  if ('why' in group) return null;
  const members = new Set(group.areas);
  const rows = (b.values.get(ind.id)?.get(at.period.key) ?? []).filter((v): v is { area: string; value: number } => members.has(v.area) && v.value !== null);
  if (rows.length < 2) return null;
  rows.sort((x, y) => (ind.polarity === 'lower' ? x.value - y.value : y.value - x.value));
  const ours = b.org.comparatorArea;
  const name = (area: string) => (b.names.get(area) ?? area).slice(0, 80);
  return {
    kind: 'bar',
    title: `${at.group}, ${formatPeriod(at.period)}: ${ind.name} (${ind.unit})`.slice(0, 300),
    categories: rows.slice(0, 40).map((r) => name(r.area)),
    series: [
      { label: 'Other councils', color: 'grey', values: rows.slice(0, 40).map((r) => (r.area === ours ? 0 : r.value)) },
      { label: ours ? name(ours) : 'Us', color: 'blue', values: rows.slice(0, 40).map((r) => (r.area === ours ? r.value : 0)) },
    ],
    stacked: true,
    horizontal: true,
  };
}

/** An indicator whose quartile in the latest period with comparator data differs from the period before's. */
export interface QuartileMove {
  indicator: Pick<IndicatorRecord, 'id' | 'slug' | 'polarity'>;
  period: Period;
  previous: Period;
  quartile: Quartile;
  was: Quartile;
  line: string;
}

/** The indicators whose quartile moved between their last two periods with comparator data, worst moves first. */
export function quartileMoves(b: Benchmarks, indicators: readonly Pick<IndicatorRecord, 'id' | 'slug' | 'polarity'>[]): QuartileMove[] {
  const out: QuartileMove[] = [];
  for (const ind of indicators) {
    const ranked = benchmarkPeriods(b, ind.id).flatMap((p) => {
      const q = quartileAt(b, ind, p.key);
      return q ? [{ p, ...q }] : [];
    });
    const [before, latest] = [ranked.at(-2), ranked.at(-1)];
    if (before && latest && before.quartile !== latest.quartile) out.push({ indicator: ind, period: latest.p, previous: before.p, quartile: latest.quartile, was: before.quartile, line: latest.line });
  }
  return out.sort((x, y) => y.quartile - y.was - (x.quartile - x.was));
}

export interface ComparatorImport {
  save: ComparatorSave;
  rows: number;
  missing: number;
  indicators: number;
  periods: string[];
  areas: number;
  notes: string[];
}

/** Our indicators as comparator rows may name them. */
async function knownIndicators(repo: Pick<Repository, 'indicators'>): Promise<KnownIndicator[]> {
  return (await repo.indicators()).map((i) => ({ id: i.id, slug: i.slug, ref: i.ref, name: i.name, unit: i.unit, frequency: i.frequency }));
}

/**
 * Import a comparator file (and its mapping file, if any): all or nothing — a ValidationError lists
 * every problem with its row and column; a dry run says what would change and writes nothing.
 */
export async function importComparators(
  repo: Pick<Repository, 'org' | 'indicators' | 'comparators'>,
  file: { name: string; bytes: Uint8Array },
  opts: { mapping?: { name: string; bytes: Uint8Array }; at: Date; actorId: number | null; actorLabel: string; dryRun?: boolean },
): Promise<ComparatorImport> {
  const [org, known] = await Promise.all([repo.org(), knownIndicators(repo)]);
  let mapping = new Map<string, string>();
  if (opts.mapping) {
    const m = await (await readers()).readMapping(opts.mapping.bytes, opts.mapping.name, known);
    if (!m.ok) throw new ValidationError(`Nothing was imported: the mapping file has ${m.errors.length} problem${m.errors.length === 1 ? '' : 's'}.`, {}, m.errors.join('\n'));
    mapping = m.mapping;
  }
  const { readComparators, readComparatorSheet } = await readers();
  const read = readComparators(await readComparatorSheet(file.bytes, file.name), file.name, known, { fyStartMonth: org.fyStartMonth, mapping });
  if (!read.ok) throw new ValidationError(`Nothing was imported from ${file.name}: ${read.errors.length} problem${read.errors.length === 1 ? '' : 's'}.`, {}, read.errors.join('\n'));
  const rows: ComparatorValueRecord[] = read.file.rows.map((r) => ({ ...r, source: `import:${file.name.split(/[\\/]/).pop()}` }));
  const audit = { at: opts.at, actorId: opts.actorId, actorLabel: opts.actorLabel };
  const save = opts.dryRun ? await dryRunSave(repo, rows) : await repo.comparators.saveValues(rows, audit, opts.at);
  const periods = [...new Set(rows.map((r) => r.periodKey))].map((k) => periodFromKey(k, org.fyStartMonth)).sort(comparePeriods).map(formatPeriod);
  return { save, rows: rows.length, missing: read.file.missing, indicators: new Set(rows.map((r) => r.indicatorId)).size, periods, areas: new Set(rows.map((r) => r.areaCode)).size, notes: read.file.notes };
}

/** What saving would do, without saving. */
async function dryRunSave(repo: Pick<Repository, 'comparators'>, rows: ComparatorValueRecord[]): Promise<ComparatorSave> {
  const held = new Map((await repo.comparators.values({ indicatorIds: [...new Set(rows.map((r) => r.indicatorId))] })).map((v) => [`${v.indicatorId}|${v.periodKey}|${v.areaCode}`, v]));
  const out = { added: 0, changed: 0, unchanged: 0 };
  for (const r of rows) {
    const h = held.get(`${r.indicatorId}|${r.periodKey}|${r.areaCode}`);
    if (!h) out.added++;
    else if (h.value === (r.value === null ? null : Number(r.value.toFixed(6))) && h.areaName === r.areaName) out.unchanged++;
    else out.changed++;
  }
  return out;
}

/** The lines that say what an import did. */
export function comparatorImportLines(r: ComparatorImport, dryRun = false): string[] {
  const { added, changed, unchanged } = r.save;
  const verb = dryRun ? 'Would import' : 'Imported';
  const lines = [
    `${verb} ${r.rows} comparator value${r.rows === 1 ? '' : 's'} for ${r.indicators} indicator${r.indicators === 1 ? '' : 's'}, ${r.areas} area${r.areas === 1 ? '' : 's'}, ${r.periods.length === 1 ? r.periods[0] : `${r.periods.length} periods (${r.periods[0]} to ${r.periods.at(-1)})`}: ${added} new, ${changed} changed, ${unchanged} unchanged${r.missing ? `; ${r.missing} with no value (M, .., - or blank)` : ''}.`,
    ...r.notes,
  ];
  if (!added && !changed && !dryRun) lines.push('Nothing changed: the file had been imported already.');
  return lines;
}

/** Area codes from `--areas E08000001,E08000002` or a CSV file of them. */
export async function groupAreas(o: { areas?: string; file?: { name: string; bytes: Uint8Array } }): Promise<string[]> {
  if (o.file) {
    const { readGroupAreas, readCsv } = await readers();
    const r = readGroupAreas(await readCsv(o.file.bytes, o.file.name), o.file.name);
    if (!r.ok) throw new ValidationError(r.error);
    return r.areas;
  }
  const areas = [...new Set((o.areas ?? '').split(/[\s,;]+/).filter(Boolean).map((a) => a.toUpperCase()))];
  const bad = areas.find((a) => !/^[A-Z0-9]{2,12}$/.test(a));
  if (bad) throw new ValidationError(`"${bad}" is not an area code: expected codes such as E08000009, separated by commas.`);
  if (!areas.length) throw new ValidationError('A group needs its area codes: --areas E08000001,E08000002,… or --file areas.csv.');
  return areas;
}
