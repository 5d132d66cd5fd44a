// The direction-of-travel settings as people write them — the organisation's defaults (`/kpi settings`,
// a Settings sheet) and an indicator's own (the register's `DoT basis` and `Maintained band` columns):
//   basis: "previous" (period), "same period last year", "baseline";
//   band:  "2%" (maintained within 2% of the value compared with), "equal" (the same at the printed precision).
// Read with zod, so a mistake comes back as the words the person sees.
import { z } from 'zod';
import { DOT_BASIS_PHRASE, describeMaintainedBand } from '../domain/direction.ts';
import { formatNumber } from '../domain/format.ts';
import type { DotBasis, MaintainedBand } from '../domain/types.ts';
import { ValidationError } from '../errors.ts';

/** Lower case, punctuation to spaces: "Same-period last year" → "same period last year". */
const words = (s: string) =>
  s
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9%.]+/g, ' ')
    .trim();

/** What people call each basis (after `words`). */
export const DOT_BASIS_WORDS: Readonly<Record<string, DotBasis>> = {
  previous: 'previous', 'previous period': 'previous', 'last period': 'previous', 'prior period': 'previous', 'previous quarter': 'previous',
  'previous month': 'previous', 'previous year': 'previous', 'period on period': 'previous',
  'same period last year': 'same_last_year', 'same last year': 'same_last_year', 'same period previous year': 'same_last_year',
  'same quarter last year': 'same_last_year', 'same month last year': 'same_last_year', 'same point last year': 'same_last_year',
  'last year': 'same_last_year', 'year on year': 'same_last_year',
  baseline: 'baseline', 'the baseline': 'baseline', 'against baseline': 'baseline', 'against the baseline': 'baseline',
  'compared with the baseline': 'baseline', 'baseline outturn': 'baseline', 'outcome plan baseline': 'baseline', 'last years outturn': 'baseline',
};

export const DOT_BASIS_EXPECTED = 'previous, same period last year or baseline';
export const MAINTAINED_BAND_EXPECTED = 'a percentage such as 2% (maintained within 2% of the value compared with), or "equal" (the same at the printed precision)';

type Read<T> = { ok: true; value: T } | { ok: false; error: string };

function readDotBasis(text: string): Read<DotBasis> {
  const v = DOT_BASIS_WORDS[words(text)];
  return v ? { ok: true, value: v } : { ok: false, error: `expected ${DOT_BASIS_EXPECTED}` };
}

const PRECISION_WORDS = new Set(['equal', 'exact', 'exactly', 'same', 'precision', 'printed precision', 'equal at printed precision', 'equal at the printed precision', 'the same', 'unchanged']);

function readMaintainedBand(text: string): Read<MaintainedBand> {
  // words() has already dropped signs: "±2%" and "+/- 2%" read as "2%".
  const t = words(text).replace(/^(within|plus or minus|plus minus)\s+/, '');
  if (PRECISION_WORDS.has(t)) return { ok: true, value: { kind: 'precision' } };
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(%|percent|per cent)?$/.exec(t);
  if (!m || (!m[2] && Number(m[1]) !== 0)) return { ok: false, error: `expected ${MAINTAINED_BAND_EXPECTED}` };
  const percent = Number(m[1]);
  if (percent > 100) return { ok: false, error: 'expected a maintained band of at most 100%' };
  return { ok: true, value: { kind: 'relative', percent } };
}

/** A zod transform over a reader: its error becomes the issue's message. */
function transformWith<T>(read: (s: string) => Read<T>) {
  return (s: string, ctx: z.RefinementCtx): T => {
    const v = read(s);
    if (v.ok) return v.value;
    ctx.addIssue({ code: 'custom', message: v.error });
    return z.NEVER;
  };
}

/** A basis as typed → the basis; zod issues say what was expected. */
export const dotBasisSchema = z.string().transform(transformWith(readDotBasis));

/** A band as typed → the band; zod issues say what was expected. */
export const maintainedBandSchema = z.string().transform(transformWith(readMaintainedBand));

/** A spreadsheet cell: empty means "the organisation's". */
export const dotBasisCell = z
  .string()
  .nullable()
  .transform((s, ctx) => (s === null ? null : transformWith(readDotBasis)(s, ctx)));
export const maintainedBandCell = z
  .string()
  .nullable()
  .transform((s, ctx) => (s === null ? null : transformWith(readMaintainedBand)(s, ctx)));

function parseWith<T>(schema: z.ZodType<T>, text: string, what: string, field: string): T {
  const r = schema.safeParse(text);
  if (r.success) return r.data;
  const message = `${what}: ${r.error.issues[0]?.message ?? 'not readable'} — got "${text.trim()}".`;
  throw new ValidationError(message, { [field]: message });
}

/**
 * "previous", "same period last year", "baseline" (and the other words councils use) → the basis.
 * Throws a ValidationError carrying the sentence the person sees (and, for a form, under `field`).
 */
export function parseDotBasis(text: string, what = 'Direction of travel basis', field = 'dot_basis'): DotBasis {
  return parseWith(dotBasisSchema, text, what, field);
}

/** "2%" → within 2%; "equal" → the same at the printed precision. Throws a ValidationError the person can read. */
export function parseMaintainedBand(text: string, what = 'Maintained band', field = 'maintained_band'): MaintainedBand {
  return parseWith(maintainedBandSchema, text, what, field);
}

/** A basis as a person would type it back: "previous", "same period last year", "baseline". */
export function dotBasisText(b: DotBasis): string {
  return b === 'same_last_year' ? 'same period last year' : b;
}

/** A band as a person would type it back: "2%", "equal". */
export function maintainedBandText(b: MaintainedBand): string {
  return b.kind === 'precision' ? 'equal' : `${formatNumber(b.percent, 6)}%`;
}

/** For help and settings replies: "compared with the baseline; maintained within 2%". */
export function describeDirectionSettings(basis: DotBasis, band: MaintainedBand): string {
  return `compared with ${DOT_BASIS_PHRASE[basis]}; maintained when ${describeMaintainedBand(band)}`;
}
