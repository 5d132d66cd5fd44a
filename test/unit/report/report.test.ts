// The quarterly report's content without a database: which period each kind of indicator reports
// in a quarter, previous values, exception-report ticks, counts and the words, and safe HTML.
import { describe, expect, it } from 'vitest';
import { periodFromKey } from '../../../src/domain/periods.ts';
import { countRows, directionKey, reportRow, reportingPeriod, type QuarterReport, type ReportRow } from '../../../src/report/model.ts';
import { actualText, comparisonHeading, exceptionText, keyLines, quarterTitle, reportFileName, summarySentences, targetText, valueText } from '../../../src/report/text.ts';
import type { OrgSettings } from '../../../src/ports.ts';
import { paragraphs, reportHtml } from '../../../src/report/html.ts';
import { reportMarkdown } from '../../../src/report/markdown.ts';
import type { ExceptionReportRecord } from '../../../src/ports.ts';
import { history, indicator, org } from '../../support/builders.ts';

const Q3 = periodFromKey('2017/18 Q3');

const er = (indicatorId: number, periodKey: string, state: ExceptionReportRecord['state']): ExceptionReportRecord => ({
  id: 1, indicatorId, periodKey, questions: ['Why?'], answers: ['Because <b>staff</b> left.\n• one\n• two'], state, authorId: null, reviewerId: null,
  reviewComment: null, submittedAt: null, reviewedAt: null, chaseCount: 0, version: 1, lastChasedAt: null, updatedAt: new Date(0), approvedValue: null, approvedStatus: null,
});

describe('the period an indicator reports in a quarter', () => {
  it('is the quarter, the latest month of it with a value, the financial year, or the last academic or calendar year ended', () => {
    const h = history(1, [['2017-11', 5]]);
    expect(reportingPeriod(indicator({ frequency: 'quarterly' }), Q3, h, 4).key).toBe('2017/18 Q3');
    expect(reportingPeriod(indicator({ frequency: 'monthly' }), Q3, h, 4).key).toBe('2017-11');
    expect(reportingPeriod(indicator({ frequency: 'monthly' }), Q3, history(1, []), 4).key).toBe('2017-12');
    expect(reportingPeriod(indicator({ frequency: 'annual' }), Q3, h, 4).key).toBe('2017/18');
    expect(reportingPeriod(indicator({ frequency: 'academic_year' }), Q3, h, 4).key).toBe('AY 2016/17');
    expect(reportingPeriod(indicator({ frequency: 'academic_year' }), periodFromKey('2017/18 Q1'), h, 4).key).toBe('AY 2015/16');
    expect(reportingPeriod(indicator({ frequency: 'calendar_year' }), Q3, h, 4).key).toBe('2017');
    expect(reportingPeriod(indicator({ frequency: 'calendar_year' }), periodFromKey('2017/18 Q2'), h, 4).key).toBe('2016');
  });
});

describe('a report row', () => {
  const sickness = indicator({ id: 7, slug: 'sickness-absence', name: 'Sickness absence', unit: 'days', polarity: 'lower', decimals: 2 });
  const h = history(7, [['2017/18 Q2', 10.18], ['2017/18 Q3', 10.49]], [['2017/18 Q3', 8.5]]);
  h.observations[1]!.estimated = true;

  it('has the status, direction, previous and current values with their markers', () => {
    const row = reportRow(sickness, h, Q3, org(), []);
    expect(row.state).toBe('reported');
    expect([row.evaluation.status, row.evaluation.direction]).toEqual(['red', 'declining']);
    expect(valueText(row.previous, row, true)).toBe('10.18 days (2017/18 Q2)');
    expect(actualText(row)).toBe('10.49 days (est)');
    expect(targetText(row)).toBe('8.5 days');
    expect(row.exceptionOwed).toBe(true);
    expect(exceptionText(row)).toBe('Due');
  });

  it('ticks the exception report only once it is submitted or approved', () => {
    expect(exceptionText(reportRow(sickness, h, Q3, org(), [er(7, '2017/18 Q3', 'draft')]))).toBe('Due');
    expect(exceptionText(reportRow(sickness, h, Q3, org(), [er(7, '2017/18 Q3', 'submitted')]))).toBe('✓');
    expect(exceptionText(reportRow(sickness, h, Q3, org({ exceptionForAmber: false }), [er(7, '2017/18 Q2', 'approved')]))).toBe('Due');
  });

  it('gives the year to date beside the quarter’s value of a cumulative count', () => {
    const vols = indicator({ id: 9, unit: 'number', decimals: 0, aggregation: 'cumulative' });
    const row = reportRow(vols, history(9, [['2017/18 Q2', 38], ['2017/18 Q3', 51]], [['2017/18', 150]]), Q3, org(), []);
    expect(actualText(row)).toBe('51 (89 year to date)');
    expect(targetText(row)).toBe('113 (pro rata)');
  });

  it('says "Reported annually" or "No value yet" rather than inventing a status', () => {
    const annual = reportRow(indicator({ frequency: 'annual' }), history(1, [['2016/17', 80]], [['2017/18', 85]]), Q3, org(), []);
    expect([annual.state, actualText(annual), annual.evaluation.status]).toEqual(['annual', 'Reported annually', 'in_measurement']);
    const missing = reportRow(indicator({ frequency: 'quarterly' }), history(1, [['2017/18 Q2', 80]]), Q3, org({ latestAvailable: false }), []);
    expect([missing.state, actualText(missing), missing.exceptionOwed]).toEqual(['missing', 'No value yet', false]);
    const nothingThisYear = reportRow(indicator({ frequency: 'quarterly' }), history(1, [['2016/17 Q4', 80]]), Q3, org(), []);
    expect([nothingThisYear.state, actualText(nothingThisYear), nothingThisYear.evaluation.status]).toEqual(['missing', 'No value yet', 'in_measurement']);
  });

  it('reports the latest value of the year, marked with its period, when the quarter\'s is not in yet', () => {
    const row = reportRow(indicator({ id: 1, frequency: 'quarterly', polarity: 'higher', unit: '%' }), history(1, [['2017/18 Q1', 70], ['2017/18 Q2', 80]], [['2017/18', 85]]), Q3, org(), [er(1, '2017/18 Q2', 'approved')]);
    expect([row.state, actualText(row), row.evaluation.status, row.evaluation.latestAvailable?.key]).toEqual(['reported', '80% (2017/18 Q2)', 'amber', '2017/18 Q2']);
    expect(row.evaluation.explanation).toContain('80% at Q2 (Q3 not yet in)');
    // The stand-in period's exception report is the row's: none is owed again for Q3.
    expect([row.exception?.periodKey, row.exceptionOwed]).toEqual(['2017/18 Q2', false]);
  });
});

describe('counts, words and files', () => {
  const rows = [
    reportRow(indicator({ id: 1, polarity: 'higher' }), history(1, [['2017/18 Q2', 80], ['2017/18 Q3', 90]], [['2017/18 Q3', 85]]), Q3, org(), []),
    reportRow(indicator({ id: 2, polarity: 'higher' }), history(2, [['2017/18 Q3', 70]], [['2017/18 Q3', 85]]), Q3, org(), [er(2, '2017/18 Q3', 'approved')]),
    reportRow(indicator({ id: 3, polarity: 'higher' }), history(3, [['2017/18 Q3', 70]]), Q3, org(), []),
    reportRow(indicator({ id: 4, frequency: 'annual' }), history(4, []), Q3, org(), []),
  ];
  rows[0]!.current!.provisional = true;
  const counts = countRows(rows, 1);
  const report: QuarterReport = {
    organisation: 'Example <Borough> Council', quarter: Q3, themeFilter: null, generatedAt: new Date('2018-02-05T09:00:00Z'), signOff: null, snapshot: null, afterSignOff: [],
    tolerance: { kind: 'relative', value: 10 }, exceptionForAmber: true, direction: directionKey(rows, org()), themes: [{ name: 'Theme & more', rows }], counts,
    exceptionReports: [{ theme: 'Theme & more', row: rows[1]!, report: er(2, '2017/18 Q3', 'approved') }],
  };

  it('counts statuses and directions among the indicators reported', () => {
    expect(counts).toMatchObject({ indicators: 4, reported: 3, annual: 1, missing: 0, discontinued: 1, green: 1, red: 1, noTarget: 1, improving: 1, notComparable: 2, provisional: 1, exceptionsAttached: 1 });
  });

  it('writes the summary the way councils do', () => {
    expect(quarterTitle(Q3)).toBe('Quarter 3 2017/18 (October to December 2017)');
    expect(summarySentences(report)).toEqual([
      'The register has 4 indicators: 3 have been reported in 2017/18 Q3 and 1 is reported annually. 1 indicator has been discontinued.',
      'There is 1 Green indicator (on target), 0 Amber and 1 Red. 1 indicator has no target, and therefore no RAG status.',
      '1 has improved since the previous period, 0 stayed the same and 0 worsened; 2 have no earlier value to compare with.',
      '1 exception report is included (section 4).',
      '1 value is provisional, subject to verification (*).',
    ]);
    expect(reportFileName(report, 'pdf')).toBe('example-borough-council-performance-report-2017-18-q3.pdf');
  });

  it('escapes what people typed, in HTML and in Markdown tables', () => {
    const html = reportHtml(report, []);
    expect(html).toContain('Example &lt;Borough&gt; Council');
    expect(html).toContain('<p>Because &lt;b&gt;staff&lt;/b&gt; left.</p>\n<ul><li>one</li><li>two</li></ul>');
    expect(html).not.toContain('<b>staff</b>');
    expect(paragraphs('a\n\n- x\n- y\nb')).toBe('<p>a</p>\n<ul><li>x</li><li>y</li></ul>\n<p>b</p>');
    const pipes = reportMarkdown({ ...report, themes: [{ name: 'A | B', rows }] });
    expect(pipes).toContain('### 3.1 A | B');
    expect(pipes).toContain('| A \\| B | 3 |');
  });
});

describe('the performance key states the basis of direction of travel', () => {
  const quarterly = (id: number, over: Parameters<typeof indicator>[0] = {}) =>
    indicator({ id, polarity: 'higher', baseline: { value: 83.1, period: '2016/17', text: '83.1%' }, ...over });
  const values = (id: number) => history(id, [['2017/18 Q2', 87.5], ['2017/18 Q3', 83.8]], [['2017/18 Q3', 85]]);
  const reportOf = (rows: ReportRow[], o: OrgSettings): QuarterReport => ({
    organisation: 'Council', quarter: Q3, themeFilter: null, generatedAt: new Date('2018-02-05T09:00:00Z'), signOff: null, snapshot: null, afterSignOff: [], tolerance: o.tolerance,
    exceptionForAmber: true, direction: directionKey(rows, o), themes: [{ name: 'Theme', rows }], counts: countRows(rows, 0), exceptionReports: [],
  });
  const meaning = (r: QuarterReport, symbol: string) => keyLines(r).find((k) => k.symbol === symbol)?.meaning;

  it('says "compared with the baseline" when the organisation compares with the baseline, and shows the baseline', () => {
    const o = org({ dotBasis: 'baseline', maintainedBand: { kind: 'relative', percent: 2 } });
    const row = reportRow(quarterly(21), values(21), Q3, o, []);
    expect(row.evaluation.explanation).toBe('Amber: 83.8% against a target of 85% (amber down to 76.5%); maintained at 83.8% (baseline 83.1% in 2016/17, within 2%).');
    expect(valueText(row.previous, row, true)).toBe('83.1% (2016/17)');
    const r = reportOf([row], o);
    expect(meaning(r, '↑')).toBe('Performance has improved compared with the baseline');
    expect(meaning(r, '↔')).toBe('Performance is the same as the baseline (within 2%)');
    expect(meaning(r, '↓')).toBe('Performance has worsened compared with the baseline');
    expect(comparisonHeading(r)).toBe('Baseline');
    expect(summarySentences(r)[2]).toBe('0 have improved compared with the baseline, 1 stayed the same and 0 worsened.');
    expect(reportMarkdown(r)).toContain('| Ref | Definition | Baseline | Target |');
  });

  it('names the exceptions when indicators use different bases, and the like-for-like rule for counts', () => {
    const o = org();
    const rows = [
      reportRow(quarterly(31), values(31), Q3, o, []),
      reportRow(quarterly(32, { dotBasis: 'baseline', maintainedBand: { kind: 'relative', percent: 1 } }), values(32), Q3, o, []),
      reportRow(quarterly(33, { dotBasis: 'same_last_year', aggregation: 'cumulative', unit: 'number' }), values(33), Q3, o, []),
    ];
    const r = reportOf(rows, o);
    expect(meaning(r, '↑')).toBe('Performance has improved compared with the previous period (the baseline for 1 indicator, the same period last year for 1 indicator)');
    expect(meaning(r, '↔')).toBe('Performance is the same as the previous period (the baseline for 1 indicator, the same period last year for 1 indicator) (equal at the printed precision unless the indicator sets its own band)');
    expect(meaning(r, '↑ ↔ ↓')).toContain('compared as the year to date: with the same point last year, or else the baseline pro rata');
    expect(comparisonHeading(r)).toBe('Compared with');
    // The second sets its own 1% band (83.8% against 83.1% is maintained); the third has no Q1, so no year to date.
    expect(rows.map((x) => x.evaluation.direction)).toEqual(['declining', 'maintained', null]);
    expect(rows[2]!.evaluation.directionNote).toBe('the year to date is incomplete: some quarters of 2017/18 up to Q3 have no value');
  });

  it('keeps the published wording for the previous period', () => {
    const o = org();
    const r = reportOf([reportRow(quarterly(41), values(41), Q3, o, [])], o);
    expect(meaning(r, '↔')).toBe('Performance is the same as the previous period (equal at the printed precision)');
    expect(comparisonHeading(r)).toBe('Previous');
    expect(meaning(r, '↑ ↔ ↓')).toBeUndefined();
  });
});
