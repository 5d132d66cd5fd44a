// Risks as councils keep their registers (Trafford's CIP01–CIP10 heat map, Halton's directorate risk
// register): likelihood × impact on the organisation's scale (1–5 unless set), the score their product,
// rating bands set by the organisation (low / medium / high / very high with their colours), a risk
// appetite above which a risk is escalated, and a trend from one review to the next. Pure: no platform,
// no storage.
import { addMonths } from './actions.ts';
import type { LocalDate } from './types.ts';

/** A rating band: the scores from `from` up to the next band's `from`, printed as `label` in `colour` (#rrggbb). */
export interface RiskBand {
  label: string;
  from: number;
  colour: string;
}

/** The organisation's risk matrix: likelihood and impact each 1…scale; the bands; the appetite (the highest score tolerated). */
export interface RiskMatrix {
  scale: number;
  bands: RiskBand[];
  appetite: number;
}

export const MIN_SCALE = 2;
export const MAX_SCALE = 10;

const BAND_COLOURS = { low: '#2e7d32', medium: '#f2c200', high: '#ef8f00', veryHigh: '#c62828' } as const;

/**
 * The bands a scale has unless the organisation sets its own: on 1–5, low 1–4, medium 5–9, high 10–15,
 * very high 16–25 (the common 5×5 register); on another scale the same thresholds as shares of the top
 * score (kept strictly rising from 1).
 */
export function defaultBands(scale: number): RiskBand[] {
  const top = scale * scale;
  const at = (share: number, min: number) => Math.max(min, Math.round(share * top));
  const medium = at(5 / 25, 2);
  const high = at(10 / 25, medium + 1);
  const veryHigh = at(16 / 25, high + 1);
  return [
    { label: 'Low', from: 1, colour: BAND_COLOURS.low },
    { label: 'Medium', from: medium, colour: BAND_COLOURS.medium },
    { label: 'High', from: high, colour: BAND_COLOURS.high },
    { label: 'Very high', from: veryHigh, colour: BAND_COLOURS.veryHigh },
  ].filter((b) => b.from <= top);
}

/** The appetite unless set: everything below the third band (on 1–5: up to 9, so high and very high risks are escalated). */
export function defaultAppetite(bands: RiskBand[]): number {
  const third = bands[2] ?? bands.at(-1)!;
  return third.from - 1;
}

export function defaultMatrix(scale = 5): RiskMatrix {
  const bands = defaultBands(scale);
  return { scale, bands, appetite: defaultAppetite(bands) };
}

/** Whether a likelihood or impact is a whole number on the scale. */
export const onScale = (n: number, scale: number): boolean => Number.isInteger(n) && n >= 1 && n <= scale;

/** The score: likelihood × impact. */
export const riskScore = (likelihood: number, impact: number): number => likelihood * impact;

/** The band a score falls in: the last whose `from` it reaches (bands sorted by `from`, the first from 1). */
export function bandOf(score: number, bands: RiskBand[]): RiskBand {
  let found = bands[0]!;
  for (const b of bands) if (score >= b.from) found = b;
  return found;
}

/** The band's position (0 the lowest): a rise into a higher band is a higher index. */
export const bandIndex = (score: number, bands: RiskBand[]): number => bands.indexOf(bandOf(score, bands));

/** Escalated: the score is above the appetite. */
export const aboveAppetite = (score: number, m: Pick<RiskMatrix, 'appetite'>): boolean => score > m.appetite;

/** How a risk moved since its previous review: its score rising (worse) ↑, the same ↔, falling ↓. */
export type RiskTrend = 'rising' | 'steady' | 'falling';

export const TREND_ARROW: Record<RiskTrend, string> = { rising: '↑', steady: '↔', falling: '↓' };
export const TREND_WORDS: Record<RiskTrend, string> = { rising: 'rising', steady: 'unchanged', falling: 'falling' };

/** The trend between two scores (the earlier first); null with nothing to compare with. */
export function trendOf(previous: number | null, current: number | null): RiskTrend | null {
  if (previous === null || current === null) return null;
  return current > previous ? 'rising' : current < previous ? 'falling' : 'steady';
}

/** A risk rose: into a higher band than before, or above the appetite when it was within it. */
export function rose(previous: number, current: number, m: RiskMatrix): { intoBand: boolean; aboveAppetite: boolean } {
  return {
    intoBand: bandIndex(current, m.bands) > bandIndex(previous, m.bands),
    aboveAppetite: aboveAppetite(current, m) && !aboveAppetite(previous, m),
  };
}

/** Why bands cannot be used on a scale, or null when they can: from 1, strictly rising, within the top score, named, coloured. */
export function bandsProblem(bands: RiskBand[], scale: number): string | null {
  if (!bands.length) return 'give at least one band';
  if (bands[0]!.from !== 1) return `the first band must start at 1 (${bands[0]!.label} starts at ${bands[0]!.from})`;
  for (let i = 1; i < bands.length; i++) {
    if (bands[i]!.from <= bands[i - 1]!.from) return `bands must rise: ${bands[i]!.label} (${bands[i]!.from}) does not start above ${bands[i - 1]!.label} (${bands[i - 1]!.from})`;
  }
  const top = scale * scale;
  const over = bands.find((b) => b.from > top);
  if (over) return `${over.label} starts at ${over.from}, above the highest score on a 1–${scale} scale (${top})`;
  const unnamed = bands.find((b) => !b.label.trim());
  if (unnamed) return 'every band needs a name';
  const uncoloured = bands.find((b) => !/^#[0-9a-f]{6}$/i.test(b.colour));
  if (uncoloured) return `${uncoloured.label}'s colour must be #rrggbb or a colour name (green, yellow, amber, orange, red…)`;
  return null;
}

const COLOUR_NAMES: Record<string, string> = {
  green: BAND_COLOURS.low,
  'light green': '#8bc34a',
  yellow: BAND_COLOURS.medium,
  amber: BAND_COLOURS.high,
  orange: BAND_COLOURS.high,
  red: BAND_COLOURS.veryHigh,
  'dark red': '#8e0000',
  purple: '#6a1b9a',
  blue: '#1f5fa8',
  grey: '#9e9e9e',
};

/** A colour a person typed: #rrggbb or a name; null when neither. */
export function readColour(text: string): string | null {
  const t = text.trim().toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(t)) return t;
  return COLOUR_NAMES[t] ?? null;
}

/**
 * Bands as a person types them: `low 1 green, medium 5 yellow, high 10 orange, very high 16 red` — each
 * a name, the score it starts at and its colour (a name or #rrggbb). Returns the bands or why not.
 */
export function readBands(text: string, scale: number): { bands: RiskBand[] } | { problem: string } {
  const parts = text.split(/[,;]/).map((p) => p.trim()).filter(Boolean);
  const bands: RiskBand[] = [];
  for (const p of parts) {
    const m = /^(.+?)\s+(\d+)\s*(?:[-–]\s*\d+\s*)?(?:\s+(.+))?$/.exec(p);
    if (!m) return { problem: `"${p}" is not a band: write its name, the score it starts at and its colour (high 10 orange)` };
    const colour = m[3] ? readColour(m[3]) : (Object.values(BAND_COLOURS)[bands.length] ?? BAND_COLOURS.veryHigh);
    if (!colour) return { problem: `"${m[3]}" is not a colour I know: use #rrggbb or green, yellow, amber, orange, red, purple, blue, grey` };
    bands.push({ label: m[1]!.replace(/^./, (c) => c.toUpperCase()), from: Number(m[2]), colour });
  }
  const problem = bandsProblem(bands, scale);
  return problem ? { problem } : { bands };
}

/** Bands as they read back: "Low 1–4, Medium 5–9, High 10–15, Very high 16–25". */
export function bandsWords(bands: RiskBand[], scale: number): string {
  return bands.map((b, i) => `${b.label} ${b.from}–${(bands[i + 1]?.from ?? scale * scale + 1) - 1}`).join(', ');
}

/** How often a risk is reviewed, in months. */
export const REVIEW_FREQUENCIES: Record<string, number> = {
  monthly: 1,
  month: 1,
  '1 month': 1,
  'every month': 1,
  'bi-monthly': 2,
  bimonthly: 2,
  '2 months': 2,
  quarterly: 3,
  quarter: 3,
  '3 months': 3,
  'every quarter': 3,
  'half-yearly': 6,
  'half yearly': 6,
  '6 months': 6,
  'six-monthly': 6,
  'six monthly': 6,
  annually: 12,
  annual: 12,
  yearly: 12,
  '12 months': 12,
};

/** The months a review frequency as typed means, or null. Blank is quarterly (Halton reviews every quarter). */
export function readReviewFrequency(text: string | null | undefined): number | null {
  const t = (text ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  if (!t) return 3;
  if (/^\d+$/.test(t)) return Number(t) >= 1 && Number(t) <= 12 ? Number(t) : null;
  return REVIEW_FREQUENCIES[t] ?? null;
}

export function frequencyWords(months: number): string {
  return ({ 1: 'monthly', 3: 'quarterly', 6: 'half-yearly', 12: 'annually' } as Record<number, string>)[months] ?? `every ${months} months`;
}

/** When the next review is due: the frequency after the last review (or, never reviewed, after the risk was entered). */
export const nextReviewDue = (lastReviewedOn: LocalDate, frequencyMonths: number): LocalDate => addMonths(lastReviewedOn, frequencyMonths);

/**
 * A review typed inline: `likelihood 4 impact 3 <commentary>` (either order; `l4 i3`, `L 4 I 3` too) or
 * `4x3 <commentary>` (likelihood × impact). Null when the text does not start with one.
 */
export function readInlineReview(text: string): { likelihood: number; impact: number; commentary: string } | null {
  const t = text.trim();
  const times = /^(\d+)\s*[x×*]\s*(\d+)\b\s*(.*)$/is.exec(t);
  if (times) return { likelihood: Number(times[1]), impact: Number(times[2]), commentary: times[3]!.trim() };
  const word = '(likelihood|impact|l|i)\\s*[:=]?\\s*(\\d+)';
  const pair = new RegExp(`^${word}[\\s,;]+${word}\\b[\\s,;:.-]*(.*)$`, 'is').exec(t);
  if (!pair) return null;
  const key = (w: string) => (w.toLowerCase().startsWith('l') ? 'likelihood' : 'impact');
  const a = key(pair[1]!);
  const b = key(pair[3]!);
  if (a === b) return null;
  const values = { [a]: Number(pair[2]), [b]: Number(pair[4]) } as { likelihood: number; impact: number };
  return { likelihood: values.likelihood, impact: values.impact, commentary: pair[5]!.trim() };
}
