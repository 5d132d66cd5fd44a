// The incremental planner: which indicators a run of evaluate-statuses looks at, from what the
// database recorded (changes, the last run) and the date. A ledger in memory stands in for the
// repository; the integration test (test/integration/incremental-evaluation.test.ts) runs the real one.
import { describe, expect, it } from 'vitest';
import { FULL_EVERY_MS, movedCadences, planEvaluation, type EvaluationLedger } from '../../../src/services/incremental.ts';
import type { Cadence, EvaluationState, IndicatorChange } from '../../../src/ports.ts';
import type { LocalDate } from '../../../src/domain/types.ts';
import { org } from '../../support/builders.ts';

const ORG = org({ timeZone: 'Europe/London', fyStartMonth: 4 });
const at = (iso: string) => new Date(iso);

/** What the repository holds, in memory: the last run, the changes recorded since, each indicator's cadence and current values' period starts. */
class Ledger implements EvaluationLedger {
  state: EvaluationState | null = null;
  changes: IndicatorChange[] = [];
  cadences = new Map<number, Cadence>();
  valueStarts = new Map<number, LocalDate[]>();
  begunAsked: [LocalDate, LocalDate][] = [];

  async evaluationState() {
    return this.state;
  }
  async changedIndicators() {
    return [...this.changes];
  }
  async indicatorCadences() {
    const seen = new Map([...this.cadences.values()].map((c) => [`${c.frequency}/${c.reportingLagDays}`, c]));
    return [...seen.values()];
  }
  async indicatorIdsWithCadence(cs: Cadence[]) {
    return [...this.cadences].filter(([, c]) => cs.some((x) => x.frequency === c.frequency && x.reportingLagDays === c.reportingLagDays)).map(([id]) => id);
  }
  async indicatorIdsWithValuesBegun(after: LocalDate, upTo: LocalDate) {
    this.begunAsked.push([after, upTo]);
    return [...this.valueStarts].filter(([, starts]) => starts.some((s) => s > after && s <= upTo)).map(([id]) => id);
  }
  async finishEvaluation(o: { at: Date; full: boolean; settings: string; seen: IndicatorChange[] }) {
    this.changes = this.changes.filter((c) => !o.seen.some((s) => s.indicatorId === c.indicatorId && s.mark === c.mark));
    this.state = { lastRunAt: o.at, lastFullAt: o.full ? o.at : (this.state?.lastFullAt ?? new Date(0)), settings: o.settings };
  }
}

async function run(ledger: Ledger, now: Date, opts: { full?: boolean; org?: typeof ORG } = {}) {
  const plan = await planEvaluation(ledger, opts.org ?? ORG, now, opts);
  await plan.done();
  return { ids: plan.ids, scope: plan.scope };
}

describe('incremental evaluation planner', () => {
  it('evaluates everything on the first run, then nothing until something changes', async () => {
    const l = new Ledger();
    expect(await run(l, at('2018-02-05T09:00:00Z'))).toEqual({ ids: null, scope: 'full: first run' });
    expect(l.state).toMatchObject({ lastRunAt: at('2018-02-05T09:00:00Z'), lastFullAt: at('2018-02-05T09:00:00Z') });
    expect(await run(l, at('2018-02-05T10:00:00Z'))).toEqual({ ids: [], scope: 'changed' });
    // Within one day nothing is asked about periods beginning.
    expect(l.begunAsked).toEqual([]);
  });

  it('evaluates the indicators recorded as changed, and forgets a change once a run has seen it', async () => {
    const l = new Ledger();
    await run(l, at('2018-02-05T09:00:00Z'));
    l.changes = [{ indicatorId: 7, mark: '1' }, { indicatorId: 3, mark: '2' }];
    const plan = await planEvaluation(l, ORG, at('2018-02-05T10:00:00Z'));
    expect(plan.ids).toEqual([3, 7]);
    // Changed again while the run was going: a new mark, kept for the next run.
    l.changes = [{ indicatorId: 7, mark: '5' }, { indicatorId: 3, mark: '2' }];
    await plan.done();
    expect(l.changes).toEqual([{ indicatorId: 7, mark: '5' }]);
    expect(await run(l, at('2018-02-05T11:00:00Z'))).toEqual({ ids: [7], scope: 'changed' });
  });

  it('records nothing for a run that did not finish: the next run sees the same changes', async () => {
    const l = new Ledger();
    await run(l, at('2018-02-05T09:00:00Z'));
    l.changes = [{ indicatorId: 4, mark: '1' }];
    await planEvaluation(l, ORG, at('2018-02-05T10:00:00Z')); // failed: done() never called
    expect((await planEvaluation(l, ORG, at('2018-02-05T11:00:00Z'))).ids).toEqual([4]);
  });

  it('evaluates everything when asked, when the organisation settings change, daily, and when the clock goes back', async () => {
    const l = new Ledger();
    await run(l, at('2018-02-05T09:00:00Z'));
    expect(await run(l, at('2018-02-05T09:10:00Z'), { full: true })).toEqual({ ids: null, scope: 'full: asked' });
    expect(await run(l, at('2018-02-05T09:20:00Z'), { org: { ...ORG, exceptionForAmber: !ORG.exceptionForAmber } })).toEqual({ ids: null, scope: 'full: settings changed' });
    // Back to the settings before: changed again, so everything again; then the same settings, nothing.
    expect((await run(l, at('2018-02-05T09:30:00Z'))).scope).toBe('full: settings changed');
    expect((await run(l, at('2018-02-05T09:40:00Z'))).scope).toBe('changed');
    const lastFull = l.state!.lastFullAt.getTime();
    expect((await run(l, new Date(lastFull + FULL_EVERY_MS - 60_000))).scope).toBe('changed');
    expect(await run(l, new Date(lastFull + FULL_EVERY_MS))).toEqual({ ids: null, scope: 'full: daily' });
    expect((await run(l, at('2018-02-05T08:00:00Z'))).scope).toBe('full: daily');
  });

  it('on a new day, adds the indicators whose latest due period moved and those with a value for a period just begun', async () => {
    const l = new Ledger();
    // Quarterly, due 36 days after the quarter: 2017/18 Q3 (to 31 Dec) falls due on 5 Feb 2018.
    l.cadences.set(1, { frequency: 'quarterly', reportingLagDays: 36 });
    l.cadences.set(2, { frequency: 'quarterly', reportingLagDays: 20 });
    l.cadences.set(3, { frequency: 'monthly', reportingLagDays: 10 });
    l.valueStarts.set(2, ['2018-02-05']);
    l.valueStarts.set(3, ['2018-01-01']);
    await run(l, at('2018-02-04T20:00:00Z'));
    expect(await run(l, at('2018-02-05T08:00:00Z'))).toEqual({ ids: [1, 2], scope: 'changed' });
    expect(l.begunAsked).toEqual([['2018-02-04', '2018-02-05']]);
  });

  it('takes the day in the organisation time zone', async () => {
    const l = new Ledger();
    l.valueStarts.set(5, ['2018-07-01']);
    const tokyo = { ...ORG, timeZone: 'Asia/Tokyo' };
    await run(l, at('2018-06-30T10:00:00Z'), { org: tokyo }); // 19:00 on 30 June in Tokyo
    // 16:00 UTC is 1 am on 1 July in Tokyo (still 30 June in London): a new day there.
    expect((await run(l, at('2018-06-30T16:00:00Z'), { org: tokyo })).ids).toEqual([5]);
  });
});

describe('movedCadences', () => {
  const quarterly = (lag: number): Cadence => ({ frequency: 'quarterly', reportingLagDays: lag });

  it('is empty within one day', () => {
    expect(movedCadences([quarterly(36)], '2018-02-05', '2018-02-05', 4)).toEqual([]);
  });

  it('names the cadences whose latest due period differs between the two days', () => {
    // January's monthly value, 6 days after the month, is due on 6 February too.
    const cs: Cadence[] = [quarterly(36), quarterly(37), { frequency: 'annual', reportingLagDays: 0 }, { frequency: 'monthly', reportingLagDays: 6 }];
    expect(movedCadences(cs, '2018-02-04', '2018-02-05', 4)).toEqual([quarterly(36)]);
    expect(movedCadences(cs, '2018-02-05', '2018-02-06', 4)).toEqual([quarterly(37), { frequency: 'monthly', reportingLagDays: 6 }]);
    expect(movedCadences(cs, '2018-03-31', '2018-04-01', 4)).toEqual([{ frequency: 'annual', reportingLagDays: 0 }]);
  });

  it('follows the financial year start', () => {
    // An April year's quarters end with March (among others); a February year's with January and April.
    expect(movedCadences([quarterly(0)], '2018-03-31', '2018-04-01', 4)).toEqual([quarterly(0)]);
    expect(movedCadences([quarterly(0)], '2018-03-31', '2018-04-01', 2)).toEqual([]);
    expect(movedCadences([quarterly(0)], '2018-04-30', '2018-05-01', 2)).toEqual([quarterly(0)]);
  });
});
