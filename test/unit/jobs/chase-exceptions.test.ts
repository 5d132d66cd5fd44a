// chase-exceptions on the memory repository: the owner of a red indicator is reminded of the report owed.
import { describe, expect, it } from 'vitest';
import { useBot } from '../../support/bot.ts';
import { chaseExceptions } from '../../../jobs/chase-exceptions.ts';

describe('chase-exceptions', () => {
  const b = useBot();
  const run = () => chaseExceptions(b.deps, b.clock.now());

  it('reminds the owner of a red indicator, with a button to write the report, once a day', async () => {
    const { owner, absence } = b.council;
    expect(await run()).toMatchObject({ owed: 1, people: 1, reminders: 1 });
    const [m] = b.outbox.messages('chase-exceptions');
    expect(m?.personId).toBe(owner.id);
    expect(m?.message.blocks.flatMap((x) => (x.type === 'actions' ? x.actions.map((a) => [a.id, a.value]) : []))).toEqual([['open-exception', JSON.stringify({ indicatorId: absence.id, periodKey: '2017/18 Q3' })]]);
    expect(await run()).toMatchObject({ reminders: 0 });
  });

  it('owes nothing once the report is submitted', async () => {
    const { owner, absence } = b.council;
    await b.repo.saveExceptionReport({ indicatorId: absence.id, periodKey: '2017/18 Q3', questions: ['Why?'], answers: ['Winter flu, as every year.'], state: 'submitted', authorId: owner.id }, { expectedVersion: null });
    expect(await run()).toMatchObject({ owed: 0, reminders: 0 });
    expect(b.outbox.messages('chase-exceptions')).toEqual([]);
  });
});
