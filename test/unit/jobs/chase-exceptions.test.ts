// chase-exceptions on the memory repository: the owner of a red indicator is reminded of the report owed.
import { describe, expect, it } from 'vitest';
import { useBot } from '../../support/bot.ts';
import { chaseExceptions } from '../../../jobs/chase-exceptions.ts';
import { saveValue } from '../../support/builders.ts';
import { mine } from '../../../commands/mine.ts';
import { said } from '../../support/bot.ts';

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

  it('owes no report for a quarter still running, whatever was typed for it early: Q3’s is asked for, not Q4’s', async () => {
    const { owner, absence } = b.council;
    // 5 February 2018: 2017/18 Q4 began five weeks ago; its value is due after 31 March.
    await saveValue(b.repo, b.clock.now(), absence.slug, '2017/18 Q4', 11.2);
    expect(await run()).toMatchObject({ owed: 1, reminders: 1 });
    const [m] = b.outbox.messages('chase-exceptions');
    expect(JSON.stringify(m!.message)).toContain('Red for 2017/18 Q3');
    expect(JSON.stringify(m!.message)).not.toContain('2017/18 Q4');
    expect(said(await mine(b.deps, b.as(owner)))).toContain(`\`${absence.slug}\` 2017/18 Q3 is red`);
    // Q3's written: nothing is owed until Q4's value is due.
    await b.repo.saveExceptionReport({ indicatorId: absence.id, periodKey: '2017/18 Q3', questions: ['Why?'], answers: ['Winter flu.'], state: 'submitted', authorId: owner.id }, { expectedVersion: null });
    b.clock.advance(86_400_000);
    expect(await run()).toMatchObject({ owed: 0 });
  });
});
