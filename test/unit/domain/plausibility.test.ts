// The plausibility rule: what it asks about (a slipped decimal point, a sign flip, a percentage over
// 100, a value far outside the indicator's own history), what it never asks about (a value inside
// the history's range, an indicator with too little history), and the wording people see.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPlausibility, FAR, mad, median, MIN_HISTORY, referenceTarget, siblingFamily, uncheckedNote, type KnownAbout, type PlausibilityIndicator, type PlausibilityInput } from '../../../src/domain/plausibility.ts';
import { periodFromKey, previousPeriod, quarter } from '../../../src/domain/periods.ts';

fc.configureGlobal({ seed: Number(process.env.KPI_FUZZ_SEED ?? 20180115), numRuns: Number(process.env.KPI_FUZZ_RUNS ?? 200) });

const ind = (over: Partial<PlausibilityIndicator> = {}): PlausibilityIndicator => ({ slug: 'sickness-absence', unit: 'days', aggregation: 'snapshot', decimals: 2, ...over });
/** Values for the quarters before 2017/18 Q4, the last given value nearest to it. */
const quarters = (values: number[], until = '2017/18 Q4') => {
  let p = previousPeriod(periodFromKey(until));
  const out: { period: ReturnType<typeof periodFromKey>; value: number }[] = [];
  for (const v of [...values].reverse()) {
    out.unshift({ period: p, value: v });
    p = previousPeriod(p);
  }
  return out;
};
const check = (value: number, history: number[], over: Partial<PlausibilityInput> = {}) =>
  checkPlausibility({ indicator: ind(), period: periodFromKey('2017/18 Q4'), value, history: quarters(history), fyStartMonth: 4, ...over });

describe('checkPlausibility', () => {
  it('asks about 84 days of sickness absence, and suggests 8.4', () => {
    const r = check(84, [7.84, 8.69, 10.18, 10.49]);
    expect(r.kind).toBe('ask');
    if (r.kind !== 'ask') return;
    expect(r.concern).toBe('decimal-slip');
    expect(r.suggestion).toBe(8.4);
    expect(r.question).toBe('84 days is 8× anything sickness-absence has had (7.84–10.49 days). Did you mean 8.4 days? Save 84 days anyway, or change it?');
  });

  it('asks about a recycling rate of 6.1% where it has been about 60%', () => {
    const r = check(6.1, [53.05, 57.59, 62.5, 60.9], { indicator: ind({ slug: 'recycling-rate', unit: '%', decimals: 1 }) });
    expect(r.kind === 'ask' && r.question).toBe('6.1% is far below anything recycling-rate has had (53.1–62.5%). Did you mean 61%? Save 6.1% anyway, or change it?');
  });

  it('asks about a percentage over 100 even with no history, without guessing what was meant', () => {
    const r = check(120, [], { indicator: ind({ unit: '%' }) });
    expect(r.kind === 'ask' && [r.concern, r.suggestion, r.question]).toEqual(['percent-over-100', null, '120% is over 100%. Save 120% anyway, or change it?']);
    const withHistory = check(598, [58, 61, 59.5, 60], { indicator: ind({ unit: '%', decimals: 1 }) });
    expect(withHistory.kind === 'ask' && withHistory.suggestion).toBe(59.8);
  });

  it('asks about a flipped sign', () => {
    const r = check(-10.5, [10.2, 10.8, 11.2, 10.4]);
    expect(r.kind === 'ask' && [r.concern, r.suggestion]).toEqual(['sign-flip', 10.5]);
    expect(r.kind === 'ask' && r.finding).toBe('-10.5 days is negative, but every value sickness-absence has had is positive (10.2–11.2 days).');
  });

  it('asks about a value far off with no slip to explain it, without a suggestion', () => {
    const r = check(31, [10.2, 10.8, 11.2, 10.4]);
    expect(r.kind === 'ask' && [r.concern, r.suggestion]).toEqual(['outlier', null]);
    expect(r.kind === 'ask' && r.finding).toBe('31 days is 3× anything sickness-absence has had (10.2–11.2 days).');
  });

  it('does not check an indicator with too little history, or one that has only ever been zero', () => {
    expect(check(84, [10.2, 10.8, 11.2])).toEqual({ kind: 'unchecked', reason: 'too-little-history' });
    expect(check(3, [0, 0, 0, 0])).toEqual({ kind: 'unchecked', reason: 'no-spread' });
    // A steady history still has a usual range: half its size either way.
    expect(check(84, [10, 10, 10, 10]).kind === 'ask' && check(84, [10, 10, 10, 10])).toMatchObject({ finding: '84 days is 8× anything sickness-absence has had (10 days).' });
  });

  it('judges a running total by its pace, so a fourth quarter is not "4×" its first', () => {
    const ytd = ind({ slug: 'housing-completions', unit: 'number', aggregation: 'ytd', decimals: 0 });
    const history = [100, 210, 300, 410, 95, 205, 310].map((value, i) => ({ period: quarter(2016 + Math.floor(i / 4), (i % 4) + 1), value }));
    const at = (value: number) => checkPlausibility({ indicator: ytd, period: quarter(2017, 4), value, history, fyStartMonth: 4 });
    expect(at(420).kind).toBe('plausible');
    const slip = at(4200);
    expect(slip.kind === 'ask' && [slip.concern, slip.suggestion]).toEqual(['decimal-slip', 420]);
    expect(slip.kind === 'ask' && slip.finding).toMatch(/^4,200 so far this year \(a pace of 4,200 a year\) is 10× anything housing-completions has run at \(\d[\d,]*–\d[\d,]* a year\)\.$/);
  });

  it('ignores the value being replaced and values of another kind of period', () => {
    const history = [...quarters([10.2, 10.8, 11.2, 10.4]), { period: periodFromKey('2017/18 Q4'), value: 1000 }, { period: periodFromKey('2017/18'), value: 1000 }];
    expect(checkPlausibility({ indicator: ind(), period: periodFromKey('2017/18 Q4'), value: 10.6, history, fyStartMonth: 4 }).kind).toBe('plausible');
  });
});

describe('checkPlausibility properties', () => {
  const positive = fc.double({ min: 0.01, max: 1e6, noNaN: true, noDefaultInfinity: true });
  const history = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), { minLength: 0, maxLength: 12 });
  /** A steady history: values within ±10% of a positive centre. */
  const steady = positive.chain((c) => fc.tuple(fc.constant(c), fc.array(fc.double({ min: 0.9 * c, max: 1.1 * c, noNaN: true }), { minLength: MIN_HISTORY, maxLength: 12 })));

  it('never asks about a value inside the range of the values it is judged against (percentages up to 100)', () => {
    fc.assert(
      fc.property(history, fc.double({ min: 0, max: 1, noNaN: true }), (h, t) => {
        fc.pre(h.length > 0);
        const recent = h.slice(-8);
        const v = Math.min(...recent) + t * (Math.max(...recent) - Math.min(...recent));
        expect(check(v, h).kind).not.toBe('ask');
      }),
    );
  });

  it('never asks with fewer than MIN_HISTORY values, unless a percentage is over 100', () => {
    fc.assert(
      fc.property(fc.array(positive, { maxLength: MIN_HISTORY - 1 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (h, v) => {
        expect(check(v, h).kind).toBe('unchecked');
        expect(check(v, h, { indicator: ind({ unit: '%' }) }).kind).toBe(v > 100 ? 'ask' : 'unchecked');
      }),
    );
  });

  it('catches a decimal point slipped either way in a steady history, and suggests the value meant', () => {
    fc.assert(
      fc.property(steady, fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(10, 0.1), ([, h], t, f) => {
        const meant = Math.min(...h) + t * (Math.max(...h) - Math.min(...h));
        const r = check(meant * f, h);
        expect(r.kind).toBe('ask');
        if (r.kind === 'ask') {
          expect(r.concern).toBe('decimal-slip');
          expect(Math.abs(r.suggestion! - meant)).toBeLessThanOrEqual(1e-9 * meant);
        }
      }),
    );
  });

  it('catches a flipped sign in a steady history', () => {
    fc.assert(
      fc.property(steady, fc.double({ min: 0, max: 1, noNaN: true }), ([, h], t) => {
        const meant = Math.min(...h) + t * (Math.max(...h) - Math.min(...h));
        const r = check(-meant, h);
        expect(r.kind === 'ask' && r.concern).toBe('sign-flip');
        expect(r.kind === 'ask' && Math.abs(r.suggestion! - meant)).toBeLessThanOrEqual(1e-9 * meant);
      }),
    );
  });

  it('does not depend on the order the history comes in, nor on its scale', () => {
    fc.assert(
      fc.property(history, fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 0.001, max: 1000, noNaN: true }), (h, v, scale) => {
        const withPeriods = quarters(h);
        const shuffled = [...withPeriods].reverse();
        const a = checkPlausibility({ indicator: ind(), period: periodFromKey('2017/18 Q4'), value: v, history: withPeriods, fyStartMonth: 4 });
        const b = checkPlausibility({ indicator: ind(), period: periodFromKey('2017/18 Q4'), value: v, history: shuffled, fyStartMonth: 4 });
        expect(b).toEqual(a);
        const scaled = check(v * scale, h.map((x) => x * scale));
        expect(scaled.kind).toBe(a.kind);
      }),
    );
  });

  it('median and MAD are robust: one wild value moves neither far', () => {
    fc.assert(
      fc.property(steady, fc.double({ min: 1e3, max: 1e9, noNaN: true }), ([c, h], wild) => {
        fc.pre(h.length >= 5);
        const spoilt = [...h.slice(1), c * wild];
        expect(median(spoilt)).toBeGreaterThanOrEqual(0.9 * c);
        expect(median(spoilt)).toBeLessThanOrEqual(1.1 * c);
        expect(mad(spoilt)).toBeLessThanOrEqual(0.2 * c + 1e-9);
      }),
    );
  });
});

describe('checkPlausibility with too little history: what else is known', () => {
  const known = (value: number, history: number[], k: KnownAbout, over: Partial<PlausibilityIndicator> = {}) =>
    checkPlausibility({ indicator: ind(over), period: periodFromKey('2017/18 Q4'), value, history: quarters(history), fyStartMonth: 4, known: k });
  const pct = { slug: 'recycling-rate', unit: '%', decimals: 1 };

  it('asks about a correction of 10.49 days to 104.9 (10× the value it replaces), with three earlier values', () => {
    const r = known(104.9, [8.1, 8.9], { replaces: 10.49 });
    expect(r.kind === 'ask' && [r.concern, r.suggestion, r.question]).toEqual(['decimal-slip', null, '104.9 days is 10× the 10.49 days it replaces. Save 104.9 days anyway, or change it?']);
    // Corrected back the other way, its own earlier values — or with none, its target — say it is fine.
    expect(known(10.49, [8.1, 8.9], { replaces: 104.9, target: 8.5 })).toMatchObject({ kind: 'plausible', basis: 'own' });
    expect(known(10.49, [], { replaces: 104.9, target: 8.5 })).toMatchObject({ kind: 'plausible', basis: 'target' });
  });

  it('asks about 104.9 days and 6.09% for a new indicator, against its target, and suggests the value meant', () => {
    const days = known(104.9, [], { target: 8.5 });
    expect(days.kind === 'ask' && [days.concern, days.suggestion, days.finding]).toEqual(['decimal-slip', 10.49, '104.9 days is 12× the target of 8.5 days.']);
    const rate = known(6.09, [], { target: 59.5 }, pct);
    expect(rate.kind === 'ask' && rate.question).toBe('6.1% is far below the target of 59.5%. Did you mean 60.9%? Save 6.1% anyway, or change it?');
    // Over 100%, the target says what was meant.
    expect(known(598, [], { target: 59.5 }, pct)).toMatchObject({ kind: 'ask', concern: 'percent-over-100', suggestion: 59.8 });
  });

  it('compares with similar indicators — the same theme first — only when they agree', () => {
    const family = [
      { slug: 'absence-adults', value: 9.8, sameTheme: true },
      { slug: 'absence-children', value: 8.2, sameTheme: true },
      { slug: 'planning-days', value: 61, sameTheme: false },
    ];
    const r = known(98, [], { siblings: family });
    expect(r.kind === 'ask' && [r.suggestion, r.finding]).toEqual([9.8, '98 days is 10× anything similar indicators have had (absence-adults, absence-children: 8.2–9.8 days).']);
    expect(known(9.1, [], { siblings: family })).toMatchObject({ kind: 'plausible', basis: 'siblings' });
    // One similar indicator, or several that disagree, say nothing.
    expect(siblingFamily(family.slice(0, 1))).toBeNull();
    expect(siblingFamily([{ slug: 'a', value: 2, sameTheme: false }, { slug: 'b', value: 95, sameTheme: false }])).toBeNull();
    expect(known(98, [], { siblings: family.slice(0, 1) })).toEqual({ kind: 'unchecked', reason: 'too-little-history' });
  });

  it('takes the period’s target, else the year’s, else the nearest quarter’s', () => {
    const t = (key: string, value: number) => ({ period: periodFromKey(key), value, amberFloor: null, text: null });
    const targets = [t('2017/18 Q3', 38), t('2016/17 Q1', 20)];
    expect(referenceTarget(periodFromKey('2017/18 Q3'), 'snapshot', targets, 4)).toBe(38);
    expect(referenceTarget(periodFromKey('2017/18 Q2'), 'snapshot', targets, 4)).toBe(38);
    expect(referenceTarget(periodFromKey('2017/18 Q2'), 'snapshot', [...targets, t('2017/18', 150)], 4)).toBe(150);
    expect(referenceTarget(periodFromKey('2017/18'), 'snapshot', targets, 4)).toBeNull();
  });

  it('trusts the indicator’s own few values over a target in other terms', () => {
    expect(known(105, [100, 110], { target: 10 })).toMatchObject({ kind: 'plausible', basis: 'own' });
  });

  it('compares a count that builds up over the year with its share of the year’s target', () => {
    const month = periodFromKey('2017-05');
    const r = checkPlausibility({ indicator: ind({ slug: 'housing-completions', unit: 'number', aggregation: 'cumulative', decimals: 0 }), period: month, value: 35, history: [], fyStartMonth: 4, known: { target: 400 } });
    expect(r).toMatchObject({ kind: 'plausible', basis: 'target' });
  });

  it('says when nothing could be checked, and why', () => {
    const none = known(12, [51], {});
    expect(none).toEqual({ kind: 'unchecked', reason: 'too-little-history' });
    if (none.kind !== 'unchecked') return;
    expect(uncheckedNote(ind({ slug: 'new-volunteers', unit: 'number' }), none, 1)).toBe('Not checked for plausibility: new-volunteers has only 1 earlier value, and no target, earlier version or similar indicators to compare it with.');
    expect(uncheckedNote(ind(pct), none, 0)).toBe('Checked only as a percentage (0–100%): recycling-rate has no earlier values, and no target, earlier version or similar indicators to compare it with.');
    expect(known(0, [], { target: 8.5 })).toEqual({ kind: 'unchecked', reason: 'not-positive' });
  });
});

describe('checkPlausibility properties with too little history', () => {
  const positive = fc.double({ min: 0.01, max: 1e6, noNaN: true, noDefaultInfinity: true });
  const short = fc.array(positive, { maxLength: MIN_HISTORY - 1 });
  /** A number between a and b times x. */
  const near = (x: number, t: number, a: number, b: number) => x * (a + t * (b - a));
  const unit = fc.constantFrom('days', '%', 'number');
  const at = (value: number, history: number[], k: KnownAbout, u = 'days') =>
    checkPlausibility({ indicator: ind({ unit: u, decimals: 6 }), period: periodFromKey('2017/18 Q4'), value, history: quarters(history), fyStartMonth: 4, known: k });

  it('never asks about a value within FAR× of the target, the value it replaces or the indicator’s own values (percentages up to 100)', () => {
    fc.assert(
      fc.property(short, positive, fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('target', 'replaces', 'own'), unit, (h, ref, t, which, u) => {
        const v = near(ref, t, 1 / FAR, FAR);
        fc.pre(u !== '%' || v <= 100);
        const k: KnownAbout = which === 'target' ? { target: ref } : which === 'replaces' ? { replaces: ref } : { target: ref * 1e4 };
        const history = which === 'own' ? [...h.slice(0, MIN_HISTORY - 2), ref] : h;
        expect(at(v, history, k, u).kind).not.toBe('ask');
      }),
    );
  });

  it('catches a decimal point slipped either way from near the target, and suggests the value meant', () => {
    fc.assert(
      fc.property(positive, fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(10, 0.1), unit, (target, t, f, u) => {
        const meant = near(target, t, 0.6, 1.6);
        const r = at(meant * f, [], { target }, u);
        expect(r.kind).toBe('ask');
        if (r.kind !== 'ask') return;
        expect(['decimal-slip', 'percent-over-100']).toContain(r.concern);
        expect(Math.abs(r.suggestion! - meant)).toBeLessThanOrEqual(1e-9 * meant);
      }),
    );
  });

  it('catches a correction 10× or a tenth of the value it replaces', () => {
    fc.assert(
      fc.property(positive, fc.constantFrom(10, 0.1), (old, f) => {
        expect(at(old * f, [], { replaces: old })).toMatchObject({ kind: 'ask', concern: 'decimal-slip' });
      }),
    );
  });

  it('is unchecked exactly when nothing is known, and judges alike at any scale', () => {
    fc.assert(
      fc.property(short, positive, fc.option(positive, { nil: null }), fc.option(positive, { nil: null }), fc.double({ min: 0.001, max: 1000, noNaN: true }), (h, v, target, replaces, scale) => {
        const r = at(v, h, { target, replaces });
        expect(r.kind === 'unchecked').toBe(target === null && replaces === null);
        const s = at(v * scale, h.map((x) => x * scale), { target: target === null ? null : target * scale, replaces: replaces === null ? null : replaces * scale });
        expect(s.kind).toBe(r.kind);
      }),
    );
  });
});
