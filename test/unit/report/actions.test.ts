// The quarterly report's actions section (src/report/actions.ts) on the memory repository: each
// action as its quarter's update left it, judged as at the quarter's end (due by its last day and not
// delivered: overdue; starting after it: scheduled for a future quarter), Cheshire West's counts per
// theme, the re-phased with their reasons, and the commentary — in the Markdown report.
import { describe, expect, it } from 'vitest';
import { useBot } from '../../support/bot.ts';
import { buildQuarterReport } from '../../../src/report/model.ts';
import { reportMarkdown } from '../../../src/report/markdown.ts';
import { reportHtml } from '../../../src/report/html.ts';
import { reportXlsx } from '../../../src/report/xlsx.ts';
import type { ActionFields } from '../../../src/ports.ts';
import { periodFromKey } from '../../../src/domain/periods.ts';

describe('the report’s actions and milestones', () => {
  const b = useBot();

  it('prints each action as its quarter left it, counted per category, with the re-phased and their reasons', async () => {
    const c = b.council;
    const base = { kind: 'action' as const, description: null, themeId: c.theme.id, ownerId: c.owner.id, deputyId: null, start: null, isKey: false, active: true, indicatorIds: [] };
    const list: ActionFields[] = [
      { ...base, ref: 'A1', title: 'Delivered in Q3', due: '2017-12-31' },
      { ...base, ref: 'A2', title: 'Due on the quarter’s last day, no word', due: '2017-12-31' },
      { ...base, ref: 'A3', title: 'Moved by four months', due: '2018-07-31', originalDue: '2018-03-31', rephaseReason: 'Funding confirmed late' },
      { ...base, ref: 'A4', title: 'Starts next quarter', due: '2018-06-30', start: '2018-01-01' },
      { ...base, ref: 'A5', title: 'On target in Q3, off track in Q4', due: '2018-03-31' },
    ];
    const ids = (await b.deps.repo.actions.upsert(list, b.clock.now())).ids;
    const by = { at: b.clock.now(), actorId: null, actorLabel: 'test' };
    const update = (ref: string, periodKey: string, progress: 'delivered' | 'on_target' | 'off_track', commentary: string) =>
      b.deps.repo.actions.saveUpdate({ actionId: ids.get(ref)!, periodKey, progress, percentComplete: null, commentary, authorId: c.owner.id, source: 'test', at: b.clock.now() }, by);
    await update('A1', '2017/18 Q3', 'delivered', 'Opened in November.');
    await update('A5', '2017/18 Q3', 'on_target', 'Contract signed.');
    await update('A5', '2017/18 Q4', 'off_track', 'Contractor withdrew.');

    const r = await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now());
    const t = r.actions!.themes[0]!;
    expect(Object.fromEntries(t.actions.map((a) => [a.ref, a.category]))).toEqual({ A1: 'delivered', A2: 'off_track', A3: 'rephased_over_3_months', A4: 'scheduled_future', A5: 'on_target' });
    expect(t.summary.find((s) => s.category === 'on_target')).toMatchObject({ count: 1, percent: 20 });
    const md = reportMarkdown(r);
    expect(md).toContain('## 5. Actions and milestones');
    expect(md).toContain('Of 5 actions, 1 delivered, 1 on target, 1 scheduled for future quarter, 1 re-phased (over 3 months) and 1 off track or overdue (not re-phased) (section 5).');
    expect(md).toContain('| Off track or overdue (not re-phased) | 1 | 20.0% |');
    expect(md).toContain('- **A3** Moved by four months — Re-phased (over 3 months) from 31 Mar 2018 to 31 Jul 2018: Funding confirmed late');
    expect(md).toContain('- **A5** (2017/18 Q3): Contract signed.');
    expect(md).not.toContain('Contractor withdrew.');

    const html = reportHtml(r, []);
    expect(html).toContain('<h2>5. Actions and milestones</h2>');
    expect(html).toMatch(/<td>A2<\/td><td>Due on the quarter’s last day, no word<\/td>.*<td class="rag-red">Off track or overdue \(not re-phased\)<\/td>/);

    const { default: Excel } = await import('exceljs');
    const wb = new Excel.Workbook();
    await wb.xlsx.load(Buffer.from(await reportXlsx(r)) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Actions and milestones')!;
    const a3 = sheet.getRows(2, 5)!.find((row) => row.getCell(2).value === 'A3')!;
    expect([a3.getCell(8).value, a3.getCell(9).value]).toEqual(['Over 3 months: Funding confirmed late', 'Re-phased (over 3 months)']);
    expect((a3.getCell(6).value as Date).toISOString().slice(0, 10)).toBe('2018-07-31');

    const q4 = reportMarkdown(await buildQuarterReport(b.repo, '2017/18 Q4', b.clock.now()));
    expect(q4).toContain('- **A5** (2017/18 Q4): Contractor withdrew.');
  });

  it('prints Halton’s colours when the organisation says so, and no section without actions', async () => {
    expect((await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now())).actions).toBeNull();
    const c = b.council;
    await b.deps.repo.actions.upsert([{ ref: 'EEP 02', kind: 'milestone', title: 'Deliver the BID plan', description: null, themeId: c.theme.id, ownerId: c.owner.id, deputyId: null, start: null, due: '2018-03-31', isKey: false, active: true, indicatorIds: [] }], b.clock.now());
    await b.deps.repo.updateOrg({ actionProgress: 'colours', actionWord: 'milestone' });
    const md = reportMarkdown(await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now()));
    expect(md).toContain('## 5. Milestones\n');
    expect(md).toContain('| EEP 02 | Deliver the BID plan |');
    expect(md).toContain('Amber (no update)');
    expect(md).toContain('Green — on course to be achieved within the appropriate timeframe');
  });
});

describe('the report’s key indicators', () => {
  const b = useBot();
  it('are printed as their own table in the summary, and not at all when the register marks none', async () => {
    const none = reportMarkdown(await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now()));
    expect(none).not.toContain('### Key indicators');
    const row = b.repo.store.t.indicators.find((i) => i.id === b.council.absence.id)!;
    row.isKey = true;
    const r = await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now());
    const md = reportMarkdown(r);
    const table = md.slice(md.indexOf('### Key indicators'), md.indexOf('### Performance key'));
    expect(table).toContain(b.council.absence.name);
    expect(table).not.toContain(b.council.visits.name);
    expect(reportHtml(r, [])).toMatch(/<h3>Key indicators<\/h3>[\s\S]*Sickness absence/);
  });

  it('print the targets already set for later years beside this year’s: a year’s own, else its year-end, the council’s words kept', async () => {
    const row = b.repo.store.t.indicators.find((i) => i.id === b.council.absence.id)!;
    row.isKey = true;
    const target = (periodKey: string, value: number | null, text: string | null = null) => {
      const p = periodFromKey(periodKey);
      b.repo.store.t.targets.push({ indicatorId: row.id, periodKey, value, amberFloor: null, text, periodStart: p.start, periodEnd: p.end });
    };
    target('2016/17', 9); // earlier: not printed
    target('2018/19', 8);
    target('2018/19 Q4', 7.9); // the year's own target wins over its year-end
    target('2019/20 Q1', 9.5);
    target('2019/20 Q4', 7.5); // profiled: the year-end
    target('2020/21', null, 'Top quartile');
    target('2021/22', 6); // a fourth later year: beyond what is printed
    const r = await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now());
    const md = reportMarkdown(r);
    const table = md.slice(md.indexOf('### Key indicators'), md.indexOf('### Performance key'));
    expect(table).toContain('| Ref | Indicator | Target | Target 2018/19 | Target 2019/20 | Target 2020/21 | Actual | DoT | Status |');
    expect(table).toContain('| 8.5 days | 8 days | 7.5 days | Top quartile |');
    expect(reportHtml(r, [])).toContain('<th class="num">Target 2019/20</th>');

    const { default: Excel } = await import('exceljs');
    const wb = new Excel.Workbook();
    await wb.xlsx.load(Buffer.from(await reportXlsx(r)) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Indicators')!;
    const head = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (h: string) => head.indexOf(h) + 1;
    const absence = sheet.getRows(2, sheet.rowCount - 1)!.find((x) => x.getCell(col('Short name')).value === row.slug)!;
    expect([absence.getCell(col('Target 2018/19')).value, absence.getCell(col('Target 2019/20')).value, absence.getCell(col('Target 2020/21')).value]).toEqual([8, 7.5, 'Top quartile']);
    expect(head).not.toContain('Target 2021/22');
  });
});
