// The quarterly report as an Excel workbook (exceljs): a Summary sheet, one Indicators table with a
// Theme column (filterable, RAG cells filled, values as numbers), and the Exception reports.
import type ExcelJS from 'exceljs';
import { formatPeriod } from '../domain/periods.ts';
import type { QuarterReport } from './model.ts';
import { printedSections, type ReportCommentary } from './commentary.ts';
import { actionsTitle, progressText, type ReportActions } from './actions.ts';
import { RISKS_TITLE, type ReportRisks } from './risks.ts';
import type { PlanCategory } from '../domain/actions.ts';
import {
  AFTER_SIGN_OFF_HEAD,
  hasBenchmarks,
  AFTER_SIGN_OFF_TITLE,
  STATUS_WORDS,
  afterSignOffIntro,
  afterSignOffRows,
  comparisonHeading,
  directionText,
  exceptionNotice,
  exceptionSinceSignOff,
  keyLines,
  rowNotes,
  whenText,
  quarterTitle,
  signOffText,
  statusKey,
  summarySentences,
  targetText,
  laterTargetText,
  laterYears,
} from './text.ts';

const FILL: Record<string, string> = { green: 'FF2E7D32', amber: 'FFEF8F00', red: 'FFC62828', no_target: 'FFE0E0E0' };
const HEAD_FILL = 'FF1F3A5F';

function header(row: ExcelJS.Row) {
  row.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  row.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEAD_FILL } };
    c.alignment = { vertical: 'middle', wrapText: true };
  });
}

/** A day (2018-03-31) as the date Excel shows, with no time-zone shift. */
const day = (d: string): Date => new Date(`${d}T00:00:00Z`);

/** A sheet that is one table: its columns, the heading row styled and frozen (a name longer than Excel's 31 characters cut). */
function tableSheet(wb: ExcelJS.Workbook, name: string, columns: Partial<ExcelJS.Column>[]): ExcelJS.Worksheet {
  const x = wb.addWorksheet(name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  x.columns = columns;
  header(x.getRow(1));
  return x;
}

/** Excel shows 83.8 in a "%" column as 83.8 with a % suffix format, so numbers stay numbers. */
function numFmt(unit: string, decimals: number): string {
  const d = decimals > 0 ? `.${'0'.repeat(decimals)}` : '';
  const u = unit.trim();
  if (u === '%') return `#,##0${d}"%"`;
  if (u.startsWith('£')) return `"£"#,##0${d}${/m/i.test(u.slice(1)) ? '"m"' : ''}`;
  return `#,##0${d}`;
}

export async function reportXlsx(r: QuarterReport): Promise<Uint8Array> {
  // exceljs is loaded with the first workbook, not at start.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = 'kpi-bot';
  wb.created = r.generatedAt;
  wb.modified = r.generatedAt;

  // Summary
  const s = wb.addWorksheet('Summary', { views: [{ showGridLines: false }] });
  s.columns = [{ width: 34 }, { width: 14 }, { width: 70 }];
  s.addRow([`${r.organisation}: Performance Report${r.themeFilter ? ` — ${r.themeFilter}` : ''}`]).font = { bold: true, size: 16, color: { argb: HEAD_FILL } };
  s.addRow([quarterTitle(r.quarter)]).font = { size: 12 };
  const so = s.addRow([signOffText(r)]);
  so.font = { bold: true, color: { argb: r.signOff ? 'FF1B5E20' : 'FF8A4B00' } };
  s.addRow([]);
  for (const line of summarySentences(r)) {
    const row = s.addRow([line]);
    s.mergeCells(row.number, 1, row.number, 3);
    row.alignment = { wrapText: true, vertical: 'top' };
    row.height = 30;
  }
  s.addRow([]);
  header(s.addRow(['Count', 'Indicators']));
  const c = r.counts;
  const counts: [string, number, string?][] = [
    ['Indicators', c.indicators],
    ['Reported this quarter', c.reported],
    ['Reported annually', c.annual],
    ['No value yet', c.missing],
    ['Discontinued', c.discontinued],
    ['Green', c.green, 'green'],
    ['Amber', c.amber, 'amber'],
    ['Red', c.red, 'red'],
    ['No target', c.noTarget, 'no_target'],
    ['↑ Improved', c.improving],
    ['↔ Same', c.maintained],
    ['↓ Worsened', c.declining],
    ['Not comparable', c.notComparable],
    ['Exception reports included', c.exceptionsAttached],
    ['Exception reports due', c.exceptionsOwed],
    ['Exception reports needing an update', c.exceptionsNeedingUpdate],
    ...(r.snapshot ? ([['Changed after sign-off', r.afterSignOff.length]] as [string, number][]) : []),
  ];
  for (const [label, n, rag] of counts) {
    const row = s.addRow([label, n]);
    if (rag) row.getCell(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: FILL[rag]! } };
    if (rag && rag !== 'no_target') row.getCell(1).font = { color: { argb: 'FFFFFFFF' }, bold: true };
  }
  s.addRow([]);
  header(s.addRow(['Key', 'Meaning']));
  for (const k of keyLines(r)) {
    const row = s.addRow([k.symbol, k.meaning]);
    s.mergeCells(row.number, 2, row.number, 3);
  }

  // Indicators: one table, a row per indicator.
  const later = laterYears(r.themes.flatMap((x) => x.rows));
  const t = tableSheet(wb, 'Indicators', [
    { header: 'Theme', key: 'theme', width: 30 },
    { header: 'Ref', key: 'ref', width: 11 },
    { header: 'Short name', key: 'slug', width: 24 },
    { header: 'Definition', key: 'name', width: 50 },
    { header: 'Unit', key: 'unit', width: 8 },
    { header: 'Frequency', key: 'frequency', width: 11 },
    { header: `${comparisonHeading(r)} period`, key: 'prevPeriod', width: 13 },
    { header: comparisonHeading(r), key: 'prev', width: 11 },
    { header: 'Target', key: 'target', width: 12 },
    ...later.map((y) => ({ header: `Target ${y}`, key: `later ${y}`, width: 12 })),
    { header: 'Period', key: 'period', width: 12 },
    { header: 'Actual', key: 'actual', width: 11 },
    { header: 'Estimated', key: 'est', width: 10 },
    { header: 'Provisional', key: 'prov', width: 11 },
    { header: 'DoT', key: 'dot', width: 6 },
    { header: 'Status', key: 'status', width: 11 },
    { header: 'Exception report', key: 'er', width: 12 },
    ...(hasBenchmarks(r) ? [{ header: 'Compared with other councils', key: 'bench', width: 44 }] : []),
    { header: 'Explanation', key: 'why', width: 70 },
    { header: 'Notes', key: 'notes', width: 60 },
  ]);
  for (const theme of r.themes) {
    for (const row of theme.rows) {
      const ind = row.indicator;
      const st = statusKey(row);
      const target = row.evaluation.target.value;
      const x = t.addRow({
        theme: theme.name,
        ref: ind.ref ?? '',
        slug: ind.slug,
        name: ind.name,
        unit: ind.unit,
        frequency: ind.frequency.replace('_', ' '),
        prevPeriod: row.previous ? whenText(row.previous) : '',
        prev: row.previous?.value ?? null,
        target: target ?? targetText(row),
        ...Object.fromEntries(later.map((y) => [`later ${y}`, row.laterTargets?.find((l) => l.year === y)?.value ?? laterTargetText(row, y)])),
        period: formatPeriod(row.period),
        actual: row.current?.value ?? (row.state === 'annual' ? 'Reported annually' : 'No value yet'),
        est: row.current?.estimated ? 'yes' : '',
        prov: row.current?.provisional ? 'yes' : '',
        dot: directionText(row),
        status: STATUS_WORDS[st],
        er: row.exceptionAttached ? 'yes' : row.exceptionNeedsUpdate ? 'needs update' : row.exceptionOwed ? 'due' : '',
        ...(hasBenchmarks(r) ? { bench: row.benchmark ?? '' } : {}),
        why: row.state === 'reported' ? row.evaluation.explanation : '',
        notes: rowNotes(row).join(' '),
      });
      const fmt = numFmt(ind.unit, ind.decimals);
      for (const k of ['prev', 'target', 'actual', ...later.map((y) => `later ${y}`)]) if (typeof x.getCell(k).value === 'number') x.getCell(k).numFmt = fmt;
      if (st !== 'none') {
        const cellStatus = x.getCell('status');
        cellStatus.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: FILL[st]! } };
        cellStatus.font = { bold: true, color: { argb: st === 'no_target' ? 'FF333333' : 'FFFFFFFF' } };
      }
      if (row.current?.estimated) x.getCell('actual').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFECEFF1' } };
      x.alignment = { vertical: 'top', wrapText: true };
      x.getCell('dot').alignment = { horizontal: 'center', vertical: 'top' };
    }
  }
  t.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, t.rowCount), column: t.columnCount } };

  // Exception reports: a row per question.
  const e = tableSheet(wb, 'Exception reports', [
    { header: 'Theme', key: 'theme', width: 30 },
    { header: 'Indicator', key: 'indicator', width: 40 },
    { header: 'Period', key: 'period', width: 12 },
    { header: 'State', key: 'state', width: 14 },
    { header: 'Question', key: 'q', width: 40 },
    { header: 'Answer', key: 'a', width: 100 },
  ]);
  for (const { theme, row, report } of r.exceptionReports) {
    const notice = exceptionNotice(row, report);
    for (const note of [notice?.note, exceptionSinceSignOff(r, row)]) {
      if (note) e.addRow({ theme, indicator: row.indicator.name, period: report.periodKey, state: notice?.state ?? report.state, q: '', a: note }).font = { bold: true, color: { argb: 'FF8A4B00' } };
    }
    report.questions.forEach((q, k) => {
      const x = e.addRow({ theme, indicator: row.indicator.name, period: report.periodKey, state: notice?.state ?? report.state, q, a: report.answers[k] ?? '' });
      x.alignment = { vertical: 'top', wrapText: true };
    });
  }

  // Changed after sign-off: apart from the report as signed off.
  if (r.snapshot) {
    const a = wb.addWorksheet(AFTER_SIGN_OFF_TITLE, { views: [{ state: 'frozen', ySplit: 2 }] });
    a.columns = [{ width: 24 }, { width: 12 }, { width: 16 }, { width: 18 }, { width: 18 }, { width: 18 }, { width: 22 }, { width: 60 }];
    const intro = a.addRow([afterSignOffIntro(r)]);
    a.mergeCells(intro.number, 1, intro.number, AFTER_SIGN_OFF_HEAD.length);
    intro.alignment = { wrapText: true, vertical: 'top' };
    intro.height = 30;
    header(a.addRow(AFTER_SIGN_OFF_HEAD));
    for (const row of afterSignOffRows(r)) a.addRow(row).alignment = { vertical: 'top', wrapText: true };
  }
  if (r.actions) actionsSheet(wb, r.actions);
  if (r.risks) risksSheet(wb, r.risks);
  if (r.commentary && (r.commentary.overall || r.commentary.themes.length)) commentarySheet(wb, r.commentary);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const CATEGORY_FILL: Record<PlanCategory, string> = {
  delivered: FILL.green!,
  on_target: FILL.green!,
  scheduled_future: FILL.no_target!,
  rephased_under_3_months: FILL.amber!,
  rephased_over_3_months: FILL.red!,
  no_longer_viable: FILL.red!,
  off_track: FILL.red!,
};

/** Actions and milestones: one filterable row each, progress filled as the report colours it, and the summary counts above. */
/** The risk register as at the quarter's end: every risk, highest score first per theme, filled in its band's colour. */
function risksSheet(wb: ExcelJS.Workbook, k: ReportRisks): void {
  const x = tableSheet(wb, RISKS_TITLE, [
    { header: 'Theme', key: 'theme', width: 30 },
    { header: 'Ref', key: 'ref', width: 10 },
    { header: 'Risk', key: 'title', width: 50 },
    { header: 'Owner', key: 'owner', width: 20 },
    { header: 'Likelihood', key: 'likelihood', width: 11 },
    { header: 'Impact', key: 'impact', width: 9 },
    { header: 'Score', key: 'score', width: 8 },
    { header: 'Band', key: 'band', width: 12 },
    { header: 'Trend', key: 'trend', width: 12 },
    { header: 'Above appetite', key: 'above', width: 14 },
    { header: 'Target', key: 'target', width: 20 },
    { header: 'Mitigating actions', key: 'actions', width: 50 },
    { header: 'Reviewed', key: 'reviewed', width: 12 },
    { header: 'Commentary', key: 'commentary', width: 70 },
  ]);
  const colour = new Map(k.heatMap.bands.map((b) => [b.label, b.colour.slice(1).toUpperCase()]));
  for (const t of k.themes) {
    for (const r of t.risks) {
      const row = x.addRow({
        theme: t.name,
        ref: r.ref,
        title: r.title,
        owner: r.owner ?? '',
        likelihood: r.current?.likelihood ?? null,
        impact: r.current?.impact ?? null,
        score: r.score,
        band: r.band ?? '',
        trend: r.trend ?? '',
        above: r.aboveAppetite ? 'Yes' : 'No',
        target: r.targetText,
        actions: r.actions.join('; '),
        reviewed: r.reviewedOn ? day(r.reviewedOn) : 'not reviewed',
        commentary: r.commentary ?? '',
      });
      const fill = r.band ? colour.get(r.band) : undefined;
      if (fill) row.getCell('band').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${fill}` } };
      if (r.reviewedOn) row.getCell('reviewed').numFmt = 'dd/mm/yyyy';
    }
  }
}

function actionsSheet(wb: ExcelJS.Workbook, a: ReportActions): void {
  const x = tableSheet(wb, actionsTitle(a), [
    { header: 'Theme', key: 'theme', width: 30 },
    { header: 'Ref', key: 'ref', width: 12 },
    { header: 'Type', key: 'kind', width: 11 },
    { header: a.word === 'milestone' ? 'Milestone' : 'Action', key: 'title', width: 50 },
    { header: 'Owner', key: 'owner', width: 20 },
    { header: 'Due', key: 'due', width: 12 },
    { header: 'Original due', key: 'originalDue', width: 12 },
    { header: 'Re-phasing', key: 'rephasing', width: 22 },
    { header: 'Progress', key: 'progress', width: 28 },
    { header: 'Progress for', key: 'period', width: 12 },
    { header: 'Commentary', key: 'commentary', width: 80 },
  ]);
  for (const t of a.themes) {
    for (const act of t.actions) {
      const row = x.addRow({
        theme: t.name,
        ref: act.ref,
        kind: act.kind,
        title: act.title,
        owner: act.owner ?? '',
        due: day(act.due),
        originalDue: day(act.originalDue),
        rephasing: act.rephasing === 'none' ? '' : `${act.rephasing === 'over_3_months' ? 'Over' : 'Under'} 3 months${act.rephaseReason ? `: ${act.rephaseReason}` : ''}`,
        progress: progressText(act, a.style),
        period: act.progressPeriod ?? '',
        commentary: act.commentary ?? '',
      });
      row.alignment = { vertical: 'top', wrapText: true };
      for (const k of ['due', 'originalDue']) row.getCell(k).numFmt = 'dd mmm yyyy';
      const fill = a.style === 'colours' ? FILL[act.colour]! : CATEGORY_FILL[act.category];
      const cell = row.getCell('progress');
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
      if (fill !== FILL.no_target) cell.font = { color: { argb: 'FFFFFFFF' } };
    }
  }
  x.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, x.rowCount), column: x.columnCount } };
}

/** Commentary: one row per section — theme (or the whole report), heading, the text as printed, who wrote it and when. */
function commentarySheet(wb: ExcelJS.Workbook, c: ReportCommentary): void {
  const entries = [...(c.overall ? [c.overall] : []), ...c.themes];
  const x = tableSheet(wb, 'Commentary', [
    { header: 'Theme', key: 'theme', width: 30 },
    { header: 'Section', key: 'section', width: 28 },
    { header: 'Commentary', key: 'text', width: 100 },
    { header: 'Author', key: 'author', width: 22 },
    { header: 'Submitted', key: 'submitted', width: 12 },
  ]);
  for (const e of entries) {
    for (const s of printedSections(e, c.initials)) {
      const row = x.addRow({ theme: e.theme ?? 'Whole report', section: s.heading, text: s.paragraphs.join('\n'), author: e.author ?? '', submitted: day(e.submittedOn) });
      row.alignment = { vertical: 'top', wrapText: true };
      row.getCell('submitted').numFmt = 'dd mmm yyyy';
    }
  }
  for (const owed of c.owed) x.addRow({ theme: owed === 'the whole report' ? 'Whole report' : owed, section: '', text: 'No commentary submitted.', author: '', submitted: '' }).font = { italic: true, color: { argb: 'FF777777' } };
}
