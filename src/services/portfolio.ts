// Evaluating a set of indicators at once (lists, "mine", App Home, digests): one history query for
// the lot, then the engine per indicator.
import type { Evaluation } from '../domain/evaluate.ts';
import { localDateOf } from '../domain/dates.ts';
import type { LocalDate } from '../domain/types.ts';
import type { ExceptionReportRecord, IndicatorFilter, IndicatorRecord, OrgSettings, Repository } from '../ports.ts';
import { dueState, evaluateIndicator, exceptionDue, needsExceptionReport, startedBy, type DueState, type IndicatorHistory } from './evaluation.ts';
import { STATUS_ORDER } from './labels.ts';

export interface IndicatorState {
  indicator: IndicatorRecord;
  history: IndicatorHistory;
  evaluation: Evaluation;
  due: DueState;
  /** The exception report for the evaluated period, if one has been started. */
  exception: ExceptionReportRecord | null;
  /** Red (or amber where the organisation asks), no submitted or approved report for the period, and the period's value due (src/services/evaluation.ts exceptionDue). */
  exceptionOwed: boolean;
}

export interface Portfolio {
  org: OrgSettings;
  today: LocalDate;
  states: IndicatorState[];
}

export async function loadPortfolio(repo: Repository, now: Date, filter?: IndicatorFilter): Promise<Portfolio> {
  const org = await repo.org();
  const today = localDateOf(now, org.timeZone);
  const indicators = await repo.indicators(filter);
  const ids = indicators.map((i) => i.id);
  const [histories, reports, marks] = await Promise.all([
    repo.histories(ids),
    ids.length ? repo.exceptionReports({ indicatorIds: ids }) : Promise.resolve([]),
    ids.length ? repo.notCollected({ indicatorIds: ids }) : Promise.resolve([]),
  ]);
  const states = indicators.map((indicator) => {
    const history = startedBy(histories.get(indicator.id) ?? { observations: [], targets: [] }, today, org.fyStartMonth);
    const evaluation = evaluateIndicator(indicator, history, org);
    const exception = evaluation.period ? (reports.find((r) => r.indicatorId === indicator.id && r.periodKey === evaluation.period!.key) ?? null) : null;
    return {
      indicator,
      history,
      evaluation,
      due: dueState(indicator, history, today, org, marks),
      exception,
      exceptionOwed:
        evaluation.period !== null &&
        needsExceptionReport(evaluation.status, org) &&
        exceptionDue(indicator, evaluation.period, today, org) &&
        !(exception && (exception.state === 'submitted' || exception.state === 'approved')),
    };
  });
  return { org, today, states };
}

/** Worst status first, then by theme and slug. */
export function byStatus(a: IndicatorState, b: IndicatorState): number {
  return (
    STATUS_ORDER.indexOf(a.evaluation.status) - STATUS_ORDER.indexOf(b.evaluation.status) ||
    (a.indicator.themeName ?? '').localeCompare(b.indicator.themeName ?? '') ||
    a.indicator.slug.localeCompare(b.indicator.slug)
  );
}
