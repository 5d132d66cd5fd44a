// Actions as councils report them (src/domain/actions.ts): re-phasing computed against the original
// due date in calendar months, the typed progress words, Cheshire West's categories and Halton's
// colours — property-tested over any dates and progress, plus the cases councils print.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addMonths, isFinal, leadingProgress, PLAN_CATEGORIES, planCategory, planSummary, PROGRESS, PROGRESS_WORDS, progressColour, readProgress, rephasing, type ActionPosition } from '../../../src/domain/actions.ts';
import { addDays, fromUtc } from '../../../src/domain/dates.ts';

const day = fc.integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2035, 11, 31) }).map((ms) => fromUtc(ms - (ms % 86_400_000)));
const progress = fc.option(fc.constantFrom(...PROGRESS), { nil: null });
const position = fc.record({ start: fc.option(day, { nil: null }), due: day, originalDue: day, progress }) as fc.Arbitrary<ActionPosition>;

describe('re-phasing', () => {
  it('is measured in calendar months from the original due date: up to three months is "under", beyond is "over"', () => {
    expect(rephasing('2014-03-31', '2014-03-31')).toBe('none');
    expect(rephasing('2014-03-31', '2014-02-28')).toBe('none');
    expect(rephasing('2014-03-31', '2014-04-01')).toBe('under_3_months');
    expect(rephasing('2014-03-31', '2014-06-30')).toBe('under_3_months');
    expect(rephasing('2014-03-31', '2014-07-01')).toBe('over_3_months');
    expect(rephasing('2013-11-30', '2014-02-28')).toBe('under_3_months');
    expect(rephasing('2013-11-30', '2014-03-01')).toBe('over_3_months');
  });

  it('never calls a date brought forward re-phased; later is re-phased, and "over" only past three months', () => {
    fc.assert(
      fc.property(day, day, (original, due) => {
        const r = rephasing(original, due);
        if (due <= original) return r === 'none';
        return r === (due > addMonths(original, 3) ? 'over_3_months' : 'under_3_months');
      }),
    );
  });

  it('adds months to the same day, or the month’s last', () => {
    expect(addMonths('2014-01-31', 1)).toBe('2014-02-28');
    expect(addMonths('2016-01-31', 1)).toBe('2016-02-29');
    expect(addMonths('2013-11-15', 3)).toBe('2014-02-15');
    expect(addMonths('2014-03-31', -1)).toBe('2014-02-28');
    fc.assert(fc.property(day, fc.integer({ min: 0, max: 36 }), (d, n) => addMonths(d, n) >= d && addMonths(d, n) <= addDays(d, 31 * n)));
  });
});

describe('progress words', () => {
  it('reads every word people use for each progress, whatever the case, and nothing else', () => {
    for (const p of PROGRESS) for (const w of PROGRESS_WORDS[p]) expect([w, readProgress(w.toUpperCase())]).toEqual([w, p]);
    expect(readProgress('nearly there')).toBeNull();
    expect(leadingProgress('on target Contract signed in July')).toEqual({ progress: 'on_target', rest: 'Contract signed in July' });
    expect(leadingProgress('no longer viable funding withdrawn')).toEqual({ progress: 'no_longer_viable', rest: 'funding withdrawn' });
    expect(leadingProgress('Contract signed')).toBeNull();
  });

  it('calls delivered and no longer viable final, and nothing else', () => {
    expect(PROGRESS.filter(isFinal)).toEqual(['delivered', 'no_longer_viable']);
  });
});

describe('Cheshire West’s categories and Halton’s colours', () => {
  const asOf = '2013-09-30';
  const a = (over: Partial<ActionPosition>): ActionPosition => ({ start: null, due: '2014-03-31', originalDue: '2014-03-31', progress: 'on_target', ...over });

  it('prints the cases councils print', () => {
    expect(planCategory(a({}), asOf)).toBe('on_target');
    expect(planCategory(a({ progress: 'delivered', due: '2013-08-31', originalDue: '2013-06-30' }), asOf)).toBe('delivered');
    expect(planCategory(a({ due: '2014-05-31' }), asOf)).toBe('rephased_under_3_months');
    expect(planCategory(a({ due: '2014-09-30' }), asOf)).toBe('rephased_over_3_months');
    expect(planCategory(a({ start: '2014-01-01', progress: 'not_started' }), asOf)).toBe('scheduled_future');
    expect(planCategory(a({ progress: 'no_longer_viable', due: '2014-09-30' }), asOf)).toBe('no_longer_viable');
    expect(planCategory(a({ due: '2013-06-30', originalDue: '2013-06-30' }), asOf)).toBe('off_track');
    expect(planCategory(a({ progress: 'off_track' }), asOf)).toBe('off_track');
    expect(progressColour(a({}), asOf)).toBe('green');
    expect(progressColour(a({ progress: null }), asOf)).toBe('amber');
    expect(progressColour(a({ progress: 'at_risk' }), asOf)).toBe('amber');
    expect(progressColour(a({ due: '2014-05-31' }), asOf)).toBe('amber');
    expect(progressColour(a({ progress: 'off_track' }), asOf)).toBe('red');
    expect(progressColour(a({ due: '2013-06-30', originalDue: '2013-06-30' }), asOf)).toBe('red');
  });

  it('puts every action in exactly one category, consistent with its colour: final states and re-phasing first, nothing overdue called on target or green', () => {
    fc.assert(
      fc.property(position, day, (p, d) => {
        const c = planCategory(p, d);
        const colour = progressColour(p, d);
        if (p.progress === 'delivered') return c === 'delivered' && colour === 'green';
        if (p.progress === 'no_longer_viable') return c === 'no_longer_viable' && colour === 'red';
        if (rephasing(p.originalDue, p.due) !== 'none') return c.startsWith('rephased') && colour !== 'green';
        const overdue = p.due < d;
        if (overdue || p.progress === 'off_track') return c === 'off_track' && colour === 'red';
        return (c === 'on_target' || c === 'scheduled_future') && (colour === 'green') === (p.progress === 'on_target');
      }),
    );
  });

  it('sums to every action, with percentages of the whole, and shows the off-track category only when some action is in it', () => {
    fc.assert(
      fc.property(fc.array(position, { maxLength: 40 }), day, (list, d) => {
        const s = planSummary(list, d);
        const total = s.reduce((n, x) => n + x.count, 0);
        const offTrackShown = s.some((x) => x.category === 'off_track');
        const offTrack = list.filter((p) => planCategory(p, d) === 'off_track').length;
        return total === list.length && offTrackShown === offTrack > 0 && s.length === PLAN_CATEGORIES.length - (offTrack ? 0 : 1) && s.every((x) => x.percent >= 0 && x.percent <= 100);
      }),
    );
    const s = planSummary([a({}), a({ progress: 'delivered' }), a({ due: '2014-05-31' })], asOf);
    expect(s.filter((x) => x.count).map((x) => [x.category, x.count, x.percent])).toEqual([
      ['delivered', 1, 33.3],
      ['on_target', 1, 33.3],
      ['rephased_under_3_months', 1, 33.3],
    ]);
  });
});
