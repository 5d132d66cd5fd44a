// The forecast back-test over a register's own history: every complete financial year with a
// year-end target, forecast from each month or quarter part-way through it, scored against the
// outturn and against the naive forecast (the latest figure carried on). `kpi forecast --backtest`
// prints it; bench/forecast.ts runs it on a generated register.
import { backtestCases, summariseBacktest, type BacktestCase, type BacktestSeries, type BacktestSummary } from '../domain/forecast.ts';
import type { IndicatorRecord, OrgSettings } from '../ports.ts';
import { evaluationInput, type ValueHistory } from './evaluation.ts';

export function backtestSeries(indicators: IndicatorRecord[], histories: ReadonlyMap<number, ValueHistory>, org: OrgSettings): BacktestSeries[] {
  return indicators.map((ind) => {
    const input = evaluationInput(ind, histories.get(ind.id) ?? { observations: [], targets: [] }, org);
    return { name: ind.slug, indicator: input.indicator, observations: input.observations, targets: input.targets };
  });
}

export function backtestRegister(indicators: IndicatorRecord[], histories: ReadonlyMap<number, ValueHistory>, org: OrgSettings): { cases: BacktestCase[]; summary: BacktestSummary } {
  const cases = backtestCases(backtestSeries(indicators, histories, org), { fyStartMonth: org.fyStartMonth, tolerance: org.tolerance });
  return { cases, summary: summariseBacktest(cases) };
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/** The summary as lines for a terminal: the forecast beside the naive one. */
export function backtestLines(s: BacktestSummary): string[] {
  if (!s.cases) {
    return ['No complete financial year with a year-end target in the history: nothing to back-test.', 'A back-test needs, per indicator, every month or quarter of at least one year and that year\'s target.'];
  }
  const rows: [string, string, string][] = [
    ['', 'forecast', 'naive (latest carried on)'],
    ['mean absolute % error of the year end', pct(s.mape), pct(s.naiveMape)],
    ['met / missed called right', pct(s.callsRight), pct(s.naiveCallsRight)],
    [`year-end misses called (of ${s.misses})`, pct(s.missesCalled), pct(s.naiveMissesCalled)],
  ];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length))) as [number, number, number];
  return [
    `Back-test: ${s.cases} forecasts of ${s.years} complete year(s) of ${s.indicators} indicator(s), from each period part-way through the year.`,
    `Methods used: run rate ${s.byMethod['run-rate']}, last year's seasonal profile ${s.byMethod.seasonal}, target profile ${s.byMethod.profile}, bounded trend ${s.byMethod.trend}.`,
    ...rows.map((r) => `  ${r[0].padEnd(w[0])}  ${r[1].padStart(w[1])}  ${r[2].padStart(w[2])}`),
  ];
}
