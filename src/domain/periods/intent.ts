// Which period a value is for, when the person did not type its year: "Q4", "Dec", "last quarter",
// or no period at all. Such a period is said back and confirmed before the value is written, unless
// it is the one being collected now and nothing later has a value yet — the case where the reading
// cannot be wrong. Pure: today, the indicator's cadence and the periods holding values are given.
import { comparePeriods, latestDuePeriod, periodContaining, periodKindFor, previousPeriod, nextPeriod } from './calendar.ts';
import type { Frequency, LocalDate, Period } from '../types.ts';

/** How the period of a submission was given. */
export type PeriodSource =
  /** With its year ("2017/18 Q3", "Dec 2017"), or confirmed when asked. */
  | 'typed'
  /** Without a year, worked out from today ("Q3", "Dec", "last quarter"). */
  | 'inferred'
  /** Not given: the period due now (defaultPeriod). */
  | 'default';

export interface PeriodCadence {
  frequency: Frequency;
  lagDays: number;
  fy: number;
  /** The first day of the organisation's first period collected (`collect-from`): a period ending before it is never collected. */
  collectedFrom?: LocalDate | null;
}

/**
 * The periods being collected today, oldest first: from the latest whose value is due (its
 * reporting lag has passed) to the latest that has ended (its value may come early). One period
 * when the lag has passed for the last one to end; two or more during a lag. None that ended before
 * the first period collected (go-live): on 15 January 2018, collecting from 2017/18 Q3, 2017/18 Q2
 * is not being collected although its value was due — and an annual indicator has none yet.
 */
export function collectingPeriods(c: PeriodCadence, today: LocalDate): Period[] {
  return endedSinceDue(c, today).filter((p) => !c.collectedFrom || p.end >= c.collectedFrom);
}

/** From the latest period whose value is due to the latest that has ended, go-live aside. */
function endedSinceDue(c: PeriodCadence, today: LocalDate): Period[] {
  const ended = previousPeriod(periodContaining(today, periodKindFor(c.frequency), c.fy), c.fy);
  const due = latestDuePeriod(c.frequency, today, c.lagDays, c.fy) ?? ended;
  const out: Period[] = [];
  for (let p = due; comparePeriods(p, ended) <= 0 && out.length < 40; p = nextPeriod(p, c.fy)) out.push(p);
  return out;
}

/**
 * The period a submission without one means: the oldest period being collected that has no value
 * yet (the one `/kpi mine` and the chase list owe), or — every one of them has a value — the latest
 * whose value is due (then the answer is a correction, and asks first). With none being collected
 * yet (every period that has ended is before go-live), the latest that has ended — which is then
 * said back first (`periodQuestion`: not being collected).
 */
export function defaultPeriod(c: PeriodCadence, today: LocalDate, hasValue: (key: string) => boolean): Period {
  const collecting = collectingPeriods(c, today);
  return collecting.find((p) => !hasValue(p.key)) ?? collecting[0] ?? endedSinceDue(c, today).at(-1)!;
}

/** Why a period must be said back before its value is written. */
export type PeriodQuestion =
  /** Worked out from today, and not a period being collected now (this quarter, or last year's). */
  | {
      why: 'not-collecting';
      period: Period;
      /** The periods being collected now: none when every period that has ended is before go-live. */
      collecting: Period[];
      alternative: Period | null;
      /** It has not ended yet. */
      open: boolean;
      /** The first day collected (go-live), when the organisation has set one. */
      collectedFrom: LocalDate | null;
    }
  /** A later period already has a value: is this earlier one really meant? */
  | { why: 'later-value'; period: Period; later: Period; alternative: Period | null };

/**
 * Whether a period must be confirmed before a value is written for it: never when its year was
 * typed; otherwise when it is not one being collected now, or when a later period of the indicator
 * already has a value. `alternative`: the other period the words could have meant (the same quarter
 * a year away), offered beside it.
 */
export function periodQuestion(o: {
  period: Period;
  source: PeriodSource;
  alternative?: Period | null;
  cadence: PeriodCadence;
  today: LocalDate;
  /** Keys of the periods (of the indicator's kind) that hold a value. */
  valueKeys: Iterable<string>;
  /** The period's key → the period (the indicator's stored keys are read with the organisation's year start). */
  periodOf: (key: string) => Period;
}): PeriodQuestion | null {
  if (o.source === 'typed') return null;
  const alternative = o.alternative && o.alternative.start <= o.today ? o.alternative : null;
  const collecting = collectingPeriods(o.cadence, o.today);
  if (!collecting.some((p) => p.key === o.period.key)) return { why: 'not-collecting', period: o.period, collecting, alternative, open: o.period.end >= o.today, collectedFrom: o.cadence.collectedFrom ?? null };
  let later: Period | null = null;
  for (const key of o.valueKeys) {
    const p = o.periodOf(key);
    if (p.kind === o.period.kind && comparePeriods(p, o.period) > 0 && p.start <= o.today && (!later || comparePeriods(p, later) > 0)) later = p;
  }
  return later ? { why: 'later-value', period: o.period, later, alternative } : null;
}
