// Which period a submission means when its year was not typed (or no period at all), and when that
// reading is said back before a value is written: on the demo's date, 15 January 2018, with
// quarterly values due 30 days after a quarter ends (Q2 due since 30 October, Q3 due 30 January).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectingPeriods, defaultPeriod, formatPeriodInFull, month, parsePeriod, periodContaining, periodFromKey, periodQuestion, quarter, type PeriodSource } from '../../../src/domain/periods.ts';
import type { Frequency, LocalDate } from '../../../src/domain/types.ts';

fc.configureGlobal({ seed: Number(process.env.KPI_FUZZ_SEED ?? 20180115), numRuns: Number(process.env.KPI_FUZZ_RUNS ?? 200) });

const DEMO_DAY = '2018-01-15';
const quarterly = { frequency: 'quarterly' as Frequency, lagDays: 30, fy: 4 };
const submitted = (text: string, today: LocalDate = DEMO_DAY, frequency: Frequency = 'quarterly') => {
  const r = parsePeriod(text, { frequency, today, bare: 'begun' });
  if (!r.ok) throw new Error(r.error);
  return r;
};
const ask = (text: string, valueKeys: string[], today: LocalDate = DEMO_DAY, cadence = quarterly) => {
  const r = text ? submitted(text, today, cadence.frequency) : null;
  const period = r ? r.value : defaultPeriod(cadence, today, (k) => valueKeys.includes(k));
  const source: PeriodSource = !r ? 'default' : r.inferred ? 'inferred' : 'typed';
  return periodQuestion({ period, source, alternative: r?.alternative ?? null, cadence, today, valueKeys, periodOf: (k) => periodFromKey(k) });
};

describe('a period typed without its year, in a submission', () => {
  it('reads "Q4" as this year’s Q4 once it has begun, offering last year’s; as last year’s only while this year’s has not begun', () => {
    expect(submitted('Q4')).toMatchObject({ value: { key: '2017/18 Q4' }, inferred: true, alternative: { key: '2016/17 Q4' } });
    expect(submitted('Q3')).toMatchObject({ value: { key: '2017/18 Q3' }, inferred: true });
    expect(submitted('Q3').alternative).toBeUndefined();
    // In April 2018 (2018/19), this year's Q4 has not begun: last year's, with nothing else to offer.
    const april = submitted('Q4', '2018-04-16');
    expect([april.value.key, april.alternative]).toEqual(['2017/18 Q4', undefined]);
    // Elsewhere (reports, sign-off, history) a bare quarter is still the last that has ended.
    const ended = parsePeriod('Q4', { frequency: 'quarterly', today: DEMO_DAY });
    expect(ended.ok && [ended.value.key, ended.inferred, ended.alternative?.key]).toEqual(['2016/17 Q4', true, '2017/18 Q4']);
    expect(submitted('Jan', DEMO_DAY, 'monthly')).toMatchObject({ value: { key: '2018-01' }, alternative: { key: '2017-01' } });
    expect(submitted('last quarter')).toMatchObject({ value: { key: '2017/18 Q3' }, inferred: true });
    expect(submitted('2017/18 Q4').inferred).toBeUndefined();
  });

  it('says the period in full where its name could be misread', () => {
    expect(formatPeriodInFull(quarter(2017, 4))).toBe('2017/18 Q4 (Jan–Mar 2018)');
    expect(formatPeriodInFull(month(2017, 12))).toBe('Dec 2017');
    expect(formatPeriodInFull(periodFromKey('2017/18'))).toBe('2017/18');
  });
});

describe('which periods are being collected, and the one a submission without a period means', () => {
  it('collects from the latest due to the latest ended: Q2 and Q3 during Q3’s lag, Q3 alone after it', () => {
    expect(collectingPeriods(quarterly, DEMO_DAY).map((p) => p.key)).toEqual(['2017/18 Q2', '2017/18 Q3']);
    expect(collectingPeriods(quarterly, '2018-02-05').map((p) => p.key)).toEqual(['2017/18 Q3']);
    expect(collectingPeriods({ ...quarterly, lagDays: 0 }, DEMO_DAY).map((p) => p.key)).toEqual(['2017/18 Q3']);
  });

  it('never collects a period that ended before go-live: collecting from 2017/18 Q3, no period means Q3, never Q2', () => {
    const live = { ...quarterly, collectedFrom: '2017-10-01' };
    expect(collectingPeriods(live, DEMO_DAY).map((p) => p.key)).toEqual(['2017/18 Q3']);
    expect(defaultPeriod(live, DEMO_DAY, () => false).key).toBe('2017/18 Q3');
    // Q3 already has its value: the default is Q3 (a correction, asked about), not the earlier gap.
    expect(defaultPeriod(live, DEMO_DAY, (k) => k === '2017/18 Q3').key).toBe('2017/18 Q3');
    expect(ask('', ['2017/18 Q3'], DEMO_DAY, live)).toBeNull();
    // "Q2" typed without its year is now said back: it is not being collected.
    expect(ask('Q2', [], DEMO_DAY, live)).toMatchObject({ why: 'not-collecting', period: { key: '2017/18 Q2' }, collecting: [{ key: '2017/18 Q3' }], collectedFrom: '2017-10-01' });
    // An annual indicator has no period being collected yet (2016/17 ended before go-live): its default is asked about.
    const annual = { frequency: 'annual' as Frequency, lagDays: 120, fy: 4, collectedFrom: '2017-10-01' };
    expect(collectingPeriods(annual, DEMO_DAY)).toEqual([]);
    expect(ask('', [], DEMO_DAY, annual)).toMatchObject({ why: 'not-collecting', period: { key: '2016/17' }, collecting: [] });
  });

  it('means the oldest period being collected without a value, else the latest due', () => {
    expect(defaultPeriod(quarterly, DEMO_DAY, () => false).key).toBe('2017/18 Q2');
    expect(defaultPeriod(quarterly, DEMO_DAY, (k) => k === '2017/18 Q2').key).toBe('2017/18 Q3');
    expect(defaultPeriod(quarterly, DEMO_DAY, () => true).key).toBe('2017/18 Q2');
  });
});

describe('when a period is said back before its value is written', () => {
  it('asks about "Q4" on 15 January 2018: a quarter that has not ended, not one being collected', () => {
    expect(ask('Q4', ['2017/18 Q3'])).toMatchObject({ why: 'not-collecting', period: { key: '2017/18 Q4' }, alternative: { key: '2016/17 Q4' }, open: true });
  });

  it('asks about no period at all when the period it means is earlier than one already holding a value', () => {
    expect(ask('', ['2017/18 Q3'])).toMatchObject({ why: 'later-value', period: { key: '2017/18 Q2' }, later: { key: '2017/18 Q3' } });
  });

  it('does not ask about "Q3" when Q3 is being collected and nothing later has a value, nor about a period typed with its year', () => {
    expect(ask('Q3', [])).toBeNull();
    expect(ask('Q3', ['2017/18 Q2'])).toBeNull();
    expect(ask('', ['2017/18 Q2'])).toBeNull();
    expect(ask('2016/17 Q4', ['2017/18 Q3'])).toBeNull();
    expect(ask('Q2', ['2017/18 Q3'])).toMatchObject({ why: 'later-value' });
  });

  it('never asks about a period typed with its year, and always about one read without it that is not being collected', () => {
    const kinds = fc.constantFrom<Frequency>('monthly', 'quarterly');
    fc.assert(
      fc.property(fc.integer({ min: 2015, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), kinds, fc.integer({ min: 0, max: 60 }), (y, m, d, frequency, lagDays) => {
        const today = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const cadence = { frequency, lagDays, fy: 4 };
        const current = periodContaining(today, frequency === 'monthly' ? 'month' : 'quarter');
        const collecting = collectingPeriods(cadence, today).map((p) => p.key);
        // The period being collected is never the one in progress.
        expect(collecting).not.toContain(current.key);
        const args = { cadence, today, valueKeys: [], periodOf: (k: string) => periodFromKey(k) };
        expect(periodQuestion({ ...args, period: current, source: 'typed' })).toBeNull();
        expect(periodQuestion({ ...args, period: current, source: 'inferred' })).toMatchObject({ why: 'not-collecting', open: true });
        // With nothing later holding a value, the default never asks.
        expect(periodQuestion({ ...args, period: defaultPeriod(cadence, today, () => false), source: 'default' })).toBeNull();
      }),
    );
  });
});
