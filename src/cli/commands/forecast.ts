// `kpi forecast [--backtest]`: the year-end forecast of every indicator with an annual target, or
// (--backtest) how the forecast would have done on the register's own history against the naive
// last-value forecast.
import type { Command } from 'commander';
import { formatPeriod } from '../../domain/periods.ts';
import { backtestLines, backtestRegister } from '../../services/backtest.ts';
import { forecastIndicator } from '../../services/evaluation.ts';
import { forecastIcon } from '../../services/labels.ts';
import { withDatabase } from '../context.ts';

export function addForecastCommand(program: Command): void {
  program
    .command('forecast')
    .description('year-end forecasts for indicators with an annual target; --backtest scores the method on history')
    .option('--backtest', 'forecast every complete year of history from each period part-way through it; print the accuracy beside a naive last-value forecast')
    .option('--cases', 'with --backtest: print every forecast scored (indicator, year, as of, forecast, naive, outturn)')
    .action(async (opts: { backtest?: boolean; cases?: boolean }) => {
      await withDatabase(async ({ repo }) => {
        const [org, indicators] = await Promise.all([repo.org(), repo.indicators({ activeOnly: true })]);
        const histories = await repo.histories(indicators.map((i) => i.id));
        if (opts.backtest) {
          const { cases, summary } = backtestRegister(indicators, histories, org);
          const lines = backtestLines(summary);
          if (opts.cases) {
            lines.push('', 'indicator\tyear\tas of\tmethod\tforecast\tnaive\toutturn\ttarget\tmissed');
            for (const c of cases) lines.push([c.name, c.year.key, c.asOf.key, c.method, round(c.forecast), round(c.naive), round(c.actual), round(c.target), c.missed ? 'yes' : 'no'].join('\t'));
          }
          process.stdout.write(lines.join('\n') + '\n');
          return;
        }
        const lines: string[] = [];
        for (const ind of indicators) {
          const f = forecastIndicator(ind, histories.get(ind.id) ?? { observations: [], targets: [] }, org);
          if (f) lines.push(`${forecastIcon(f.status)} ${ind.slug} — ${formatPeriod(f.year)}: ${f.sentence} (${f.basis})`);
        }
        process.stdout.write((lines.length ? lines : ['No indicator has both an annual target for its current year and a value part-way through it.']).join('\n') + '\n');
      });
    });
}

const round = (x: number) => String(Number(x.toPrecision(6)));
