// chase-data on the memory repository: owners reminded of values due, on the organisation's cadence,
// once a day at most; an absent or unreachable owner's chase goes to the deputy.
import { describe, expect, it } from 'vitest';
import { useBot } from '../../support/bot.ts';
import { chaseData } from '../../../jobs/chase-data.ts';

describe('chase-data', () => {
  const b = useBot();
  const run = () => chaseData(b.deps, b.clock.now());

  it('reminds each owner of what they owe, with a submit button per value, once a day', async () => {
    const { owner, officer, cleanliness, visits } = b.council;
    expect(await run()).toMatchObject({ owed: 2, people: 2, reminders: 2 });
    const [toOwner, toOfficer] = b.outbox.messages('chase-data');
    expect([toOwner?.personId, toOfficer?.personId]).toEqual([owner.id, officer.id]);
    expect(toOwner?.message.blocks.flatMap((x) => (x.type === 'actions' ? x.actions : []))).toEqual([
      { id: 'open-submit', label: `Submit ${cleanliness.slug}`, value: JSON.stringify({ indicatorId: cleanliness.id, periodKey: '2017/18 Q3' }) },
    ]);
    expect(JSON.stringify(toOfficer?.message)).toContain(visits.slug);
    expect(await run()).toMatchObject({ reminders: 0 });
    expect(b.outbox.messages('chase-data')).toHaveLength(2);
  });

  it('follows the cadence in working days, then goes to the deputy, and to the director where there is none', async () => {
    const { owner, deputy, officer, director } = b.council;
    for (let day = 0; day <= 16; day++) {
      await run();
      b.clock.advance(86_400_000);
    }
    const sent = b.outbox.messages('chase-data').map((m) => [m.key.split(':')[1], m.personId]);
    expect(sent).toEqual([
      ['2018-02-05', owner.id],
      ['2018-02-05', officer.id],
      ['2018-02-08', owner.id],
      ['2018-02-08', officer.id],
      ['2018-02-14', owner.id],
      ['2018-02-14', officer.id],
      ['2018-02-21', deputy.id],
      ['2018-02-21', director.id],
    ]);
  });

  it('stops chasing a value once it is in', async () => {
    await b.load({ values: [{ slug: b.council.cleanliness.slug, observations: [{ periodKey: '2017/18 Q3', value: 84 }] }] });
    expect(await run()).toMatchObject({ owed: 1, people: 1 });
    expect(b.outbox.messages('chase-data').map((m) => m.personId)).toEqual([b.council.officer.id]);
  });

  it('chases the deputy while the owner is away, and says so', async () => {
    const { owner, deputy } = b.council;
    await b.repo.setAbsence(owner.id, '2018-02-20');
    await run();
    const toDeputy = b.outbox.messages('chase-data').find((m) => m.personId === deputy.id);
    expect(toDeputy).toBeDefined();
    // The deputy's first chase: the summary, saying whose value it is and why.
    expect(JSON.stringify(toDeputy?.message)).toContain(`for <@person:${owner.id}> (the owner is away until 20 Feb 2018)`);
    expect(b.outbox.messages('chase-data').map((m) => m.personId)).not.toContain(owner.id);
  });
});
