// Incremental evaluation: which indicators evaluate-statuses looks at. An indicator's status and
// direction follow from its values, its targets, its own settings and the organisation's settings,
// and what is due from the date: so a run evaluates only the indicators the database recorded as
// changed since the last run (triggers on observation, target and indicator: whatever wrote the
// change), those whose latest due period moved since (a period rolled over or fell due), and those
// with a value for a period that has begun since (the evaluation leaves out values for periods not
// yet begun: src/services/evaluation.ts startedBy).
// Everything is evaluated on the first run, when the organisation's settings changed, when asked
// (`kpi job evaluate-statuses --full`) and once a day (the first run a day after the last full
// one), so nothing a rule here missed stays missed for long. A run that fails records nothing:
// the next one sees the same changes.
import { localDateOf } from '../domain/dates.ts';
import { latestDuePeriod } from '../domain/periods.ts';
import type { LocalDate } from '../domain/types.ts';
import type { Cadence, EvaluationState, OrgSettings, Repository } from '../ports.ts';

/** A full evaluation at least this often. */
export const FULL_EVERY_MS = 24 * 3600_000;

export type EvaluationScope = 'full: first run' | 'full: asked' | 'full: settings changed' | 'full: daily' | 'changed';

export interface EvaluationPlan {
  /** The indicators to evaluate; null: every active one. */
  ids: number[] | null;
  scope: EvaluationScope;
  /** Record the run as done: call when it has succeeded. */
  done(): Promise<void>;
}

function fullBecause(state: EvaluationState | null, settings: string, now: Date, asked: boolean): EvaluationScope | null {
  if (asked) return 'full: asked';
  if (!state) return 'full: first run';
  if (state.settings !== settings) return 'full: settings changed';
  // A clock set back (a run "as of" an earlier time than the last) is no reason to trust what was recorded either.
  if (now.getTime() - state.lastFullAt.getTime() >= FULL_EVERY_MS || now < state.lastRunAt) return 'full: daily';
  return null;
}

/** The cadences whose latest due period is not the same today as on the day of the last run. */
export function movedCadences(cadences: Cadence[], then: LocalDate, today: LocalDate, fyStartMonth: number): Cadence[] {
  if (then === today) return [];
  return cadences.filter((c) => latestDuePeriod(c.frequency, then, c.reportingLagDays, fyStartMonth)?.key !== latestDuePeriod(c.frequency, today, c.reportingLagDays, fyStartMonth)?.key);
}

/** What the planner reads and records. */
export type EvaluationLedger = Pick<Repository, 'evaluationState' | 'changedIndicators' | 'indicatorCadences' | 'indicatorIdsWithCadence' | 'indicatorIdsWithValuesBegun' | 'finishEvaluation'>;

export async function planEvaluation(repo: EvaluationLedger, org: OrgSettings, now: Date, opts: { full?: boolean } = {}): Promise<EvaluationPlan> {
  const settings = JSON.stringify(org);
  const [state, seen] = await Promise.all([repo.evaluationState(), repo.changedIndicators()]);
  const finish = (full: boolean) => () => repo.finishEvaluation({ at: now, full, settings, seen });
  const full = fullBecause(state, settings, now, opts.full ?? false);
  if (full || !state) return { ids: null, scope: full ?? 'full: first run', done: finish(true) };
  const ids = new Set(seen.map((c) => c.indicatorId));
  const then = localDateOf(state.lastRunAt, org.timeZone);
  const today = localDateOf(now, org.timeZone);
  if (then < today) {
    const moved = movedCadences(await repo.indicatorCadences(), then, today, org.fyStartMonth);
    const [due, begun] = await Promise.all([moved.length ? repo.indicatorIdsWithCadence(moved) : [], repo.indicatorIdsWithValuesBegun(then, today)]);
    for (const id of [...due, ...begun]) ids.add(id);
  }
  return { ids: [...ids].sort((a, b) => a - b), scope: 'changed', done: finish(false) };
}
