// `kpi report` on the Trafford 2017/18 Q3 fixture, on both databases: the summary counts against the
// published report's own text, and the report in all four formats, opened and checked.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { runKpi } from '../support/cli.ts';
import { pdfFacts } from '../support/pdf.ts';
import { PrismaRepository } from '../../src/repo/prisma-repository.ts';
import { buildQuarterReport } from '../../src/report/model.ts';
import { readFixture } from '../../src/cli/commands/evaluate.ts';
import { readPublished } from '../support/published.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/trafford-2017-18-q3.json');
const out = mkdtempSync(path.join(os.tmpdir(), 'kpi-report-'));
const NOW = '2018-02-05T09:00:00Z';

describe.each(backends('pglite'))('kpi report on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    expect((await runKpi(db, ['import', FIXTURE])).code).toBe(0);
  });
  afterAll(() => db?.close());

  const report = async (format: string, ...extra: string[]) => {
    const file = path.join(out, `${backend}-${format}-${extra.join('-').replace(/\W+/g, '') || 'all'}.${format}`);
    const r = await runKpi(db, ['report', '--period', '2017/18 Q3', '--format', format, '--now', NOW, '--out', file, ...extra]);
    expect(r.stderr).not.toContain('kpi:');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(file);
    return readFileSync(file);
  };

  it('counts what the published report counts, from the fixture’s values alone', async () => {
    const r = await buildQuarterReport(new PrismaRepository(db.prisma), '2017/18 Q3', new Date(NOW));
    // Published: "33 have been reported to date in Q3 and 15 are indicators reported annually. One
    // indicator has been discontinued." and "18 Green …, 6 Amber and 6 Red. Three indicators have no target".
    expect(r.counts).toMatchObject({ indicators: 49, reported: 33, green: 18, amber: 6, red: 6, noTarget: 3 });
    // The fixture cannot tell annual from discontinued, and two rows have no data at all.
    expect(r.counts).toMatchObject({ annual: 14, missing: 2, discontinued: 0 });
    // Published text: 12 improved, 4 same, 17 worsened (dashboard arrows: 11, 5, 17). Only 9 rows
    // keep the previous period's value in the fixture; for them the engine says 1 / 3 / 5.
    expect(r.counts).toMatchObject({ improving: 1, maintained: 3, declining: 5, notComparable: 24 });
    expect(r.counts).toMatchObject({ exceptionsAttached: 12, exceptionsOwed: 0, provisional: 2 });
    // Where the fixture has the previous value, every direction agrees with the printed arrow but
    // one the fixture notes as a printing error (online transactions: ↔ printed, 10% → 15%).
    const fixture = await readFixture(FIXTURE);
    const published = readPublished(FIXTURE);
    const rows = r.themes.flatMap((t) => t.rows);
    const disagreements = fixture.indicators.flatMap((f, i) => {
      const row = rows.find((x) => x.indicator.slug === f.slug)!;
      const computed = row.evaluation.direction;
      const printed = published[i]?.direction;
      return computed && printed && computed !== printed ? [`${f.slug}: printed ${printed}, computed ${computed}`] : [];
    });
    expect(disagreements).toEqual(['online-transactions: printed maintained, computed improving']);
    // Every printed or deduced status agrees.
    for (const [i, f] of fixture.indicators.entries()) {
      const row = rows.find((x) => x.indicator.slug === f.slug)!;
      const printed = published[i]?.status ?? published[i]?.statusDeduced;
      if (!printed || row.state !== 'reported') continue;
      if (printed === 'amber-or-red') expect(['amber', 'red'], f.slug!).toContain(row.evaluation.status);
      else expect(row.evaluation.status, f.slug!).toBe(printed === 'not-applicable' ? 'no_target' : printed);
    }
  });

  it('writes Markdown with the counts, a table per theme and every exception report', async () => {
    const md = (await report('md')).toString();
    expect(md).toContain('# Trafford Council: Performance Report');
    expect(md).toContain('There are 18 Green indicators (on target), 6 Amber and 6 Red. 3 indicators have no target, and therefore no RAG status.');
    expect(md).toContain('| 49 | 33 | 14 | 2 | 18 | 6 | 6 | 3 |');
    expect(md).toContain('| 1 | 3 | 5 | 24 | 12 |');
    expect(md.match(/^### 3\.\d+ /gm)).toHaveLength(6);
    expect(md.match(/^### 4\.\d+ /gm)).toHaveLength(12);
    expect(md.match(/^#### Why is performance at the current level\?$/gm)).toHaveLength(12);
    expect(md).toContain('| `street-cleanliness` | The percentage of relevant land and highways assessed as Grade B or above');
    expect(md).toContain('| 87.5% (2017/18 Q2) | 85% (min 82%) | 83.8%\\* | ↓ | A Amber | ✓ |'); // the provisional marker escaped: text, not emphasis
    expect(md).toContain('| `sickness-absence` | Reduce the level of sickness absence (Council wide excluding schools) (Days) | 10.18 days (2017/18 Q2) | 8.5 days | 10.49 days | ↓ | R Red | ✓ |');
    expect(md).toContain('_Reported annually_');
    expect(md).toContain('> Not signed off');
  });

  it('writes a self-contained HTML page with its charts inline', async () => {
    const html = (await report('html')).toString();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(2);
    expect(html).toContain('alt="Stacked bar chart: Performance indicator RAG status by theme.');
    expect(html).toContain('@page { size: A4');
    expect(html.match(/<article class="exception">/g)).toHaveLength(12);
    expect(html).toContain('<span class="badge rag-red">R Red</span>');
  });

  it('writes an Excel workbook: summary, one indicator table with RAG fills, exception reports', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await report('xlsx')) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Indicators', 'Exception reports']);
    const t = wb.getWorksheet('Indicators')!;
    expect(t.rowCount).toBe(50);
    const header = (t.getRow(1).values as unknown[]).slice(1);
    const row = t.getRows(2, 49)!.find((r) => r.getCell(3).value === 'sickness-absence')!;
    const cell = (name: string) => row.getCell(header.indexOf(name) + 1);
    expect([cell('Previous').value, cell('Target').value, cell('Actual').value, cell('DoT').value, cell('Status').value]).toEqual([10.18, 8.5, 10.49, '↓', 'Red']);
    expect((cell('Status').fill as { fgColor: { argb: string } }).fgColor.argb).toBe('FFC62828');
    const summary = wb.getWorksheet('Summary')!;
    const counts = Object.fromEntries(summary.getSheetValues().filter(Boolean).map((r) => [(r as unknown[])[1], (r as unknown[])[2]]));
    expect([counts.Green, counts.Amber, counts.Red, counts['No target']]).toEqual([18, 6, 6, 3]);
    expect(wb.getWorksheet('Exception reports')!.rowCount).toBe(1 + 12 * 3);
  });

  it('prints a PDF with a real browser: every page, bookmarks for each section and exception report', async () => {
    const facts = pdfFacts(await report('pdf'));
    // Summary and key, charts, six theme tables over a few pages, and each exception report from a new page.
    expect(facts.pages).toBeGreaterThanOrEqual(2 + 3 + 12);
    expect(facts.pages).toBeLessThanOrEqual(40);
    expect(facts.titles).toContain('Trafford Council: Performance Report Quarter 3 2017/18 (October to December 2017)');
    expect(facts.titles).toEqual(expect.arrayContaining(['1. Summary', '2. Performance summary charts', '3. Performance by theme', '4. Exception reports']));
    expect(facts.titles.filter((t) => /^4\.\d+ /.test(t))).toHaveLength(12);
  });

  it('reports one theme when asked, and refuses what it cannot read', async () => {
    const md = (await report('md', '--theme', 'Building Strong')).toString();
    expect(md).toContain('# Trafford Council: Performance Report — Building Strong Communities');
    expect(md.match(/^### 3\.\d+ /gm)).toHaveLength(1);
    const bad = await runKpi(db, ['report', '--period', '2017/18', '--format', 'md', '--now', NOW]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"2017/18" is a financial year');
    expect((await runKpi(db, ['report', '--period', 'Q3', '--format', 'docx'])).stderr).toContain('--format docx is not one of pdf, html, xlsx, md');
  });

  it('writes into a directory given as --out under its own name, and keeps a file already there unless --force', async () => {
    const into = path.join(out, `${backend}-into`);
    mkdirSync(into);
    const args = ['report', '--period', '2017/18 Q3', '--format', 'md', '--now', NOW];
    const first = await runKpi(db, [...args, '--out', into]);
    expect(first.code, first.stderr).toBe(0);
    const file = path.join(into, 'trafford-council-performance-report-2017-18-q3.md');
    expect(first.stdout.trim()).toBe(file);
    expect(readdirSync(into)).toEqual([path.basename(file)]);
    writeFileSync(file, 'the copy sent to the committee');
    for (const again of [[...args, '--out', into], [...args, '--out', file]]) {
      const r = await runKpi(db, again);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`kpi: ${file} already exists: it was kept. Add --force to replace it, or give another --out.\n`);
    }
    expect(readFileSync(file, 'utf8')).toBe('the copy sent to the committee');
    const forced = await runKpi(db, [...args, '--out', file, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('replaced the earlier file');
    expect(readFileSync(file, 'utf8')).toContain('# Trafford Council: Performance Report');
  });

  it('signs off the quarter on the CLI, once, and the report says so', async () => {
    const first = await runKpi(db, ['close-quarter', '2017/18 Q3', '--now', NOW]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('2017/18 Q3 is signed off');
    expect(first.stdout).toContain('No value yet (2): falls-injuries, benefit-claimants');
    expect((await runKpi(db, ['close-quarter', '2017/18 Q3', '--now', NOW])).stdout).toContain('already signed off');
    expect(await db.prisma.auditLog.count({ where: { action: 'period.close', actorLabel: 'cli' } })).toBe(1);
    expect((await runKpi(db, ['close-quarter', 'last quarter', '--now', '2018-02-05T09:00:00Z', '--by', 'nobody@example.org'])).stderr).toContain('No one with the email nobody@example.org');
    expect((await report('md', '--theme', 'technology')).toString()).toContain('> Signed off on 5 February 2018');
  });
});
