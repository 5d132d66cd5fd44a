import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, statusFor, type EvaluationInput, type IndicatorSpec, type ObservationPoint, type TargetPoint } from '../../../src/domain/evaluate.ts';
import { formatValue, parseValue } from '../../../src/domain/format.ts';
import { financialYear, periodFromKey, quarter } from '../../../src/domain/periods.ts';
import type { Polarity, Status, Tolerance } from '../../../src/domain/types.ts';

// ---- builders
const TEN: Tolerance = { kind: 'relative', value: 10 };
const spec = (over: Partial<IndicatorSpec> = {}): IndicatorSpec => ({ polarity: 'higher', frequency: 'quarterly', aggregation: 'snapshot', unit: '%', decimals: 1, ...over });
const obs = (key: string, value: number, over: Partial<ObservationPoint> = {}): ObservationPoint => ({ period: periodFromKey(key), value, ...over });
const target = (key: string, value: number | null, over: Partial<TargetPoint> = {}): TargetPoint => ({ period: periodFromKey(key), value, ...over });
const input = (over: Partial<EvaluationInput> = {}): EvaluationInput => ({
  indicator: spec(),
  observations: [],
  targets: [],
  rules: { fyStartMonth: 4, tolerance: TEN, dotBasis: 'previous', maintainedBand: { kind: 'precision' } },
  ...over,
});

describe('status', () => {
  it('is green at or beyond the target, amber within the tolerance, red beyond it — by polarity', () => {
    expect(statusFor(85, 85, 'higher', TEN)).toBe('green');
    expect(statusFor(76.5, 85, 'higher', TEN)).toBe('amber');
    expect(statusFor(76.4, 85, 'higher', TEN)).toBe('red');
    expect(statusFor(8.5, 8.5, 'lower', TEN)).toBe('green');
    expect(statusFor(9.35, 8.5, 'lower', TEN)).toBe('amber');
    expect(statusFor(10.49, 8.5, 'lower', TEN)).toBe('red');
  });

  it('uses an absolute tolerance or an amber floor when given', () => {
    expect(statusFor(83.8, 85, 'higher', TEN, 82)).toBe('amber');
    expect(statusFor(81.9, 85, 'higher', TEN, 82)).toBe('red');
    expect(statusFor(96, 95, 'lower', { kind: 'absolute', value: 2 })).toBe('amber');
    expect(statusFor(97.5, 95, 'lower', { kind: 'absolute', value: 2 })).toBe('red');
  });

  it('gives no RAG to contextual measures', () => {
    expect(statusFor(5, 10, 'none', TEN)).toBe('no_target');
  });

  const polarities = fc.constantFrom<Polarity>('higher', 'lower');
  const tolerance = fc.oneof(
    fc.record({ kind: fc.constant<'relative'>('relative'), value: fc.double({ min: 0, max: 50, noNaN: true }) }),
    fc.record({ kind: fc.constant<'absolute'>('absolute'), value: fc.double({ min: 0, max: 50, noNaN: true }) }),
  );
  const num = fc.double({ min: -1e6, max: 1e6, noNaN: true });
  const rank = (s: Status) => ({ red: 0, amber: 1, green: 2 })[s as 'red'];

  it('mirrors: higher-is-better on x equals lower-is-better on −x', () => {
    fc.assert(
      fc.property(num, num, tolerance, (v, t, tol) => {
        expect(statusFor(v, t, 'higher', tol)).toBe(statusFor(-v, -t, 'lower', tol));
      }),
    );
  });

  it('never gets better as the value gets worse', () => {
    fc.assert(
      fc.property(num, num, fc.double({ min: 0, max: 1e5, noNaN: true }), polarities, tolerance, (v, t, worse, p, tol) => {
        const worseValue = p === 'higher' ? v - worse : v + worse;
        expect(rank(statusFor(worseValue, t, p, tol))).toBeLessThanOrEqual(rank(statusFor(v, t, p, tol)));
      }),
    );
  });
});

describe('evaluate', () => {
  it('explains status and direction in one sentence', () => {
    const ev = evaluate(input({ observations: [obs('2017/18 Q2', 85.1), obs('2017/18 Q3', 83.8)], targets: [target('2017/18 Q3', 85, { amberFloor: 82 })] }));
    expect(ev.status).toBe('amber');
    expect(ev.direction).toBe('declining');
    expect(ev.explanation).toBe('Amber: 83.8% against a target of 85% (amber down to 82%); declining from 85.1% in Q2.');
  });

  it('says red with the amber ceiling for lower-is-better', () => {
    const ev = evaluate(input({ indicator: spec({ polarity: 'lower', unit: 'days per employee', decimals: 2 }), observations: [obs('2017/18 Q2', 10.18), obs('2017/18 Q3', 10.49)], targets: [target('2017/18 Q3', 8.5)] }));
    expect(ev.explanation).toBe('Red: 10.49 days against a target of 8.5 days (amber up to 9.35 days); declining from 10.18 days in Q2.');
  });

  it('uses the annual target for a level measured quarterly, and pro-rata for a cumulative count', () => {
    const level = evaluate(input({ observations: [obs('2025/26 Q2', 90)], targets: [target('2025/26', 95)] }));
    expect(level.target).toMatchObject({ value: 95, basis: 'annual' });
    const count = evaluate(
      input({
        indicator: spec({ aggregation: 'cumulative', unit: 'number', decimals: 0 }),
        observations: [obs('2025/26 Q1', 200), obs('2025/26 Q2', 260)],
        targets: [target('2025/26', 950)],
      }),
    );
    expect(count.value).toBe(460);
    expect(count.target).toMatchObject({ value: 475, basis: 'pro-rata' });
    expect(count.status).toBe('amber');
    expect(count.explanation).toContain('460 so far this year against a pro-rata target of 475 (annual target 950)');
  });

  it('prefers a profiled target for the period', () => {
    const ev = evaluate(input({ indicator: spec({ aggregation: 'cumulative', unit: 'number' }), observations: [obs('2017/18 Q3', 27)], targets: [target('2017/18', 120), target('2017/18 Q3', 35)] }));
    expect(ev.target).toMatchObject({ value: 35, basis: 'profiled' });
  });

  it('compares what a running total added, not the totals', () => {
    const ev = evaluate(input({ indicator: spec({ aggregation: 'ytd', unit: 'number', decimals: 0 }), observations: [obs('2013/14 Q1', 105), obs('2013/14 Q2', 199)], targets: [target('2013/14 Q2', 150)] }));
    expect(ev.status).toBe('green');
    expect(ev.direction).toBe('declining');
    expect(ev.directionSentence).toBe('declining from 105 added in Q1 to 94');
  });

  it('has no status without a target, shows a textual target, and none without polarity', () => {
    expect(evaluate(input({ observations: [obs('2017/18 Q3', 77.8)], targets: [target('2017/18 Q3', null, { text: 'TBC' })] })).explanation).toBe('No target set (TBC): 77.8% in Q3.');
    expect(evaluate(input({ indicator: spec({ polarity: 'none' }), observations: [obs('2017/18 Q3', 46)], targets: [target('2017/18 Q3', 40)] })).status).toBe('no_target');
  });

  it('is in measurement, never red, when there is no value yet', () => {
    const ev = evaluate(input({ indicator: spec({ frequency: 'annual' }), targets: [target('2017/18', 23.9)], period: financialYear(2017) }));
    expect(ev.status).toBe('in_measurement');
    expect(ev.explanation).toBe('In measurement: no value for 2017/18 yet (reported annually).');
    expect(evaluate(input()).status).toBe('in_measurement');
  });

  it('lets a management assessment override the computed status, and says so', () => {
    const ev = evaluate(input({ observations: [obs('2017/18 Q3', 83.8, { assessedStatus: 'green', assessedBy: 'the Strategic Lead', estimated: true })], targets: [target('2017/18 Q3', 85)] }));
    expect(ev).toMatchObject({ status: 'green', computedStatus: 'amber', assessed: true });
    expect(ev.explanation).toBe('Green (management assessment by the Strategic Lead; computed Amber): 83.8% (estimated) against a target of 85% (amber down to 76.5%).');
  });

  it('compares with the same period last year when asked', () => {
    const ev = evaluate(input({ indicator: spec({ frequency: 'monthly', dotBasis: 'same_last_year' }), observations: [obs('2024-09', 70), obs('2025-08', 90), obs('2025-09', 75)], targets: [target('2025-09', 80)] }));
    expect(ev.comparedWith?.period?.key).toBe('2024-09');
    expect(ev.direction).toBe('improving');
    expect(ev.directionSentence).toBe('improving from 70% in Sep 2024');
  });

  it('evaluates an earlier period on request', () => {
    const ev = evaluate(input({ observations: [obs('2017/18 Q2', 62.5), obs('2017/18 Q3', 60.9)], targets: [target('2017/18 Q2', 59.5)], period: quarter(2017, 2) }));
    expect(ev.period?.key).toBe('2017/18 Q2');
    expect(ev.status).toBe('green');
  });
});

describe('values', () => {
  it('formats in the unit, en-GB', () => {
    expect(formatValue(83.8, '%', 1)).toBe('83.8%');
    expect(formatValue(5.5, '£ millions', 1)).toBe('£5.5m');
    expect(formatValue(1234, 'number', 0)).toBe('1,234');
    expect(formatValue(8.69, 'days')).toBe('8.69 days');
    expect(formatValue(1, 'rank (position among Greater Manchester areas; 1st = safest)')).toBe('1st');
    expect(formatValue(0.1 + 0.2, 'number')).toBe('0.3');
  });

  it('reads what people type, and says what is wrong', () => {
    expect(parseValue('8.4', 'days')).toEqual({ ok: true, value: 8.4 });
    expect(parseValue('83.8%', '%')).toEqual({ ok: true, value: 83.8 });
    expect(parseValue('1,234', 'number')).toEqual({ ok: true, value: 1234 });
    expect(parseValue('£5.5m', '£ millions')).toEqual({ ok: true, value: 5.5 });
    expect(parseValue('-15.5', 'percentage points')).toEqual({ ok: true, value: -15.5 });
    for (const bad of ['abc', '1.2.3', '', 'NaN', 'Infinity', '1,23', '1e400']) expect(parseValue(bad, 'number').ok).toBe(false);
    // A percentage over 100 is read; the plausibility check asks about it (plausibility.test.ts).
    expect(parseValue('120', '%')).toEqual({ ok: true, value: 120 });
  });

  it('never throws on hostile input', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('%', 'number', '£ millions', 'days'), (s, unit) => {
        expect(typeof parseValue(s, unit).ok).toBe('boolean');
      }),
    );
  });
});
