// Which periods are asked for at all: collected from the first period on (any frequency), marked
// "not collected", or superseded by a later value — a level measured again, a running total the year
// has moved past — while a per-period count is always its own.
import { describe, expect, it } from 'vitest';
import { defaultFirstPeriod, isCollected, markCovers, supersededBy } from '../../../src/domain/collection.ts';
import { periodFromKey } from '../../../src/domain/periods.ts';

const p = periodFromKey;

describe('the first period collected', () => {
  it('collects a period of any frequency that ends on or after the first day of the first period', () => {
    const q3 = p('2017/18 Q3');
    expect(['2017/18 Q3', '2017-10', '2017/18', '2017-12', '2018/19 Q1'].map((k) => isCollected(p(k), q3))).toEqual([true, true, true, true, true]);
    expect(['2017/18 Q2', '2017-09', '2016/17', '2013/14 Q2'].map((k) => isCollected(p(k), q3))).toEqual([false, false, false, false]);
  });

  it('is by default the most recent quarter that has ended', () => {
    expect(defaultFirstPeriod('2018-01-15', 4).key).toBe('2017/18 Q3');
    expect(defaultFirstPeriod('2018-01-01', 4).key).toBe('2017/18 Q3');
    expect(defaultFirstPeriod('2017-12-31', 4).key).toBe('2017/18 Q2');
    expect(defaultFirstPeriod('2026-12-07', 4).key).toBe('2026/27 Q2');
  });
});

describe('a gap superseded by a later value', () => {
  const later = (...keys: string[]) => keys.map((k) => p(k));
  it('is superseded for a level or rate by any later value', () => {
    expect(supersededBy(p('2017/18 Q2'), 'snapshot', later('2017/18 Q1', '2017/18 Q3'), 4)?.key).toBe('2017/18 Q3');
    expect(supersededBy(p('2016/17 Q4'), 'snapshot', later('2017/18 Q2'), 4)?.key).toBe('2017/18 Q2');
    expect(supersededBy(p('2017/18 Q2'), 'snapshot', later('2017/18 Q1', '2017-12'), 4)).toBeNull();
  });

  it('is superseded for a running total only within its financial year', () => {
    expect(supersededBy(p('2017/18 Q2'), 'ytd', later('2017/18 Q3'), 4)?.key).toBe('2017/18 Q3');
    expect(supersededBy(p('2016/17 Q4'), 'ytd', later('2017/18 Q1'), 4)).toBeNull();
    expect(supersededBy(p('2016/17'), 'ytd', later('2017/18'), 4)).toBeNull();
  });

  it('is never superseded for a per-period count or an average: each period has its own', () => {
    expect(supersededBy(p('2017/18 Q2'), 'cumulative', later('2017/18 Q3'), 4)).toBeNull();
    expect(supersededBy(p('2017/18 Q2'), 'average', later('2017/18 Q3'), 4)).toBeNull();
  });
});

describe('a period marked not collected', () => {
  const ind = { id: 7, themeId: 3 };
  const mark = (key: string, scope: { indicatorId?: number; themeId?: number }) => ({ periodStart: p(key).start, periodEnd: p(key).end, indicatorId: scope.indicatorId ?? null, themeId: scope.themeId ?? null });
  it('covers the periods inside it, for its indicator, its theme or every indicator', () => {
    expect(markCovers(mark('2016/17', { indicatorId: 7 }), ind, p('2016/17 Q2'))).toBe(true);
    expect(markCovers(mark('2016/17', { indicatorId: 8 }), ind, p('2016/17 Q2'))).toBe(false);
    expect(markCovers(mark('2017/18 Q2', { themeId: 3 }), ind, p('2017-08'))).toBe(true);
    expect(markCovers(mark('2017/18 Q2', { themeId: 4 }), ind, p('2017-08'))).toBe(false);
    expect(markCovers(mark('2017/18 Q2', {}), ind, p('2017/18 Q2'))).toBe(true);
    // A quarter marked does not cover its year.
    expect(markCovers(mark('2017/18 Q2', {}), ind, p('2017/18'))).toBe(false);
  });
});
