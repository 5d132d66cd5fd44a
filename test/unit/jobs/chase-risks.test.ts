// Risk reviews chased by each risk's review frequency, on the memory repository: a review falls due its
// frequency after the latest one (or after the risk was entered), and its owner is asked in the day's
// chase message with a button that opens the review form — once a day, on the organisation's cadence,
// then the deputy, then the theme's director, each told whose it is (the data chase's rule); an owner who
// is away or cannot be reached is stood in for at once, the admins told of the unreachable; a review that fell due before go-live is counted from go-live; reviewed, it is asked
// no more; the data chase carries it for someone chased for values that day.
import { describe, expect, it } from 'vitest';
import { aBot, FakeFinder, type TestBot } from '../../support/bot.ts';
import { chaseActions } from '../../../jobs/chase-actions.ts';
import { chaseData } from '../../../jobs/chase-data.ts';
import type { RiskFields } from '../../../src/ports.ts';

const risk = (b: TestBot, over: Partial<RiskFields> = {}): RiskFields => ({
  ref: 'CIP06',
  title: 'Communication and Engagement',
  description: null,
  themeId: b.council.theme.id,
  ownerId: b.council.owner.id,
  deputyId: b.council.deputy.id,
  controls: null,
  inherent: { likelihood: 4, impact: 4 },
  target: null,
  reviewMonths: 3,
  active: true,
  actionIds: [],
  indicatorIds: [],
  ...over,
});

/** Risks entered on the bot's day, each with a review on `reviewedOn` (null: never reviewed). */
async function withRisks(b: TestBot, risks: { fields: RiskFields; reviewedOn: string | null }[]) {
  const { ids } = await b.deps.repo.risks.upsert(risks.map((r) => r.fields), b.clock.now());
  const by = { at: b.clock.now(), actorId: null, actorLabel: 'test' };
  for (const r of risks) {
    if (r.reviewedOn) await b.deps.repo.risks.saveReview({ riskId: ids.get(r.fields.ref)!, reviewedOn: r.reviewedOn, likelihood: 3, impact: 4, commentary: 'Reviewed.', authorId: null, source: 'test', at: b.clock.now() }, by);
  }
  return ids;
}

const day = (b: TestBot, iso: string) => b.clock.set(new Date(`${iso}T10:00:00Z`));
const buttonsOf = (m: { blocks: { type: string }[] }) => m.blocks.flatMap((x) => (x.type === 'actions' ? (x as unknown as { actions: { id: string; label: string; value: string }[] }).actions : []));

describe('risk reviews in the chase', () => {
  it('asks the owner once a day for each review fallen due by its frequency, with a button opening the review form', async () => {
    const b = await aBot({ now: '2018-01-12T10:00:00Z' });
    const ids = await withRisks(b, [
      { fields: risk(b), reviewedOn: '2017-10-15' }, // quarterly: due 15 Jan 2018
      { fields: risk(b, { ref: 'CIP08', title: 'Closing the loop on quality of service', reviewMonths: 1 }), reviewedOn: '2017-12-15' }, // monthly: due 15 Jan
      { fields: risk(b, { ref: 'CIP03', title: 'Reviewed lately' }), reviewedOn: '2017-12-20' }, // due 20 Mar
      { fields: risk(b, { ref: 'CIP10', title: 'Closed', active: false }), reviewedOn: '2017-06-01' },
    ]);
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ reviewsDue: 0 });
    expect(b.outbox.messages('chase-actions')).toEqual([]);

    day(b, '2018-01-15');
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ reviewsDue: 2, people: 1, sent: 1 });
    const [chase] = b.outbox.messages('chase-actions');
    expect(chase!.personId).toBe(b.council.owner.id);
    expect(chase!.message.text).toBe('Risk reviews due: CIP06, CIP08.');
    expect(JSON.stringify(chase!.message.blocks)).toContain('now 12 (3×4) High; due 15 Jan 2018 (due today)');
    expect(buttonsOf(chase!.message).map((x) => [x.id, x.label, JSON.parse(x.value)])).toEqual([
      ['open-risk-review', 'Review CIP06', { riskId: ids.get('CIP06') }],
      ['open-risk-review', 'Review CIP08', { riskId: ids.get('CIP08') }],
    ]);
    // The same day again: nothing twice (the outbox key), and no reminder counted twice.
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ sent: 0, people: 0 });
    expect(await b.deps.repo.risks.reminders([ids.get('CIP06')!], '2018-01-15')).toHaveLength(1);

    // CIP06 reviewed: only CIP08 is asked for at the next reminder (the cadence's +3 working days).
    await b.deps.repo.risks.saveReview({ riskId: ids.get('CIP06')!, reviewedOn: '2018-01-16', likelihood: 4, impact: 4, commentary: 'Two leavers.', authorId: b.council.owner.id, source: 'test', at: b.clock.now() }, { at: b.clock.now(), actorId: null, actorLabel: 'test' });
    day(b, '2018-01-16');
    await chaseActions(b.deps, b.clock.now());
    expect(b.outbox.messages('chase-actions').filter((m) => m.personId === b.council.owner.id)).toHaveLength(1);
    day(b, '2018-01-18');
    await chaseActions(b.deps, b.clock.now());
    expect(b.outbox.messages('chase-actions').filter((m) => m.personId === b.council.owner.id).at(-1)!.message.text).toBe('Risk review due: CIP08.');
  });

  it('goes to the deputy after the organisation’s reminders, then the director, saying whose it is', async () => {
    const b = await aBot({ now: '2018-01-15T10:00:00Z' });
    await withRisks(b, [{ fields: risk(b), reviewedOn: '2017-10-15' }]);
    for (let d = 15; d <= 31 + 28; d++) {
      const at = new Date(Date.UTC(2018, 0, d, 10));
      if ([0, 6].includes(at.getUTCDay())) continue;
      b.clock.set(at);
      await chaseActions(b.deps, b.clock.now());
    }
    const sent = b.outbox.messages('chase-actions').filter((m) => m.message.text.startsWith('Risk review'));
    const { owner, deputy, director } = b.council;
    expect(sent.slice(0, 3).map((m) => m.personId)).toEqual([owner.id, owner.id, owner.id]);
    expect(sent[3]!.personId).toBe(deputy.id);
    expect(JSON.stringify(sent[3]!.message)).toContain('the owner has not responded (reminder 4)');
    expect(sent.at(-1)!.personId).toBe(director.id);
    expect(JSON.stringify(sent.at(-1)!.message)).toContain('the owner and deputy have not responded');
  });

  it('asks the deputy at once while the owner is away, saying why', async () => {
    const b = await aBot({ now: '2018-01-15T10:00:00Z' });
    await withRisks(b, [{ fields: risk(b), reviewedOn: '2017-10-15' }]);
    await b.deps.repo.setAbsence(b.council.owner.id, '2018-01-26');
    await chaseActions(b.deps, b.clock.now());
    const [chase] = b.outbox.messages('chase-actions');
    expect(chase!.personId).toBe(b.council.deputy.id);
    expect(JSON.stringify(chase!.message)).toContain('the owner is away until 26 Jan 2018');
  });

  it('passes over an owner the bot cannot reach: the deputy is asked at once, and the performance admins are told once', async () => {
    // A Slack workspace the new starter from a People sheet is not in (yet).
    const b = await aBot({ now: '2018-01-15T10:00:00Z', finders: [new FakeFinder({})] });
    await b.load({ people: [{ displayName: 'Pat Newcomer', email: 'pat.newcomer@council.example' }] });
    const pat = (await b.repo.people()).find((p) => p.displayName === 'Pat Newcomer')!;
    await withRisks(b, [{ fields: risk(b, { ownerId: pat.id }), reviewedOn: '2017-10-15' }]);
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ reviewsDue: 1, people: 1, sent: 1, adminsTold: 1 });
    const [chase] = b.outbox.messages('chase-actions');
    expect(chase!.personId).toBe(b.council.deputy.id);
    expect(JSON.stringify(chase!.message)).toContain('the owner (Pat Newcomer) cannot be reached');
    const [told] = b.outbox.messages('unreachable-people');
    expect(told!.personId).toBe(b.council.admin.id);
    expect(JSON.stringify(told!.message)).toContain('Pat Newcomer');
    // The next reminder goes to the deputy again; the admins are not told twice.
    day(b, '2018-01-18');
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ sent: 1, adminsTold: 0 });
    expect(b.outbox.messages('chase-actions').map((m) => m.personId)).toEqual([b.council.deputy.id, b.council.deputy.id]);
  });

  it('holds the review of an owner away with no deputy until they are back: no director is asked because of leave', async () => {
    const b = await aBot({ now: '2018-01-15T10:00:00Z' });
    // The officer has no deputy of their own, and the risk names none.
    const { officer: owner } = b.council;
    await withRisks(b, [{ fields: risk(b, { ownerId: owner.id, deputyId: null }), reviewedOn: '2017-10-15' }]);
    await b.repo.setAbsence(owner.id, '2018-01-26');
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ reviewsDue: 1, reviewsHeld: 1, people: 0 });
    day(b, '2018-01-29');
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ people: 1, reviewsHeld: 0 });
    expect(b.outbox.messages('chase-actions').map((m) => m.personId)).toEqual([owner.id]);
  });

  it('counts a review that fell due before go-live from go-live', async () => {
    const b = await aBot({ now: '2018-01-15T10:00:00Z' });
    await b.deps.repo.updateOrg({ collectingSince: '2018-01-17' });
    await withRisks(b, [{ fields: risk(b), reviewedOn: '2017-06-01' }]); // due 1 Sep 2017, long before
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ reviewsDue: 1, people: 0 });
    day(b, '2018-01-17');
    await chaseActions(b.deps, b.clock.now());
    // Reminder 1 to the owner, not an escalation for the months before anyone was asked.
    expect(b.outbox.messages('chase-actions').map((m) => m.personId)).toEqual([b.council.owner.id]);
    expect(JSON.stringify(b.outbox.messages('chase-actions')[0]!.message)).not.toContain('reminder');
  });

  it('rides the data chase for someone asked for values that day; chase-actions then has nothing more for them', async () => {
    const b = await aBot({ now: '2018-02-05T09:00:00Z' });
    await withRisks(b, [{ fields: risk(b), reviewedOn: '2017-10-20' }]);
    await chaseData(b.deps, b.clock.now());
    const toOwner = b.outbox.messages('chase-data').find((m) => m.personId === b.council.owner.id)!;
    expect(toOwner.message.text).toContain('Risk review due: CIP06.');
    const ids = buttonsOf(toOwner.message).map((x) => x.id);
    expect(ids).toContain('open-submit');
    expect(ids).toContain('open-risk-review');
    await chaseActions(b.deps, b.clock.now());
    expect(b.outbox.messages('chase-actions').some((m) => m.personId === b.council.owner.id)).toBe(false);
  });
});
