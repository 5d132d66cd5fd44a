// Evaluating a set of indicators at once (lists, "mine", App Home, digests): one history query for
// the lot, then the engine per indicator.
import type { Evaluation } from '../domain/evaluate.ts';
import { localDateOf } from '../domain/dates.ts';
import type { LocalDate, Period } from '../domain/types.ts';
import { periodFromKey } from '../domain/periods.ts';
import type { ExceptionReportRecord, IndicatorFilter, IndicatorRecord, OrgSettings, Repository } from '../ports.ts';
import { dueState, evaluateIndicator, exceptionDue, needsExceptionReport, startedBy, type DueState, type IndicatorHistory } from './evaluation.ts';
import { STATUS_ORDER } from './labels.ts';
import { reportStands } from './exception-states.ts';
import { loadBenchmarks, withBenchmark, type Benchmarks } from './comparators.ts';

export interface IndicatorState {
  indicator: IndicatorRecord;
  history: IndicatorHistory;
  evaluation: Evaluation;
  due: DueState;
  /**
   * The period an exception report is asked about, with its evaluation: the evaluated period once its
   * value is due, else the latest earlier one whose value is (a value typed early for a quarter still
   * running asks for no report yet); null when none is. Periods before go-live are never asked about.
   */
  exceptionFor: { period: Period; evaluation: Evaluation } | null;
  /** The exception report for that period (else the evaluated period), if one has been started. */
  exception: ExceptionReportRecord | null;
  /** Red (or amber where the organisation asks), the period's value due (src/services/evaluation.ts exceptionDue), and no submitted report, nor one approved for the value the period still has. */
  exceptionOwed: boolean;
}

export interface Portfolio {
  org: OrgSettings;
  today: LocalDate;
  states: IndicatorState[];
  /** Other councils' values for these indicators, and the comparator groups. */
  benchmarks: Benchmarks;
}

export async function loadPortfolio(repo: Repository, now: Date, filter?: IndicatorFilter): Promise<Portfolio> {
  const org = await repo.org();
  const today = localDateOf(now, org.timeZone);
  const indicators = await repo.indicators(filter);
  const ids = indicators.map((i) => i.id);
  const [histories, reports, marks, benchmarks] = await Promise.all([
    repo.histories(ids),
    ids.length ? repo.exceptionReports({ indicatorIds: ids }) : Promise.resolve([]),
    ids.length ? repo.notCollected({ indicatorIds: ids }) : Promise.resolve([]),
    loadBenchmarks(repo, org, ids),
  ]);
  const states = indicators.map((indicator) => {
    const history = withBenchmark(benchmarks, indicator, startedBy(histories.get(indicator.id) ?? { observations: [], targets: [] }, today, org.fyStartMonth));
    const evaluation = evaluateIndicator(indicator, history, org);
    const exceptionFor = exceptionPeriod(indicator, history, evaluation, today, org);
    const period = exceptionFor?.period ?? evaluation.period;
    const exception = period ? (reports.find((r) => r.indicatorId === indicator.id && r.periodKey === period.key) ?? null) : null;
    const value = period ? (history.observations.find((o) => o.periodKey === period.key)?.value ?? null) : null;
    return {
      indicator,
      history,
      evaluation,
      due: dueState(indicator, history, today, org, marks),
      exceptionFor,
      exception,
      exceptionOwed: exceptionFor !== null && needsExceptionReport(exceptionFor.evaluation.status, org) && !reportStands(exception, { value, status: exceptionFor.evaluation.status }),
    };
  });
  return { org, today, states, benchmarks };
}

/** The period an exception report is asked about: see IndicatorState.exceptionFor. */
function exceptionPeriod(ind: IndicatorRecord, h: IndicatorHistory, evaluation: Evaluation, today: LocalDate, org: OrgSettings): IndicatorState['exceptionFor'] {
  const p = evaluation.period;
  if (!p) return null;
  if (exceptionDue(ind, p, today, org)) return { period: p, evaluation };
  const earlier = h.observations
    .map((o) => periodFromKey(o.periodKey, org.fyStartMonth))
    .filter((x) => x.kind === p.kind && x.end < p.start && exceptionDue(ind, x, today, org))
    .sort((a, b) => (a.start < b.start ? 1 : -1))[0];
  return earlier ? { period: earlier, evaluation: evaluateIndicator(ind, h, org, earlier) } : null;
}

/** Worst status first, then by theme and slug. */
export function byStatus(a: IndicatorState, b: IndicatorState): number {
  return (
    STATUS_ORDER.indexOf(a.evaluation.status) - STATUS_ORDER.indexOf(b.evaluation.status) ||
    (a.indicator.themeName ?? '').localeCompare(b.indicator.themeName ?? '') ||
    a.indicator.slug.localeCompare(b.indicator.slug)
  );
}
