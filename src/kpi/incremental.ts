// Incremental evaluation: which indicators evaluate-statuses looks at. An indicator's status and
// direction follow from its values, its targets, its own settings and the organisation's settings,
// and what is due from the date: so a run evaluates only the indicators the database recorded as
// changed since the last run (triggers on observation, target and indicator: whatever wrote the
// change) and those whose latest due period moved since (a period rolled over or fell due).
// Everything is evaluated on the first run, when the organisation's settings changed, when asked
// (`kpi job evaluate-statuses --full`) and once a day (the first run a day after the last full
// one), so nothing a rule here missed stays missed for long. A run that fails records nothing:
// the next one sees the same changes.
import { localDateOf } from '../domain/dates.ts';
import { latestDuePeriod } from '../domain/periods.ts';
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
  const age = now.getTime() - state.lastFullAt.getTime();
  // A clock set back (a run "as of" an earlier time) is no reason to trust the last full run either.
  if (age >= FULL_EVERY_MS || age < 0) return 'full: daily';
  return null;
}

/** The cadences whose latest due period is not the same now as at the last run. */
export function movedCadences(cadences: Cadence[], lastRunAt: Date, now: Date, org: Pick<OrgSettings, 'timeZone' | 'fyStartMonth'>): Cadence[] {
  const then = localDateOf(lastRunAt, org.timeZone);
  const today = localDateOf(now, org.timeZone);
  if (then === today) return [];
  return cadences.filter((c) => latestDuePeriod(c.frequency, then, c.reportingLagDays, org.fyStartMonth)?.key !== latestDuePeriod(c.frequency, today, c.reportingLagDays, org.fyStartMonth)?.key);
}

export async function planEvaluation(repo: Repository, org: OrgSettings, now: Date, opts: { full?: boolean } = {}): Promise<EvaluationPlan> {
  const settings = JSON.stringify(org);
  const [state, seen] = await Promise.all([repo.evaluationState(), repo.changedIndicators()]);
  const finish = (full: boolean) => () => repo.finishEvaluation({ at: now, full, settings, seen });
  const full = fullBecause(state, settings, now, opts.full ?? false);
  if (full || !state) return { ids: null, scope: full ?? 'full: first run', done: finish(true) };
  const ids = new Set(seen.map((c) => c.indicatorId));
  const moved = movedCadences(await repo.indicatorCadences(), state.lastRunAt, now, org);
  if (moved.length) for (const id of await repo.indicatorIdsWithCadence(moved)) ids.add(id);
  return { ids: [...ids].sort((a, b) => a - b), scope: 'changed', done: finish(false) };
}
