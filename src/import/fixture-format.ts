// The published-report fixture format (test/fixtures/README.md): indicator tables taken from real
// council reports. Validated with zod; mapped to engine inputs for `kpi evaluate` and to the
// register for `kpi import`.
import { z } from 'zod';
import { isPeriodKey, periodFromKey, previousPeriod } from '../domain/periods.ts';
import type { EvaluationInput } from '../domain/evaluate.ts';
import type { Frequency, Polarity, Tolerance } from '../domain/types.ts';

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
  published: z
    .object({
      status: z.enum(['green', 'amber', 'red', 'not-applicable']).nullable(),
      statusRaw: z.string().nullable().optional(),
      statusDeduced: z.enum(['green', 'amber-or-red']).optional(),
      direction: z.enum(['improving', 'maintained', 'declining']).nullable(),
      directionRaw: z.string().nullable().optional(),
      exceptionReport: z.boolean().optional(),
    })
    .optional(),
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

/** Each fixture row as an engine input. Only printed numbers are used; published statuses never are. */
export function fixtureToEvaluationInputs(file: FixtureFile, opts: { tolerance: Tolerance; fyStartMonth?: number }): FixtureRowInput[] {
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
          decimals: 2,
          tolerance: null,
          dotBasis: 'previous',
        },
        observations,
        targets,
        rules: { fyStartMonth: fy, tolerance: opts.tolerance, maintainedBandPercent: 0 },
        ...(period ? { period } : {}),
      },
    };
  });
}
