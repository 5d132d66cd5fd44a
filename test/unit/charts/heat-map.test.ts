// The risk heat map drawn for real (src/charts/heat-map.ts, through the chart renderer): a PNG of the
// size asked for, each occupied cell filled in its rating band's colour (empty cells paler), the cells
// above the appetite outlined, a long title wrapped on a card, and every risk in the alt text.
import { loadImage, createCanvas } from 'canvas';
import { describe, expect, it } from 'vitest';
import { createChartRenderer } from '../../../src/charts/render.ts';
import type { HeatMapSpec } from '../../../src/charts/spec.ts';

const renderer = createChartRenderer();
const BANDS = [
  { label: 'Low', from: 1, colour: '#2e7d32' },
  { label: 'Medium', from: 5, colour: '#f9a825' },
  { label: 'High', from: 12, colour: '#c62828' },
];
const map = (over: Partial<HeatMapSpec> = {}): HeatMapSpec => ({ kind: 'heat-map', title: 'Corporate risks, 2017/18 Q3', scale: 5, bands: BANDS, risks: [], ...over });

/** How many pixels of the drawing are exactly this colour. */
async function pixels(png: Buffer, hex: string): Promise<number> {
  const img = await loadImage(png);
  const ctx = createCanvas(img.width, img.height).getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, img.width, img.height).data;
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] === r && data[i + 1] === g && data[i + 2] === b) n++;
  return n;
}

describe('the risk heat map', () => {
  it('fills an occupied cell in its band’s colour and leaves an empty one paler', async () => {
    const empty = await renderer.render(map());
    const high = await renderer.render(map({ risks: [{ ref: 'R1', likelihood: 4, impact: 4, trend: 'rising' }] }));
    const low = await renderer.render(map({ risks: [{ ref: 'R2', likelihood: 1, impact: 2 }] }));
    expect(empty.png.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(empty.width).toBe(720);
    // One cell (about 130 px square on a 5 × 5 grid) now in the band's own colour, the others as they were.
    expect((await pixels(high.png, '#c62828')) - (await pixels(empty.png, '#c62828'))).toBeGreaterThan(10_000);
    expect((await pixels(high.png, '#2e7d32')) - (await pixels(empty.png, '#2e7d32'))).toBe(0);
    expect((await pixels(low.png, '#2e7d32')) - (await pixels(empty.png, '#2e7d32'))).toBeGreaterThan(10_000);
    expect(high.altText).toBe(
      'Risk heat map: Corporate risks, 2017/18 Q3. Likelihood across, impact up, each 1 to 5. R1 at likelihood 4, impact 4 (score 16, high).',
    );
  });

  it('outlines the cells above the appetite, and says so', async () => {
    const risks = [{ ref: 'R1', likelihood: 5, impact: 5 }];
    const plain = await renderer.render(map({ risks }));
    const outlined = await renderer.render(map({ risks, appetite: 12 }));
    // A dashed dark outline round each of the 13 cells scoring over 12.
    expect((await pixels(outlined.png, '#1a1a1a')) - (await pixels(plain.png, '#1a1a1a'))).toBeGreaterThan(1_000);
    expect(outlined.altText).toMatch(/Scores above 12 are above the risk appetite\.$/);
    expect(plain.altText).not.toMatch(/appetite/);
  });

  it('is drawn at twice the pixels for a card, its long title wrapped, and names every risk of a crowded cell', async () => {
    const refs = Array.from({ length: 12 }, (_, i) => `CR-${String(i + 1).padStart(2, '0')}`);
    const crowded = map({ title: 'Strategic and operational risks of the council scored this quarter', risks: refs.map((ref) => ({ ref, likelihood: 3, impact: 3 })) });
    const standard = await renderer.render(crowded);
    const card = await renderer.render(crowded, { size: 'card' });
    const shortTitled = await renderer.render({ ...crowded, title: 'Risks' }, { size: 'card' });
    expect(card.width).toBe(1200);
    // A second line of 24 px title type, at twice the pixels.
    expect(card.height - shortTitled.height).toBe(2 * Math.round(24 * 1.3));
    expect(standard.width).toBe(720);
    expect(standard.altText).toContain(`${refs.join(', ')} at likelihood 3, impact 3 (score 9, medium)`);
  });
});
