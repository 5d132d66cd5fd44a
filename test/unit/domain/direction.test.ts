// Direction of travel: the three bases, like-for-like comparison of counts part-way through the year,
// the "maintained" band, and the properties every council's rule has (mirrored polarity mirrors
// direction; a value inside the band is maintained).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { directionFor, evaluate, isMaintained, type EvaluationInput, type IndicatorSpec, type ObservationPoint } from '../../../src/domain/evaluate.ts';
import { atPrecision } from '../../../src/domain/direction.ts';
import { periodFromKey } from '../../../src/domain/periods.ts';
import type { Aggregation, Direction, DotBasis, MaintainedBand, Polarity } from '../../../src/domain/types.ts';

const EQUAL: MaintainedBand = { kind: 'precision' };
const pct = (percent: number): MaintainedBand => ({ kind: 'relative', percent });
const spec = (over: Partial<IndicatorSpec> = {}): IndicatorSpec => ({ polarity: 'higher', frequency: 'quarterly', aggregation: 'snapshot', unit: 'number', decimals: 0, ...over });
const obs = (key: string, value: number): ObservationPoint => ({ period: periodFromKey(key), value });
const baseline = (value: number | null, label: string | null, text: string | null = null) => ({
  value,
  period: label && /^\d{4}\/\d{2}$/.test(label) ? periodFromKey(label) : null,
  label,
  text,
});
const input = (over: Partial<EvaluationInput> = {}): EvaluationInput => ({
  indicator: spec(),
  observations: [],
  targets: [],
  rules: { fyStartMonth: 4, tolerance: { kind: 'relative', value: 10 }, dotBasis: 'previous', maintainedBand: EQUAL },
  ...over,
});

describe('directionFor', () => {
  it('follows polarity, with a maintained band', () => {
    expect(directionFor(10.49, 10.18, 'lower', EQUAL, 2)).toBe('declining');
    expect(directionFor(96.6, 98, 'higher', EQUAL, 1)).toBe('declining');
    expect(directionFor(5.5, 5.5, 'higher', EQUAL, 1)).toBe('maintained');
    expect(directionFor(5.52, 5.5, 'higher', pct(1))).toBe('maintained');
    expect(directionFor(5.6, 5.5, 'higher', pct(1))).toBe('improving');
    expect(directionFor(5.6, 5.5, 'none', pct(1))).toBeNull();
  });

  it('is "equal at the printed precision" by the indicator\'s decimals', () => {
    expect(directionFor(83.84, 83.8, 'higher', EQUAL, 1)).toBe('maintained');
    expect(directionFor(83.84, 83.8, 'higher', EQUAL, 2)).toBe('improving');
    expect(directionFor(0.1 + 0.2, 0.3, 'higher', pct(0))).toBe('maintained');
    expect(atPrecision(-2.5, 0)).toBe(-3);
    expect(atPrecision(2.5, 0)).toBe(3);
  });
});

describe('the bases', () => {
  const values = [obs('2016/17 Q3', 80), obs('2017/18 Q2', 87.5), obs('2017/18 Q3', 83.8)];
  const street = (over: Partial<IndicatorSpec> = {}) => spec({ unit: '%', decimals: 1, baseline: baseline(83.1, '2016/17'), ...over });

  it('compares with the previous period, the same period last year or the baseline: the indicator\'s basis, else the organisation\'s', () => {
    const ev = (basis: DotBasis | null, orgBasis: DotBasis = 'previous') =>
      evaluate(input({ indicator: street({ dotBasis: basis }), observations: values, rules: { ...input().rules, dotBasis: orgBasis } }));
    expect(ev(null).directionSentence).toBe('declining from 87.5% in Q2');
    expect(ev('same_last_year').directionSentence).toBe('improving from 80% in 2016/17 Q3');
    expect(ev('baseline').directionSentence).toBe('improving from the baseline of 83.1% (2016/17)');
    expect(ev(null, 'baseline')).toMatchObject({ directionBasis: 'baseline', direction: 'improving' });
    expect(ev('previous', 'baseline')).toMatchObject({ directionBasis: 'previous', direction: 'declining' });
  });

  it('uses the indicator\'s own band over the organisation\'s', () => {
    const ev = (band: MaintainedBand | null) => evaluate(input({ indicator: street({ dotBasis: 'baseline', maintainedBand: band }), observations: values, rules: { ...input().rules, maintainedBand: pct(2) } }));
    expect(ev(null).directionSentence).toBe('maintained at 83.8% (baseline 83.1% in 2016/17, within 2%)');
    expect(ev(EQUAL).direction).toBe('improving');
  });

  it('says why there is no direction: no baseline, a baseline that is words or not earlier, no earlier value', () => {
    const note = (ind: Partial<IndicatorSpec>, obsList = values) => evaluate(input({ indicator: street(ind), observations: obsList })).directionNote;
    expect(note({ dotBasis: 'baseline', baseline: null })).toBe('no baseline');
    expect(note({ dotBasis: 'baseline', baseline: baseline(null, '2016/17', 'New') })).toBe('the baseline is not a number ("New")');
    expect(note({ dotBasis: 'baseline', baseline: baseline(80, '2017/18') })).toBe('the baseline (2017/18) is not before 2017/18 Q3');
    expect(note({}, [obs('2017/18 Q3', 83.8)])).toBe('no value for 2017/18 Q2 to compare with');
    expect(note({ polarity: 'none' })).toBe('a contextual measure has no better direction');
  });

  it('takes a baseline in words as it is, for a level', () => {
    const ev = evaluate(input({ indicator: street({ dotBasis: 'baseline', baseline: baseline(73.8, 'Summer 2016') }), observations: values }));
    expect(ev.directionSentence).toBe('improving from the baseline of 73.8% (Summer 2016)');
  });

  it('counts last year\'s outturn of an annual indicator as the previous period\'s value', () => {
    const ev = evaluate(input({ indicator: spec({ frequency: 'annual', polarity: 'lower', unit: '%', decimals: 1, baseline: baseline(25.5, '2016/17') }), observations: [obs('2017/18', 24.9)] }));
    expect(ev.directionSentence).toBe('improving from 25.5% in 2016/17');
  });
});

describe('counts part-way through the year', () => {
  const families = (over: Partial<IndicatorSpec> = {}) => spec({ aggregation: 'cumulative', baseline: baseline(104, '2024/25'), ...over });

  it('are compared with the baseline pro rata for the part of the year elapsed, and say so', () => {
    const ev = evaluate(input({ indicator: families({ dotBasis: 'baseline' }), observations: [obs('2025/26 Q1', 40), obs('2025/26 Q2', 44)] }));
    expect(ev.comparedWith).toMatchObject({ kind: 'baseline-pro-rata', current: 84, value: 52, proRata: { baseline: 104, elapsed: 2, of: 4 } });
    expect(ev.directionSentence).toBe("improving: 84 so far against 52 at this point on last year's pace (baseline 104 for 2024/25, pro rata 2 of 4 quarters)");
  });

  it('are compared with the same point last year when it is known', () => {
    const history = [obs('2024/25 Q1', 30), obs('2024/25 Q2', 30), obs('2025/26 Q1', 40), obs('2025/26 Q2', 44)];
    const ev = (basis: DotBasis) => evaluate(input({ indicator: families({ dotBasis: basis }), observations: history }));
    expect(ev('baseline').directionSentence).toBe('improving: 84 so far against 60 at this point last year (2024/25 Q2)');
    expect(ev('same_last_year').comparedWith).toMatchObject({ kind: 'same-point', current: 84, value: 60 });
    // Against the previous period a count compares what each quarter brought: 44 against 40.
    expect(ev('previous').directionSentence).toBe('improving from 40 in Q1');
  });

  it('compare a running total with last year\'s running total at the same month', () => {
    const ytd = spec({ frequency: 'monthly', aggregation: 'ytd', dotBasis: 'same_last_year', polarity: 'lower', baseline: baseline(12000, '2024/25') });
    const ev = evaluate(input({ indicator: ytd, observations: [obs('2024-09', 5600), obs('2025-08', 4700), obs('2025-09', 5339)] }));
    expect(ev.directionSentence).toBe('improving: 5,339 so far against 5,600 at this point last year (Sep 2024)');
    const paced = evaluate(input({ indicator: ytd, observations: [obs('2025-09', 5339)] }));
    expect(paced.directionSentence).toBe("improving: 5,339 so far against 6,000 at this point on last year's pace (baseline 12,000 for 2024/25, pro rata 6 of 12 months)");
  });

  it('compare a percentage to date with the same point last year under every basis, never with the quarter before', () => {
    const collected = spec({ aggregation: 'ytd_percent', unit: '%', decimals: 1, dotBasis: 'previous', baseline: baseline(96.9, '2024/25') });
    const history = [obs('2024/25 Q1', 29.2), obs('2024/25 Q2', 56.6), obs('2024/25 Q3', 86.1), obs('2024/25 Q4', 96.9), obs('2025/26 Q1', 29.1), obs('2025/26 Q2', 56.9)];
    const ev = evaluate(input({ indicator: collected, observations: history, targets: [{ period: periodFromKey('2025/26 Q2'), value: 56.8 }] }));
    expect(ev.explanation).toBe('Green: 56.9% so far this year against a target of 56.8%; improving: 56.9% so far against 56.6% at this point last year (2024/25 Q2).');
    // The first quarter is not "declining from 96.9% in 2024/25 Q4".
    const q1 = evaluate(input({ indicator: collected, observations: history.slice(0, 5) }));
    expect(q1.directionSentence).toBe('declining: 29.1% so far against 29.2% at this point last year (2024/25 Q1)');
    // In its first year, against the baseline pro rata; without one, by what each quarter added.
    expect(evaluate(input({ indicator: collected, observations: history.slice(4) })).directionSentence).toBe(
      "improving: 56.9% so far against 48.5% at this point on last year's pace (baseline 96.9% for 2024/25, pro rata 2 of 4 quarters)",
    );
    expect(evaluate(input({ indicator: { ...collected, baseline: null }, observations: history.slice(4) })).directionSentence).toBe('declining from 29.1% added in Q1 to 27.8%');
  });

  it('use the whole baseline at the end of the year, and an older baseline year by name', () => {
    const year = [obs('2025/26 Q1', 20), obs('2025/26 Q2', 20), obs('2025/26 Q3', 20), obs('2025/26 Q4', 20)];
    expect(evaluate(input({ indicator: families({ dotBasis: 'baseline' }), observations: year })).directionSentence).toBe('declining from the baseline of 104 (2024/25)');
    const older = evaluate(input({ indicator: families({ dotBasis: 'baseline', baseline: baseline(100, '2022/23') }), observations: year.slice(0, 2) }));
    expect(older.directionSentence).toBe("declining: 40 so far against 50 at this point on 2022/23's pace (baseline 100 for 2022/23, pro rata 2 of 4 quarters)");
  });

  it('are not compared when the year to date is incomplete, or the baseline is not a financial year\'s', () => {
    const gap = evaluate(input({ indicator: families({ dotBasis: 'baseline' }), observations: [obs('2025/26 Q2', 44)] }));
    expect(gap).toMatchObject({ direction: null, directionNote: 'the year to date is incomplete: some quarters of 2025/26 up to Q2 have no value' });
    const words = evaluate(input({ indicator: families({ dotBasis: 'baseline', baseline: baseline(104, 'Summer 2024') }), observations: [obs('2025/26 Q1', 40)] }));
    expect(words.directionNote).toBe('the baseline (Summer 2024) is not for a financial year, so it cannot be pro-rated to 2025/26 Q1');
    const none = evaluate(input({ indicator: families({ dotBasis: 'same_last_year', baseline: null }), observations: [obs('2025/26 Q1', 40)] }));
    expect(none.directionNote).toBe('no year-to-date value for 2024/25 Q1 and no baseline for 2024/25 to pro-rate');
  });
});

describe('properties', () => {
  const mirror = (d: Direction | null) => (d === 'improving' ? 'declining' : d === 'declining' ? 'improving' : d);
  const band = fc.oneof(fc.constant<MaintainedBand>(EQUAL), fc.double({ min: 0, max: 20, noNaN: true }).map(pct));
  const value = fc.integer({ min: -100_000, max: 100_000 }).map((n) => n / 100);
  const keys = ['2024/25 Q1', '2024/25 Q2', '2024/25 Q3', '2024/25 Q4', '2025/26 Q1', '2025/26 Q2', '2025/26 Q3'];
  const scenario = fc.record({
    values: fc.array(fc.option(value, { nil: null }), { minLength: keys.length, maxLength: keys.length }),
    last: value,
    baseline: fc.option(value, { nil: null }),
    basis: fc.constantFrom<DotBasis>('previous', 'same_last_year', 'baseline'),
    aggregation: fc.constantFrom<Aggregation>('snapshot', 'cumulative', 'ytd', 'ytd_percent', 'average'),
    band,
    decimals: fc.integer({ min: 0, max: 3 }),
  });
  type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;
  const run = (s: Scenario, polarity: Polarity, sign = 1) =>
    evaluate(
      input({
        indicator: spec({ polarity, aggregation: s.aggregation, decimals: s.decimals, dotBasis: s.basis, maintainedBand: s.band, baseline: s.baseline === null ? null : baseline(sign * s.baseline, '2024/25') }),
        observations: [...keys.flatMap((k, i) => (s.values[i] === null ? [] : [obs(k, sign * s.values[i]!)])), obs('2025/26 Q4', sign * s.last)],
      }),
    );

  it('mirrored polarity mirrors direction, under every basis, aggregation and band', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const higher = run(s, 'higher');
        expect(run(s, 'lower').direction).toBe(mirror(higher.direction));
        // Negating every figure and flipping polarity changes nothing.
        expect(run(s, 'lower', -1).direction).toBe(higher.direction);
      }),
    );
  });

  it('a value inside the band is maintained, and one outside it is not', () => {
    fc.assert(
      fc.property(value, fc.double({ min: 0.1, max: 50, noNaN: true }), fc.double({ min: -0.999, max: 0.999, noNaN: true }), fc.constantFrom<Polarity>('higher', 'lower'), (previous, percent, share, polarity) => {
        const current = previous + (share * Math.abs(previous) * percent) / 100;
        expect(directionFor(current, previous, polarity, pct(percent))).toBe('maintained');
        if (previous !== 0) expect(directionFor(previous + ((share < 0 ? -1.01 : 1.01) * Math.abs(previous) * percent) / 100, previous, polarity, pct(percent))).not.toBe('maintained');
      }),
    );
  });

  it('a value that prints the same is maintained at that precision', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 0, max: 4 }), fc.double({ min: -0.45, max: 0.45, noNaN: true }), (k, d, within) => {
        const unit = 10 ** -d;
        const previous = k * unit;
        expect(isMaintained(previous + within * unit, previous, EQUAL, d)).toBe(true);
        expect(isMaintained(previous + (within < 0 ? -1 : 1) * unit, previous, EQUAL, d)).toBe(false);
      }),
    );
  });

  it('through the whole evaluation: a period inside the band of the one before is maintained', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0.5, max: 20, noNaN: true }), fc.double({ min: -0.99, max: 0.99, noNaN: true }), (before, percent, share) => {
        const now = before + (share * before * percent) / 100;
        const ev = evaluate(input({ indicator: spec({ maintainedBand: pct(percent), decimals: 2 }), observations: [obs('2025/26 Q1', before), obs('2025/26 Q2', now)] }));
        expect(ev.direction).toBe('maintained');
      }),
    );
  });
});
