// chase-actions on the memory repository: once a quarter has ended and its updates are due (10 working
// days on), each owner is asked once a day for every action they owe, with a button per action; nothing
// for an action updated, finished or starting later; escalation to the deputy, then the director, after
// the organisation's reminders; the same run twice sends nothing twice.
import { describe, expect, it } from 'vitest';
import { aBot, FakeFinder } from '../../support/bot.ts';
import { chaseActions } from '../../../jobs/chase-actions.ts';
import { chaseData } from '../../../jobs/chase-data.ts';
import type { ActionFields } from '../../../src/ports.ts';
import type { Council } from '../../support/council.ts';

const seed = (c: Council): ActionFields[] => {
  const base = { kind: 'action' as const, description: null, themeId: c.theme.id, ownerId: c.owner.id, deputyId: c.deputy.id, start: null, isKey: false, active: true, indicatorIds: [] };
  return [
    { ...base, ref: 'EEP 02', title: 'Deliver the BID Year 1 action plan', due: '2018-03-31' },
    { ...base, ref: 'EEP 03', title: 'Deliver the Work Programme', due: '2018-03-31' },
    { ...base, ref: 'HG 04', title: 'Starts next quarter', due: '2018-06-30', start: '2018-01-01' },
    { ...base, ref: 'CIP-WS2', title: 'Delivered last quarter', due: '2017-09-30' },
  ];
};

describe('chase-actions', () => {
  it('asks each owner once a day for the quarter’s updates they owe, with a button each, from the tenth working day after the quarter', async () => {
    // 2017/18 Q3 ends 31 Dec 2017; ten working days on (bank holidays skipped) is 16 Jan 2018.
    const b = await aBot({ now: '2018-01-15T10:00:00Z' });
    const ids = (await b.deps.repo.actions.upsert(seed(b.council), b.clock.now())).ids;
    const by = { at: b.clock.now(), actorId: null, actorLabel: 'test' };
    await b.deps.repo.actions.saveUpdate({ actionId: ids.get('CIP-WS2')!, periodKey: '2017/18 Q2', progress: 'delivered', percentComplete: 100, commentary: 'Done', authorId: null, source: 'test', at: b.clock.now() }, by);
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ quarter: '2017/18 Q3', due: '2018-01-16', owed: 2, people: 0 });

    b.clock.set(new Date('2018-01-16T10:00:00Z'));
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ owed: 2, people: 1, sent: 1 });
    const [chase] = b.outbox.messages('chase-actions');
    expect(chase!.personId).toBe(b.council.owner.id);
    expect(chase!.message.text).toBe('📋 Progress updates due for 2017/18 Q3 (Oct–Dec 2017): EEP 02, EEP 03.');
    const buttons = chase!.message.blocks.flatMap((x) => (x.type === 'actions' ? x.actions : []));
    expect(buttons.map((x) => [x.id, x.label])).toEqual([['open-action-update', 'Update EEP 02'], ['open-action-update', 'Update EEP 03']]);
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ sent: 0, people: 0 });

    // EEP 02 updated: only EEP 03 is asked for at the next reminder.
    await b.deps.repo.actions.saveUpdate({ actionId: ids.get('EEP 02')!, periodKey: '2017/18 Q3', progress: 'on_target', percentComplete: null, commentary: '', authorId: b.council.owner.id, source: 'test', at: b.clock.now() }, by);
    b.clock.set(new Date('2018-01-19T10:00:00Z'));
    await chaseActions(b.deps, b.clock.now());
    expect(b.outbox.messages('chase-actions').at(-1)!.message.text).toBe('📋 Progress update due for 2017/18 Q3 (Oct–Dec 2017): EEP 03.');
  });

  it('goes to the deputy after the organisation’s reminders, then the director, saying whose it is', async () => {
    const b = await aBot({ now: '2018-01-16T10:00:00Z' });
    await b.deps.repo.actions.upsert(seed(b.council).slice(1, 2), b.clock.now());
    const to: number[] = [];
    for (let day = 16; day <= 31 + 28; day++) {
      const d = new Date(Date.UTC(2018, 0, day, 10));
      if ([0, 6].includes(d.getUTCDay())) continue;
      b.clock.set(d);
      await chaseActions(b.deps, b.clock.now());
    }
    for (const m of b.outbox.messages('chase-actions')) to.push(m.personId!);
    const { owner, deputy, director } = b.council;
    expect(to.slice(0, 3)).toEqual([owner.id, owner.id, owner.id]);
    expect(to[3]).toBe(deputy.id);
    expect(to.at(-1)).toBe(director.id);
    expect(JSON.stringify(b.outbox.messages('chase-actions').find((m) => m.personId === deputy.id)!.message)).toContain('has not responded (reminder 4)');
  });
});

describe('who is asked: the data chase’s rule', () => {
  it('passes over an owner the bot cannot reach: the deputy is asked at once, saying why, and the performance admins are told once', async () => {
    // A Slack workspace the new starter from a People sheet is not in (yet).
    const b = await aBot({ now: '2018-01-16T10:00:00Z', finders: [new FakeFinder({})] });
    await b.load({ people: [{ displayName: 'Pat Newcomer', email: 'pat.newcomer@council.example' }] });
    const pat = (await b.repo.people()).find((p) => p.displayName === 'Pat Newcomer')!;
    await b.repo.actions.upsert([{ ...seed(b.council)[0]!, ownerId: pat.id }], b.clock.now());
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ owed: 1, people: 1, sent: 1, unreachable: 1, adminsTold: 1 });
    const [chase] = b.outbox.messages('chase-actions');
    expect(chase!.personId).toBe(b.council.deputy.id);
    expect(JSON.stringify(chase!.message)).toContain('the owner (Pat Newcomer) cannot be reached');
    expect(JSON.stringify(chase!.message)).toContain('no Slack member has the e-mail pat.newcomer@council.example');
    const [told] = b.outbox.messages('unreachable-people');
    expect(told!.personId).toBe(b.council.admin.id);
    expect(JSON.stringify(told!.message)).toContain('Pat Newcomer');
    // The next reminder: the deputy again; the admins are not told twice.
    b.clock.set(new Date('2018-01-19T10:00:00Z'));
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ sent: 1, adminsTold: 0 });
    expect(b.outbox.messages('chase-actions').map((m) => m.personId)).toEqual([b.council.deputy.id, b.council.deputy.id]);
  });

  it('tells the admins of an action owner it cannot reach from the data chase too, when that runs first: once', async () => {
    const b = await aBot({ now: '2018-02-05T09:00:00Z', finders: [new FakeFinder({})] });
    await b.load({ people: [{ displayName: 'Pat Newcomer', email: 'pat.newcomer@council.example' }] });
    const pat = (await b.repo.people()).find((p) => p.displayName === 'Pat Newcomer')!;
    await b.repo.actions.upsert([{ ...seed(b.council)[0]!, ownerId: pat.id }], b.clock.now());
    // Pat owns no indicator: only the action makes them news.
    expect(await chaseData(b.deps, b.clock.now())).toMatchObject({ unreachable: 1, adminsTold: 1 });
    expect(JSON.stringify(b.outbox.messages('unreachable-people').map((m) => m.message))).toContain('Pat Newcomer');
    b.clock.set(new Date('2018-02-05T10:00:00Z'));
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ unreachable: 1, adminsTold: 0 });
    expect(b.outbox.messages('unreachable-people')).toHaveLength(1);
  });

  it('holds the reminders of an owner away with no deputy to stand in until they are back: no director is asked because of leave', async () => {
    const b = await aBot({ now: '2018-01-16T10:00:00Z' });
    // The officer has no deputy of their own, and the action names none.
    const { officer: owner } = b.council;
    await b.repo.actions.upsert([{ ...seed(b.council)[0]!, ownerId: owner.id, deputyId: null }], b.clock.now());
    await b.repo.setAbsence(owner.id, '2018-01-22');
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ owed: 1, people: 0, heldOwnerAway: 1 });
    b.clock.set(new Date('2018-01-23T10:00:00Z'));
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ people: 1, heldOwnerAway: 0 });
    expect(b.outbox.messages('chase-actions').map((m) => m.personId)).toEqual([owner.id]);
  });
});

describe('one message for values and progress updates', () => {
  it('puts an owner’s progress updates in the data chase they get that day; chase-actions then has nothing more for them', async () => {
    const b = await aBot({ now: '2018-02-05T09:00:00Z' });
    await b.deps.repo.actions.upsert(seed(b.council).slice(0, 2), b.clock.now());
    await chaseData(b.deps, b.clock.now());
    const toOwner = b.outbox.messages('chase-data').find((m) => m.personId === b.council.owner.id)!;
    expect(toOwner.message.text).toContain('Progress updates due: EEP 02, EEP 03.');
    const ids = toOwner.message.blocks.flatMap((x) => (x.type === 'actions' ? x.actions.map((a) => a.id) : []));
    expect(ids).toContain('open-submit');
    expect(ids.filter((id) => id === 'open-action-update')).toHaveLength(2);
    // Nothing more for the owner; only the quarter's commentary, to the theme's director and the performance team.
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ owed: 2, commentaryOwed: 2 });
    expect(b.outbox.messages('chase-actions').map((m) => m.personId).sort()).toEqual([b.council.director.id, b.council.admin.id].sort());
  });
});
