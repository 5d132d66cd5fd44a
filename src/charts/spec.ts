// Charts as data: a ChartSpec is plain JSON (it can sit in an outbox row and be drawn later) and is
// rendered to PNG by the ChartRenderer port (src/charts/render.ts). No chart library here.
import { z } from 'zod';

const status = z.enum(['green', 'amber', 'red', 'in_measurement', 'no_target']);

export const trendChartSchema = z.object({
  kind: z.literal('trend'),
  title: z.string().max(300),
  unit: z.string().max(200),
  polarity: z.enum(['higher', 'lower', 'none']),
  points: z
    .array(
      z.object({
        label: z.string().max(40),
        /**
         * Where the point sits in time: days from 1 January 1970 to the middle of its period. Given for
         * every point, the chart is drawn on a time scale, so a gap of years shows as one; absent (a chart
         * queued by an older version), points are spaced evenly.
         */
        at: z.number().finite().optional(),
        /** Periods are missing between this point and the one before: the line breaks there. */
        gapBefore: z.boolean().optional(),
        value: z.number().finite().nullable(),
        estimated: z.boolean().optional(),
        provisional: z.boolean().optional(),
        status: status.optional(),
      }),
    )
    .max(120),
  /** One target per point (a step line); null where none applies. */
  target: z.object({ values: z.array(z.number().finite().nullable()), label: z.string().max(60).optional() }).optional(),
  /** The target (amberFrom) and the amber limit (redFrom) in value units, for shading RAG bands. */
  bands: z.object({ amberFrom: z.number().finite().nullable(), redFrom: z.number().finite().nullable() }).optional(),
  valueFormat: z.object({ decimals: z.number().int().min(0).max(6), prefix: z.string().max(4).optional(), suffix: z.string().max(4).optional() }).optional(),
});

export const smallMultiplesSchema = z.object({
  kind: z.literal('small-multiples'),
  title: z.string().max(300),
  charts: z.array(trendChartSchema).min(1).max(12),
});

export const barChartSchema = z.object({
  kind: z.literal('bar'),
  title: z.string().max(300),
  categories: z.array(z.string().max(80)).max(40),
  series: z
    .array(
      z.object({
        label: z.string().max(60),
        values: z.array(z.number().finite()),
        color: z.enum(['green', 'amber', 'red', 'grey', 'blue']).optional(),
      }),
    )
    .min(1)
    .max(8),
  stacked: z.boolean().optional(),
  horizontal: z.boolean().optional(),
});

const count = z.number().int().min(0);

/** RAG status counts per theme (or directorate), as a stacked bar each: the quarterly report's first chart. */
export const ragByGroupSchema = z.object({
  kind: z.literal('rag-by-group'),
  title: z.string().max(300),
  groups: z.array(z.object({ label: z.string().max(200), green: count, amber: count, red: count, noTarget: count })).min(1).max(30),
});

/** How many indicators improved, stayed the same or worsened: the quarterly report's direction-of-travel chart. */
export const directionCountsSchema = z.object({
  kind: z.literal('direction-counts'),
  title: z.string().max(300),
  improving: count,
  maintained: count,
  declining: count,
  /** Reported but with nothing to compare with; left out of the chart when absent. */
  notComparable: count.optional(),
});

/** The risk heat map: likelihood × impact on the organisation's scale, cells in its rating bands' colours, refs in their cells. */
export const heatMapSchema = z.object({
  kind: z.literal('heat-map'),
  title: z.string().max(300),
  scale: z.number().int().min(2).max(10),
  bands: z.array(z.object({ label: z.string().max(40), from: z.number().int().min(1), colour: z.string().regex(/^#[0-9a-fA-F]{6}$/) })).min(1).max(8),
  /** The highest score tolerated: cells above it are outlined. */
  appetite: z.number().int().min(0).optional(),
  risks: z
    .array(
      z.object({
        ref: z.string().max(24),
        likelihood: z.number().int().min(1).max(10),
        impact: z.number().int().min(1).max(10),
        trend: z.enum(['rising', 'steady', 'falling']).optional(),
      }),
    )
    .max(300),
});

export const chartSpecSchema = z.discriminatedUnion('kind', [trendChartSchema, smallMultiplesSchema, barChartSchema, ragByGroupSchema, directionCountsSchema, heatMapSchema]);

export type TrendChartSpec = z.infer<typeof trendChartSchema>;
export type SmallMultiplesSpec = z.infer<typeof smallMultiplesSchema>;
export type BarChartSpec = z.infer<typeof barChartSchema>;
export type RagByGroupSpec = z.infer<typeof ragByGroupSchema>;
export type DirectionCountsSpec = z.infer<typeof directionCountsSchema>;
export type HeatMapSpec = z.infer<typeof heatMapSchema>;
export type ChartSpec = z.infer<typeof chartSpecSchema>;

export interface RenderedChart {
  png: Buffer;
  altText: string;
  width: number;
  height: number;
  filename: string;
}

/**
 * Where a chart will be shown: `standard` (800×400: chat messages, the console, reports) or `card` (an
 * image in a card, about 316 px wide on a phone: drawn 600 px wide with larger type and fewer labels).
 */
export interface RenderOptions {
  size?: 'standard' | 'card';
}

/** Draws charts. One shared implementation per process (src/charts/render.ts). */
export interface ChartRenderer {
  render(spec: ChartSpec, opts?: RenderOptions): Promise<RenderedChart>;
}

const nf = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

export function formatTick(v: number, f?: TrendChartSpec['valueFormat']): string {
  const n = new Intl.NumberFormat('en-GB', { maximumFractionDigits: f?.decimals ?? 2 }).format(v);
  return `${f?.prefix ?? ''}${n}${f?.suffix ?? ''}`;
}

function describeTrend(s: TrendChartSpec): string {
  const pts = s.points.filter((p) => p.value !== null);
  const direction = s.polarity === 'higher' ? 'higher is better' : s.polarity === 'lower' ? 'lower is better' : 'no better direction';
  if (!pts.length) return `Chart of ${s.title}: no values yet.`;
  const values = pts
    .map((p, i) => `${i > 0 && p.gapBefore ? 'then a gap, ' : ''}${p.label} ${formatTick(p.value!, s.valueFormat)}${p.estimated ? ' (estimated)' : ''}${p.status && p.status !== 'no_target' && p.status !== 'in_measurement' ? ` (${p.status})` : ''}`)
    .join(', ');
  const lastTarget = s.target?.values.filter((v): v is number => v !== null).at(-1);
  const last = pts.at(-1)!.value!;
  let verdict = '';
  if (lastTarget !== undefined && s.polarity !== 'none') {
    const meets = s.polarity === 'higher' ? last >= lastTarget : last <= lastTarget;
    verdict = ` Target ${formatTick(lastTarget, s.valueFormat)}; the latest value ${meets ? 'meets' : 'misses'} it.`;
  }
  return `Line chart of ${s.title} (${s.unit}; ${direction}) over ${pts.length} period${pts.length === 1 ? '' : 's'}: ${values}.${verdict}`;
}

/**
 * One bar's figures in words. Side by side, every series by name ("12 Green, 3 Red"); stacked, only the
 * parts it has — a strip of the others with one marked reads "Bolton: 9.05; Trafford: 10.49 (highlighted)".
 */
function barParts(spec: Extract<ChartSpec, { kind: 'bar' }>, i: number): string {
  if (!spec.stacked) return spec.series.map((s) => `${nf.format(s.values[i] ?? 0)} ${s.label}`).join(', ');
  const parts = spec.series.map((s, k) => ({ s, k, v: s.values[i] ?? 0 })).filter((p) => p.v !== 0);
  if (!parts.length) return '0';
  return parts.map(({ s, k, v }) => `${nf.format(v)}${k === 0 ? '' : s.label === spec.categories[i] ? ' (highlighted)' : ` (${s.label})`}`).join(' + ');
}

/** Accessible text for the chart: the data in words, within the strictest platform's 1,000-character limit for alt text. */
export function altText(spec: ChartSpec): string {
  let text: string;
  switch (spec.kind) {
    case 'trend':
      text = describeTrend(spec);
      break;
    case 'small-multiples':
      text = `${spec.title}: ${spec.charts.length} small charts. ` + spec.charts.map((c) => describeTrend(c)).join(' ');
      break;
    case 'bar':
      text =
        `Bar chart: ${spec.title}. ` +
        spec.categories.map((c, i) => `${c}: ${barParts(spec, i)}`).join('; ') +
        '.';
      break;
    case 'rag-by-group':
      text =
        `Stacked bar chart: ${spec.title}. ` +
        spec.groups.map((g) => `${g.label}: ${g.green} green, ${g.amber} amber, ${g.red} red${g.noTarget ? `, ${g.noTarget} no target` : ''}`).join('; ') +
        '.';
      break;
    case 'heat-map': {
      const cells = new Map<string, string[]>();
      for (const r of spec.risks) cells.set(`${r.likelihood}×${r.impact}`, [...(cells.get(`${r.likelihood}×${r.impact}`) ?? []), r.ref]);
      const bandAt = (score: number) => spec.bands.reduce((b, x) => (score >= x.from ? x : b), spec.bands[0]!).label;
      const listed = [...cells]
        .map(([k, refs]) => ({ k, refs, score: Number(k.split('×')[0]) * Number(k.split('×')[1]) }))
        .sort((a, b) => b.score - a.score)
        .map((c) => `${c.refs.join(', ')} at likelihood ${c.k.split('×')[0]}, impact ${c.k.split('×')[1]} (score ${c.score}, ${bandAt(c.score).toLowerCase()})`);
      text =
        `Risk heat map: ${spec.title}. Likelihood across, impact up, each 1 to ${spec.scale}. ` +
        (listed.length ? `${listed.join('; ')}.` : 'No risks scored.') +
        (spec.appetite !== undefined ? ` Scores above ${spec.appetite} are above the risk appetite.` : '');
      break;
    }
    case 'direction-counts':
      text =
        `Bar chart: ${spec.title}. ${spec.improving} improved, ${spec.maintained} stayed the same, ${spec.declining} worsened` +
        `${spec.notComparable !== undefined ? `, ${spec.notComparable} not comparable` : ''}.`;
      break;
  }
  return text.length <= 1000 ? text : `${text.slice(0, 997)}…`;
}
