// The published-report fixture format (test/fixtures/README.md) → the register. Used by the demo
// organisation and by `kpi import <file.json>`. Only printed numbers become values or targets, and
// only what the council printed reaches people: a row's `notes` (how it was transcribed — "not present
// in the text conversion", "'17/18 Target' column: 8.5") stay in the file, and a unit's parenthetical
// remark ("£ (scale not printed)") is left out of the unit.
import { printedDecimals } from '../domain/format.ts';
import { isPeriodKey, periodFromKey, previousPeriod } from '../domain/periods.ts';
import type { Frequency, Polarity } from '../domain/types.ts';
import type { RegisterIndicator, RegisterInput } from './types.ts';

/** The fields of a fixture this mapping reads (a subset of src/import/fixture-format.ts). */
export interface FixtureLike {
  council: string;
  period: string;
  indicators: {
    ref?: string | null;
    slug?: string | null;
    name: string;
    theme?: string | null;
    unit?: string | null;
    polarity?: string | null;
    frequency?: string | null;
    aggregation?: string | null;
    baseline?: { period?: string | null; value?: number | null; raw?: string | null } | null;
    target?: { period?: string | null; value?: number | null; raw?: string | null } | null;
    observations?: { period: string; value: number | null; raw?: string | null; estimated?: boolean | null; provisional?: boolean | null }[];
    notes?: string | null;
  }[];
  exceptionReports?: { ref?: string | null; indicator: string; sections: Record<string, string> }[];
}

const STOP_WORDS = new Set(['the', 'of', 'a', 'an', 'to', 'and', 'in', 'for', 'per', 'who', 'with', 'by', 'on', 'at', 'from', 'or', 'are', 'is', 'was', 'were', 'have', 'has', 'been', 'which', 'that', 'within', 'through', 'into', 'than']);

const slugWords = (s: string) =>
  s
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w && !STOP_WORDS.has(w));

/** Words joined by hyphens, up to `max` characters: a theme's or a file's short name. */
export function slugify(s: string, max = 48): string {
  let out = '';
  for (const w of slugWords(s)) {
    if ((out ? out.length + 1 : 0) + w.length > max) break;
    out = out ? `${out}-${w}` : w;
  }
  return out || 'indicator';
}

/** Words that open an indicator's name without saying what it measures ("Percentage of …", "Reduce the …"). */
const OPENING_WORDS = new Set(['percentage', 'percent', 'proportion', 'number', 'no', 'rate', 'average', 'total', 'level', 'levels', 'amount', 'reduce', 'reduction', 'increase', 'increased', 'improve', 'maintain', 'deliver', 'delivery', 'achieve', 'ensure']);

/**
 * The short name people type for an indicator, made from its name (people know indicators by name, few
 * by reference): its first four words that say what it measures, at most 32 characters —
 * "Percentage of Council Tax collected" → council-tax-collected, "Average days lost to sickness absence
 * per FTE" → days-lost-sickness-absence.
 */
export function indicatorSlug(name: string): string {
  const words = slugWords(name);
  let start = 0;
  while (start < words.length - 1 && OPENING_WORDS.has(words[start]!)) start++;
  let out = '';
  for (const w of words.slice(start, start + 4)) {
    if ((out ? out.length + 1 : 0) + w.length > 32) break;
    out = out ? `${out}-${w}` : w;
  }
  return out || slugify(name, 32);
}

/** The unit without the fixture's remark on it: "£ (scale not printed)" → "£", "number (visitors)" → "number". */
export function fixtureUnit(unit: string | null | undefined): string {
  const u = (unit ?? '').replace(/\s*\(.*$/, '').trim();
  return u || 'number';
}

function polarityOf(p: string | null | undefined): Polarity {
  if (!p) return 'none';
  if (/^higher/.test(p)) return 'higher';
  if (/^lower/.test(p)) return 'lower';
  return 'none';
}

/** The frequency a value is entered at: what the fixture says, or what its periods show. */
function frequencyOf(f: string | null | undefined, periods: string[]): Frequency {
  if (f === 'annual') return 'annual';
  // Trafford reports monthly-collected measures quarterly; values arrive per quarter.
  if (periods.some((p) => / Q[1-4]$/.test(p))) return 'quarterly';
  if (f === 'monthly') return 'monthly';
  return 'quarterly';
}


/** "Minimum acceptable standard – 82%" in an exception report's target cell → 82. */
function amberFloorFrom(text: string | undefined): number | null {
  const m = text && /minimum acceptable standard\s*[–-]?\s*([\d.]+)/i.exec(text);
  return m ? Number(m[1]) : null;
}

const words = (s: string) =>
  new Set(
    s
      .toLowerCase()
      .replace(/[^a-z0-9%]+/g, ' ')
      .split(' ')
      .filter((w) => w.length > 2 && !['the', 'and', 'for', 'per', 'who', 'with'].includes(w)),
  );

/**
 * Reports name the same indicator slightly differently in the table and in its exception report
 * ("Council wide excluding schools" / "Council-wide, excluding schools"): match on shared words.
 */
export function bestNameMatch<T extends { name: string }>(name: string, candidates: T[]): T | undefined {
  const a = words(name);
  let best: T | undefined;
  let bestScore = 0;
  for (const c of candidates) {
    const b = words(c.name);
    const shared = [...a].filter((w) => b.has(w)).length;
    const score = shared / Math.max(1, Math.min(a.size, b.size));
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return bestScore >= 0.6 ? best : undefined;
}

export interface FixtureMapping {
  /** The register, with the exception-report narratives (by indicator slug, in the fixture's question order) as published. */
  register: RegisterInput;
  /** Rows that could not be used as printed, with why. */
  notes: string[];
}

export function fixtureToRegister(fx: FixtureLike, opts: { fyStartMonth?: number } = {}): FixtureMapping {
  const fy = opts.fyStartMonth ?? 4;
  const notes: string[] = [];
  const usedSlugs = new Set<string>();
  const indicators: RegisterIndicator[] = [];

  for (const [n, row] of fx.indicators.entries()) {
    const base = row.slug ?? indicatorSlug(row.name);
    let slug = base;
    for (let k = 2; usedSlugs.has(slug); k++) slug = `${base}-${k}`;
    usedSlugs.add(slug);
    const obsPeriods = (row.observations ?? []).map((o) => o.period);
    const frequency = frequencyOf(row.frequency, obsPeriods);
    const currentKey = isPeriodKey(fx.period) ? fx.period : null;
    const observations: RegisterIndicator['observations'] = [];
    for (const o of row.observations ?? []) {
      if (o.value === null || o.value === undefined) continue;
      let key = o.period;
      if (!isPeriodKey(key)) {
        // e.g. "previous period (monthly)": the period before the report's own.
        if (currentKey && /previous/i.test(key)) key = previousPeriod(periodFromKey(currentKey, fy), fy).key;
        else {
          notes.push(`row ${n + 1} (${slug}): value ${o.value} for "${o.period}" skipped: not a period`);
          continue;
        }
      }
      // A printed "*" means "subject to verification" (the fixture README): provisional.
      const provisional = Boolean(o.provisional) || /\*\s*$/.test(o.raw ?? '');
      observations.push({ periodKey: key, value: o.value, estimated: Boolean(o.estimated), provisional, note: null, assessedStatus: null });
    }
    const er = bestNameMatch(row.name, (fx.exceptionReports ?? []).map((x) => ({ ...x, name: x.indicator })));
    const targets: RegisterIndicator['targets'] = [];
    const t = row.target;
    if (t?.period && isPeriodKey(t.period)) {
      const text = t.value === null || t.value === undefined ? (t.raw?.trim() || null) : null;
      if (t.value !== null && t.value !== undefined) {
        targets.push({ periodKey: t.period, value: t.value, amberFloor: amberFloorFrom(er?.sections['Target and timescale']), text: null });
      } else if (text) {
        targets.push({ periodKey: t.period, value: null, amberFloor: null, text });
      }
    }
    indicators.push({
      ref: row.ref ?? null,
      slug,
      name: row.name,
      // The fixture prints no definition beyond the name; its notes are the transcriber's, not the council's.
      definition: null,
      theme: row.theme ?? null,
      ownerEmail: null,
      deputyEmail: null,
      alertChannels: [],
      formula: null,
      unit: fixtureUnit(row.unit),
      polarity: polarityOf(row.polarity),
      frequency,
      reportingLagDays: frequency === 'annual' ? 90 : 30,
      aggregation: row.aggregation === 'cumulative' ? 'cumulative' : row.aggregation === 'ytd' ? 'ytd' : 'snapshot',
      tolerance: null,
      dotBasis: null,
      maintainedBand: null,
      decimals: printedDecimals([...(row.observations ?? []).map((o) => o.value), row.target?.value, row.baseline?.value]),
      isKey: false,
      active: true,
      baseline: row.baseline ? { value: row.baseline.value ?? null, period: row.baseline.period ?? null, text: row.baseline.raw ?? null } : null,
      targets,
      observations,
    });
  }

  const exceptionReports: NonNullable<RegisterInput['exceptionReports']> = [];
  for (const e of fx.exceptionReports ?? []) {
    const ind = bestNameMatch(e.indicator, indicators);
    if (!ind) {
      notes.push(`exception report for "${e.indicator.slice(0, 60)}" skipped: no indicator of that name`);
      continue;
    }
    const questions = Object.keys(e.sections).filter((k) => k.endsWith('?') || /^(Explanation|Mitigating|Future)/.test(k));
    if (!questions.length || !isPeriodKey(fx.period)) {
      notes.push(`exception report for "${e.indicator.slice(0, 60)}" skipped: no questions or no period`);
      continue;
    }
    exceptionReports.push({ slug: ind.slug, periodKey: fx.period, questions, answers: questions.map((q) => e.sections[q] ?? ''), state: 'approved' });
  }

  return { register: { organisation: { name: fx.council }, indicators, exceptionReports }, notes };
}
