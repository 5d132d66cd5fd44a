// The commentary chase on the memory repository (in chase-actions' and chase-data's daily message):
// once a quarter's values are due — or all in, if sooner — each theme's director is asked for the
// commentary with a button that opens the form, and the performance team for the whole report's; each
// person and day once; nothing before go-live, once submitted, or after sign-off; an absent director's
// deputy stands in; after the organisation's reminders the deputy, then the performance team.
import { describe, expect, it } from 'vitest';
import { aBot, type TestBot } from '../../support/bot.ts';
import { chaseActions } from '../../../jobs/chase-actions.ts';
import { chaseData } from '../../../jobs/chase-data.ts';
import { signOffQuarter } from '../../../src/report/snapshot.ts';
import { periodFromKey } from '../../../src/domain/periods.ts';
import { commentaryDueDates } from '../../../src/services/commentary.ts';
import { organisationDaysOff } from '../../../src/services/holidays.ts';

const live = (b: TestBot, collectFrom = '2017/18 Q3') => b.repo.updateOrg({ collectFrom, collectingSince: '2018-01-15' });
const buttonsOf = (m: { message: { blocks: { type: string; actions?: { id: string; value: string }[] }[] } }) => m.message.blocks.flatMap((x) => (x.type === 'actions' ? x.actions! : []));
const Q3 = periodFromKey('2017/18 Q3', 4);

describe('chasing the quarter’s commentary', () => {
  it('is due once the quarter’s values are due, or all in when sooner', async () => {
    // Every value in (given 12 Jan), a 30-day lag: due from the day the last came in, not 30 Jan.
    const b = await aBot({ now: '2018-01-12T09:00:00Z', register: (tag) => ({ indicators: [], themes: [{ name: `Second ${tag}`, slug: `second-${tag}` }] }) });
    const org = await b.repo.org();
    const themes = await b.repo.themes();
    const second = themes.find((t) => t.slug.startsWith('second-'))!;
    const due = await commentaryDueDates(b.repo, Q3, [b.council.theme.id, second.id], organisationDaysOff(org), org.timeZone);
    // The council's theme has a quarterly indicator with no Q3 value (lag 0): due the day after the quarter.
    expect(due.themes.get(b.council.theme.id)).toBe('2017-12-31');
    // A theme with no indicators: with the progress updates, ten working days on.
    expect(due.themes.get(second.id)).toBe('2018-01-16');
    expect(due.report).toBe('2018-01-16');
  });

  it('asks the theme’s director and the performance team once a day, with a button to the form; not again once submitted', async () => {
    const b = await aBot({ now: '2018-02-05T10:00:00Z' });
    await live(b);
    const first = await chaseActions(b.deps, b.clock.now());
    expect(first).toMatchObject({ commentaryQuarter: '2017/18 Q3', commentaryOwed: 2, commentaryDueNow: 2, sent: 2 });
    const toDirector = b.outbox.messages('chase-actions').find((m) => m.personId === b.council.director.id)!;
    expect(toDirector.message.text).toBe(`✍️ Commentary due for 2017/18 Q3 (Oct–Dec 2017): commentary for ${b.council.theme.name}.`);
    expect(JSON.stringify(toDirector.message)).toContain('“Performance highlights”, “Areas for improvement”, “Looking forward”');
    expect(buttonsOf(toDirector).map((x) => [x.id, JSON.parse(x.value)])).toEqual([['open-commentary', { themeId: b.council.theme.id, periodKey: '2017/18 Q3' }]]);
    const toAdmin = b.outbox.messages('chase-actions').find((m) => m.personId === b.council.admin.id)!;
    expect(toAdmin.message.text).toContain('commentary for the whole report');
    // The same run again: nothing twice.
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ sent: 0, people: 0 });
    expect(b.outbox.messages('chase-actions')).toHaveLength(2);
    expect(await b.repo.commentary.reminders('2017/18 Q3')).toHaveLength(2);

    const sections = [{ heading: 'Performance highlights', text: 'Sickness absence is falling.' }];
    await b.repo.commentary.save({ themeId: b.council.theme.id, periodKey: '2017/18 Q3', sections, state: 'draft', authorId: b.council.director.id, source: 'test', at: b.clock.now() }, { at: b.clock.now(), actorId: null, actorLabel: 'test' });
    b.clock.set(new Date('2018-02-08T10:00:00Z'));
    await chaseActions(b.deps, b.clock.now());
    expect(JSON.stringify(b.outbox.messages('chase-actions').filter((m) => m.personId === b.council.director.id).at(-1)!.message)).toContain('draft saved, not finished');
    await b.repo.commentary.save({ themeId: b.council.theme.id, periodKey: '2017/18 Q3', sections, state: 'submitted', authorId: b.council.director.id, source: 'test', at: b.clock.now() }, { at: b.clock.now(), actorId: null, actorLabel: 'test' });
    b.clock.set(new Date('2018-02-14T10:00:00Z'));
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ commentaryOwed: 1 });
    expect(b.outbox.messages('chase-actions').filter((m) => m.personId === b.council.director.id)).toHaveLength(2);
  });

  it('asks nothing before go-live or once the quarter is signed off', async () => {
    const b = await aBot({ now: '2018-02-05T10:00:00Z' });
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ commentaryNotAsked: 'go-live not set yet', people: 0 });
    await live(b, '2017/18 Q4');
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ commentaryNotAsked: '2017/18 Q3 ends before 2017/18 Q4, the first period collected', people: 0 });
    await live(b);
    await signOffQuarter(b.repo, Q3, { personId: b.council.admin.id, name: 'Admin', label: 'test' }, b.clock.now());
    expect(await chaseActions(b.deps, b.clock.now())).toMatchObject({ commentaryNotAsked: '2017/18 Q3 is signed off', people: 0 });
  });

  it('goes to the director’s deputy while the director is away, and after the reminders to the deputy, then the performance team', async () => {
    const b = await aBot({ now: '2018-02-05T10:00:00Z' });
    await live(b);
    const by = { at: b.clock.now(), actorId: null, actorLabel: 'test' };
    await b.repo.editPerson(b.council.director.id, { deputyId: b.council.officer.id }, by);
    await b.repo.setAbsence(b.council.director.id, '2018-02-06');
    await chaseActions(b.deps, b.clock.now());
    const toDeputy = b.outbox.messages('chase-actions').find((m) => m.personId === b.council.officer.id)!;
    expect(JSON.stringify(toDeputy.message)).toContain(`${b.council.director.displayName} is away until 6 Feb 2018`);
    await b.repo.setAbsence(b.council.director.id, null);
    for (let day = 6; day <= 28; day++) {
      const d = new Date(Date.UTC(2018, 1, day, 10));
      if ([0, 6].includes(d.getUTCDay())) continue;
      b.clock.set(d);
      await chaseActions(b.deps, b.clock.now());
    }
    const theme = b.outbox.messages('chase-actions').filter((m) => JSON.stringify(m.message).includes(b.council.theme.name));
    const to = theme.map((m) => m.personId);
    const { director, officer, admin } = b.council;
    expect(to.slice(0, 3)).toEqual([officer.id, director.id, director.id]);
    expect(to[3]).toBe(officer.id);
    expect(to.at(-1)).toBe(admin.id);
    expect(JSON.stringify(theme.at(-1)!.message)).toContain('the director and deputy have not written it');
  });

  it('comes in the data chase a director gets that day; chase-actions then has nothing more for them', async () => {
    const b = await aBot({
      now: '2018-02-05T09:00:00Z',
      register: (tag) => ({
        indicators: [{ slug: `visitors-${tag}`, name: `Visitors ${tag}`, theme: `Theme ${tag}`, ownerEmail: `director-${tag}@council.example`, unit: 'number', polarity: 'higher', frequency: 'quarterly' }],
      }),
    });
    await live(b);
    await chaseData(b.deps, b.clock.now());
    const toDirector = b.outbox.messages('chase-data').find((m) => m.personId === b.council.director.id)!;
    expect(toDirector.message.text).toContain(`Commentary due: ${b.council.theme.name}.`);
    expect(buttonsOf(toDirector).map((x) => x.id)).toEqual(['open-submit', 'open-commentary']);
    await chaseActions(b.deps, b.clock.now());
    expect(b.outbox.messages('chase-actions').map((m) => m.personId)).not.toContain(b.council.director.id);
  });
});
