// One entry point for every format of the quarterly report: the charts are drawn by the
// ChartRenderer port, the PDF printed by the DocumentRenderer port (headless Chromium).
import type { ChartRenderer } from '../charts/spec.ts';
import type { DocumentRenderer } from '../ports.ts';
import type { QuarterReport } from './model.ts';
import { reportHtml } from './html.ts';
import { reportMarkdown } from './markdown.ts';
import { reportXlsx } from './xlsx.ts';
import { reportCharts, reportFileName } from './text.ts';
import { riskHeatMaps } from './risks.ts';

export const REPORT_FORMATS = ['pdf', 'html', 'xlsx', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_MIME: Record<ReportFormat, string> = {
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  md: 'text/markdown; charset=utf-8',
};

export function isReportFormat(s: string): s is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(s);
}

export interface RenderedReport {
  filename: string;
  mimeType: string;
  bytes: Uint8Array;
}

export async function renderReport(r: QuarterReport, format: ReportFormat, deps: { charts: ChartRenderer; documents: DocumentRenderer }): Promise<RenderedReport> {
  const filename = reportFileName(r, format);
  const mimeType = REPORT_MIME[format];
  switch (format) {
    case 'md':
      return { filename, mimeType, bytes: new TextEncoder().encode(reportMarkdown(r)) };
    case 'xlsx':
      return { filename, mimeType, bytes: await reportXlsx(r) };
    case 'html':
    case 'pdf': {
      const charts = [];
      for (const spec of reportCharts(r)) charts.push(await deps.charts.render(spec));
      const riskMaps = [];
      if (r.risks) for (const spec of riskHeatMaps(r.risks)) riskMaps.push(await deps.charts.render(spec));
      const html = reportHtml(r, charts, riskMaps);
      if (format === 'html') return { filename, mimeType, bytes: new TextEncoder().encode(html) };
      const footer = `${r.organisation} — Performance Report ${r.quarter.key}${r.signOff ? '' : ' (not signed off)'}`;
      return { filename, mimeType, bytes: await deps.documents.pdf(html, { footer }) };
    }
  }
}
