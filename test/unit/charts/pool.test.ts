// Charts drawn on worker threads: the same PNG and alt text as drawing in-process, charts in the
// order asked, a bad spec failing only its own chart, and nothing drawn after close.
import { afterAll, describe, expect, it } from 'vitest';
import { createChartPool } from '../../../src/charts/pool.ts';
import { createChartRenderer } from '../../../src/charts/render.ts';
import type { TrendChartSpec } from '../../../src/charts/spec.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const trend = (i: number): TrendChartSpec => ({
  kind: 'trend',
  title: `Indicator ${i}`,
  unit: '%',
  polarity: 'higher',
  points: Array.from({ length: 6 }, (_, k) => ({ label: `Q${k + 1}`, value: 80 + ((i + k) % 5), estimated: false })),
  valueFormat: { decimals: 1, suffix: '%' },
});

describe('chart pool', () => {
  const pool = createChartPool({ size: 2 });
  afterAll(() => pool.close());

  it('draws what the in-process renderer draws', async () => {
    const [fromPool, inProcess] = await Promise.all([pool.render(trend(1)), createChartRenderer().render(trend(1))]);
    expect(fromPool.png.subarray(0, 4)).toEqual(PNG);
    expect(Buffer.isBuffer(fromPool.png)).toBe(true);
    expect({ ...fromPool, png: fromPool.png.length }).toEqual({ ...inProcess, png: inProcess.png.length });
  });

  it('draws many charts at once, each answered with its own', async () => {
    const charts = await Promise.all(Array.from({ length: 8 }, (_, i) => pool.render(trend(i), { size: 'card' })));
    expect(charts.map((c) => c.filename)).toEqual(Array.from({ length: 8 }, (_, i) => `indicator-${i}.png`));
    for (const c of charts) expect(c.png.subarray(0, 4)).toEqual(PNG);
  });

  it('fails a chart whose spec is not valid, and goes on drawing the next', async () => {
    await expect(pool.render({ kind: 'trend', title: 'x' } as unknown as TrendChartSpec)).rejects.toThrow(/points|Invalid/i);
    expect((await pool.render(trend(2))).png.subarray(0, 4)).toEqual(PNG);
  });

  it('draws nothing once closed', async () => {
    const p = createChartPool();
    await p.render(trend(3));
    await p.close();
    await expect(p.render(trend(3))).rejects.toThrow('closed');
  });
});
