// Alerting, stage 2 — state: what changed since the last record, each transition recorded once. Two
// matching recorders: an indicator's status changes (status_change), and the conditions of a subject
// told about by what holds for it — actions now, risks next (condition_change). A transition's unique
// key (from the record it follows) makes a retry or an overlapping run record it once: only the process
// that recorded it goes on to route and notify. What is news is decided here too: an indicator's or an
// action's first record is where it stood when alerting began (recorded, never alerted), and so is
// everything on the very first run.
import type { AlertSubject, ConditionChangeRecord, ConditionChangeStore, NewConditionChange, NewStatusChange, Repository, StatusChangeRecord } from '../ports.ts';
import { classifyChange, classifyConditions, conditionTransitionKey, transitionKey, type ChangeKind, type ConditionChange, type ConditionPoint } from '../domain/monitor.ts';
import { readActions, type ConditionReading, type IndicatorReading } from './evaluation.ts';
import type { OrgSettings } from '../ports.ts';
import { localDateOf } from '../domain/dates.ts';

export interface IndicatorCandidate {
  reading: IndicatorReading;
  prev: StatusChangeRecord | null;
  kind: ChangeKind;
  change: NewStatusChange;
}

/** An indicator's change recorded now, that channels may be told about. */
export interface IndicatorTransition {
  reading: IndicatorReading;
  prev: StatusChangeRecord;
  kind: Exclude<ChangeKind, 'quiet'>;
  change: StatusChangeRecord;
}

/** The changes worth recording: each reading against the indicator's last record. */
export function indicatorCandidates(readings: IndicatorReading[], latest: Map<number, StatusChangeRecord>, now: Date): IndicatorCandidate[] {
  const out: IndicatorCandidate[] = [];
  for (const reading of readings) {
    const { ind, ev, point } = reading;
    const prev = latest.get(ind.id) ?? null;
    // Declining is classified whatever the organisation's default: a channel may have asked for it.
    const kind = classifyChange(prev, point, { alertOnDeclining: true, decimals: ind.decimals });
    if (!kind) continue;
    const change: NewStatusChange = {
      indicatorId: ind.id,
      ...point,
      transitionKey: transitionKey(prev?.id ?? null, point, ind.decimals),
      previousStatus: prev?.status ?? null,
      previousDirection: prev?.direction ?? null,
      explanation: ev.explanation,
      observedAt: now,
    };
    out.push({ reading, prev, kind, change });
  }
  return out;
}

/**
 * Record the candidates in one go. `recorded`: how many this process recorded; `news`: those of them
 * channels may hear of — not an indicator's first record, not a quiet change, nothing on the baseline run.
 */
export async function recordIndicatorChanges(repo: Pick<Repository, 'recordStatusChanges'>, candidates: IndicatorCandidate[], o: { baseline: boolean }): Promise<{ recorded: number; news: IndicatorTransition[] }> {
  const recorded = new Map((await repo.recordStatusChanges(candidates.map((c) => c.change))).map((c) => [c.indicatorId, c]));
  const news: IndicatorTransition[] = [];
  for (const { reading, prev, kind } of candidates) {
    const change = recorded.get(reading.ind.id);
    if (!change || o.baseline || !prev || kind === 'quiet') continue;
    news.push({ reading, prev, kind, change });
  }
  return { recorded: recorded.size, news };
}

/** A subject's conditions changed, recorded now, and channels may be told: `episode` names the alert it belongs to. */
export interface ConditionTransition<S> {
  reading: ConditionReading<S>;
  prev: ConditionChangeRecord;
  kind: Exclude<ConditionChange, 'first'>;
  change: ConditionChangeRecord;
  /** The id of the change that began this alert: one living post per episode and channel. */
  episode: number;
}

/** The detail as one string, its keys sorted (a database's JSON may keep them in another order). */
const fingerprint = (detail: Record<string, unknown>): string => JSON.stringify(Object.keys(detail).sort().map((k) => [k, detail[k]]));

const pointOf = (r: { conditions: readonly string[]; detail: Record<string, unknown> }): ConditionPoint => ({ conditions: r.conditions, fingerprint: r.conditions.length ? fingerprint(r.detail) : '' });

/** The alert a recorded change belongs to. */
export const episodeOf = (c: Pick<ConditionChangeRecord, 'id' | 'episodeId'>): number => c.episodeId ?? c.id;

/**
 * Record what changed for each subject (against its last record), each transition once, and return
 * those recorded now that are news: not a subject's first record (what held when alerting began).
 */
export async function recordConditionChanges<S>(
  store: ConditionChangeStore,
  subject: AlertSubject,
  readings: ConditionReading<S>[],
  latest: Map<number, ConditionChangeRecord>,
  now: Date,
): Promise<{ recorded: number; news: ConditionTransition<S>[] }> {
  const candidates: { reading: ConditionReading<S>; prev: ConditionChangeRecord | null; kind: ConditionChange; change: NewConditionChange }[] = [];
  for (const reading of readings) {
    const prev = latest.get(reading.subjectId) ?? null;
    const next = pointOf(reading);
    const kind = classifyConditions(prev && pointOf(prev), next);
    if (!kind) continue;
    // A change while something held belongs to that alert; one that raises a condition from nothing begins its own.
    const episodeId = prev && prev.conditions.length ? episodeOf(prev) : null;
    const change = { subject, subjectId: reading.subjectId, conditions: reading.conditions, detail: reading.detail, episodeId, observedAt: now, transitionKey: conditionTransitionKey(prev?.id ?? null, next) };
    candidates.push({ reading, prev, kind, change });
  }
  const recorded = new Map((await store.record(candidates.map((c) => c.change))).map((c) => [c.subjectId, c]));
  const news: ConditionTransition<S>[] = [];
  for (const { reading, prev, kind } of candidates) {
    const change = recorded.get(reading.subjectId);
    if (!change || !prev || kind === 'first') continue;
    news.push({ reading, prev, kind, change, episode: episodeOf(change) });
  }
  return { recorded: recorded.size, news };
}

/**
 * Stages 1 and 2: where each active action stands as of `now`, each change since its last record recorded
 * once. alert-actions goes on to tell channels of the news; the demo calls it as of when its figures were given,
 * so that what held then is its baseline (recorded, never posted) and only what changes after is news.
 */
export async function recordActionConditions(repo: Pick<Repository, 'actions' | 'conditionChanges'>, org: OrgSettings, now: Date) {
  const [actions, latest] = await Promise.all([repo.actions.list({ activeOnly: true }), repo.conditionChanges.latest('action')]);
  const readings = readActions(actions, org, localDateOf(now, org.timeZone));
  return { actions, ...(await recordConditionChanges(repo.conditionChanges, 'action', readings, latest, now)) };
}
