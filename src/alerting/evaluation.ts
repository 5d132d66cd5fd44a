// Alerting, stage 1 — evaluation: what each subject's state is now, read from the register. Indicators:
// status, direction, value, target and year-end forecast for their latest period. Actions: which of the
// alerting conditions hold today (overdue, re-phased by more than three months, off track). Risks: above
// the appetite, or risen into a higher band at the latest review. Pure: the
// job reads the rows and hands them in; nothing here records or sends.
import type { ActionRecord, IndicatorRecord, OrgSettings, RiskRecord } from '../ports.ts';
import { aboveAppetite, bandOf, rose, type RiskMatrix } from '../domain/risks.ts';
import { currentOf, scoreOf } from '../services/risks.ts';
import type { Evaluation } from '../domain/evaluate.ts';
import type { Forecast } from '../domain/forecast.ts';
import type { StatusPoint } from '../domain/monitor.ts';
import type { LocalDate } from '../domain/types.ts';
import { actionConditions, type ActionCondition } from '../domain/actions.ts';
import { periodFromKey } from '../domain/periods.ts';
import { evaluateIndicator, forecastIndicator, startedBy, type ValueHistory } from '../services/evaluation.ts';
import { benchmarkPeriods, quartileAt, type Benchmarks } from '../services/comparators.ts';

/** An indicator as evaluated for alerting: its latest period's evaluation and the point recorded for it. */
export interface IndicatorReading {
  ind: IndicatorRecord;
  history: ValueHistory;
  ev: Evaluation;
  forecast: Forecast | null;
  point: Required<StatusPoint>;
}

/** Every indicator that has a value, evaluated as of today (values for periods not yet begun are left out). */
export function readIndicators(indicators: IndicatorRecord[], histories: Map<number, ValueHistory>, org: OrgSettings, today: LocalDate): IndicatorReading[] {
  const out: IndicatorReading[] = [];
  for (const ind of indicators) {
    const history = startedBy(histories.get(ind.id) ?? { observations: [], targets: [] }, today, org.fyStartMonth);
    const ev = evaluateIndicator(ind, history, org);
    if (!ev.period) continue; // no value yet: nothing to record
    const forecast = forecastIndicator(ind, history, org);
    const point = { periodKey: ev.period.key, status: ev.status, direction: ev.direction, value: ev.value, target: ev.target.value, forecastMiss: forecast ? forecast.status !== 'green' : null };
    out.push({ ind, history, ev, forecast, point });
  }
  return out;
}

/** A subject told about by the conditions that hold for it (actions now; risks next): the state stage records these. */
export interface ConditionReading<S> {
  subject: S;
  subjectId: number;
  /** What holds now, in a fixed order; none: all is well. */
  conditions: string[];
  /** What the alert shows besides the conditions; a change in it while a condition holds edits the living alert. */
  detail: Record<string, string | number | null>;
}

export type ActionReading = ConditionReading<ActionRecord> & { conditions: ActionCondition[] };

/**
 * Each action's alerting conditions as of today (src/domain/actions.ts, actionConditions). An action due
 * before collection began (the first day of the collect-from period) is not alerted as overdue: that
 * was so before the bot was asked to watch.
 */
export function readActions(actions: ActionRecord[], org: OrgSettings, today: LocalDate): ActionReading[] {
  const collectedFrom = org.collectFrom ? periodFromKey(org.collectFrom, org.fyStartMonth).start : null;
  return actions.map((a): ActionReading => {
    const progress = a.latest?.progress ?? null;
    const conditions = actionConditions({ start: a.start, due: a.due, originalDue: a.originalDue, progress }, today).filter((c) => c !== 'overdue' || collectedFrom === null || a.due >= collectedFrom);
    const detail: ActionReading['detail'] = conditions.length ? { progress, due: a.due, update: a.latest?.id ?? null } : {};
    return { subject: a, subjectId: a.id, conditions, detail };
  });
}

/** A risk's alerting conditions: above the appetite (while it is), risen into a higher band at its latest review (until the next). */
export type RiskCondition = 'above_appetite' | 'rose_band';

export type RiskReading = ConditionReading<RiskRecord> & { conditions: RiskCondition[] };

/**
 * Each risk's alerting conditions as the register stands: its current score (the latest review, else
 * its inherent score) above the appetite, and its latest review having raised it into a higher band
 * than the review before. A new review while either holds changes the detail (the living post is edited).
 */
export function readRisks(risks: RiskRecord[], m: RiskMatrix): RiskReading[] {
  return risks.map((r): RiskReading => {
    const score = scoreOf(currentOf(r));
    const before = scoreOf(r.previous);
    const conditions: RiskCondition[] = [];
    if (score !== null && aboveAppetite(score, m)) conditions.push('above_appetite');
    if (score !== null && before !== null && r.latest && rose(before, score, m).intoBand) conditions.push('rose_band');
    const detail: RiskReading['detail'] = conditions.length && score !== null ? { score, band: bandOf(score, m.bands).label, review: r.latest?.id ?? null } : {};
    return { subject: r, subjectId: r.id, conditions, detail };
  });
}

/** An indicator's standing among its comparator group: `quartile_drop` while its latest comparator period's quartile is worse than the period before's. */
export type QuartileCondition = 'quartile_drop';

export type QuartileReading = ConditionReading<IndicatorRecord> & { conditions: QuartileCondition[] };

/**
 * Each indicator with comparator data for two periods: whether its quartile dropped from the one to the
 * next (latest first compared with the period before it that has data), with the words of both.
 */
export function readQuartiles(indicators: IndicatorRecord[], b: Benchmarks): QuartileReading[] {
  const out: QuartileReading[] = [];
  for (const ind of indicators) {
    const periods = benchmarkPeriods(b, ind.id).filter((p) => quartileAt(b, ind, p.key));
    const latest = periods.at(-1);
    const before = periods.at(-2);
    if (!latest) continue;
    const now = quartileAt(b, ind, latest.key)!;
    const was = before ? quartileAt(b, ind, before.key)! : null;
    const dropped = was !== null && now.quartile > was.quartile;
    out.push({
      subject: ind,
      subjectId: ind.id,
      conditions: dropped ? ['quartile_drop'] : [],
      detail: dropped ? { periodKey: latest.key, quartile: now.quartile, line: now.line, previousKey: before!.key, previousQuartile: was!.quartile, previousLine: was!.line } : {},
    });
  }
  return out;
}
