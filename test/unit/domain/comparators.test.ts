// Benchmarks: our rank and quartile among a comparator group (polarity, ties, areas that did not
// report, our own value missing), the words, and the figure a benchmark target means — with the
// properties a ranking has (order of rows does not matter, a mirrored polarity mirrors the rank, a
// target's figure is met exactly when the standing meets the aim).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benchmarkFigure, describeStanding, ENGLAND_AREA, ordinal, quartileOf, standingAmong, type AreaValue, type Standing } from '../../../src/domain/comparators.ts';

const GM = ['E08000001', 'E08000002', 'E08000003', 'E08000004', 'E08000005', 'E08000006', 'E08000007', 'E08000008', 'E08000009', 'E08000010'];
const US = 'E08000009';
const sickness = [9.1, 8.2, 10.4, 7.9, 9.6, 11.0, 8.8, 7.5, 8.9, 10.1]; // ours (index 8) is 8.9: 5th lowest of 10
const rows = (vals: (number | null)[]): AreaValue[] => vals.map((value, i) => ({ area: GM[i]!, value }));
const ranked = (s: Standing) => {
  if (s.kind !== 'ranked') throw new Error(`not ranked: ${s.why}`);
  return s;
};

describe('standingAmong', () => {
  it('ranks lower-is-better: 5th of 10, second quartile', () => {
    const s = ranked(standingAmong({ ourArea: US, group: GM, values: rows(sickness), polarity: 'lower' }));
    expect(s).toMatchObject({ rank: 5, tied: false, reporting: 10, size: 10, quartile: 2 });
    expect(describeStanding(s, 'Greater Manchester')).toBe('5th of 10 in Greater Manchester · second quartile');
  });

  it('ranks higher-is-better the other way round', () => {
    expect(ranked(standingAmong({ ourArea: US, group: GM, values: rows(sickness), polarity: 'higher' })).rank).toBe(6);
  });

  it('ties share a rank ("=5th")', () => {
    const vals = [...sickness];
    vals[0] = 8.9;
    const s = ranked(standingAmong({ ourArea: US, group: GM, values: rows(vals), polarity: 'lower' }));
    expect(s).toMatchObject({ rank: 5, tied: true });
    expect(describeStanding(s, 'GM')).toBe('=5th of 10 in GM · second quartile');
  });

  it('ranks among those who reported and says so', () => {
    const vals: (number | null)[] = [...sickness];
    vals[2] = null;
    const s = ranked(standingAmong({ ourArea: US, group: GM, values: rows(vals).filter((r) => r.area !== GM[5]), polarity: 'lower' }));
    expect(s).toMatchObject({ rank: 5, reporting: 8, size: 10 });
    expect(describeStanding(s, 'Greater Manchester')).toBe('5th of 8 reporting in Greater Manchester · third quartile');
  });

  it('cannot rank when our value is missing, the measure is contextual, or we are not in the group', () => {
    const vals: (number | null)[] = [...sickness];
    vals[8] = null;
    expect(standingAmong({ ourArea: US, group: GM, values: rows(vals), polarity: 'lower' })).toMatchObject({ kind: 'unranked', code: 'our-value-missing' });
    expect(standingAmong({ ourArea: US, group: GM, values: rows(sickness), polarity: 'none' })).toMatchObject({ kind: 'unranked', code: 'contextual' });
    expect(standingAmong({ ourArea: 'E06000001', group: GM, values: rows(sickness), polarity: 'lower' })).toMatchObject({ kind: 'unranked', code: 'not-in-group' });
    expect(standingAmong({ ourArea: US, group: GM, values: [], polarity: 'lower' })).toMatchObject({ kind: 'unranked', code: 'no-data' });
  });

  it('ignores areas outside the group', () => {
    const s = ranked(standingAmong({ ourArea: US, group: GM, values: [...rows(sickness), { area: 'E06000001', value: 1 }], polarity: 'lower' }));
    expect(s.rank).toBe(5);
  });
});

describe('quartileOf and ordinal', () => {
  it('splits ten places 3, 2, 3, 2 and one place into the top quartile', () => {
    expect(Array.from({ length: 10 }, (_, i) => quartileOf(i + 1, 10))).toEqual([1, 1, 1, 2, 2, 3, 3, 3, 4, 4]);
    expect(quartileOf(1, 1)).toBe(1);
    expect(quartileOf(1, 3)).toBe(1);
  });
  it('writes ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th']);
  });
});

describe('benchmarkFigure', () => {
  const base = { polarity: 'lower' as const, groupName: 'Greater Manchester', group: GM, ourArea: US, values: rows(sickness), periodLabel: '2017/18 Q3' };
  it('top quartile of 10: the 3rd best value', () => {
    expect(benchmarkFigure({ ...base, aim: { kind: 'quartile', quartile: 1 } })).toMatchObject({ ok: true, value: 8.2 });
  });
  it('1st: at least as good as the best of the others', () => {
    expect(benchmarkFigure({ ...base, aim: { kind: 'rank', rank: 1, group: null } })).toMatchObject({ ok: true, value: 7.5 });
  });
  it('above national average: strictly better than the England row, or says it is missing', () => {
    expect(benchmarkFigure({ ...base, aim: { kind: 'average', scope: 'national', group: null } })).toMatchObject({ ok: false });
    expect(benchmarkFigure({ ...base, values: [...base.values, { area: ENGLAND_AREA, value: 9.3 }], aim: { kind: 'average', scope: 'national', group: null } })).toMatchObject({ ok: true, value: 9.3, strict: true });
  });
  it('nothing reported: not judged, saying why', () => {
    const r = benchmarkFigure({ ...base, values: [], aim: { kind: 'quartile', quartile: 1 } });
    expect(r).toEqual({ ok: false, why: 'no area of Greater Manchester has a value for 2017/18 Q3 in the comparator data' });
  });
});

describe('properties', () => {
  const area = (i: number) => `E0${String(i).padStart(7, '0')}`;
  // Small integers so ties happen often.
  const groupValues = fc.array(fc.option(fc.integer({ min: 0, max: 6 }), { nil: null, freq: 5 }), { minLength: 1, maxLength: 14 });
  const polarity = fc.constantFrom('higher' as const, 'lower' as const);

  it('rank is within 1…reporting, quartile within 1…4, and the order of rows does not matter', () => {
    fc.assert(
      fc.property(groupValues, fc.nat(), polarity, (vals, seed, p) => {
        const group = vals.map((_, i) => area(i));
        const values = vals.map((value, i) => ({ area: area(i), value }));
        const us = area(seed % vals.length);
        const s = standingAmong({ ourArea: us, group, values, polarity: p });
        const shuffled = [...values].sort((a, b) => ((a.area.charCodeAt(9) * 7 + seed) % 11) - ((b.area.charCodeAt(9) * 7 + seed) % 11));
        expect(standingAmong({ ourArea: us, group, values: shuffled, polarity: p })).toEqual(s);
        if (s.kind !== 'ranked') return;
        expect(s.rank).toBeGreaterThanOrEqual(1);
        expect(s.rank).toBeLessThanOrEqual(s.reporting);
        expect(s.reporting).toBe(vals.filter((v) => v !== null).length);
        expect([1, 2, 3, 4]).toContain(s.quartile);
      }),
    );
  });

  it('without ties, mirroring the polarity mirrors the rank', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 20 }), fc.nat(), (vals, seed) => {
        const group = vals.map((_, i) => area(i));
        const values = vals.map((value, i) => ({ area: area(i), value }));
        const us = area(seed % vals.length);
        const hi = ranked(standingAmong({ ourArea: us, group, values, polarity: 'higher' }));
        const lo = ranked(standingAmong({ ourArea: us, group, values, polarity: 'lower' }));
        expect(hi.rank + lo.rank).toBe(vals.length + 1);
      }),
    );
  });

  it('quartile never improves as rank worsens', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), (n) => {
        for (let r = 2; r <= n; r++) expect(quartileOf(r, n)).toBeGreaterThanOrEqual(quartileOf(r - 1, n));
        expect(quartileOf(1, n)).toBe(1);
      }),
    );
  });

  it('a quartile or rank target is met (at least as good as its figure) exactly when the standing meets it', () => {
    fc.assert(
      fc.property(groupValues, fc.nat(), polarity, fc.constantFrom(1, 2, 3, 4), fc.integer({ min: 1, max: 4 }), (vals, seed, p, q, place) => {
        const group = vals.map((_, i) => area(i));
        const values = vals.map((value, i) => ({ area: area(i), value }));
        const us = area(seed % vals.length);
        const s = standingAmong({ ourArea: us, group, values, polarity: p });
        if (s.kind !== 'ranked') return;
        const ours = values.find((v) => v.area === us)!.value!;
        const meets = (figure: number) => (p === 'higher' ? ours >= figure : ours <= figure);
        const fq = benchmarkFigure({ aim: { kind: 'quartile', quartile: q as 1 | 2 | 3 | 4 }, polarity: p, groupName: 'G', group, ourArea: us, values, periodLabel: 'P' });
        if (!fq.ok) throw new Error(fq.why);
        expect(meets(fq.value)).toBe(s.quartile <= q);
        const fr = benchmarkFigure({ aim: { kind: 'rank', rank: place, group: null }, polarity: p, groupName: 'G', group, ourArea: us, values, periodLabel: 'P' });
        if (fr.ok) expect(meets(fr.value)).toBe(s.rank <= place);
        else expect(s.reporting - 1).toBeLessThan(place);
      }),
    );
  });
});
