// Statuses over time: the changes evaluate-statuses records, and what incremental evaluation remembers.
import type { Direction, Frequency, Status } from '../domain/types.ts';

export interface StatusChangeRecord {
  id: number;
  indicatorId: number;
  periodKey: string;
  previousStatus: Status | null;
  status: Status;
  previousDirection: Direction | null;
  direction: Direction | null;
  value: number | null;
  /** The target that applied (null: none, or recorded before targets were kept). */
  target: number | null;
  /** The year-end forecast missed its target (null: no forecast, or recorded before forecasts were kept). */
  forecastMiss: boolean | null;
  explanation: string;
  observedAt: Date;
}

export interface NewStatusChange {
  indicatorId: number;
  periodKey: string;
  /** Unique per indicator: a retry or an overlapping run computing the same transition finds it taken. */
  transitionKey: string;
  previousStatus: Status | null;
  status: Status;
  previousDirection: Direction | null;
  direction: Direction | null;
  value: number | null;
  /** Null or absent: none. */
  target?: number | null;
  /** Null or absent: no forecast. */
  forecastMiss?: boolean | null;
  explanation: string;
  observedAt: Date;
}

/** What evaluate-statuses saw on its last run (incremental evaluation: src/services/incremental.ts). */
export interface EvaluationState {
  /** The time the last run evaluated as of. */
  lastRunAt: Date;
  /** The time of the last run that evaluated every indicator. */
  lastFullAt: Date;
  /** The organisation's settings it evaluated with (a fingerprint: any change evaluates everything). */
  settings: string;
}

/**
 * An indicator whose values, targets or own settings changed since evaluate-statuses last looked,
 * as recorded by the database itself (triggers on observation, target and indicator). `mark` tells
 * one change from a later one: a change made while a run is under way is not taken as seen.
 */
export interface IndicatorChange {
  indicatorId: number;
  mark: string;
}

/** A reporting cadence: indicators with the same frequency and lag fall due on the same days. */
export interface Cadence {
  frequency: Frequency;
  reportingLagDays: number;
}
