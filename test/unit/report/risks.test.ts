// The quarterly report's risks section (src/report/risks.ts) on the memory repository: each risk as its
// reviews stood at the quarter's end (a later review is not this quarter's; never reviewed: its
// inherent score), the heat map of the quarter, the risks above appetite per theme with trend, target
// and mitigating actions — in Markdown, HTML (with the heat map drawn) and the workbook; no section
// without risks; the organisation's bands and appetite.
import { describe, expect, it } from 'vitest';
import { useBot } from '../../support/bot.ts';
import { buildQuarterReport } from '../../../src/report/model.ts';
import { reportMarkdown } from '../../../src/report/markdown.ts';
import { renderReport } from '../../../src/report/render.ts';
import { reportXlsx } from '../../../src/report/xlsx.ts';
import type { RiskFields } from '../../../src/ports.ts';

describe('the report’s risks', () => {
  const b = useBot();

  const seed = async () => {
    const c = b.council;
    const act = (await b.deps.repo.actions.upsert([{ ref: 'WS1', kind: 'action', title: 'Recruit six social workers', description: null, themeId: c.theme.id, ownerId: c.owner.id, deputyId: null, start: null, due: '2018-03-31', isKey: false, active: true, indicatorIds: [] }], b.clock.now())).ids.get('WS1')!;
    const base = { description: null, deputyId: null, controls: null, reviewMonths: 3, active: true, indicatorIds: [] };
    const list: RiskFields[] = [
      { ...base, ref: 'R1', title: 'Capacity', themeId: c.theme.id, ownerId: c.owner.id, inherent: { likelihood: 5, impact: 4 }, target: { likelihood: 2, impact: 3 }, actionIds: [act] },
      { ...base, ref: 'R2', title: 'Engagement', themeId: c.theme.id, ownerId: c.owner.id, inherent: { likelihood: 3, impact: 3 }, target: null, actionIds: [] },
      { ...base, ref: 'R3', title: 'Never reviewed', themeId: null, ownerId: null, inherent: { likelihood: 2, impact: 2 }, target: null, actionIds: [] },
    ];
    const ids = (await b.deps.repo.risks.upsert(list, b.clock.now())).ids;
    const by = { at: b.clock.now(), actorId: null, actorLabel: 'test' };
    const review = (ref: string, reviewedOn: string, likelihood: number, impact: number, commentary: string) =>
      b.deps.repo.risks.saveReview({ riskId: ids.get(ref)!, reviewedOn, likelihood, impact, commentary, authorId: c.owner.id, source: 'test', at: b.clock.now() }, by);
    await review('R1', '2017-09-29', 3, 4, 'Stable.');
    await review('R1', '2017-12-15', 4, 4, 'Two leavers.');
    await review('R2', '2017-12-01', 3, 3, 'Mapping done.');
    await review('R2', '2018-01-20', 5, 4, 'After the quarter: not Q3’s.');
  };

  it('prints each risk as at the quarter’s end, with the heat map and the risks above appetite', async () => {
    await seed();
    const r = await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now());
    const k = r.risks!;
    expect(k).toMatchObject({ total: 3, aboveAppetite: 1, appetite: 9 });
    expect(k.heatMap.risks).toEqual(expect.arrayContaining([{ ref: 'R1', likelihood: 4, impact: 4, trend: 'rising' }, { ref: 'R2', likelihood: 3, impact: 3 }, { ref: 'R3', likelihood: 2, impact: 2 }]));
    const md = reportMarkdown(r);
    expect(md).toContain('## 6. Risks');
    expect(md).toContain('Of 3 risks on the register, 1 is above the risk appetite (section 6).');
    expect(md).toContain('| R1 | Capacity | ' + b.council.owner.displayName + ' | 16 (4×4) Very high | ↑ rising | 6 (2×3) Medium | WS1 Recruit six social workers | 2017-12-15: Two leavers. |');
    expect(md).not.toContain('not Q3’s');
    expect(md).toContain('### 6.2 No theme');

    // Q4 sees R2's January review: above appetite now.
    const q4 = await buildQuarterReport(b.repo, '2017/18 Q4', b.clock.now());
    expect(q4.risks!.aboveAppetite).toBe(2);

    const drawn: string[] = [];
    const html = new TextDecoder().decode(
      (await renderReport(r, 'html', { charts: { render: async (spec) => (drawn.push(spec.kind), { png: Buffer.from('png'), altText: `alt ${spec.kind}`, width: 10, height: 10, filename: 'x.png' }) }, documents: { pdf: async () => new Uint8Array() } })).bytes,
    );
    expect(drawn.filter((k) => k === 'heat-map')).toHaveLength(3);
    expect(html).toContain('<h2>6. Risks</h2>');
    expect(html).toContain('alt="alt heat-map"');
    expect(html).toMatch(/<td>R1<\/td><td>Capacity<\/td>/);

    const { default: Excel } = await import('exceljs');
    const wb = new Excel.Workbook();
    await wb.xlsx.load(Buffer.from(await reportXlsx(r)) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Risks')!;
    const r1 = sheet.getRows(2, 3)!.find((row) => row.getCell(2).value === 'R1')!;
    expect([r1.getCell(5).value, r1.getCell(6).value, r1.getCell(7).value, r1.getCell(8).value, r1.getCell(10).value]).toEqual([4, 4, 16, 'Very high', 'Yes']);
  });

  it('has no section without risks, and follows the organisation’s bands and appetite', async () => {
    expect((await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now())).risks).toBeNull();
    await seed();
    await b.deps.repo.updateOrg({ riskBands: [{ label: 'Tolerable', from: 1, colour: '#2e7d32' }, { label: 'Intolerable', from: 12, colour: '#c62828' }], riskAppetite: 16 });
    const md = reportMarkdown(await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now()));
    expect(md).toContain('Bands: Tolerable 1–11, Intolerable 12–25.');
    expect(md).toContain('0 above the risk appetite (scores over 16)');
  });
});
