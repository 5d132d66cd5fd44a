// Risks as councils score them (src/domain/risks.ts): likelihood × impact on the organisation's scale,
// rating bands, the appetite, the trend from review to review and what people type — property-tested
// over any scale, bands and scores, plus the 5×5 register councils print.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  aboveAppetite,
  bandIndex,
  bandOf,
  bandsProblem,
  bandsWords,
  defaultBands,
  defaultMatrix,
  MAX_SCALE,
  MIN_SCALE,
  nextReviewDue,
  readBands,
  readInlineReview,
  readReviewFrequency,
  riskScore,
  rose,
  trendOf,
  type RiskBand,
} from '../../../src/domain/risks.ts';

const scale = fc.integer({ min: MIN_SCALE, max: MAX_SCALE });
/** Bands on a scale: 1 first, then strictly rising starts within the top score. */
const bandsOn = (s: number): fc.Arbitrary<RiskBand[]> =>
  fc.uniqueArray(fc.integer({ min: 2, max: s * s }), { maxLength: 5 }).map((starts) =>
    [1, ...starts.sort((a, b) => a - b)].map((from, i) => ({ label: `B${i}`, from, colour: '#123456' })),
  );
const matrix = scale.chain((s) => bandsOn(s).chain((bands) => fc.integer({ min: 0, max: s * s }).map((appetite) => ({ scale: s, bands, appetite }))));
const scoreOn = (s: number) => fc.tuple(fc.integer({ min: 1, max: s }), fc.integer({ min: 1, max: s })).map(([l, i]) => riskScore(l, i));

describe('the 5×5 register', () => {
  it('bands scores low 1–4, medium 5–9, high 10–15, very high 16–25, and escalates above 9', () => {
    const m = defaultMatrix();
    expect(bandsWords(m.bands, 5)).toBe('Low 1–4, Medium 5–9, High 10–15, Very high 16–25');
    expect([1, 4, 5, 9, 10, 12, 15, 16, 25].map((s) => bandOf(s, m.bands).label)).toEqual(['Low', 'Low', 'Medium', 'Medium', 'High', 'High', 'High', 'Very high', 'Very high']);
    expect(m.appetite).toBe(9);
    expect(aboveAppetite(riskScore(3, 3), m)).toBe(false);
    expect(aboveAppetite(riskScore(4, 4), m)).toBe(true);
  });

  it('says a review from 3×3 to 4×4 rose into a higher band and above the appetite; 4×4 to 4×3 neither', () => {
    const m = defaultMatrix();
    expect(rose(9, 16, m)).toEqual({ intoBand: true, aboveAppetite: true });
    expect(rose(16, 12, m)).toEqual({ intoBand: false, aboveAppetite: false });
    expect(trendOf(9, 16)).toBe('rising');
    expect(trendOf(16, 12)).toBe('falling');
    expect(trendOf(12, 12)).toBe('steady');
    expect(trendOf(null, 12)).toBeNull();
  });
});

describe('score bands (property)', () => {
  it('every score on the scale falls in exactly one band: the last whose start it reaches', () => {
    fc.assert(
      fc.property(matrix.chain((m) => scoreOn(m.scale).map((s) => [m, s] as const)), ([m, s]) => {
        const b = bandOf(s, m.bands);
        const i = m.bands.indexOf(b);
        return s >= b.from && (i === m.bands.length - 1 || s < m.bands[i + 1]!.from);
      }),
    );
  });

  it('a higher score is never in a lower band (bands rise with the score)', () => {
    fc.assert(
      fc.property(matrix.chain((m) => fc.tuple(scoreOn(m.scale), scoreOn(m.scale)).map((ss) => [m, ...ss] as const)), ([m, a, b]) => (a <= b ? bandIndex(a, m.bands) <= bandIndex(b, m.bands) : bandIndex(a, m.bands) >= bandIndex(b, m.bands))),
    );
  });

  it('the default bands of any scale are valid and reach from 1 to the top score with the top in the last band', () => {
    fc.assert(
      fc.property(scale, (s) => {
        const bands = defaultBands(s);
        return bandsProblem(bands, s) === null && bandIndex(s * s, bands) === bands.length - 1 && bandIndex(1, bands) === 0;
      }),
    );
  });

  it('bands read back as they were typed (name, start, colour)', () => {
    fc.assert(
      fc.property(scale.chain((s) => bandsOn(s).map((b) => [s, b] as const)), ([s, bands]) => {
        const typed = bands.map((b) => `${b.label} ${b.from} ${b.colour}`).join(', ');
        const read = readBands(typed, s);
        return 'bands' in read && JSON.stringify(read.bands) === JSON.stringify(bands);
      }),
    );
  });
});

describe('trend and rises (property)', () => {
  it('the trend is the sign of the score moving: ↑ rising exactly when the score went up, swapped scores swap ↑ and ↓', () => {
    fc.assert(
      fc.property(scoreOn(10), scoreOn(10), (a, b) => {
        const t = trendOf(a, b);
        const back = trendOf(b, a);
        if (a === b) return t === 'steady' && back === 'steady';
        return a < b ? t === 'rising' && back === 'falling' : t === 'falling' && back === 'rising';
      }),
    );
  });

  it('a risk only "rises" when its score went up; above the appetite only when it crossed it', () => {
    fc.assert(
      fc.property(matrix.chain((m) => fc.tuple(scoreOn(m.scale), scoreOn(m.scale)).map((ss) => [m, ...ss] as const)), ([m, prev, curr]) => {
        const r = rose(prev, curr, m);
        if (curr <= prev) return !r.intoBand && !r.aboveAppetite;
        return r.aboveAppetite === (prev <= m.appetite && curr > m.appetite) && r.intoBand === (bandIndex(curr, m.bands) > bandIndex(prev, m.bands));
      }),
    );
  });
});

describe('what people type', () => {
  it('reads an inline review in either order, short or long, or as likelihood × impact', () => {
    expect(readInlineReview('likelihood 4 impact 3 Caseloads up after two leavers')).toEqual({ likelihood: 4, impact: 3, commentary: 'Caseloads up after two leavers' });
    expect(readInlineReview('impact 3 likelihood 4 ok')).toEqual({ likelihood: 4, impact: 3, commentary: 'ok' });
    expect(readInlineReview('L4 I3: ok')).toEqual({ likelihood: 4, impact: 3, commentary: 'ok' });
    expect(readInlineReview('4x3 ok')).toEqual({ likelihood: 4, impact: 3, commentary: 'ok' });
    expect(readInlineReview('likelihood 4 likelihood 3')).toBeNull();
    expect(readInlineReview('Caseloads up')).toBeNull();
  });

  it('refuses bands that do not start at 1, do not rise or run past the top score, or colours it does not know', () => {
    expect(readBands('low 2 green, high 10 red', 5)).toEqual({ problem: 'the first band must start at 1 (Low starts at 2)' });
    expect(readBands('low 1 green, high 10 red, medium 5 amber', 5)).toMatchObject({ problem: expect.stringContaining('bands must rise') });
    expect(readBands('low 1 green, extreme 30 red', 5)).toMatchObject({ problem: expect.stringContaining('above the highest score on a 1–5 scale (25)') });
    expect(readBands('low 1 teal', 5)).toMatchObject({ problem: expect.stringContaining('"teal" is not a colour') });
    expect(readBands('Low 1-3 green, Medium 4-9 amber, High 10-25 red', 5)).toEqual({ bands: [{ label: 'Low', from: 1, colour: '#2e7d32' }, { label: 'Medium', from: 4, colour: '#ef8f00' }, { label: 'High', from: 10, colour: '#c62828' }] });
  });

  it('reads review frequencies as councils write them (blank is quarterly) and dates the next review by calendar months', () => {
    expect(['', 'Quarterly', 'monthly', 'Half yearly', 'annually', '2', 'fortnightly', '13'].map(readReviewFrequency)).toEqual([3, 3, 1, 6, 12, 2, null, null]);
    expect(nextReviewDue('2017-11-30', 3)).toBe('2018-02-28');
  });
});
