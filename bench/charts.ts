// Chart rendering with the one shared chartjs-node-canvas renderer, warm.
import { createChartRenderer } from '../src/charts/render.ts';
import type { ChartSpec, TrendChartSpec } from '../src/charts/spec.ts';
import { median, record, time } from './stats.ts';

export function trendSpec(i: number): TrendChartSpec {
  const points = Array.from({ length: 8 }, (_, k) => ({ label: `Q${(k % 4) + 1} ${17 + Math.floor(k / 4)}/${18 + Math.floor(k / 4)}`, value: 80 + ((i + k * 3) % 9), estimated: k === 7 }));
  return { kind: 'trend', title: `Indicator ${i}`, unit: '%', polarity: 'higher', points, target: { values: points.map(() => 85), label: 'Target' }, bands: { amberFrom: 85, redFrom: 82 }, valueFormat: { decimals: 1, suffix: '%' } };
}

export async function benchCharts(): Promise<void> {
  const charts = createChartRenderer();
  const specs: [string, ChartSpec][] = [
    ['trend chart (8 periods, target, RAG bands)', trendSpec(1)],
    ['small multiples (12 trends)', { kind: 'small-multiples', title: 'Reds', charts: Array.from({ length: 12 }, (_, i) => trendSpec(i)) }],
  ];
  for (const [name, spec] of specs) {
    const first = await time(() => charts.render(spec));
    const warm: number[] = [];
    for (let i = 0; i < 30; i++) warm.push((await time(() => charts.render(spec))).ms);
    record(`render ${name}, first`, first.ms, '—', `${(first.result.png.length / 1024).toFixed(0)} KB PNG`);
    record(`render ${name}, warm median`, median(warm), '—', '30 renders');
  }
}
