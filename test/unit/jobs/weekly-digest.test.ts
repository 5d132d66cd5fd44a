import { describe, expect, it } from 'vitest';
import { digestMessage, SECTION_LINES, weeklyDigest } from '../../../jobs/weekly-digest.ts';
import { history, indicator, indicatorState, org, person } from '../../support/builders.ts';
import { aBot } from '../../support/bot.ts';
import { GM_AREAS, TRAFFORD } from '../../support/comparators.ts';

describe('weekly-digest', () => {
  it('sends each director their theme and each performance admin the organisation, once a week', async () => {
    const b = await aBot();
    const { director, admin, theme } = b.council;
    expect(await weeklyDigest(b.deps, b.clock.now())).toMatchObject({ directors: 1, admins: 1, sent: 2, reds: 1 });
    expect(b.outbox.messages('weekly-digest').map((m) => [m.personId, m.message.text])).toEqual([
      [director.id, `Weekly digest: 1 red, 0 new, 0 recovered, 2 overdue in ${theme.name}`],
      [admin.id, 'Weekly digest: 1 red, 0 new, 0 recovered, 2 overdue in the organisation'],
    ]);
    expect(await weeklyDigest(b.deps, b.clock.now())).toMatchObject({ sent: 0, alreadySent: 2 });
  });

  it('says when an indicator’s quartile among other councils moved between its last two periods with comparator data', async () => {
    const b = await aBot();
    const { director, absence } = b.council;
    const by = { at: b.clock.now(), actorId: null, actorLabel: 'test' };
    await b.repo.comparators.saveGroup({ name: 'Greater Manchester', areas: GM_AREAS.map(([c]) => c) }, by, b.clock.now());
    await b.repo.updateOrg({ comparatorArea: TRAFFORD, comparatorGroup: 'Greater Manchester' });
    const period = (periodKey: string, ours: number) =>
      b.repo.comparators.saveValues(GM_AREAS.map(([areaCode, areaName], i) => ({ indicatorId: absence.id, periodKey, areaCode, areaName, value: [9.1, 8.2, 10.4, 7.9, 9.6, 11.0, 8.8, 7.5, ours, 10.1][i]!, source: 'test' })), by, b.clock.now());
    await period('2017/18 Q2', 8.9);
    await weeklyDigest(b.deps, b.clock.now());
    const before = JSON.stringify(b.outbox.messages('weekly-digest').find((m) => m.personId === director.id)!.message);
    expect(before).not.toContain('Quartile changed');
    await period('2017/18 Q3', 10.49);
    b.clock.advance(7 * 24 * 3_600_000);
    await weeklyDigest(b.deps, b.clock.now());
    const toDirector = JSON.stringify(b.outbox.messages('weekly-digest').filter((m) => m.personId === director.id).at(-1)!.message);
    expect(toDirector).toContain('**Quartile changed among other councils** (1)');
    expect(toDirector).toContain(`📉 **${absence.slug}** second quartile in 2017/18 Q2 → 9th of 10 in Greater Manchester · bottom quartile in 2017/18 Q3`);
  });

  it('says how overdue data is in working days, bank holidays left out, as the owner’s chase says it', async () => {
    // Monday 8 January 2018: Christmas Day, Boxing Day and New Year's Day are not working days.
    const b = await aBot({ now: '2018-01-08T08:00:00Z' });
    await weeklyDigest(b.deps, b.clock.now());
    const toAdmin = JSON.stringify(b.outbox.messages('weekly-digest').find((m) => m.personId === b.council.admin.id)!.message);
    expect(toAdmin).toContain(`**cleanliness-${b.council.tag}** 2017/18 Q3, due 31 Dec 2017 (5 working days overdue)`);
    expect(toAdmin).not.toMatch(/\(\d+ days\)/);
  });

  it('names the actions off track or overdue in the director’s themes, and every theme’s to the performance team', async () => {
    const b = await aBot();
    const { director, admin, owner, theme } = b.council;
    const base = { kind: 'action' as const, description: null, themeId: theme.id, ownerId: owner.id, deputyId: null, start: null, isKey: false, active: true, indicatorIds: [] };
    await b.deps.repo.actions.upsert(
      [
        { ...base, ref: 'HG 04', title: 'Adopt the Town Centre Action Plan', due: '2017-12-31' },
        { ...base, ref: 'SC 01', title: 'Roll out the volunteering portal', due: '2018-06-30' },
      ],
      b.clock.now(),
    );
    await weeklyDigest(b.deps, b.clock.now());
    const to = (id: number) => JSON.stringify(b.outbox.messages('weekly-digest').find((m) => m.personId === id)!.message);
    for (const id of [director.id, admin.id]) {
      expect(to(id)).toContain('**Actions off track or overdue** (1)');
      expect(to(id)).toContain(`\`HG 04\` Adopt the Town Centre Action Plan — Overdue · due 31 Dec 2017 · ${owner.displayName}`);
      expect(to(id)).not.toContain('SC 01');
    }
  });

  it('names the risks above appetite in the director’s themes and those that rose at a review this week', async () => {
    const b = await aBot();
    const { director, admin, owner, theme } = b.council;
    const base = { description: null, themeId: theme.id, ownerId: owner.id, deputyId: null, controls: null, target: null, reviewMonths: 3, active: true, actionIds: [], indicatorIds: [] };
    const ids = (
      await b.deps.repo.risks.upsert(
        [
          { ...base, ref: 'CIP05', title: 'Capacity to deliver a quality service', inherent: { likelihood: 4, impact: 5 } },
          { ...base, ref: 'CIP06', title: 'Communication and Engagement', inherent: { likelihood: 3, impact: 3 } },
          { ...base, ref: 'CIP07', title: 'SGO conversion rate', inherent: { likelihood: 2, impact: 2 } },
        ],
        b.clock.now(),
      )
    ).ids;
    const by = { at: b.clock.now(), actorId: null, actorLabel: 'test' };
    const review = (ref: string, reviewedOn: string, likelihood: number, impact: number) => b.deps.repo.risks.saveReview({ riskId: ids.get(ref)!, reviewedOn, likelihood, impact, commentary: 'x', authorId: owner.id, source: 'test', at: b.clock.now() }, by);
    // The digest's clock: Monday 5 February 2018. CIP06 rose last Friday; CIP07 rose a month ago.
    await review('CIP06', '2017-12-15', 3, 3);
    await review('CIP06', '2018-02-02', 4, 4);
    await review('CIP07', '2017-12-15', 1, 2);
    await review('CIP07', '2018-01-05', 2, 2);
    await weeklyDigest(b.deps, b.clock.now());
    const to = (id: number) => JSON.stringify(b.outbox.messages('weekly-digest').find((m) => m.personId === id)!.message);
    for (const id of [director.id, admin.id]) {
      expect(to(id)).toContain('**Risks above appetite (scores over 9)** (2)');
      expect(to(id)).toMatch(/`CIP05` Capacity to deliver a quality service — 20 \(4×5\) Very high \(inherent: not reviewed yet\)/);
      expect(to(id)).toContain('**Risks that rose this week** (1)');
      expect(to(id)).toContain('rose from 9 (3×3) Medium on 2 Feb 2018');
      expect(to(id)).not.toContain('CIP07');
    }
  });
});

describe('weekly digest message', () => {
  it('stays inside Slack’s 50-block limit and summarises long lists, whatever the size of the area', () => {
    const o = org();
    for (const n of [0, 1, 12, 60, 500]) {
      const states = Array.from({ length: n }, (_, i) => {
        const ind = indicator({ slug: `red-${i}` });
        return indicatorState(ind, history(ind.id, [['2017/18 Q2', 90], ['2017/18 Q3', 70]], [['2017/18 Q3', 95]]), o);
      });
      const msg = digestMessage(person({ displayName: 'Helen Carter' }), states, [], { today: '2018-02-05', org: o, themes: ['Sport'] });
      expect(msg.blocks.length).toBeLessThanOrEqual(50);
      const text = JSON.stringify(msg.blocks);
      expect(text).toContain(`**${n} red**`);
      if (n > SECTION_LINES) expect(text).toContain(`…and ${n - SECTION_LINES} more`);
      const chart = msg.blocks.find((b) => b.type === 'chart');
      if (n === 0) expect(chart).toBeUndefined();
      else expect(chart && chart.type === 'chart' && chart.chart.kind === 'small-multiples' && chart.chart.charts.length).toBe(Math.min(n, 12));
    }
  });

  it('warns of indicators green or amber today but on course to miss the year end', () => {
    const o = org();
    const slipping = indicator({ slug: 'recycling-rate' });
    const steady = indicator({ slug: 'street-cleanliness' });
    const states = [
      indicatorState(slipping, history(slipping.id, [['2017/18 Q2', 62.5], ['2017/18 Q3', 59.6]], [['2017/18', 59.5]]), o),
      indicatorState(steady, history(steady.id, [['2017/18 Q2', 90], ['2017/18 Q3', 90.5]], [['2017/18', 85]]), o),
    ];
    const text = JSON.stringify(digestMessage(person({ displayName: 'Tom Brennan' }), states, [], { today: '2018-02-05', org: o, themes: ['Communities'] }).blocks);
    expect(text).toContain('**On course to miss the year end** (1)');
    expect(text).toContain('**recycling-rate** 🟢 Green now, on course to miss the year-end target of 59.5%: forecast 57.6% (within the tolerance)');
    expect(text).not.toContain('**street-cleanliness** 🟢');
  });
});
