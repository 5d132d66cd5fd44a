// The risk heat map: likelihood across, impact up, each cell coloured by the rating band of its score
// (the organisation's bands), the refs of the risks scored there written in it, the cells above the
// risk appetite outlined. Drawn straight on node-canvas (no chart library: it is a grid). `card` is
// for a phone: 600 px wide at twice the pixels, refs in 22 px type (11 px on a phone's 316 px card).
import { createCanvas } from 'canvas';
import type { HeatMapSpec, RenderOptions } from './spec.ts';

const FONT = 'DejaVu Sans';

interface Style {
  width: number;
  dpr: number;
  title: number;
  axis: number;
  ref: number;
  legend: number;
  margin: number;
}

const STYLES: Record<NonNullable<RenderOptions['size']>, Style> = {
  standard: { width: 720, dpr: 1, title: 17, axis: 14, ref: 15, legend: 13, margin: 14 },
  card: { width: 600, dpr: 2, title: 24, axis: 19, ref: 22, legend: 19, margin: 10 },
};

/** Dark text on a light cell, white on a dark one. */
function inkFor(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#1a1a1a' : '#ffffff';
}

function wrapWords(ctx: ReturnType<ReturnType<typeof createCanvas>['getContext']>, text: string, max: number, lines: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/)) {
    const next = line ? `${line} ${w}` : w;
    if (ctx.measureText(next).width <= max || !line) line = next;
    else {
      out.push(line);
      line = w;
    }
  }
  if (line) out.push(line);
  if (out.length > lines) return [...out.slice(0, lines - 1), `${out[lines - 1]}…`];
  return out;
}

export function drawHeatMap(spec: HeatMapSpec, size: NonNullable<RenderOptions['size']> = 'standard'): { png: Buffer; width: number; height: number } {
  const st = STYLES[size];
  const n = spec.scale;
  const bandOf = (score: number) => {
    let b = spec.bands[0]!;
    for (const x of spec.bands) if (score >= x.from) b = x;
    return b;
  };
  // Measure the title first: it wraps on a card.
  const probe = createCanvas(10, 10).getContext('2d');
  probe.font = `bold ${st.title}px "${FONT}"`;
  const titleLines = wrapWords(probe, spec.title, st.width - 2 * st.margin, size === 'card' ? 2 : 1);
  const titleH = titleLines.length * Math.round(st.title * 1.3) + st.margin;
  const left = st.margin + st.axis * 2 + 10;
  const right = st.margin;
  const gridW = st.width - left - right;
  const cell = Math.floor(gridW / n);
  const gridTop = titleH + st.margin;
  const gridH = cell * n;
  const bottomAxis = st.axis * 2 + 14;
  const legendRowH = Math.round(st.legend * 1.6);
  const legendItems = [...spec.bands.map((b, i) => `${b.label} ${b.from}–${(spec.bands[i + 1]?.from ?? n * n + 1) - 1}`), ...(spec.appetite !== undefined ? [`outlined: above appetite (over ${spec.appetite})`] : [])];
  const perRow = size === 'card' ? 2 : 3;
  const legendH = Math.ceil(legendItems.length / perRow) * legendRowH + st.margin;
  const height = gridTop + gridH + bottomAxis + legendH;
  const canvas = createCanvas(st.width * st.dpr, height * st.dpr);
  const ctx = canvas.getContext('2d');
  ctx.scale(st.dpr, st.dpr);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, st.width, height);

  ctx.fillStyle = '#222222';
  ctx.font = `bold ${st.title}px "${FONT}"`;
  ctx.textBaseline = 'top';
  titleLines.forEach((l, i) => ctx.fillText(l, st.margin, st.margin + i * Math.round(st.title * 1.3)));

  // Cells: likelihood 1…n left to right, impact 1…n bottom to top.
  const at = new Map<string, HeatMapSpec['risks']>();
  for (const r of spec.risks) {
    const k = `${r.likelihood},${r.impact}`;
    at.set(k, [...(at.get(k) ?? []), r]);
  }
  for (let l = 1; l <= n; l++) {
    for (let i = 1; i <= n; i++) {
      const x = left + (l - 1) * cell;
      const y = gridTop + (n - i) * cell;
      const score = l * i;
      const band = bandOf(score);
      ctx.fillStyle = band.colour;
      ctx.globalAlpha = at.has(`${l},${i}`) ? 1 : 0.55;
      ctx.fillRect(x, y, cell, cell);
      ctx.globalAlpha = 1;
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 2;
      ctx.strokeRect(x, y, cell, cell);
      const ink = inkFor(band.colour);
      // The score, small, in the corner.
      ctx.fillStyle = ink;
      ctx.globalAlpha = 0.75;
      ctx.font = `${Math.round(st.legend * 0.85)}px "${FONT}"`;
      ctx.textAlign = 'right';
      ctx.fillText(String(score), x + cell - 4, y + 3);
      ctx.globalAlpha = 1;
      const here = (at.get(`${l},${i}`) ?? []).sort((a, b) => (a.ref < b.ref ? -1 : 1));
      if (!here.length) continue;
      ctx.font = `bold ${st.ref}px "${FONT}"`;
      ctx.textAlign = 'center';
      const lineH = Math.round(st.ref * 1.15);
      const fit = Math.max(1, Math.floor((cell - st.legend) / lineH));
      const shown = here.length > fit ? here.slice(0, fit - 1) : here;
      const lines = shown.map((r) => `${r.ref}${r.trend === 'rising' ? '↑' : r.trend === 'falling' ? '↓' : ''}`);
      if (here.length > shown.length) lines.push(`+${here.length - shown.length} more`);
      const top = y + st.legend * 0.9 + (cell - st.legend * 0.9 - lines.length * lineH) / 2;
      lines.forEach((t, j) => {
        let s = t;
        while (ctx.measureText(s).width > cell - 6 && s.length > 3) s = `${s.slice(0, -2)}…`;
        ctx.fillText(s, x + cell / 2, top + j * lineH);
      });
    }
  }
  // Above the appetite: outlined.
  if (spec.appetite !== undefined) {
    ctx.strokeStyle = '#1a1a1a';
    ctx.lineWidth = size === 'card' ? 3 : 2.5;
    ctx.setLineDash([6, 4]);
    for (let l = 1; l <= n; l++) for (let i = 1; i <= n; i++) if (l * i > spec.appetite) ctx.strokeRect(left + (l - 1) * cell + 2, gridTop + (n - i) * cell + 2, cell - 4, cell - 4);
    ctx.setLineDash([]);
  }

  // Axes: numbers under and beside the grid, then their names.
  ctx.fillStyle = '#222222';
  ctx.font = `${st.axis}px "${FONT}"`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let k = 1; k <= n; k++) ctx.fillText(String(k), left + (k - 1) * cell + cell / 2, gridTop + gridH + 4);
  ctx.font = `bold ${st.axis}px "${FONT}"`;
  ctx.fillText('Likelihood →', left + gridW / 2, gridTop + gridH + st.axis + 8);
  ctx.font = `${st.axis}px "${FONT}"`;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  for (let k = 1; k <= n; k++) ctx.fillText(String(k), left - 6, gridTop + (n - k) * cell + cell / 2);
  ctx.save();
  ctx.translate(st.margin + st.axis / 2, gridTop + gridH / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.font = `bold ${st.axis}px "${FONT}"`;
  ctx.fillText('Impact →', 0, 0);
  ctx.restore();

  // Legend: each band's colour and scores, and what the outline means.
  const legendTop = gridTop + gridH + bottomAxis;
  const colW = (st.width - 2 * st.margin) / perRow;
  ctx.font = `${st.legend}px "${FONT}"`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  legendItems.forEach((label, k) => {
    const x = st.margin + (k % perRow) * colW;
    const y = legendTop + Math.floor(k / perRow) * legendRowH + legendRowH / 2;
    const sw = st.legend;
    if (k < spec.bands.length) {
      ctx.fillStyle = spec.bands[k]!.colour;
      ctx.fillRect(x, y - sw / 2, sw, sw);
    } else {
      ctx.strokeStyle = '#1a1a1a';
      ctx.lineWidth = 2;
      ctx.setLineDash([4, 3]);
      ctx.strokeRect(x + 1, y - sw / 2 + 1, sw - 2, sw - 2);
      ctx.setLineDash([]);
    }
    ctx.fillStyle = '#222222';
    ctx.fillText(label, x + sw + 6, y);
  });
  return { png: canvas.toBuffer('image/png'), width: st.width * st.dpr, height: height * st.dpr };
}
