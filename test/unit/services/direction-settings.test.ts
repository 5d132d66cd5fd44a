// Reading the direction-of-travel settings as people write them (for /kpi settings, a Settings sheet
// and the register's DoT basis and Maintained band columns).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.ts';
import {
  describeDirectionSettings,
  dotBasisCell,
  dotBasisText,
  maintainedBandCell,
  maintainedBandText,
  parseDotBasis,
  parseMaintainedBand,
} from '../../../src/services/direction-settings.ts';

describe('direction of travel basis', () => {
  it.each([
    ['previous', 'previous'],
    ['Previous period', 'previous'],
    ['same period last year', 'same_last_year'],
    ['Same-last-year', 'same_last_year'],
    ['same_last_year', 'same_last_year'],
    ['year on year', 'same_last_year'],
    ['Baseline', 'baseline'],
    ['against the baseline', 'baseline'],
    ["last year's outturn", 'baseline'],
  ])('reads "%s" as %s', (text, basis) => expect(parseDotBasis(text)).toBe(basis));

  it('refuses anything else with the words the person sees, for a form field too', () => {
    const e = (() => {
      try {
        parseDotBasis('sideways');
      } catch (err) {
        return err as ValidationError;
      }
    })();
    expect(e).toBeInstanceOf(ValidationError);
    expect(e!.message).toBe('Direction of travel basis: expected previous, same period last year or baseline — got "sideways".');
    expect(e!.fields).toEqual({ dot_basis: e!.message });
  });

  it('reads back as typed', () => {
    for (const b of ['previous', 'same_last_year', 'baseline'] as const) expect(parseDotBasis(dotBasisText(b))).toBe(b);
  });
});

describe('maintained band', () => {
  it.each([
    ['2%', { kind: 'relative', percent: 2 }],
    ['within 2.5 %', { kind: 'relative', percent: 2.5 }],
    ['±1%', { kind: 'relative', percent: 1 }],
    ['0.5 per cent', { kind: 'relative', percent: 0.5 }],
    ['0', { kind: 'relative', percent: 0 }],
    ['equal', { kind: 'precision' }],
    ['Equal at the printed precision', { kind: 'precision' }],
  ])('reads "%s"', (text, band) => expect(parseMaintainedBand(text)).toEqual(band));

  it.each(['2', 'two percent', '150%', '', '2%%'])('refuses "%s"', (text) => expect(() => parseMaintainedBand(text)).toThrow(ValidationError));

  it('reads back as typed, and describes itself', () => {
    expect(maintainedBandText({ kind: 'relative', percent: 2 })).toBe('2%');
    expect(maintainedBandText({ kind: 'precision' })).toBe('equal');
    expect(describeDirectionSettings('baseline', { kind: 'relative', percent: 2 })).toBe('compared with the baseline; maintained when within 2%');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (n) => {
        const band = { kind: 'relative' as const, percent: n / 100 };
        expect(parseMaintainedBand(maintainedBandText(band))).toEqual(band);
      }),
    );
  });

  it('never throws anything but a ValidationError', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        for (const parse of [parseMaintainedBand, parseDotBasis]) {
          try {
            parse(s);
          } catch (e) {
            expect(e).toBeInstanceOf(ValidationError);
          }
        }
      }),
    );
  });
});

describe('spreadsheet cells', () => {
  it('are empty for "the organisation\'s", else read as above', () => {
    expect(dotBasisCell.parse(null)).toBeNull();
    expect(dotBasisCell.parse('baseline')).toBe('baseline');
    expect(maintainedBandCell.parse(null)).toBeNull();
    expect(maintainedBandCell.parse('3%')).toEqual({ kind: 'relative', percent: 3 });
    expect(maintainedBandCell.safeParse('lots').success).toBe(false);
  });
});
