// Alerting's state stage alone, on the memory repository: each transition recorded once (an overlapping
// run gets nothing back to alert on), an indicator's or action's first record and the baseline run are
// never news, and an action's changes belong to the spell (episode) that a raised condition began.
import { describe, expect, it } from 'vitest';
import type { ActionRecord } from '../../../src/ports.ts';
import { MemoryRepository } from '../../support/memory/repository.ts';
import { indicatorCandidates, recordConditionChanges, recordIndicatorChanges } from '../../../src/alerting/state.ts';
import { readIndicators, type ConditionReading } from '../../../src/alerting/evaluation.ts';
import { history, indicator, org } from '../../support/builders.ts';

const at = new Date('2018-02-05T09:00:00Z');

describe('state: indicators', () => {
  const ind = indicator({ id: 1, polarity: 'lower', unit: 'days', decimals: 2 });
  const read = (value: number) => readIndicators([ind], new Map([[1, history(1, [['2017/18 Q2', 8.2], ['2017/18 Q3', value]], [['2017/18 Q3', 8.5]])]]), org(), '2018-02-05');

  it('records the first reading as a baseline, a change once, and tells the change only to the process that recorded it', async () => {
    const repo = new MemoryRepository();
    const first = await recordIndicatorChanges(repo, indicatorCandidates(read(8.4), new Map(), at), { baseline: true });
    expect([first.recorded, first.news]).toEqual([1, []]);
    const latest = await repo.latestStatusChanges();
    const candidates = indicatorCandidates(read(10.49), latest, at);
    expect(candidates.map((c) => c.kind)).toEqual(['turned-red']);
    const [one, two] = [await recordIndicatorChanges(repo, candidates, { baseline: false }), await recordIndicatorChanges(repo, candidates, { baseline: false })];
    expect([one.recorded, one.news.map((t) => [t.kind, t.prev.status, t.change.status])]).toEqual([1, [['turned-red', 'green', 'red']]]);
    expect([two.recorded, two.news]).toEqual([0, []]);
    expect(indicatorCandidates(read(10.49), await repo.latestStatusChanges(), at)).toEqual([]);
  });
});

describe('state: conditions (actions)', () => {
  const reading = (conditions: string[], progress: string | null = null): ConditionReading<ActionRecord> => ({
    subject: {} as ActionRecord,
    subjectId: 7,
    conditions,
    detail: conditions.length ? { progress, due: '2018-03-31', update: null } : {},
  });
  async function step(repo: MemoryRepository, r: ConditionReading<ActionRecord>) {
    return recordConditionChanges(repo.conditionChanges, 'action', [r], await repo.conditionChanges.latest('action'), at);
  }

  it('keeps the first record silent, and gives each change after it the spell it belongs to', async () => {
    const repo = new MemoryRepository();
    expect((await step(repo, reading(['overdue']))).news).toEqual([]);
    const first = (await repo.conditionChanges.latest('action')).get(7)!;
    // A new update while overdue: a change within the spell the first record began.
    const changed = (await step(repo, reading(['overdue'], 'at_risk'))).news[0]!;
    expect([changed.kind, changed.episode]).toEqual(['changed', first.id]);
    const raised = (await step(repo, reading(['off_track', 'overdue'], 'off_track'))).news[0]!;
    expect([raised.kind, raised.episode]).toEqual(['raised', first.id]);
    const cleared = (await step(repo, reading([]))).news[0]!;
    expect([cleared.kind, cleared.episode, cleared.prev.conditions]).toEqual(['cleared', first.id, ['off_track', 'overdue']]);
    // Nothing holds, nothing changes: nothing recorded.
    expect(await step(repo, reading([]))).toEqual({ recorded: 0, news: [] });
    // Raised again from nothing: a spell of its own.
    const again = (await step(repo, reading(['off_track'], 'off_track'))).news[0]!;
    expect([again.kind, again.episode]).toEqual(['raised', again.change.id]);
  });

  it('records a transition once when two runs compute it from the same record', async () => {
    const repo = new MemoryRepository();
    await step(repo, reading([]));
    const latest = await repo.conditionChanges.latest('action');
    const [a, b] = [
      await recordConditionChanges(repo.conditionChanges, 'action', [reading(['off_track'], 'off_track')], latest, at),
      await recordConditionChanges(repo.conditionChanges, 'action', [reading(['off_track'], 'off_track')], latest, at),
    ];
    expect([a.news.length, b.news.length, b.recorded]).toEqual([1, 0, 0]);
  });
});
