// The register: themes, indicators, their values (observations) and targets, and signed-off periods.
import type { Aggregation, DotBasis, Frequency, LocalDate, MaintainedBand, Polarity, Status, Tolerance } from '../domain/types.ts';

export interface ThemeRecord {
  id: number;
  name: string;
  slug: string;
  kind: string;
  directorId: number | null;
}

export interface IndicatorRecord {
  id: number;
  ref: string | null;
  slug: string;
  name: string;
  definition: string | null;
  themeId: number | null;
  themeName: string | null;
  ownerId: number | null;
  deputyId: number | null;
  /** The theme's director. */
  directorId: number | null;
  unit: string;
  polarity: Polarity;
  frequency: Frequency;
  reportingLagDays: number;
  aggregation: Aggregation;
  tolerance: Tolerance | null;
  /** Null: the organisation's default basis. */
  dotBasis: DotBasis | null;
  /** Null: the organisation's default "maintained" band. */
  maintainedBand: MaintainedBand | null;
  decimals: number;
  isKey: boolean;
  active: boolean;
  baseline: { value: number | null; period: string | null; text: string | null };
  /** A calculated indicator's formula over other indicators (src/domain/formula.ts); null: values are given by people. */
  formula: string | null;
}

export interface IndicatorFilter {
  themeId?: number;
  /** Owner or deputy. */
  personId?: number;
  /** Indicators in themes this director is accountable for. */
  directorId?: number;
  activeOnly?: boolean;
  /** Only these indicators. */
  ids?: number[];
}

export interface ObservationRecord {
  id: number;
  indicatorId: number;
  periodKey: string;
  version: number;
  value: number;
  estimated: boolean;
  provisional: boolean;
  note: string | null;
  assessedStatus: Status | null;
  source: string;
  submittedById: number | null;
  submittedByLabel: string | null;
  submittedAt: Date;
  correctionReason: string | null;
}

/** What evaluating and charting an indicator read of an observation. */
export type ValueRecord = Pick<ObservationRecord, 'periodKey' | 'value' | 'estimated' | 'provisional' | 'assessedStatus'>;

export interface TargetRecord {
  indicatorId: number;
  periodKey: string;
  value: number | null;
  amberFloor: number | null;
  text: string | null;
}

export interface NewObservation {
  indicatorId: number;
  periodKey: string;
  periodStart: LocalDate;
  periodEnd: LocalDate;
  value: number;
  estimated: boolean;
  provisional: boolean;
  note: string | null;
  assessedStatus?: Status | null;
  source: string;
  submittedById: number | null;
  submittedByLabel: string;
  submittedAt: Date;
  /** For a correction: the version being replaced (optimistic check); null when none is expected. */
  replacesVersion: number | null;
  /**
   * Why a value changes. The save itself checks, in its transaction, that the submitter may submit
   * for the indicator and that a signed-off period gets a value only from a performance admin with a
   * reason (audited as observation.correct-locked).
   */
  correctionReason?: string | null;
}

export interface PeriodLockRecord {
  periodKey: string;
  periodStart: LocalDate;
  periodEnd: LocalDate;
  closedAt: Date;
  closedById: number | null;
}

/**
 * Why a sign-off holds a value for a period (src/repo/rules.ts, signOffHold):
 *   signed-off    the period lies in signed-off quarters (a quarter, its months, a year whose four quarters are);
 *   printed       a signed-off quarter's report printed this indicator's value for the period (a year's);
 *   year-running  the year is covered by a signed-off quarter's report and has not ended yet;
 *   last-report   the last quarter whose report covers the year is signed off.
 */
export type HoldReason = 'signed-off' | 'printed' | 'year-running' | 'last-report';

/** The sign-off that holds a value for a period: the quarter's lock, and why it holds. */
export interface SignOffHold extends PeriodLockRecord {
  reason: HoldReason;
}

/** What a quarter's report covered for an indicator, as signed off: a period and the version of its value then (null: none). */
export interface SignedOffValue {
  indicatorId: number;
  periodKey: string;
  version: number | null;
}

/** A signed-off quarter's report as it was signed off. */
export interface QuarterSnapshot {
  quarterKey: string;
  /** When it was taken (just before the lock): versions saved after it are "after sign-off". */
  takenAt: Date;
  /** The report model as signed off (src/report/snapshot.ts reads it). */
  report: unknown;
  covered: SignedOffValue[];
}

/** A period marked "not collected" (one indicator, a theme's, or — both null — every indicator), with why. */
export interface NotCollectedRecord {
  id: number;
  indicatorId: number | null;
  themeId: number | null;
  periodKey: string;
  periodStart: LocalDate;
  periodEnd: LocalDate;
  reason: string;
  byId: number | null;
  /** Who marked it, as the audit names them (a person's name, or cli). */
  byLabel: string;
  at: Date;
}

export type NewNotCollected = Omit<NotCollectedRecord, 'id'>;
