// Core vocabulary of the KPI domain. Pure TypeScript: no platform, database or scheduler imports.
// String values match the database enums (prisma/schema.prisma) so no mapping layer is needed.

/** higher: more is better; lower: less is better (sickness absence); none: contextual, no RAG. */
export type Polarity = 'higher' | 'lower' | 'none';

export type Frequency = 'monthly' | 'quarterly' | 'annual' | 'academic_year' | 'calendar_year';

/**
 * snapshot: each value stands on its own (a rate, a level).
 * cumulative: each value is the amount for its own period; year-to-date is their sum.
 * ytd: each value is already a running total since the start of the financial year.
 * ytd_percent: each value is a percentage of the year's whole reached so far, rising through the
 *   year towards it (council tax collected: 29% by Q1, 57% by Q2 … 97% by March), usually against a
 *   profiled target; a running total that cannot pass 100%.
 * average: year-to-date is the mean of the periods so far.
 */
export type Aggregation = 'snapshot' | 'cumulative' | 'ytd' | 'ytd_percent' | 'average';

/**
 * What direction of travel compares with: the previous period (Trafford), the same period last year
 * (Halton, seasonal measures) or the indicator's baseline, usually last year's outturn (Cheshire West's
 * "better or worse than the baseline contained in the Outcome Plan").
 */
export type DotBasis = 'previous' | 'same_last_year' | 'baseline';

/**
 * When direction of travel is "maintained": within `percent` % of the value compared with (relative),
 * or when both print the same at the indicator's number of decimals (precision).
 */
export type MaintainedBand = { kind: 'relative'; percent: number } | { kind: 'precision' };

export type Status = 'green' | 'amber' | 'red' | 'in_measurement' | 'no_target';

export type Direction = 'improving' | 'maintained' | 'declining';

/** relative: amber within `value` % of the target; absolute: amber within `value` units of it. */
export interface Tolerance {
  kind: 'relative' | 'absolute';
  value: number;
}

/** A calendar date without time or zone, `YYYY-MM-DD`. */
export type LocalDate = string;

export type PeriodKind = 'month' | 'quarter' | 'financial_year' | 'academic_year' | 'calendar_year';

/**
 * A reporting period. `key` is canonical and stored in the database:
 *   month `2017-12`, quarter `2017/18 Q3`, financial year `2017/18`,
 *   academic year `AY 2016/17`, calendar year `2017`.
 */
export interface Period {
  kind: PeriodKind;
  key: string;
  /** First day of the period. */
  start: LocalDate;
  /** Last day of the period (inclusive). */
  end: LocalDate;
}

/** Organisation-wide rules the engine needs. */
export interface OrgRules {
  /** Month (1-12) the financial year starts; 4 (April) in English local government. */
  fyStartMonth: number;
  /** Default tolerance for indicators that set none. */
  tolerance: Tolerance;
  /** Direction of travel for indicators that set no basis of their own. */
  dotBasis: DotBasis;
  /** "Maintained" for indicators that set no band of their own. */
  maintainedBand: MaintainedBand;
  /**
   * When a period's value is not in yet but an earlier one of its financial year is, judge that latest
   * available value (as councils report) rather than say "in measurement". Default: on.
   */
  latestAvailable?: boolean;
}
