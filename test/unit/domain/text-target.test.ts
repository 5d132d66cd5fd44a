// Targets written in words: bounds ("No more than 10 %", "Under 4 weeks", "At least 500 a quarter")
// and "Maintain or improve on last year" become figures where unambiguous; benchmarks ("National
// average", "Top quartile") and "TBC" stay textual and say why; a bound on the wrong side of the
// polarity, in another unit or per another period of a level, stays textual too.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, type EvaluationInput, type IndicatorSpec, type ObservationPoint } from '../../../src/domain/evaluate.ts';
import { periodFromKey } from '../../../src/domain/periods.ts';
import { boundFits, readTextTarget } from '../../../src/domain/text-target.ts';
import type { Aggregation, Polarity } from '../../../src/domain/types.ts';

const spec = (over: Partial<IndicatorSpec> = {}): IndicatorSpec => ({ polarity: 'lower', frequency: 'quarterly', aggregation: 'snapshot', unit: '%', decimals: 1, ...over });
const obs = (key: string, value: number): ObservationPoint => ({ period: periodFromKey(key), value });
const worded = (text: string, key = '2017/18') => [{ period: periodFromKey(key), value: null, text }];
const input = (over: Partial<EvaluationInput> = {}): EvaluationInput => ({
  indicator: spec(),
  observations: [],
  targets: [],
  rules: { fyStartMonth: 4, tolerance: { kind: 'relative', value: 10 }, dotBasis: 'previous', maintainedBand: { kind: 'precision' } },
  ...over,
});

describe('readTextTarget', () => {
  it.each([
    ['No more than 10 %', { kind: 'bound', side: 'at-most', value: 10, strict: false, unit: '%', per: null }],
    ['no more than 10%', { kind: 'bound', side: 'at-most', value: 10, strict: false, unit: '%', per: null }],
    ['Under 4 weeks', { kind: 'bound', side: 'at-most', value: 4, strict: true, unit: 'weeks', per: null }],
    ['At least 500 a quarter', { kind: 'bound', side: 'at-least', value: 500, strict: false, unit: null, per: 'quarter' }],
    ['at least 1,200 visits per annum', { kind: 'bound', side: 'at-least', value: 1200, strict: false, unit: 'visits', per: 'year' }],
    ['Over 85%', { kind: 'bound', side: 'at-least', value: 85, strict: true, unit: '%', per: null }],
    ['Maximum of 12 days', { kind: 'bound', side: 'at-most', value: 12, strict: false, unit: 'days', per: null }],
    ['Maintain or improve on last year', { kind: 'last-year' }],
    ['maintain or improve on last year\'s performance', { kind: 'last-year' }],
    ['Better than last year', { kind: 'last-year' }],
    ['Improve on the baseline', { kind: 'last-year' }],
  ])('reads "%s"', (text, expected) => {
    expect(readTextTarget(text)).toEqual(expected);
  });

  it.each([
    ['Top quartile', { kind: 'quartile', quartile: 1 }],
    ['Upper quartile', { kind: 'quartile', quartile: 1 }],
    ['To be in the top quartile', { kind: 'quartile', quartile: 1 }],
    ['Second quartile or better', { kind: 'quartile', quartile: 2 }],
    ['Top half', { kind: 'quartile', quartile: 2 }],
    ['1st in GM', { kind: 'rank', rank: 1, group: 'GM' }],
    ['Top 3 in Greater Manchester', { kind: 'rank', rank: 3, group: 'Greater Manchester' }],
    ['Top 5', { kind: 'rank', rank: 5, group: null }],
    ['Above national average', { kind: 'average', scope: 'national', group: null }],
    ['Better than the England average', { kind: 'average', scope: 'national', group: null }],
    ['Above the GM average', { kind: 'average', scope: 'group', group: 'GM' }],
  ])('reads the benchmark "%s"', (text, aim) => {
    expect(readTextTarget(text)).toEqual({ kind: 'benchmark', aim });
  });

  it.each(['National average', 'Top', 'In line with statistical neighbours average', 'North West average'])('says why "%s" is not judged', (text) => {
    expect(readTextTarget(text)).toMatchObject({ kind: 'pending', why: expect.stringContaining('benchmarks') });
  });

  it.each(['TBC', 'tbc', 'N/A', 'To be confirmed', 'No target set'])('reads "%s" as not set yet', (text) => {
    expect(readTextTarget(text)).toEqual({ kind: 'pending', why: 'no figure is set yet' });
  });

  it.each(['Reduce', 'No more then 10%', 'Increase by 5% on 2016/17', 'Between 5 and 10', '', 'Maintain'])('leaves "%s" textual', (text) => {
    expect(readTextTarget(text)).toBeNull();
  });

  it('uses a bound only on the side of the polarity and in the indicator\'s unit', () => {
    const ceiling = readTextTarget('No more than 10%') as Extract<ReturnType<typeof readTextTarget>, { kind: 'bound' }>;
    expect(boundFits(ceiling, 'lower', '%')).toBeNull();
    expect(boundFits(ceiling, 'higher', '%')).toContain('higher is better');
    expect(boundFits(ceiling, 'lower', 'days')).toContain('percentage');
    const weeks = readTextTarget('Under 4 weeks') as Extract<ReturnType<typeof readTextTarget>, { kind: 'bound' }>;
    expect(boundFits(weeks, 'lower', 'weeks')).toBeNull();
    expect(boundFits(weeks, 'lower', 'days')).toContain('in weeks');
  });
});

describe('worded targets in an evaluation', () => {
  it('judges "No more than 10 %" as a target of 10%', () => {
    const ev = evaluate(input({ observations: [obs('2017/18 Q2', 8.5)], targets: worded('No more than 10 %') }));
    expect(ev).toMatchObject({ status: 'green', target: { value: 10, basis: 'annual' } });
    expect(ev.statusSentence).toBe('Green: 8.5% against a target of 10% (read from "No more than 10 %")');
  });

  it('does not count exactly the bound as meeting "Under 4 weeks"', () => {
    const at = (v: number) => evaluate(input({ indicator: spec({ unit: 'weeks' }), observations: [obs('2017/18 Q2', v)], targets: worded('Under 4 weeks') })).status;
    expect(at(3.9)).toBe('green');
    expect(at(4)).toBe('amber');
    expect(at(4.4)).toBe('amber');
    expect(at(4.5)).toBe('red');
  });

  it('scales "At least 500 a quarter" to the year to date of a per-quarter count', () => {
    const ev = evaluate(input({ indicator: spec({ polarity: 'higher', unit: 'number', decimals: 0, aggregation: 'cumulative' }), observations: [obs('2017/18 Q1', 520), obs('2017/18 Q2', 470)], targets: worded('At least 500 a quarter') }));
    expect(ev).toMatchObject({ status: 'amber', value: 990, target: { value: 1000, basis: 'pro-rata' } });
    expect(ev.statusSentence).toContain('a pro-rata target of 1,000 (annual target 2,000; read from "At least 500 a quarter")');
  });

  it('keeps "At least 500 a quarter" textual for a monthly level (per quarter is not per month)', () => {
    const ev = evaluate(input({ indicator: spec({ polarity: 'higher', unit: 'number', frequency: 'monthly' }), observations: [obs('2017-08', 520)], targets: worded('At least 500 a quarter') }));
    expect(ev).toMatchObject({ status: 'no_target', statusReason: { code: 'target-is-text' } });
    expect(ev.statusReason?.text).toContain('per quarter');
  });

  it('compares "Maintain or improve on last year" with last year\'s outturn: the baseline, else last year\'s figures', () => {
    const higher = spec({ polarity: 'higher', decimals: 0 });
    const withBaseline = evaluate(input({ indicator: { ...higher, baseline: { value: 82, period: periodFromKey('2016/17'), label: '2016/17' } }, observations: [obs('2017/18 Q2', 81)], targets: worded('Maintain or improve on last year') }));
    expect(withBaseline).toMatchObject({ status: 'amber', target: { value: 82 } });
    expect(withBaseline.statusSentence).toContain('a target of 82% (2016/17 outturn, "Maintain or improve on last year")');
    const fromValues = evaluate(input({ indicator: higher, observations: [obs('2016/17 Q3', 70), obs('2016/17 Q4', 79), obs('2017/18 Q1', 80)], targets: worded('Maintain or improve on last year') }));
    expect(fromValues).toMatchObject({ status: 'green', target: { value: 79 } });
    const count = evaluate(input({ indicator: spec({ polarity: 'higher', unit: 'number', aggregation: 'cumulative' }), observations: ['Q1', 'Q2', 'Q3', 'Q4'].map((q) => obs(`2016/17 ${q}`, 100)).concat([obs('2017/18 Q1', 90), obs('2017/18 Q2', 120)]), targets: worded('Maintain or improve on last year') }));
    expect(count).toMatchObject({ status: 'green', target: { value: 200, basis: 'pro-rata' } });
    const nothing = evaluate(input({ indicator: higher, observations: [obs('2017/18 Q2', 80)], targets: worded('Maintain or improve on last year') }));
    expect(nothing.statusReason?.text).toContain('no outturn for 2016/17');
  });

  it('says why a benchmark, a wrong-side bound or an unread phrase gives no status', () => {
    const why = (text: string, polarity: Polarity = 'lower') => evaluate(input({ indicator: spec({ polarity }), observations: [obs('2017/18 Q2', 8)], targets: worded(text) }));
    expect(why('National average').statusSentence).toBe('No target set (National average: it is judged against benchmarks in words I cannot read as a quartile, a place or an average): 8% in Q2');
    expect(why('Top quartile').statusSentence).toBe('No target set (Top quartile: no comparator data has been imported for 2017/18 Q2): 8% in Q2');
    expect(why('TBC').statusSentence).toBe('No target set (TBC): 8% in Q2');
    expect(why('TBC').statusReason).toEqual({ code: 'target-is-text', text: 'the target is text ("TBC"): no figure is set yet' });
    expect(why('No more than 10%', 'higher').statusReason?.text).toContain('it sets a ceiling, but higher is better');
    expect(why('No more then 10%').statusReason).toEqual({ code: 'target-is-text', text: 'the target is text ("No more then 10%")' });
  });

  it('judges a benchmark target on the figure comparator data gives for the period, and says how it was found', () => {
    const figure = { ok: true as const, value: 8.2, strict: false, read: 'the last place in the top quartile, 3rd of 10 reporting in Greater Manchester for 2017/18 Q2' };
    const asked: { aim: unknown; period: string }[] = [];
    const ev = evaluate(input({ indicator: spec({ unit: 'days' }), observations: [obs('2017/18 Q2', 8.1)], targets: worded('Top quartile'), benchmark: (aim, period) => (asked.push({ aim, period: period.key }), figure) }));
    expect(asked).toEqual([{ aim: { kind: 'quartile', quartile: 1 }, period: '2017/18 Q2' }]);
    expect(ev.status).toBe('green');
    expect(ev.statusSentence).toBe('Green: 8.1 days against a target of 8.2 days ("Top quartile": the last place in the top quartile, 3rd of 10 reporting in Greater Manchester for 2017/18 Q2)');
    const missing = evaluate(input({ indicator: spec({ unit: 'days' }), observations: [obs('2017/18 Q2', 8.1)], targets: worded('Top quartile'), benchmark: () => ({ ok: false, why: 'no area of Greater Manchester has a value for 2017/18 Q2 in the comparator data' }) }));
    expect(missing.statusReason).toEqual({ code: 'target-is-text', text: 'the target is text ("Top quartile"): no area of Greater Manchester has a value for 2017/18 Q2 in the comparator data' });
  });

  it('property: a bound judges as the same figure typed as a number (the strict one at the bound apart)', () => {
    const agg = fc.constantFrom<Aggregation>('snapshot', 'cumulative', 'ytd', 'average');
    fc.assert(
      fc.property(fc.constantFrom<Polarity>('higher', 'lower'), agg, fc.integer({ min: 1, max: 400 }), fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 4 }), fc.boolean(), (pol, a, bound, values, strict) => {
        const word = pol === 'lower' ? (strict ? 'Under' : 'No more than') : strict ? 'Over' : 'At least';
        const observations = values.map((v, i) => obs(`2017/18 Q${i + 1}`, v));
        const indicator = spec({ polarity: pol, aggregation: a, unit: 'number', decimals: 0 });
        const byWords = evaluate(input({ indicator, observations, targets: worded(`${word} ${bound}`) }));
        const byNumber = evaluate(input({ indicator, observations, targets: [{ period: periodFromKey('2017/18'), value: bound }] }));
        expect(byWords.target.value).toBeCloseTo(byNumber.target.value!, 9);
        const atBound = Math.abs(byNumber.value! - byNumber.target.value!) < 1e-9;
        if (strict && atBound) expect(byWords.status).toBe('amber');
        else expect(byWords.status).toBe(byNumber.status);
      }),
    );
  });
});
