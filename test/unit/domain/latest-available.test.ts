// The latest available value: a period not yet in is judged on the latest value of its financial
// year, said as that period's ("Green: 71% at Q1 (Q2 not yet in) …"); "in measurement" stays for
// nothing this year, for annual measures before their year-end figure, and when the organisation
// turns the setting off. Every indicator without a status or an arrow says why.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, latestAvailableBefore, type EvaluationInput, type IndicatorSpec, type ObservationPoint } from '../../../src/domain/evaluate.ts';
import { periodFromKey } from '../../../src/domain/periods.ts';
import type { Aggregation, DotBasis, Polarity } from '../../../src/domain/types.ts';

const spec = (over: Partial<IndicatorSpec> = {}): IndicatorSpec => ({ polarity: 'higher', frequency: 'quarterly', aggregation: 'snapshot', unit: '%', decimals: 0, ...over });
const obs = (key: string, value: number): ObservationPoint => ({ period: periodFromKey(key), value });
const input = (over: Partial<EvaluationInput> = {}, rules: Partial<EvaluationInput['rules']> = {}): EvaluationInput => ({
  indicator: spec(),
  observations: [],
  targets: [],
  rules: { fyStartMonth: 4, tolerance: { kind: 'relative', value: 5 }, dotBasis: 'previous', maintainedBand: { kind: 'precision' }, ...rules },
  ...over,
});
const Q = (n: number, year = '2017/18') => `${year} Q${n}`;

describe('the latest available value', () => {
  it('judges Q2 on Q1 when Q2 is not in, and says so', () => {
    const ev = evaluate(
      input({
        period: periodFromKey(Q(2)),
        observations: [obs(Q(4, '2016/17'), 66), obs(Q(1), 71)],
        targets: [{ period: periodFromKey('2017/18'), value: 70 }],
      }),
    );
    expect(ev).toMatchObject({ status: 'green', direction: 'improving', value: 71, statusReason: null, directionReason: null });
    expect(ev.period?.key).toBe(Q(2));
    expect(ev.latestAvailable?.key).toBe(Q(1));
    expect(ev.explanation).toBe('Green: 71% at Q1 (Q2 not yet in) against a target of 70%; improving from 66% in 2016/17 Q4.');
  });

  it('uses the latest of several earlier values, and that period\'s own target', () => {
    const ev = evaluate(
      input({
        period: periodFromKey(Q(4)),
        observations: [obs(Q(1), 50), obs(Q(3), 58), obs(Q(2), 55)],
        targets: [{ period: periodFromKey(Q(3)), value: 60 }, { period: periodFromKey(Q(4)), value: 80 }],
      }),
    );
    expect(ev.latestAvailable?.key).toBe(Q(3));
    expect(ev).toMatchObject({ status: 'amber', value: 58, target: { value: 60 } });
    expect(ev.statusSentence).toContain('58% at Q3 (Q4 not yet in) against a target of 60%');
  });

  it('is "in measurement" when nothing this year is in (last year\'s values do not stand in)', () => {
    const ev = evaluate(input({ period: periodFromKey(Q(2)), observations: [obs(Q(4, '2016/17'), 66), obs(Q(3, '2016/17'), 64)] }));
    expect(ev).toMatchObject({ status: 'in_measurement', latestAvailable: null, direction: null });
    expect(ev.statusReason).toEqual({ code: 'no-value-this-year', text: 'no value in 2017/18 up to Q2' });
  });

  it('stays "in measurement" for an annual measure before its year-end figure', () => {
    const ev = evaluate(input({ indicator: spec({ frequency: 'annual' }), period: periodFromKey('2017/18'), observations: [obs('2016/17', 60)] }));
    expect(ev).toMatchObject({ status: 'in_measurement', latestAvailable: null });
    expect(ev.statusReason?.code).toBe('reported-annually');
  });

  it('is off when the organisation turns it off (and then says an earlier value exists)', () => {
    const ev = evaluate(input({ period: periodFromKey(Q(2)), observations: [obs(Q(1), 71)], targets: [{ period: periodFromKey('2017/18'), value: 70 }] }, { latestAvailable: false }));
    expect(ev).toMatchObject({ status: 'in_measurement', latestAvailable: null });
    expect(ev.statusReason?.code).toBe('not-yet-in');
    expect(ev.statusReason?.text).toContain('the latest, Q1, is not used');
  });

  it('judges a running total at the latest month in against its pro-rata target', () => {
    const ev = evaluate(
      input({
        indicator: spec({ frequency: 'monthly', aggregation: 'ytd', unit: 'number' }),
        period: periodFromKey('2017-09'),
        observations: [obs('2017-04', 10), obs('2017-05', 25), obs('2017-06', 33)],
        targets: [{ period: periodFromKey('2017/18'), value: 120 }],
      }),
    );
    expect(ev.latestAvailable?.key).toBe('2017-06');
    expect(ev).toMatchObject({ status: 'green', target: { value: 30, basis: 'pro-rata' } });
    expect(ev.statusSentence).toBe('Green: 33 at Jun (Sep not yet in) against a pro-rata target of 30 (annual target 120)');
  });

  it('leaves a management assessment of the stand-in period in place', () => {
    const ev = evaluate(input({ period: periodFromKey(Q(2)), observations: [{ ...obs(Q(1), 71), assessedStatus: 'amber', assessedBy: 'Priya Shah' }], targets: [{ period: periodFromKey('2017/18'), value: 70 }] }));
    expect(ev).toMatchObject({ status: 'amber', computedStatus: 'green', assessed: true, statusReason: null });
    expect(ev.statusSentence).toContain('at Q1 (Q2 not yet in)');
  });

  const polarity = fc.constantFrom<Polarity>('higher', 'lower');
  const aggregation = fc.constantFrom<Aggregation>('snapshot', 'cumulative', 'ytd', 'average');
  const basis = fc.constantFrom<DotBasis>('previous', 'same_last_year', 'baseline');
  const value = fc.integer({ min: 0, max: 1000 });

  it('property: a missing period evaluates exactly as its latest available period, sentence apart', () => {
    fc.assert(
      fc.property(polarity, aggregation, basis, fc.array(fc.option(value, { nil: null }), { minLength: 4, maxLength: 4 }), fc.array(fc.option(value, { nil: null }), { minLength: 4, maxLength: 4 }), fc.integer({ min: 1, max: 4 }), fc.option(value, { nil: null }), (pol, agg, b, lastYear, thisYear, asked, target) => {
        const observations = [
          ...lastYear.flatMap((v, i) => (v === null ? [] : [obs(Q(i + 1, '2016/17'), v)])),
          ...thisYear.flatMap((v, i) => (v === null || i + 1 >= asked ? [] : [obs(Q(i + 1), v)])),
        ];
        const base = input({
          indicator: spec({ polarity: pol, aggregation: agg, unit: 'number', baseline: { value: 400, period: periodFromKey('2016/17'), label: '2016/17' } }),
          observations,
          targets: target === null ? [] : [{ period: periodFromKey('2017/18'), value: target }],
          period: periodFromKey(Q(asked)),
        }, { dotBasis: b });
        const ev = evaluate(base);
        const latest = latestAvailableBefore(periodFromKey(Q(asked)), observations, 4);
        if (!latest) {
          expect(ev.status).toBe('in_measurement');
          expect(ev.latestAvailable).toBeNull();
          expect(ev.statusReason?.code).toBe('no-value-this-year');
          return;
        }
        const direct = evaluate({ ...base, period: latest });
        expect(ev.latestAvailable?.key).toBe(latest.key);
        expect(ev.period?.key).toBe(Q(asked));
        expect({ status: ev.status, direction: ev.direction, value: ev.value, target: ev.target, reason: ev.statusReason?.code ?? null, dir: ev.directionReason }).toEqual({
          status: direct.status,
          direction: direct.direction,
          value: direct.value,
          target: direct.target,
          reason: direct.statusReason?.code ?? null,
          dir: direct.directionReason,
        });
        expect(ev.explanation).toContain(`(Q${asked} not yet in)`);
        // Off: never a status without the period's own value.
        expect(evaluate({ ...base, rules: { ...base.rules, latestAvailable: false } }).status).toBe('in_measurement');
      }),
    );
  });

  it('property: every evaluation has a status or a reason, and a direction or a reason', () => {
    fc.assert(
      fc.property(fc.constantFrom<Polarity>('higher', 'lower', 'none'), aggregation, basis, fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom('2016/17', '2017/18'), value), { maxLength: 6 }), fc.integer({ min: 1, max: 4 }), fc.option(fc.constantFrom('TBC', 'National average', 'No more than 50', 'At least 20 a quarter', 'Maintain or improve on last year', 'Reduce'), { nil: null }), (pol, agg, b, cells, asked, text) => {
        const ev = evaluate(
          input({
            indicator: spec({ polarity: pol, aggregation: agg, unit: 'number' }),
            observations: cells.map(([q, y, v]) => obs(Q(q, y), v)).filter((o, i, all) => all.findIndex((x) => x.period.key === o.period.key) === i),
            targets: text ? [{ period: periodFromKey('2017/18'), value: null, text }] : [],
            period: periodFromKey(Q(asked)),
          }, { dotBasis: b }),
        );
        const rag = ev.status === 'green' || ev.status === 'amber' || ev.status === 'red';
        expect(rag || (ev.statusReason !== null && ev.statusReason.text.length > 0)).toBe(true);
        expect(ev.direction !== null || (ev.directionReason !== null && Boolean(ev.directionNote))).toBe(true);
      }),
    );
  });
});
