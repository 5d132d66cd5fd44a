// The published-report fixture format (test/fixtures/README.md): indicator tables taken from real
// council reports. Validated with zod; mapped to engine inputs for `kpi evaluate` and to the
// register for `kpi import`. The schema has no `published` columns (the statuses and arrows the
// report printed): they are never read, so labels this code does not know ("in-measurement",
// "maintained", anything) cannot break an evaluation or an import.
import { z } from 'zod';
import { printedDecimals } from '../domain/format.ts';
import { readBaselineLabel } from '../domain/baseline.ts';
import { isPeriodKey, periodFromKey, previousPeriod } from '../domain/periods.ts';
import type { BaselinePoint, EvaluationInput } from '../domain/evaluate.ts';
import type { DotBasis, Frequency, MaintainedBand, Polarity, Tolerance } from '../domain/types.ts';

const cell = z.object({ period: z.string().nullable().optional(), value: z.number().finite().nullable(), raw: z.string().nullable().optional() });

export const fixtureIndicatorSchema = z.object({
  ref: z.string().nullable(),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).nullable().optional(),
  name: z.string().min(1),
  theme: z.string().nullable().optional(),
  unit: z.string().nullable().optional(),
  polarity: z.enum(['higher-is-better', 'lower-is-better']).nullable(),
  polarityInferred: z.boolean().optional(),
  frequency: z.enum(['monthly', 'quarterly', 'annual']).nullable().optional(),
  aggregation: z.enum(['snapshot', 'cumulative', 'ytd']).optional(),
  aggregationEvidence: z.string().optional(),
  targetIsProfiled: z.boolean().optional(),
  baseline: cell.nullable().optional(),
  target: cell.nullable().optional(),
  observations: z.array(
    z.object({
      period: z.string().min(1),
      value: z.number().finite().nullable(),
      raw: z.string().nullable().optional(),
      estimated: z.boolean().optional(),
      provisional: z.boolean().optional(),
    }),
  ),
  notes: z.string().nullable().optional(),
});

export const fixtureFileSchema = z.object({
  source: z.string().optional(),
  council: z.string().min(1),
  report: z.string().optional(),
  period: z.string().min(1),
  statusRule: z.string().optional(),
  indicators: z.array(fixtureIndicatorSchema).min(1),
  exceptionReports: z
    .array(z.object({ ref: z.string().nullable().optional(), indicator: z.string(), sections: z.record(z.string(), z.string()) }))
    .default([]),
});

export type FixtureFile = z.output<typeof fixtureFileSchema>;
export type FixtureIndicator = z.output<typeof fixtureIndicatorSchema>;

export function fixturePolarity(p: FixtureIndicator['polarity']): Polarity {
  return p === 'higher-is-better' ? 'higher' : p === 'lower-is-better' ? 'lower' : 'none';
}

/** The frequency values arrive at: the fixture's own, or what its periods show (Trafford reports monthly data quarterly). */
export function fixtureFrequency(row: FixtureIndicator): Frequency {
  if (row.frequency === 'annual') return 'annual';
  if (row.observations.some((o) => / Q[1-4]$/.test(o.period))) return 'quarterly';
  return row.frequency ?? 'quarterly';
}

export interface FixtureRowInput {
  row: FixtureIndicator;
  input: EvaluationInput;
  /** Why some of the row could not be used as printed. */
  notes: string[];
}

export interface FixtureRules {
  tolerance: Tolerance;
  /** Default: the previous period (Trafford's reports). */
  dotBasis?: DotBasis;
  /** Default: equal at the printed precision. */
  maintainedBand?: MaintainedBand;
  fyStartMonth?: number;
}

/** A row's baseline for the engine: "2016/17" and "March 2017" are read as periods, "Summer 2016" is kept as written. */
function fixtureBaseline(b: FixtureIndicator['baseline'], fy: number): BaselinePoint | null {
  if (!b || (b.value === null && !b.raw)) return null;
  const read = readBaselineLabel(b.period, fy);
  return { value: b.value, period: read.period, label: b.period ?? null, text: b.raw ?? null, ...(read.outturn ? { outturn: true } : {}) };
}

/** Each fixture row as an engine input. Only printed numbers are used; published statuses never are. */
export function fixtureToEvaluationInputs(file: FixtureFile, opts: FixtureRules): FixtureRowInput[] {
  const fy = opts.fyStartMonth ?? 4;
  const reportPeriod = isPeriodKey(file.period) ? periodFromKey(file.period, fy) : null;
  return file.indicators.map((row) => {
    const notes: string[] = [];
    const observations: EvaluationInput['observations'] = [];
    for (const o of row.observations) {
      if (o.value === null) continue;
      let period;
      if (isPeriodKey(o.period)) period = periodFromKey(o.period, fy);
      else if (reportPeriod && /previous/i.test(o.period)) {
        period = previousPeriod(reportPeriod, fy);
        notes.push(`"${o.period}" read as ${period.key}`);
      } else {
        notes.push(`value for "${o.period}" skipped: not a period`);
        continue;
      }
      observations.push({ period, value: o.value, estimated: Boolean(o.estimated), provisional: Boolean(o.provisional) });
    }
    const targets: EvaluationInput['targets'] = [];
    if (row.target?.period && isPeriodKey(row.target.period)) {
      targets.push({
        period: periodFromKey(row.target.period, fy),
        value: row.target.value,
        text: row.target.value === null ? (row.target.raw?.trim() || null) : null,
      });
    }
    // Evaluate the report's own period when the row is reported in it, else the latest value.
    const frequency = fixtureFrequency(row);
    const period =
      reportPeriod && frequency === 'annual' ? periodFromKey(reportPeriod.key.slice(0, 7), fy) : reportPeriod && frequency !== 'annual' ? reportPeriod : undefined;
    return {
      row,
      notes,
      input: {
        indicator: {
          name: row.name,
          polarity: fixturePolarity(row.polarity),
          frequency,
          aggregation: row.aggregation ?? 'snapshot',
          unit: row.unit ?? 'number',
          decimals: printedDecimals([...row.observations.map((o) => o.value), row.target?.value, row.baseline?.value]),
          tolerance: null,
          dotBasis: null,
          maintainedBand: null,
          baseline: fixtureBaseline(row.baseline, fy),
        },
        observations,
        targets,
        rules: { fyStartMonth: fy, tolerance: opts.tolerance, dotBasis: opts.dotBasis ?? 'previous', maintainedBand: opts.maintainedBand ?? { kind: 'precision' } },
        ...(period ? { period } : {}),
      },
    };
  });
}
