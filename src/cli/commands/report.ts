// `kpi report --period "2017/18 Q3" --format pdf|html|xlsx|md [--theme …] [--out PATH]`: the quarterly
// performance report as councils publish it, written to a file.
import type { Command } from 'commander';
import { UserError } from '../../errors.ts';
import { localDateOf } from '../../domain/dates.ts';
import { readQuarter } from '../../services/quarters.ts';
import { createChartRenderer } from '../../charts/render.ts';
import { findTheme } from '../../report/model.ts';
import { quarterReport } from '../../report/snapshot.ts';
import { createPdfRenderer } from '../../report/pdf.ts';
import { REPORT_FORMATS, isReportFormat, renderReport } from '../../report/render.ts';
import { commandClock, withDatabase } from '../context.ts';
import { FORCE_HELP, OUT_HELP, outputTarget, writeOutput } from '../output.ts';
import { reportFileName } from '../../report/text.ts';

export function addReportCommand(program: Command): void {
  program
    .command('report')
    .description('the quarterly performance report (summary counts, charts, a table per theme, exception reports); a signed-off quarter as it was signed off, with what was entered since listed apart')
    .requiredOption('--period <quarter>', 'the quarter, e.g. "2017/18 Q3" (or "last quarter")')
    .option('--format <format>', REPORT_FORMATS.join(' | '), 'pdf')
    .option('--theme <theme>', 'only this theme (its short name or part of its name)')
    .option('--out <path>', OUT_HELP('report', 'KPI_OUT_DIR/<council>-performance-report-<quarter>.<format>'))
    .option('--force', FORCE_HELP)
    .option('--now <time>', 'as of this time (default: now, on the organisation\'s own date where it has one, as in chat): "last quarter" and the date printed on the report')
    .action(async (opts: { period: string; format: string; theme?: string; out?: string; force?: boolean; now?: string }) => {
      const format = opts.format.toLowerCase().replace(/^markdown$/, 'md').replace(/^excel$/, 'xlsx');
      if (!isReportFormat(format)) throw new UserError(`--format ${opts.format} is not one of ${REPORT_FORMATS.join(', ')}.`);
      await withDatabase(async ({ config, repo }) => {
        const now = (await commandClock(repo, opts.now)).now();
        const org = await repo.org();
        const q = readQuarter(opts.period, localDateOf(now, org.timeZone), org.fyStartMonth);
        if (!q.ok) throw new UserError(`--period: ${q.error}`);
        let themeId: number | undefined;
        if (opts.theme) {
          const themes = await repo.themes();
          const t = findTheme(themes, opts.theme);
          if (Array.isArray(t)) throw new UserError(`--theme "${opts.theme}" ${t.length ? 'matches several themes' : 'matches no theme'}: ${(t.length ? t : themes).map((x) => x.slug).join(', ')}.`);
          themeId = t.id;
        }
        const t0 = performance.now();
        const model = await quarterReport(repo, q.value.key, now, themeId !== undefined ? { themeId } : {});
        // Where it goes is settled before the report is drawn: a file to keep is refused at once.
        const target = await outputTarget(reportFileName(model, format), config.outDir, opts);
        const rendered = await renderReport(model, format, { charts: createChartRenderer(), documents: createPdfRenderer({ executablePath: config.chromiumPath }) });
        const written = await writeOutput(target, rendered.bytes);
        const c = model.counts;
        process.stderr.write(
          `${model.quarter.key}${model.themeFilter ? ` (${model.themeFilter})` : ''}: ${c.indicators} indicators, ${c.reported} reported — ${c.green} green, ${c.amber} amber, ${c.red} red, ${c.noTarget} no target; ` +
            `${c.improving} improved, ${c.maintained} same, ${c.declining} worsened; ${model.signOff ? 'signed off' : 'not signed off'}. ${format.toUpperCase()} in ${Math.round(performance.now() - t0)} ms${written.replaced ? '; replaced the earlier file' : ''}.\n`,
        );
        console.log(written.path);
      });
    });
}
