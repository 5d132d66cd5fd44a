// A percentage to date read from a register that calls it a snapshot: from its profile (targets
// rising through the year towards the year end) or its values (rising through a year and starting
// again), never from a level's figures, and never against what the register says otherwise.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readAggregation, resetOf, shapeOf, type ReadingInput } from '../../../src/domain/percent-to-date.ts';
import { periodFromKey } from '../../../src/domain/periods.ts';

fc.configureGlobal({ seed: Number(process.env.KPI_FUZZ_SEED ?? 20180115), numRuns: Number(process.env.KPI_FUZZ_RUNS ?? 200) });

const points = (...pairs: [string, number | null][]) => pairs.map(([k, value]) => ({ period: periodFromKey(k), value }));
const values = (...pairs: [string, number][]) => pairs.map(([k, value]) => ({ period: periodFromKey(k), value }));
const read = (over: Partial<ReadingInput>) => readAggregation({ aggregation: 'snapshot', unit: '%', observations: [], targets: [], fyStartMonth: 4, ...over });

// The sample register's BV 9 (examples/register-sample.xlsx): 2024/25 from its Values sheet, 2025/26 from its Indicators sheet.
const councilTax = {
  observations: values(['2024/25 Q1', 29.2], ['2024/25 Q2', 56.6], ['2024/25 Q3', 86.1], ['2024/25 Q4', 96.9], ['2025/26 Q1', 29.1], ['2025/26 Q2', 56.9]),
  targets: points(['2024/25 Q1', 29.5], ['2024/25 Q2', 56.8], ['2024/25 Q3', 86.44], ['2024/25 Q4', 97], ['2025/26', 97], ['2025/26 Q1', 29.5], ['2025/26 Q2', 56.8]),
};

describe('reading a percentage to date', () => {
  it('reads council tax collected, called a snapshot, from its profile', () => {
    expect(read(councilTax)).toEqual({ aggregation: 'ytd_percent', inferredFrom: 'its targets rise through 2025/26' });
    // In its first year, from this year's profile alone: 29.5% and 56.8% towards 97%.
    expect(read({ observations: values(['2025/26 Q1', 29.1]), targets: points(['2025/26 Q1', 29.5], ['2025/26 Q2', 56.8], ['2025/26', 97], ['2025/26 Q3', null]) }).aggregation).toBe('ytd_percent');
  });

  it('reads it from values that rise through a year and start again, where the register has no profile', () => {
    // Monthly, as a revenues team reports it, with a month missing and a "TBC" annual target.
    const monthly = values(
      ['2016-04', 10.6], ['2016-05', 19.8], ['2016-06', 28.9], ['2016-08', 47.1], ['2016-09', 56.3], ['2016-10', 65.4], ['2016-11', 74.6], ['2016-12', 83.5], ['2017-01', 92.4], ['2017-02', 95.3], ['2017-03', 97.1],
      ['2017-04', 10.4], ['2017-05', 19.9],
    );
    expect(read({ observations: monthly, targets: points(['2017/18', null]) })).toEqual({ aggregation: 'ytd_percent', inferredFrom: 'its values rise through the year and start again in 2017/18' });
    // Without the new year's start there is nothing to say it is not a level that rose all year.
    expect(read({ observations: monthly.slice(0, -2) }).aggregation).toBe('snapshot');
  });

  it('leaves levels alone: flat or falling profiles, a rate improving from 85%, values that fall', () => {
    // The sample's recycling rate and reablement: flat targets, values that move about.
    expect(read({ observations: values(['2025/26 Q1', 61], ['2025/26 Q2', 60.9]), targets: points(['2025/26 Q1', 59.5], ['2025/26 Q2', 59.5]) }).aggregation).toBe('snapshot');
    expect(read({ observations: values(['2025/26 Q1', 86.1], ['2025/26 Q2', 81.5]), targets: points(['2025/26 Q1', 94], ['2025/26 Q2', 94]) }).aggregation).toBe('snapshot');
    // An improvement trajectory is not a profile to date.
    expect(read({ observations: values(['2025/26 Q1', 84], ['2025/26 Q2', 86]), targets: points(['2025/26 Q1', 85], ['2025/26 Q2', 86], ['2025/26 Q3', 88], ['2025/26', 90]) }).aggregation).toBe('snapshot');
    // A rising profile but values that fall: the figures disagree, so the register's word stands.
    expect(read({ observations: values(['2025/26 Q1', 40], ['2025/26 Q2', 38]), targets: points(['2025/26 Q1', 25], ['2025/26 Q2', 50], ['2025/26', 97]) }).aggregation).toBe('snapshot');
    // A rising profile, but last year's March was not followed by a fresh start.
    expect(read({ ...councilTax, observations: [...councilTax.observations.slice(0, 4), ...values(['2025/26 Q1', 95.2])] }).aggregation).toBe('snapshot');
  });

  it('keeps what the register says otherwise, and reads only percentages', () => {
    expect(read({ ...councilTax, aggregation: 'ytd_percent' })).toEqual({ aggregation: 'ytd_percent', inferredFrom: null });
    for (const aggregation of ['cumulative', 'ytd', 'average'] as const) expect(read({ ...councilTax, aggregation }).aggregation).toBe(aggregation);
    expect(read({ ...councilTax, unit: 'number' }).aggregation).toBe('snapshot');
    expect(read({ ...councilTax, unit: 'percentage' }).aggregation).toBe('ytd_percent');
    // Annual values, or none: nothing to read.
    expect(read({ observations: values(['2024/25', 96.9]), targets: councilTax.targets }).aggregation).toBe('snapshot');
    expect(read({ targets: councilTax.targets }).aggregation).toBe('snapshot');
  });

  it('reads only the year of the latest value and the year before (what the evaluation job reads)', () => {
    // A level years ago (before the service changed how it counts) does not stop this year's reading.
    const old = values(['2021/22 Q1', 90], ['2021/22 Q2', 91], ['2021/22 Q3', 90], ['2021/22 Q4', 92]);
    expect(read({ ...councilTax, observations: [...old, ...councilTax.observations] }).aggregation).toBe('ytd_percent');
  });
});

describe('shapes', () => {
  it('tells a year to date from a level', () => {
    expect(shapeOf([{ k: 1, value: 29.5 }, { k: 2, value: 56.8 }, { k: 4, value: 97 }], 4)).toBe('to-date');
    expect(shapeOf([{ k: 1, value: 90 }, { k: 4, value: 90 }], 4)).toBe('level');
    expect(shapeOf([{ k: 3, value: 86 }, { k: 4, value: 97 }], 4)).toBeNull(); // only late in the year: either
    expect(shapeOf([{ k: 3, value: 90 }, { k: 4, value: 92 }], 4)).toBe('level');
    expect(shapeOf([{ k: 2, value: 56.8 }], 4)).toBeNull();
    expect(resetOf(96.9, 29.1, 4)).toBe('to-date');
    expect(resetOf(96.9, 95, 4)).toBe('level');
  });

  it('any collection curve is a year to date, at any scale; any flat series is a level', () => {
    const curve = fc.array(fc.double({ min: 0.2, max: 1, noNaN: true }), { minLength: 12, maxLength: 12 });
    fc.assert(
      fc.property(curve, fc.double({ min: 1, max: 100, noNaN: true }), fc.integer({ min: 2, max: 12 }), (steps, scale, upTo) => {
        // Near-even monthly instalments: each month adds between 0.2 and 1 of a share.
        const total = steps.reduce((s, x) => s + x, 0);
        let run = 0;
        const ps = steps.map((x, i) => ({ k: i + 1, value: ((run += x) / total) * scale })).slice(0, upTo);
        const shape = shapeOf(ps, 12);
        // Month 1 can be at most 1/(1 + 11 × 0.2) ≈ 31% of the year: within 1/12 + SHARE_MARGIN only when the months are even enough.
        if (ps[0]!.value / ps.at(-1)!.value <= 1 / upTo + 0.15) expect(shape).toBe('to-date');
        expect(shapeOf(ps.map((p) => ({ ...p, value: scale })), 12)).toBe('level');
      }),
    );
  });
});
