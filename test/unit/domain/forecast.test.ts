// The year-end forecast: run rate and last year's seasonal profile for counts, a bounded trend for
// levels, the sentence people read, and the back-test against a naive last-value forecast.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backtestCases, boundedTrend, forecastYearEnd, medianSlope, naiveYearEnd, summariseBacktest, yearEndTarget, type ForecastIndicator, type ForecastInput } from '../../../src/domain/forecast.ts';
import { periodFromKey, quarter } from '../../../src/domain/periods.ts';

fc.configureGlobal({ seed: Number(process.env.KPI_FUZZ_SEED ?? 20180115), numRuns: Number(process.env.KPI_FUZZ_RUNS ?? 200) });

const rules = { fyStartMonth: 4, tolerance: { kind: 'relative' as const, value: 10 } };
const spec = (over: Partial<ForecastIndicator> = {}): ForecastIndicator => ({ polarity: 'higher', aggregation: 'snapshot', unit: 'number', decimals: 0, ...over });
const obs = (...pairs: [string, number][]) => pairs.map(([k, value]) => ({ period: periodFromKey(k), value }));
const tgt = (...pairs: [string, number][]) => pairs.map(([k, value]) => ({ period: periodFromKey(k), value }));
const input = (over: Partial<ForecastInput>): ForecastInput => ({ indicator: spec(), observations: [], targets: [], rules, ...over });

describe('forecastYearEnd', () => {
  it('runs a year-to-date count on at its run rate', () => {
    const f = forecastYearEnd(input({ indicator: spec({ aggregation: 'ytd' }), observations: obs(['2017/18 Q2', 113], ['2017/18 Q3', 310]), targets: tgt(['2017/18', 400]) }));
    expect(f).toMatchObject({ method: 'run-rate', status: 'green', elapsed: 3, periods: 4 });
    expect(f!.value).toBeCloseTo(413.33, 2);
    expect(f!.sentence).toBe('on course to meet the year-end target of 400: forecast 413');
    expect(f!.basis).toBe('the year to date at its run rate: 310 in 3 of 4 quarters');
  });

  it("uses last year's seasonal profile when last year is fully known", () => {
    const f = forecastYearEnd(
      input({
        indicator: spec({ aggregation: 'cumulative' }),
        observations: obs(['2016/17 Q1', 50], ['2016/17 Q2', 50], ['2016/17 Q3', 50], ['2016/17 Q4', 250], ['2017/18 Q1', 60], ['2017/18 Q2', 60], ['2017/18 Q3', 60]),
        targets: tgt(['2017/18', 450]),
      }),
    );
    // By Q3 last year had 150 of its 400 (37.5%): this year's 180 by Q3 is on course for 480, not 240.
    expect(f).toMatchObject({ method: 'seasonal', value: 480, status: 'green' });
    expect(f!.basis).toBe("the year to date (180 by 2017/18 Q3) on last year's seasonal profile: by 2016/17 Q3 last year had 38% of its total");
  });

  it('carries a level on its damped, bounded trend and says it will miss', () => {
    const f = forecastYearEnd(input({ indicator: spec({ polarity: 'lower', unit: 'days', decimals: 2 }), observations: obs(['2017/18 Q2', 10.18], ['2017/18 Q3', 10.49]), targets: tgt(['2017/18', 8.5]) }));
    expect(f).toMatchObject({ method: 'trend', status: 'red' });
    expect(f!.value).toBeCloseTo(10.49 + 0.31 * 0.7, 6);
    expect(f!.sentence).toBe('on course to miss the year-end target of 8.5 days: forecast 10.71 days');
  });

  it('says a forecast within the tolerance misses, gently', () => {
    const f = forecastYearEnd(input({ indicator: spec({ unit: '%' }), observations: obs(['2017/18 Q1', 90], ['2017/18 Q2', 89], ['2017/18 Q3', 88]), targets: tgt(['2017/18', 95]) }));
    expect(f!.status).toBe('amber');
    expect(f!.sentence).toBe('on course to miss the year-end target of 95%: forecast 87% (within the tolerance)');
  });

  it('has no forecast for a complete year, without a year-end target, or for a contextual measure', () => {
    const full = obs(['2017/18 Q1', 1], ['2017/18 Q2', 2], ['2017/18 Q3', 3], ['2017/18 Q4', 4]);
    expect(forecastYearEnd(input({ observations: full, targets: tgt(['2017/18', 5]) }))).toBeNull();
    expect(forecastYearEnd(input({ observations: full.slice(0, 2), targets: tgt(['2017/18 Q2', 5]) }))).toBeNull();
    expect(forecastYearEnd(input({ indicator: spec({ polarity: 'none' }), observations: full.slice(0, 2), targets: tgt(['2017/18', 5]) }))).toBeNull();
    expect(forecastYearEnd(input({ observations: obs(['2017/18', 3]), targets: tgt(['2017/18', 5]) }))).toBeNull();
  });

  it('reads the year-end target as the engine does: annual, else the last period, else (per-period counts) the sum', () => {
    const year = periodFromKey('2017/18');
    expect(yearEndTarget(year, 'snapshot', 'quarter', tgt(['2017/18 Q3', 85], ['2017/18 Q4', 83]), 4)).toEqual({ value: 83, amberFloor: null });
    expect(yearEndTarget(year, 'cumulative', 'quarter', tgt(['2017/18 Q1', 30], ['2017/18 Q2', 30], ['2017/18 Q3', 35], ['2017/18 Q4', 25]), 4)).toEqual({ value: 120, amberFloor: null });
    expect(yearEndTarget(year, 'cumulative', 'quarter', tgt(['2017/18 Q3', 35]), 4)).toBeNull();
  });

  it('reads nothing after asOf (so a back-test cannot peek)', () => {
    const observations = obs(['2017/18 Q1', 10], ['2017/18 Q2', 20], ['2017/18 Q3', 1000]);
    const a = forecastYearEnd(input({ observations, targets: tgt(['2017/18', 5]), asOf: periodFromKey('2017/18 Q2') }));
    const b = forecastYearEnd(input({ observations: observations.slice(0, 2), targets: tgt(['2017/18', 5]) }));
    expect(a).toEqual(b);
  });
});

describe('a percentage to date (ytd_percent): council tax collected', () => {
  // The sample register's BV 9: last year 29.2 → 56.6 → 86.1 → 96.9, a profile of 29.5, 56.8, 86.44 and 97.
  const ct = spec({ aggregation: 'ytd_percent', unit: '%', decimals: 1 });
  const onePct = { ...rules, tolerance: { kind: 'relative' as const, value: 1 } };
  const lastYear = obs(['2024/25 Q1', 29.2], ['2024/25 Q2', 56.6], ['2024/25 Q3', 86.1], ['2024/25 Q4', 96.9]);
  const profile = tgt(['2024/25 Q1', 29.5], ['2024/25 Q2', 56.8], ['2024/25 Q3', 86.44], ['2024/25', 97], ['2025/26 Q1', 29.5], ['2025/26 Q2', 56.8], ['2025/26', 97]);
  const at = (q2: number) => input({ indicator: ct, rules: onePct, observations: [...lastYear, ...obs(['2025/26 Q1', 29.1], ['2025/26 Q2', q2])], targets: profile });

  it("is on course when it follows last year's shape (not a level falling away: 63.5%)", () => {
    const f = forecastYearEnd(at(56.9))!;
    expect(f).toMatchObject({ method: 'seasonal', status: 'green' });
    expect(f.value).toBeCloseTo(56.9 + (96.9 - 56.6), 9);
    expect(f.sentence).toBe('on course to meet the year-end target of 97%: forecast 97.2%');
    expect(f.basis).toBe('56.9% by Q2, plus the 40.3 points that 2024/25 added after Q2, from 56.6% to 96.9%');
  });

  it('is forecast to miss when it is genuinely behind the profile', () => {
    const f = forecastYearEnd(at(50))!;
    expect(f.status).toBe('red');
    expect(f.value).toBeCloseTo(50 + (96.9 - 56.6), 9);
    expect(f.sentence).toBe('on course to miss the year-end target of 97%: forecast 90.3%');
    // Just behind: within the tolerance.
    expect(forecastYearEnd(at(56.3))!.sentence).toBe('on course to miss the year-end target of 97%: forecast 96.6% (within the tolerance)');
  });

  it('follows the target profile in its first year, and runs at its rate without one, never past 100%', () => {
    const first = forecastYearEnd(input({ indicator: ct, rules: onePct, observations: obs(['2025/26 Q1', 29.1], ['2025/26 Q2', 56.9]), targets: profile }))!;
    expect(first).toMatchObject({ method: 'profile', status: 'green' });
    expect(first.value).toBeCloseTo(56.9 + (97 - 56.8), 9);
    expect(first.basis).toBe('56.9% by Q2, plus the 40.2 points that the target profile adds after Q2, from 56.8% to 97%');
    const bare = forecastYearEnd(input({ indicator: ct, observations: obs(['2025/26 Q1', 30], ['2025/26 Q2', 60]), targets: tgt(['2025/26', 97]) }))!;
    expect(bare).toMatchObject({ method: 'run-rate', value: 100 });
    expect(bare.basis).toBe('60% in 2 of 4 quarters at its run rate, at most 100%');
  });

  it('says when it was read from the figures rather than the register', () => {
    const f = forecastYearEnd({ ...at(56.9), indicator: { ...ct, aggregationInferredFrom: 'its targets rise through 2025/26' } })!;
    expect(f.basis).toBe('56.9% by Q2, plus the 40.3 points that 2024/25 added after Q2, from 56.6% to 96.9%; read as a percentage to date, as its targets rise through 2025/26');
  });

  it('is judged in the back-test against a naive forecast that carries the last quarter on, up to 100%', () => {
    const byKey = new Map(lastYear.map((o) => [o.period.key, o]));
    expect(naiveYearEnd({ aggregation: 'ytd_percent' }, periodFromKey('2024/25 Q2'), byKey, 4)).toBe(100); // 56.6 + 2 × 27.4
    const slow = new Map(obs(['2024/25 Q1', 20], ['2024/25 Q2', 35]).map((o) => [o.period.key, o]));
    expect(naiveYearEnd({ aggregation: 'ytd_percent' }, periodFromKey('2024/25 Q2'), slow, 4)).toBe(35 + 2 * 15);
    const cases = backtestCases([{ name: 'council-tax', indicator: ct, observations: lastYear, targets: profile }], onePct);
    expect(cases.map((c) => [c.asOf.key, c.method, Number(c.forecast.toFixed(2)), c.missed, c.forecastMiss])).toEqual([
      ['2024/25 Q1', 'profile', 96.7, true, true],
      ['2024/25 Q2', 'profile', 96.8, true, true],
      ['2024/25 Q3', 'profile', 96.66, true, true],
    ]);
  });
});

describe('percentage to date properties', () => {
  const ct = spec({ aggregation: 'ytd_percent', unit: '%', decimals: 1 });
  const keys = (y: number) => [1, 2, 3, 4].map((q) => quarter(y, q));
  /** A year collected to date: rising shares of an outturn at most 100%. */
  const year = fc
    .tuple(fc.array(fc.double({ min: 0.1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }), fc.double({ min: 5, max: 100, noNaN: true }))
    .map(([steps, outturn]) => {
      const total = steps.reduce((s, x) => s + x, 0);
      let run = 0;
      return steps.map((x) => (run += x) / total).map((share, i) => (i === 3 ? outturn : share * outturn));
    });
  const point = fc.integer({ min: 1, max: 3 });

  it("following last year's shape exactly is forecast to last year's outturn", () => {
    fc.assert(
      fc.property(year, point, (ly, k) => {
        const observations = [...keys(2016).map((period, i) => ({ period, value: ly[i]! })), ...keys(2017).slice(0, k).map((period, i) => ({ period, value: ly[i]! }))];
        const f = forecastYearEnd(input({ indicator: ct, observations, targets: tgt(['2017/18', 95]) }));
        expect(f!.value).toBeCloseTo(ly[3]!, 6);
      }),
    );
  });

  const anyHistory = fc.record({
    lastYear: fc.option(year, { nil: null }),
    profile: fc.option(fc.array(fc.double({ min: 0.5, max: 100, noNaN: true }), { minLength: 3, maxLength: 3 }), { nil: null }),
    target: fc.double({ min: 1, max: 100, noNaN: true }),
    k: point,
    earlier: fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 2, maxLength: 2 }),
  });
  const forecastAt = (h: typeof anyHistory extends fc.Arbitrary<infer T> ? T : never, latest: number) => {
    const observations = [
      ...(h.lastYear ? keys(2016).map((period, i) => ({ period, value: h.lastYear![i]! })) : []),
      ...keys(2017).slice(0, h.k - 1).map((period, i) => ({ period, value: h.earlier[i]! })),
      { period: quarter(2017, h.k), value: latest },
    ];
    const targets = [...(h.profile ? keys(2017).slice(0, 3).map((period, i) => ({ period, value: h.profile![i]! })) : []), ...tgt(['2017/18', h.target])];
    return forecastYearEnd(input({ indicator: ct, observations, targets }))!;
  };

  it('is never above 100% nor below the figure so far', () => {
    fc.assert(
      fc.property(anyHistory, fc.double({ min: 0, max: 100, noNaN: true }), (h, latest) => {
        const f = forecastAt(h, latest);
        expect(f.value).toBeLessThanOrEqual(100);
        expect(f.value).toBeGreaterThanOrEqual(latest);
      }),
    );
  });

  it('is monotone in the latest value', () => {
    fc.assert(
      fc.property(anyHistory, fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (h, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(forecastAt(h, lo).value).toBeLessThanOrEqual(forecastAt(h, hi).value + 1e-9);
      }),
    );
  });
});

describe('bounded trend properties', () => {
  const run = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 6 });
  it('stays within the run widened by its range, and 0–100 for a percentage', () => {
    fc.assert(
      fc.property(run, fc.integer({ min: 1, max: 11 }), (r, h) => {
        const lo = Math.min(...r);
        const hi = Math.max(...r);
        const v = boundedTrend(r, h, 'number');
        expect(v).toBeGreaterThanOrEqual(lo - (hi - lo) - 1e-6);
        expect(v).toBeLessThanOrEqual(hi + (hi - lo) + 1e-6);
        const p = boundedTrend(r, h, '%');
        expect(p >= 0 && p <= 100).toBe(true);
      }),
    );
  });
  it('holds a flat run flat, and follows a straight line in its direction', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.double({ min: 0.01, max: 100, noNaN: true }), fc.integer({ min: 2, max: 6 }), (c, step, n) => {
        expect(boundedTrend(Array(n).fill(c), 3, 'number')).toBeCloseTo(c, 6);
        const up = Array.from({ length: n }, (_, i) => c + step * i);
        expect(medianSlope(up)).toBeCloseTo(step, 6);
        expect(boundedTrend(up, 2, 'number')).toBeGreaterThan(up.at(-1)!);
      }),
    );
  });
});

describe('back-test', () => {
  it('the naive forecast carries the latest figure on', () => {
    const byKey = new Map(obs(['2017/18 Q1', 10], ['2017/18 Q2', 14]).map((o) => [o.period.key, o]));
    const q2 = periodFromKey('2017/18 Q2');
    expect(naiveYearEnd({ aggregation: 'snapshot' }, q2, byKey, 4)).toBe(14);
    expect(naiveYearEnd({ aggregation: 'cumulative' }, q2, byKey, 4)).toBe(24 + 28);
    expect(naiveYearEnd({ aggregation: 'ytd' }, q2, byKey, 4)).toBe(14 + 4 * 2);
    expect(naiveYearEnd({ aggregation: 'average' }, q2, byKey, 4)).toBe((10 + 14 + 28) / 4);
  });

  it('scores each point of each complete year, against the naive forecast', () => {
    // A count that builds up steadily to 400 against a target of 380: the run rate is exact, naive is not.
    const observations = [100, 200, 300, 400].map((v, i) => ({ period: quarter(2016, i + 1), value: v }));
    const cases = backtestCases([{ name: 'completions', indicator: spec({ aggregation: 'ytd' }), observations, targets: tgt(['2016/17', 380]) }], rules);
    expect(cases.map((c) => [c.asOf.key, c.forecast, c.naive, c.missed])).toEqual([
      ['2016/17 Q1', 400, 400, false],
      ['2016/17 Q2', 400, 400, false],
      ['2016/17 Q3', 400, 400, false],
    ]);
    // A level falling away from its target: the trend comes closer than "last value" (from Q1 alone neither sees the miss).
    const falling = [96, 93, 90, 84].map((v, i) => ({ period: quarter(2016, i + 1), value: v }));
    const s = summariseBacktest(backtestCases([{ name: 'rate', indicator: spec({ unit: '%' }), observations: falling, targets: tgt(['2016/17', 95]) }], { ...rules, tolerance: { kind: 'absolute', value: 0 } }));
    expect(s).toMatchObject({ cases: 3, indicators: 1, years: 1, misses: 3, byMethod: { trend: 3, 'run-rate': 0, seasonal: 0, profile: 0 } });
    expect(s.missesCalled).toBeCloseTo(2 / 3, 6);
    expect(s.naiveMissesCalled).toBeCloseTo(2 / 3, 6);
    expect(s.mape!).toBeLessThan(s.naiveMape!);
  });
});
