// The report's benchmarks column: where each indicator ranks among our comparator group for its
// period ("9th of 10 in Greater Manchester · bottom quartile"), in Markdown, HTML and the workbook —
// only when some indicator has comparator data (a report without any is printed as before).
import { describe, expect, it } from 'vitest';
import { useBot } from '../../support/bot.ts';
import { GM_AREAS, SICKNESS_Q3, TRAFFORD } from '../../support/comparators.ts';
import { buildQuarterReport } from '../../../src/report/model.ts';
import { reportMarkdown } from '../../../src/report/markdown.ts';
import { reportHtml } from '../../../src/report/html.ts';
import { reportXlsx } from '../../../src/report/xlsx.ts';

describe('the report’s benchmarks column', () => {
  const b = useBot();

  it('prints where we rank for the period, only when there is comparator data', async () => {
    const { absence } = b.council;
    const before = reportMarkdown(await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now()));
    expect(before).not.toContain('Compared with other councils');

    const by = { at: b.clock.now(), actorId: null, actorLabel: 'test' };
    await b.repo.comparators.saveGroup({ name: 'Greater Manchester', areas: GM_AREAS.map(([c]) => c) }, by, b.clock.now());
    await b.repo.updateOrg({ comparatorArea: TRAFFORD, comparatorGroup: 'Greater Manchester' });
    const vals = SICKNESS_Q3.map(Number);
    vals[8] = 10.49;
    await b.repo.comparators.saveValues(GM_AREAS.map(([areaCode, areaName], i) => ({ indicatorId: absence.id, periodKey: '2017/18 Q3', areaCode, areaName, value: vals[i]!, source: 'test' })), by, b.clock.now());
    const r = await buildQuarterReport(b.repo, '2017/18 Q3', b.clock.now());
    expect(r.themes[0]!.rows.find((x) => x.indicator.id === absence.id)?.benchmark).toBe('9th of 10 in Greater Manchester · bottom quartile');

    const md = reportMarkdown(r);
    expect(md).toContain('| Status | ER | Compared with other councils |');
    expect(md).toMatch(/\| 10\.49 days \|.*\| 9th of 10 in Greater Manchester · bottom quartile \|/);
    expect(reportHtml(r, [])).toContain('<td class="bench">9th of 10 in Greater Manchester · bottom quartile</td>');

    const { default: Excel } = await import('exceljs');
    const wb = new Excel.Workbook();
    await wb.xlsx.load(Buffer.from(await reportXlsx(r)) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Indicators')!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    const col = header.indexOf('Compared with other councils');
    expect(col).toBeGreaterThan(0);
    const rows = Array.from({ length: sheet.rowCount }, (_, i) => sheet.getRow(i + 1));
    expect(rows.find((x) => x.getCell(3).value === absence.slug)?.getCell(col).value).toBe('9th of 10 in Greater Manchester · bottom quartile');
  });
});
