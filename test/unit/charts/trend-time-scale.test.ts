// A trend chart puts its periods on a time scale: four years without values show as four years, not
// as one step, and the line breaks across them. Checked on the spec the bot builds and on the pixels
// of the PNG it draws.
import { describe, expect, it } from 'vitest';
import { loadImage, createCanvas } from 'canvas';
import { createChartRenderer } from '../../../src/charts/render.ts';
import type { TrendChartSpec } from '../../../src/charts/spec.ts';
import { evaluateIndicator, trendChart } from '../../../src/services/evaluation.ts';
import { history, indicator, org } from '../../support/builders.ts';

/** Sickness absence as the demo holds it: Trafford's 2013/14 Q1–Q2, then 2017/18 Q2–Q3, with the year's targets. */
const sickness = indicator({ slug: 'sickness-absence', name: 'Reduce the level of sickness absence', unit: 'days per employee per annum', polarity: 'lower', decimals: 2 });
const h = history(
  sickness.id,
  [['2013/14 Q1', 7.84], ['2013/14 Q2', 8.69], ['2017/18 Q2', 10.18], ['2017/18 Q3', 10.49]],
  [['2013/14 Q2', 9], ['2013/14', 9], ['2017/18 Q3', 8.5], ['2017/18', 8.5]],
);

/** The x of each run of columns holding the line's colour (#1f3a5f): the dots and the line between them. */
async function lineColumns(png: Buffer): Promise<number[]> {
  const img = await loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const { data } = ctx.getImageData(0, 0, img.width, img.height);
  const cols: number[] = [];
  for (let x = 0; x < img.width; x++) {
    for (let y = 0; y < img.height; y++) {
      const i = (y * img.width + x) * 4;
      if (Math.abs(data[i]! - 0x1f) < 6 && Math.abs(data[i + 1]! - 0x3a) < 6 && Math.abs(data[i + 2]! - 0x5f) < 6) {
        cols.push(x);
        break;
      }
    }
  }
  return cols;
}

/** Runs of consecutive columns: [first, last] of each. */
function runs(cols: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const x of cols) {
    const last = out.at(-1);
    if (last && x <= last[1] + 1) last[1] = x;
    else out.push([x, x]);
  }
  return out;
}

describe('trend charts on a time scale', () => {
  const o = org();
  const spec = trendChart(sickness, h, evaluateIndicator(sickness, h, o), o);

  it('places each period in the middle of its dates and marks where periods are missing', () => {
    expect(spec.points.map((p) => [p.label, p.gapBefore ?? false])).toEqual([
      ['Q1 13/14', false],
      ['Q2 13/14', false],
      ['Q2 17/18', true],
      ['Q3 17/18', false],
    ]);
    const at = spec.points.map((p) => p.at!);
    // A quarter apart, four years apart, a quarter apart (in days).
    expect(Math.round(at[1]! - at[0]!)).toBeGreaterThanOrEqual(90);
    expect(Math.round(at[2]! - at[1]!)).toBe(1461);
    expect(Math.round(at[3]! - at[2]!)).toBeLessThanOrEqual(93);
    // The target each period was judged against, the year's where the quarter has none of its own.
    expect(spec.target?.values).toEqual([9, 9, 8.5, 8.5]);
  });

  it('says the gap in its alt text', async () => {
    const chart = await createChartRenderer().render(spec);
    expect(chart.altText).toContain('Q2 13/14 8.69, then a gap, Q2 17/18 10.18');
  });

  it('draws the four years as four years, with the line broken across them', async () => {
    const plain: TrendChartSpec = { ...spec, target: undefined, bands: undefined, points: spec.points.map((p) => ({ ...p, status: undefined })) };
    const drawn = runs(await lineColumns((await createChartRenderer().render(plain)).png));
    // Two clusters of two dots joined by their line, and nothing in between.
    expect(drawn).toHaveLength(2);
    const [early, late] = drawn as [[number, number], [number, number]];
    const gap = late[0] - early[1];
    expect(gap).toBeGreaterThan(8 * (early[1] - early[0]));
    expect(gap).toBeGreaterThan(400);
  });

  it('still draws a chart queued before it knew the dates, evenly spaced', async () => {
    const old: TrendChartSpec = { ...spec, target: undefined, bands: undefined, points: spec.points.map(({ label, value }) => ({ label, value })) };
    const drawn = runs(await lineColumns((await createChartRenderer().render(old)).png));
    expect(drawn).toHaveLength(1);
  });
});
