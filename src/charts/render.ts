// The ChartRenderer: Chart.js on node-canvas, one shared ChartJSNodeCanvas per size (creating one is
// the expensive part). Drawing is synchronous (~25 ms a chart), so callers render after they ack.
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import { createCanvas, loadImage } from 'canvas';
import type { ChartConfiguration, Plugin } from 'chart.js';
import {
  altText,
  chartSpecSchema,
  formatTick,
  type BarChartSpec,
  type ChartRenderer,
  type ChartSpec,
  type DirectionCountsSpec,
  type RagByGroupSpec,
  type RenderedChart,
  type RenderOptions,
  type TrendChartSpec,
} from './spec.ts';
import { drawHeatMap } from './heat-map.ts';

const FONT = 'DejaVu Sans';
const COLORS = {
  green: '#2e7d32',
  amber: '#ef8f00',
  red: '#c62828',
  grey: '#9e9e9e',
  blue: '#1f5fa8',
  line: '#1f3a5f',
  target: '#555555',
} as const;
const BAND_ALPHA = { green: 'rgba(46,125,50,0.10)', amber: 'rgba(239,143,0,0.13)', red: 'rgba(198,40,40,0.10)' };

const canvases = new Map<string, ChartJSNodeCanvas>();

function canvasFor(width: number, height: number): ChartJSNodeCanvas {
  const k = `${width}x${height}`;
  let c = canvases.get(k);
  if (!c) {
    c = new ChartJSNodeCanvas({
      width,
      height,
      backgroundColour: 'white',
      chartCallback: (ChartJS) => {
        ChartJS.defaults.font.family = FONT;
        ChartJS.defaults.color = '#222222';
        ChartJS.defaults.animation = false;
        ChartJS.defaults.devicePixelRatio = 1;
      },
    });
    canvases.set(k, c);
  }
  return c;
}

/** Shade the green / amber / red regions of the value axis behind the data. */
function ragBands(spec: TrendChartSpec): Plugin<'line'> {
  return {
    id: 'ragBands',
    beforeDatasetsDraw(chart) {
      const b = spec.bands;
      if (!b || b.amberFrom === null || spec.polarity === 'none') return;
      const { ctx, chartArea: area, scales } = chart;
      const y = scales.y!;
      const target = b.amberFrom;
      const limit = b.redFrom ?? target;
      const top = y.max;
      const bottom = y.min;
      const zones: [number, number, string][] =
        spec.polarity === 'higher'
          ? [
              [target, top, BAND_ALPHA.green],
              [limit, target, BAND_ALPHA.amber],
              [bottom, limit, BAND_ALPHA.red],
            ]
          : [
              [bottom, target, BAND_ALPHA.green],
              [target, limit, BAND_ALPHA.amber],
              [limit, top, BAND_ALPHA.red],
            ];
      ctx.save();
      for (const [from, to, color] of zones) {
        const lo = Math.max(Math.min(from, to), bottom);
        const hi = Math.min(Math.max(from, to), top);
        if (hi <= lo) continue;
        const yTop = y.getPixelForValue(hi);
        const yBottom = y.getPixelForValue(lo);
        ctx.fillStyle = color;
        ctx.fillRect(area.left, yTop, area.right - area.left, yBottom - yTop);
      }
      ctx.restore();
    },
  };
}

/**
 * Sizes for where a chart is shown. `standard` is drawn 800×400 for chat messages, the console and
 * reports, shown at about that width. `card` is for an image in a card, which a phone shows about
 * 316 px wide and a desktop app at 500–600: drawn 600 px wide with fonts large enough to read at
 * half size (21 px ticks → 11 px on a phone), fewer axis labels, a shorter title; a tap opens it
 * full screen.
 */
type ChartSize = NonNullable<RenderOptions['size']>;

interface TrendStyle {
  title: number;
  titleWrap: number;
  titleLines: number;
  subtitle: number | null;
  ticks: number;
  legend: number | null;
  padding: number;
  line: number;
  point: number;
  maxXTicks: number;
  maxYTicks: number;
  /** Pixels per drawn pixel: 2 keeps a card image sharp on phones' dense screens and desktop's wider cards. */
  dpr: number;
}

const SIZES: Record<ChartSize, { full: TrendStyle; tile: TrendStyle; width: number; height: number; tile_w: number; tile_h: number; header: number; headerFont: number; cols: (n: number) => number }> = {
  standard: {
    full: { title: 16, titleWrap: 75, titleLines: 3, subtitle: 12, ticks: 12, legend: 12, padding: 12, line: 3, point: 6, maxXTicks: 12, maxYTicks: 8, dpr: 1 },
    tile: { title: 12, titleWrap: 45, titleLines: 3, subtitle: null, ticks: 9, legend: null, padding: 6, line: 2, point: 3, maxXTicks: 8, maxYTicks: 6, dpr: 1 },
    width: 800,
    height: 400,
    tile_w: 380,
    tile_h: 220,
    header: 40,
    headerFont: 18,
    cols: (n) => (n <= 4 ? 2 : 3),
  },
  card: {
    full: { title: 24, titleWrap: 42, titleLines: 2, subtitle: 19, ticks: 21, legend: 19, padding: 10, line: 4, point: 8, maxXTicks: 6, maxYTicks: 5, dpr: 2 },
    tile: { title: 20, titleWrap: 24, titleLines: 2, subtitle: null, ticks: 17, legend: null, padding: 6, line: 3, point: 5, maxXTicks: 4, maxYTicks: 4, dpr: 2 },
    width: 600,
    height: 375,
    tile_w: 300,
    tile_h: 250,
    header: 44,
    headerFont: 24,
    cols: () => 2,
  },
};

function wrap(title: string, max = 70, lines = 3): string[] {
  const words = title.split(/\s+/);
  const out: string[] = [];
  let cur = '';
  for (const w of words) {
    if ((cur + ' ' + w).trim().length > max && cur) {
      out.push(cur);
      cur = w;
    } else cur = (cur + ' ' + w).trim();
  }
  if (cur) out.push(cur);
  if (out.length > lines) out[lines - 1] = `${out[lines - 1]!.replace(/[\s,;:-]+$/, '')}…`;
  return out.slice(0, lines);
}

/**
 * Ticks for a time scale, one per point, labelled as its period, left out where a label would overlap
 * the one after it (the latest period's label is always kept). `plotWidth` in pixels, the axis from
 * `min` to `max` days.
 */
function timeTicks(spec: TrendChartSpec, min: number, max: number, plotWidth: number, fontSize: number): { value: number; label: string }[] {
  const px = (at: number) => ((at - min) / (max - min || 1)) * plotWidth;
  const kept: { value: number; label: string }[] = [];
  let leftEdge = Infinity;
  for (const p of [...spec.points].reverse()) {
    const width = p.label.length * fontSize * 0.62;
    const centre = px(p.at!);
    if (centre + width / 2 + fontSize * 0.8 > leftEdge) continue;
    kept.unshift({ value: p.at!, label: p.label });
    leftEdge = centre - width / 2;
  }
  return kept;
}

function trendConfig(spec: TrendChartSpec, st: TrendStyle, width: number): ChartConfiguration<'line'> {
  // On a time scale when every point says when it is (a gap of years shows as one); else evenly spaced.
  const timed = spec.points.length > 0 && spec.points.every((p) => p.at !== undefined);
  const xy = (values: (number | null)[]) => (timed ? spec.points.map((p, i) => ({ x: p.at!, y: values[i] ?? null })) : values);
  // A segment that crosses missing periods is not drawn: the line breaks there. (Chart.js names the
  // point before the segment's end, which may be one without a value the line spans.)
  const segmentOf = (vals: (number | null)[]) => ({
    borderColor: (ctx: { p1DataIndex: number }) => {
      let from = ctx.p1DataIndex - 1;
      while (from > 0 && vals[from] === null) from--;
      return spec.points.slice(from + 1, ctx.p1DataIndex + 1).some((p) => p.gapBefore) ? 'rgba(0,0,0,0)' : undefined;
    },
  });
  const values = spec.points.map((p) => p.value);
  const pointColor = (i: number) => {
    const s = spec.points[i]?.status;
    return s === 'red' || s === 'amber' || s === 'green' ? COLORS[s] : COLORS.line;
  };
  const all = [...values, ...(spec.target?.values ?? []), spec.bands?.amberFrom ?? null, spec.bands?.redFrom ?? null].filter((v): v is number => v !== null);
  const min = all.length ? Math.min(...all) : 0;
  const max = all.length ? Math.max(...all) : 1;
  const pad = (max - min || Math.abs(max) || 1) * 0.15;
  const datasets: ChartConfiguration<'line'>['data']['datasets'] = [
    {
      label: 'Actual',
      data: xy(values) as number[],
      borderColor: COLORS.line,
      borderWidth: st.line,
      pointRadius: spec.points.map((p) => st.point + (p.status ? 1 : 0)),
      pointStyle: spec.points.map((p) => (p.provisional ? 'triangle' : 'circle')),
      pointBackgroundColor: spec.points.map((p, i) => (p.estimated ? '#ffffff' : pointColor(i))),
      pointBorderColor: spec.points.map((_, i) => pointColor(i)),
      pointBorderWidth: 2,
      spanGaps: true,
      segment: segmentOf(values),
      tension: 0,
    },
  ];
  if (spec.target) {
    datasets.push({
      label: spec.target.label ?? 'Target',
      data: xy(spec.target.values) as number[],
      borderColor: COLORS.target,
      borderDash: [6, 4],
      borderWidth: 2,
      pointRadius: 0,
      stepped: 'middle',
      spanGaps: true,
      segment: segmentOf(spec.target.values),
    });
  }
  let x: NonNullable<NonNullable<ChartConfiguration<'line'>['options']>['scales']>['x'] = { grid: { display: false }, ticks: { font: { size: st.ticks }, maxTicksLimit: st.maxXTicks, maxRotation: 0, autoSkip: true } };
  if (timed) {
    // Half the shortest step's room at each end; ticks at the points, as their periods.
    const pts = spec.points;
    const steps = pts.slice(1).map((p, i) => p.at! - pts[i]!.at!).filter((d) => d > 0);
    const half = (steps.length ? Math.min(...steps) : 90) / 2;
    const [from, to] = [pts[0]!.at! - half, pts.at(-1)!.at! + half];
    // The plot is the chart less its padding and the value axis's labels.
    const ticks = timeTicks(spec, from, to, width - 2 * st.padding - st.ticks * 5, st.ticks);
    const labelAt = new Map(ticks.map((t) => [t.value, t.label]));
    x = {
      type: 'linear',
      min: from,
      max: to,
      grid: { display: false },
      afterBuildTicks: (axis) => {
        axis.ticks = ticks.map((t) => ({ value: t.value }));
      },
      ticks: { font: { size: st.ticks }, maxRotation: 0, autoSkip: false, callback: (v) => labelAt.get(Number(v)) ?? '' },
    };
  }
  const legendExtra = [spec.points.some((p) => p.estimated) ? '○ estimated' : '', spec.points.some((p) => p.provisional) ? '▲ provisional' : ''].filter(Boolean);
  return {
    type: 'line',
    data: { ...(timed ? {} : { labels: spec.points.map((p) => p.label) }), datasets },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: st.dpr,
      layout: { padding: st.padding },
      plugins: {
        title: { display: true, text: wrap(spec.title, st.titleWrap, st.titleLines), font: { size: st.title, weight: 'bold' } },
        subtitle: {
          display: st.subtitle !== null,
          text: [`${spec.unit}${spec.polarity === 'higher' ? ' · higher is better' : spec.polarity === 'lower' ? ' · lower is better' : ''}`, ...legendExtra].join('   '),
          font: { size: st.subtitle ?? 12 },
          padding: { bottom: 8 },
        },
        legend: { display: st.legend !== null && Boolean(spec.target), position: 'bottom', labels: { font: { size: st.legend ?? 12 } } },
      },
      scales: {
        x,
        y: {
          suggestedMin: min - pad,
          suggestedMax: max + pad,
          ticks: { font: { size: st.ticks }, maxTicksLimit: st.maxYTicks, callback: (v) => formatTick(Number(v), spec.valueFormat) },
        },
      },
    },
    plugins: [ragBands(spec)],
  };
}

function barConfig(spec: BarChartSpec): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: {
      labels: spec.categories.map((c) => wrap(c, 28)),
      datasets: spec.series.map((s) => ({ label: s.label, data: s.values, backgroundColor: COLORS[s.color ?? 'blue'] })),
    },
    options: {
      responsive: false,
      animation: false,
      indexAxis: spec.horizontal ? 'y' : 'x',
      plugins: { title: { display: true, text: wrap(spec.title), font: { size: 16, weight: 'bold' } }, legend: { position: 'bottom' } },
      scales: { x: { stacked: Boolean(spec.stacked), ticks: { precision: 0 } }, y: { stacked: Boolean(spec.stacked), ticks: { precision: 0 } } },
    },
  };
}

/** The count written on each bar (or bar segment) that is wide enough to hold it. */
const barValueLabels: Plugin<'bar'> = {
  id: 'barValueLabels',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const stacked = Boolean((chart.options.scales?.x as { stacked?: boolean } | undefined)?.stacked);
    ctx.save();
    ctx.font = `bold 13px "${FONT}"`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    chart.data.datasets.forEach((ds, i) => {
      const meta = chart.getDatasetMeta(i);
      if (meta.hidden) return;
      meta.data.forEach((el, j) => {
        const v = Number(ds.data[j] ?? 0);
        if (!v) return;
        const bar = el as unknown as { x: number; y: number; base: number; width: number; height: number; horizontal?: boolean };
        const horizontal = chart.options.indexAxis === 'y';
        if (stacked) {
          const size = horizontal ? Math.abs(bar.x - bar.base) : Math.abs(bar.base - bar.y);
          if (size < 16) return;
          ctx.fillStyle = '#ffffff';
          ctx.fillText(String(v), horizontal ? (bar.x + bar.base) / 2 : bar.x, horizontal ? bar.y : (bar.y + bar.base) / 2);
        } else {
          ctx.fillStyle = '#222222';
          ctx.fillText(String(v), horizontal ? bar.x + 14 : bar.x, horizontal ? bar.y : bar.y - 12);
        }
      });
    });
    ctx.restore();
  },
};

function ragByGroupConfig(spec: RagByGroupSpec): ChartConfiguration<'bar'> {
  const series: [string, keyof RagByGroupSpec['groups'][number], string][] = [
    ['Green', 'green', COLORS.green],
    ['Amber', 'amber', COLORS.amber],
    ['Red', 'red', COLORS.red],
    ['No target', 'noTarget', COLORS.grey],
  ];
  return {
    type: 'bar',
    data: {
      labels: spec.groups.map((g) => wrap(g.label, 38)),
      datasets: series
        .filter(([, k]) => k !== 'noTarget' || spec.groups.some((g) => g.noTarget > 0))
        .map(([label, k, color]) => ({ label, data: spec.groups.map((g) => Number(g[k])), backgroundColor: color, barPercentage: 0.75 })),
    },
    options: {
      responsive: false,
      animation: false,
      indexAxis: 'y',
      layout: { padding: { left: 8, right: 16, top: 4, bottom: 4 } },
      plugins: { title: { display: true, text: wrap(spec.title), font: { size: 16, weight: 'bold' } }, legend: { position: 'bottom' } },
      scales: {
        x: { stacked: true, grace: '4%', ticks: { precision: 0 }, title: { display: true, text: 'Indicators' } },
        y: { stacked: true, ticks: { font: { size: 11 } }, grid: { display: false } },
      },
    },
    plugins: [barValueLabels],
  };
}

function directionCountsConfig(spec: DirectionCountsSpec): ChartConfiguration<'bar'> {
  const bars: [string, number, string][] = [
    ['↑ Improved', spec.improving, COLORS.green],
    ['↔ Same', spec.maintained, COLORS.blue],
    ['↓ Worsened', spec.declining, COLORS.red],
  ];
  if (spec.notComparable !== undefined) bars.push(['– Not comparable', spec.notComparable, '#bdbdbd']);
  const max = Math.max(1, ...bars.map((b) => b[1]));
  return {
    type: 'bar',
    data: { labels: bars.map((b) => b[0]), datasets: [{ label: 'Indicators', data: bars.map((b) => b[1]), backgroundColor: bars.map((b) => b[2]), barPercentage: 0.6 }] },
    options: {
      responsive: false,
      animation: false,
      layout: { padding: { top: 8, left: 8, right: 8 } },
      plugins: { title: { display: true, text: wrap(spec.title), font: { size: 16, weight: 'bold' } }, legend: { display: false } },
      scales: { x: { grid: { display: false }, ticks: { font: { size: 13 } } }, y: { beginAtZero: true, suggestedMax: Math.ceil(max * 1.15), ticks: { precision: 0 } } },
    },
    plugins: [barValueLabels],
  };
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'chart';
}

export function createChartRenderer(opts: { width?: number; height?: number } = {}): ChartRenderer {
  return {
    async render(input: ChartSpec, renderOpts: RenderOptions = {}): Promise<RenderedChart> {
      const spec = chartSpecSchema.parse(input);
      const size = SIZES[renderOpts.size ?? 'standard'];
      const width = renderOpts.size === 'card' ? size.width : (opts.width ?? size.width);
      const height = renderOpts.size === 'card' ? size.height : (opts.height ?? size.height);
      let png: Buffer;
      let w = width;
      let h = height;
      if (spec.kind === 'trend') {
        png = await canvasFor(width, height).renderToBuffer(trendConfig(spec, size.full, width) as ChartConfiguration);
        w = width * size.full.dpr;
        h = height * size.full.dpr;
      } else if (spec.kind === 'bar') {
        png = await canvasFor(width, height).renderToBuffer(barConfig(spec) as ChartConfiguration);
      } else if (spec.kind === 'rag-by-group') {
        // Taller with more groups, so every label stays readable.
        h = Math.max(height, 110 + 46 * spec.groups.length);
        png = await canvasFor(width, h).renderToBuffer(ragByGroupConfig(spec) as ChartConfiguration);
      } else if (spec.kind === 'heat-map') {
        ({ png, width: w, height: h } = drawHeatMap(spec, renderOpts.size ?? 'standard'));
      } else if (spec.kind === 'direction-counts') {
        png = await canvasFor(width, height).renderToBuffer(directionCountsConfig(spec) as ChartConfiguration);
      } else {
        // Small multiples: each trend drawn small, then laid out in a grid with a title strip.
        const cols = Math.min(size.cols(spec.charts.length), spec.charts.length);
        const rows = Math.ceil(spec.charts.length / cols);
        const cw = size.tile_w;
        const ch = size.tile_h;
        const titleH = size.header;
        const dpr = size.tile.dpr;
        // A card's header wraps to two lines rather than running off a phone's screen.
        const header = renderOpts.size === 'card' ? wrap(spec.title, 40, 2) : [spec.title.slice(0, 90)];
        const titleLines = titleH + (header.length - 1) * Math.round(size.headerFont * 1.25);
        w = cols * cw * dpr;
        h = (rows * ch + titleLines) * dpr;
        const tiles = await Promise.all(spec.charts.map((c) => canvasFor(cw, ch).renderToBuffer(trendConfig(c, size.tile, cw) as ChartConfiguration)));
        const canvas = createCanvas(w, h);
        const ctx = canvas.getContext('2d');
        ctx.fillStyle = '#ffffff';
        ctx.fillRect(0, 0, w, h);
        ctx.scale(dpr, dpr);
        ctx.fillStyle = '#222222';
        ctx.font = `bold ${size.headerFont}px "${FONT}"`;
        header.forEach((line, i) => ctx.fillText(line, 12, Math.round(titleH * 0.68) + i * Math.round(size.headerFont * 1.25)));
        for (const [i, tile] of tiles.entries()) {
          const img = await loadImage(tile);
          ctx.drawImage(img, (i % cols) * cw, titleLines + Math.floor(i / cols) * ch, cw, ch);
        }
        png = canvas.toBuffer('image/png');
      }
      return { png, altText: altText(spec), width: w, height: h, filename: `${slug(spec.title)}.png` };
    },
  };
}
