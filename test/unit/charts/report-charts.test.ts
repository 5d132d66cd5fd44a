// The report's chart kinds drawn for real: RAG status by theme (taller with more themes) and
// direction of travel, each with the data in its alt text.
import { describe, expect, it } from 'vitest';
import { createChartRenderer } from '../../../src/charts/render.ts';
import { chartSpecSchema } from '../../../src/charts/spec.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const renderer = createChartRenderer();

describe('report charts', () => {
  it('draws RAG status by theme as stacked bars, taller when there are many themes', async () => {
    const group = (i: number) => ({ label: `Theme ${i} with a long name that wraps over two lines of the axis`, green: i, amber: 1, red: 2, noTarget: i % 2 });
    const small = await renderer.render({ kind: 'rag-by-group', title: 'RAG status by theme', groups: [group(1), group(2)] });
    const large = await renderer.render({ kind: 'rag-by-group', title: 'RAG status by theme', groups: Array.from({ length: 12 }, (_, i) => group(i)) });
    expect(small.png.subarray(0, 4)).toEqual(PNG);
    expect([small.width, small.height]).toEqual([800, 400]);
    expect(large.height).toBeGreaterThan(600);
    expect(small.altText).toBe(
      'Stacked bar chart: RAG status by theme. Theme 1 with a long name that wraps over two lines of the axis: 1 green, 1 amber, 2 red, 1 no target; ' +
        'Theme 2 with a long name that wraps over two lines of the axis: 2 green, 1 amber, 2 red.',
    );
  });

  it('draws direction of travel counts', async () => {
    const c = await renderer.render({ kind: 'direction-counts', title: 'Direction of travel', improving: 12, maintained: 4, declining: 17, notComparable: 2 });
    expect(c.png.subarray(0, 4)).toEqual(PNG);
    expect(c.png.length).toBeGreaterThan(5000);
    expect(c.altText).toBe('Bar chart: Direction of travel. 12 improved, 4 stayed the same, 17 worsened, 2 not comparable.');
  });

  it('refuses counts that are not whole numbers', () => {
    expect(chartSpecSchema.safeParse({ kind: 'direction-counts', title: 't', improving: 1.5, maintained: 0, declining: 0 }).success).toBe(false);
  });
});
