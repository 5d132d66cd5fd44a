// Baselines that are outturns: "2016/17 Q4", "2016/17 outturn", "12/13 Actual" or a bare "Outturn"
// for a running total or a per-quarter count is last year's total, compared like for like part-way
// through the year (pro rata, or last year's same point when the history has it), and the sentence
// says which.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baselineFor, endsFinancialYear, readBaselineLabel, type BaselinePoint } from '../../../src/domain/baseline.ts';
import { evaluate, type EvaluationInput, type IndicatorSpec, type ObservationPoint } from '../../../src/domain/evaluate.ts';
import { periodFromKey } from '../../../src/domain/periods.ts';
import type { Aggregation, Polarity } from '../../../src/domain/types.ts';

const spec = (over: Partial<IndicatorSpec> = {}): IndicatorSpec => ({ polarity: 'higher', frequency: 'quarterly', aggregation: 'ytd', unit: 'number', decimals: 0, ...over });
const obs = (key: string, value: number): ObservationPoint => ({ period: periodFromKey(key), value });
const baseline = (value: number, label: string): BaselinePoint => {
  const r = readBaselineLabel(label, 4);
  return { value, period: r.period, label, ...(r.outturn ? { outturn: true } : {}) };
};
const input = (over: Partial<EvaluationInput> = {}): EvaluationInput => ({
  indicator: spec(),
  observations: [],
  targets: [],
  rules: { fyStartMonth: 4, tolerance: { kind: 'relative', value: 5 }, dotBasis: 'baseline', maintainedBand: { kind: 'precision' } },
  ...over,
});

describe('readBaselineLabel', () => {
  it.each([
    ['2016/17', '2016/17', false],
    ['2016/17 Q4', '2016/17 Q4', false],
    ['Q4 2016/17', '2016/17 Q4', false],
    ['March 2017', '2017-03', false],
    ['2016/17 outturn', '2016/17', true],
    ['  2016/17  Outturn ', '2016/17', true],
    ['Outturn 2016/17', '2016/17', true],
    ['12/13 Actual', '2012/13', true],
    ['2016/17 out-turn', '2016/17', true],
    ['Year end 2016/17', '2016/17', true],
  ])('reads "%s" as %s (outturn: %s)', (label, key, outturn) => {
    const r = readBaselineLabel(label, 4);
    expect(r.period?.key).toBe(key);
    expect(r.outturn).toBe(outturn);
  });

  it('reads a bare "Outturn" as an outturn of no stated year, and leaves what it cannot read', () => {
    expect(readBaselineLabel('Outturn', 4)).toEqual({ period: null, outturn: true });
    expect(readBaselineLabel('Summer 2016', 4)).toEqual({ period: null, outturn: false });
    expect(readBaselineLabel('Actual', 4)).toEqual({ period: null, outturn: true });
    expect(readBaselineLabel('', 4)).toEqual({ period: null, outturn: false });
    expect(readBaselineLabel(null, 4)).toEqual({ period: null, outturn: false });
    expect(readBaselineLabel('2016/17 Q5 outturn', 4)).toEqual({ period: null, outturn: false });
  });

  it('knows the last period of a financial year', () => {
    expect(endsFinancialYear(periodFromKey('2016/17 Q4'), 4)).toBe(true);
    expect(endsFinancialYear(periodFromKey('2017-03'), 4)).toBe(true);
    expect(endsFinancialYear(periodFromKey('2016/17 Q3'), 4)).toBe(false);
    expect(endsFinancialYear(periodFromKey('2016/17'), 4)).toBe(false);
  });
});

describe('baselineFor', () => {
  const q2 = periodFromKey('2017/18 Q2');
  it('makes a count\'s year-end baseline its financial year; leaves a level as it is', () => {
    expect(baselineFor(baseline(440, '2016/17 Q4'), 'ytd', q2, 4)).toMatchObject({ period: { key: '2016/17' }, outturn: true, label: '2016/17 Q4' });
    expect(baselineFor(baseline(440, 'Mar 2017'), 'cumulative', q2, 4)).toMatchObject({ period: { key: '2016/17' }, outturn: true });
    expect(baselineFor(baseline(68, '2016/17 Q4'), 'snapshot', q2, 4)).toMatchObject({ period: { key: '2016/17 Q4' } });
    expect(baselineFor(baseline(440, '2016/17 Q3'), 'ytd', q2, 4)).toMatchObject({ period: { key: '2016/17 Q3' } });
  });

  it('gives a bare "Outturn" the year before the period compared', () => {
    expect(baselineFor(baseline(610, 'Outturn'), 'ytd', q2, 4)).toMatchObject({ period: { key: '2016/17' }, outturn: true, label: '2016/17 outturn' });
    expect(baselineFor(baseline(610, 'Outturn'), 'snapshot', periodFromKey('2018/19 Q1'), 4)).toMatchObject({ period: { key: '2017/18' } });
  });
});

describe('direction against an outturn baseline', () => {
  it('pro-rates a running total\'s "2016/17 Q4" baseline and says it is the outturn', () => {
    const ev = evaluate(input({ indicator: spec({ baseline: baseline(440, '2016/17 Q4') }), observations: [obs('2017/18 Q1', 120), obs('2017/18 Q2', 250)] }));
    expect(ev.direction).toBe('improving');
    expect(ev.comparedWith).toMatchObject({ kind: 'baseline-pro-rata', value: 220, outturn: true });
    expect(ev.directionSentence).toBe("improving: 250 so far against 220 at this point on last year's pace (2016/17 outturn 440, pro rata 2 of 4 quarters)");
  });

  it('sums a per-quarter count and compares it with the outturn pro rata', () => {
    const ev = evaluate(input({ indicator: spec({ aggregation: 'cumulative', baseline: baseline(280, '2016/17 outturn') }), observations: [obs('2017/18 Q1', 70), obs('2017/18 Q2', 85)] }));
    expect(ev.comparedWith).toMatchObject({ kind: 'baseline-pro-rata', current: 155, value: 140 });
    expect(ev.direction).toBe('improving');
  });

  it('prefers last year\'s same point when the history has it', () => {
    const ev = evaluate(
      input({
        indicator: spec({ baseline: baseline(440, '2016/17 Q4') }),
        observations: [obs('2016/17 Q1', 100), obs('2016/17 Q2', 260), obs('2017/18 Q1', 120), obs('2017/18 Q2', 250)],
      }),
    );
    expect(ev.comparedWith).toMatchObject({ kind: 'same-point', value: 260 });
    expect(ev.direction).toBe('declining');
  });

  it('compares the year-end figure with the outturn as is', () => {
    const ev = evaluate(input({ indicator: spec({ baseline: baseline(440, '2016/17 Q4') }), observations: [obs('2017/18 Q3', 300), obs('2017/18 Q4', 452), obs('2017/18 Q1', 100), obs('2017/18 Q2', 200)] }));
    expect(ev.comparedWith).toMatchObject({ kind: 'baseline', value: 440, outturn: true });
    expect(ev.directionSentence).toBe('improving from the 2016/17 outturn of 440 (baseline 2016/17 Q4)');
  });

  it('still refuses a count\'s baseline that is not a year-end figure', () => {
    const ev = evaluate(input({ indicator: spec({ baseline: baseline(300, '2016/17 Q3') }), observations: [obs('2017/18 Q1', 120), obs('2017/18 Q2', 250)] }));
    expect(ev.direction).toBeNull();
    expect(ev.directionReason).toBe('baseline-not-a-year');
  });

  it('property: a count\'s baseline at its year\'s last period, or marked outturn, compares as the year\'s', () => {
    const agg = fc.constantFrom<Aggregation>('cumulative', 'ytd');
    const pol = fc.constantFrom<Polarity>('higher', 'lower');
    const v = fc.integer({ min: 0, max: 5000 });
    fc.assert(
      fc.property(agg, pol, v, fc.array(v, { minLength: 4, maxLength: 4 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom('2016/17 Q4', 'Mar 2017', '2016/17 outturn', 'Outturn', '16/17 Actual'), (a, p, base, values, upTo, label) => {
        const observations = values.slice(0, upTo).map((x, i) => obs(`2017/18 Q${i + 1}`, x));
        const at = (b: BaselinePoint) => evaluate(input({ indicator: spec({ aggregation: a, polarity: p, baseline: b }), observations }));
        const year = at({ value: base, period: periodFromKey('2016/17'), label: '2016/17' });
        const outturn = at(baseline(base, label));
        expect(outturn.direction).toBe(year.direction);
        expect(outturn.comparedWith?.value).toBe(year.comparedWith?.value);
        if (outturn.direction) expect(outturn.directionSentence).toContain('2016/17 outturn');
      }),
    );
  });
});
