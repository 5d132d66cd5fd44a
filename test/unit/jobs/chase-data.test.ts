// chase-data on the memory repository: owners reminded of values due, on the organisation's cadence in
// working days (bank holidays skipped), once a day at most, only for periods collected; an absent or
// unreachable owner's chase goes to the deputy, and an absent owner with nobody to stand in waits.
import { describe, expect, it } from 'vitest';
import { useBot } from '../../support/bot.ts';
import { chaseData } from '../../../jobs/chase-data.ts';
import { toBlocks } from '../../../src/platforms/slack/blocks.ts';
import { messageCards } from '../../../src/platforms/teams/cards.ts';

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
    // The officer's indicator has no deputy: the director is told so, not that "neither owner nor deputy can be reached".
    const toDirector = JSON.stringify(b.outbox.messages('chase-data').find((m) => m.personId === director.id)!.message);
    expect(toDirector).toContain(`<@person:${officer.id}>'s indicator; the owner has not responded; it has no deputy (reminder 4)`);
    expect(toDirector).not.toContain('cannot be reached');
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
    // The deputy's first chase (the summary) says whose value it is and why.
    expect(JSON.stringify(toDeputy?.message)).toContain(`<@person:${owner.id}>'s indicator; the owner is away until 20 Feb 2018 (reminder 1)`);
    expect(b.outbox.messages('chase-data').map((m) => m.personId)).not.toContain(owner.id);
  });
});

/** A quarterly indicator of the council's officer (or owner), as a register row: due `lag` days after each quarter. */
const quarterly = (tag: string, slug: string, o: { lag?: number; aggregation?: 'snapshot' | 'cumulative' | 'ytd'; values?: [string, number][]; owner?: string; frequency?: 'quarterly' | 'annual' } = {}) => ({
  slug: `${slug}-${tag}`,
  name: `${slug} ${tag}`,
  theme: `Theme ${tag}`,
  ownerEmail: `${o.owner ?? 'officer'}-${tag}@council.example`,
  polarity: 'higher' as const,
  frequency: o.frequency ?? ('quarterly' as const),
  reportingLagDays: o.lag ?? 30,
  aggregation: o.aggregation ?? ('snapshot' as const),
  observations: (o.values ?? []).map(([periodKey, value]) => ({ periodKey, value })),
});

/** The days a reminder about an indicator was sent, with its level. */
async function remindedOn(b: { repo: { reminders: (k: 'data', ids: number[]) => Promise<{ sentOn: string; level: number }[]>; indicatorBySlug: (s: string) => Promise<{ id: number } | null> } }, slug: string) {
  const ind = await b.repo.indicatorBySlug(slug);
  return (await b.repo.reminders('data', [ind!.id])).map((r) => `${r.sentOn}:${r.level}`);
}

/** Run the job every weekday at 09:00 from `from` to `to`. */
async function everyWeekday(b: { deps: Parameters<typeof chaseData>[0]; clock: { set(d: string): void; now(): Date } }, from: string, to: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let d = new Date(`${from}T09:00:00Z`); d <= new Date(`${to}T09:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
    if (d.getUTCDay() === 0 || d.getUTCDay() === 6) continue;
    b.clock.set(d.toISOString());
    out.push({ day: d.toISOString().slice(0, 10), ...(await chaseData(b.deps, b.clock.now())) });
  }
  return out;
}

describe('chase-data over Christmas', () => {
  // Q2's value due Friday 22 December 2017 (30 September + 83 days).
  const b = useBot({ now: '2017-12-21T09:00:00Z', register: (tag) => ({ indicators: [quarterly(tag, 'late-return', { lag: 83 })] }) });

  it('sends nothing on a bank holiday and counts the cadence in working days without them (England and Wales)', async () => {
    const runs = await everyWeekday(b, '2017-12-21', '2018-01-12');
    expect(runs.filter((r) => r.notAWorkingDay).map((r) => [r.day, r.notAWorkingDay])).toEqual([
      ['2017-12-25', 'Christmas Day'],
      ['2017-12-26', 'Boxing Day'],
      ['2018-01-01', "New Year's Day"],
    ]);
    // Due 22 Dec, then +3 and +7 working days, then +5 to the deputy (weekends only, it was 27 Dec, 2 Jan and 9 Jan).
    expect(await remindedOn(b, `late-return-${b.council.tag}`)).toEqual(['2017-12-22:0', '2017-12-29:0', '2018-01-05:0', '2018-01-12:1']);
  });

  it('skips 2 January too in Scotland', async () => {
    await b.repo.updateOrg({ bankHolidays: 'scotland' });
    await everyWeekday(b, '2017-12-21', '2018-01-15');
    expect(await remindedOn(b, `late-return-${b.council.tag}`)).toEqual(['2017-12-22:0', '2017-12-29:0', '2018-01-08:0', '2018-01-15:1']);
  });
});

describe('chase-data asks only for periods collected', () => {
  const b = useBot({
    register: (tag) => ({
      indicators: [
        // Annual, last year's due since June: before go-live (2017/18 Q3 by default).
        quarterly(tag, 'annual-survey', { frequency: 'annual', lag: 90 }),
        // Due now: Q2 (Q3 is due on 1 March). A level with a Q3 value already: superseded.
        quarterly(tag, 'rate', { lag: 60, values: [['2017/18 Q3', 40]] }),
        // A running total with Q3 in: superseded within the year.
        quarterly(tag, 'total', { lag: 60, aggregation: 'ytd', values: [['2017/18 Q3', 400]] }),
        // A per-period count: each quarter its own, so Q2 is asked for.
        quarterly(tag, 'count', { lag: 60, aggregation: 'cumulative', values: [['2017/18 Q3', 40]] }),
        // Marked not collected below.
        quarterly(tag, 'paused', { lag: 60 }),
      ],
    }),
  });

  it('not before the first period collected, not marked "not collected", not superseded by a later value; a per-period count is', async () => {
    const { tag, admin } = b.council;
    await b.repo.updateOrg({ collectFrom: '2017/18 Q2', collectingSince: '2018-02-05' });
    const paused = (await b.repo.indicatorBySlug(`paused-${tag}`))!;
    await b.repo.markNotCollected(
      { indicatorId: paused.id, themeId: null, periodKey: '2017/18 Q2', periodStart: '2017-07-01', periodEnd: '2017-09-30', reason: 'system migration', byId: admin.id, byLabel: admin.displayName, at: b.clock.now() },
      { at: b.clock.now(), actorId: admin.id, actorLabel: admin.displayName },
    );
    const summary = await chaseData(b.deps, b.clock.now());
    expect(summary).toMatchObject({ notAskedBeforeGoLive: 1, notAskedSuperseded: 2, notAskedNotCollected: 1 });
    const toOfficer = JSON.stringify(b.outbox.messages('chase-data').find((m) => m.personId === b.council.officer.id)!.message);
    expect(toOfficer).toContain(`count-${tag}`);
    for (const slug of ['annual-survey', 'rate', 'total', 'paused']) expect(toOfficer).not.toContain(`${slug}-${tag}`);
    // Undone, the period is asked for again.
    await b.repo.unmarkNotCollected({ indicatorId: paused.id, themeId: null, periodKey: '2017/18 Q2' }, { at: b.clock.now(), actorId: admin.id, actorLabel: admin.displayName });
    b.clock.advance(86_400_000);
    await chaseData(b.deps, b.clock.now());
    expect(JSON.stringify(b.outbox.messages('chase-data').at(-1)!.message)).toContain(`paused-${tag}`);
  });
});

describe('chase-data for an indicator with no owner in the register', () => {
  // The import could not match its owner ("Lynda Snel"): nobody owns it, so the director is asked, and told why.
  const b = useBot({
    register: (tag) => {
      const { ownerEmail: _none, ...orphan } = quarterly(tag, 'missed-bins');
      return { indicators: [orphan] };
    },
  });

  it('tells the director it has no owner, from the first reminder on, and the same words as the reminders go on', async () => {
    const { director, tag } = b.council;
    await chaseData(b.deps, b.clock.now());
    const toDirector = JSON.stringify(b.outbox.messages('chase-data').find((m) => m.personId === director.id)!.message);
    expect(toDirector).toContain(`**missed-bins-${tag}** — it has no owner or deputy in the register (reminder 1)`);
    // Past the owner's reminders (escalation): still said the same way.
    await everyWeekday(b, '2018-02-06', '2018-02-21');
    const lines = b.outbox.messages('chase-data').filter((m) => m.personId === director.id).flatMap((m) => JSON.stringify(m.message).split('\\n')).filter((l) => l.includes(`missed-bins-${tag}** `) || l.includes(`**missed-bins-${tag}** —`));
    expect(lines.at(-1)).toMatch(/— it has no owner or deputy in the register \(reminder 4\)/);
    for (const l of lines) expect(l).not.toContain('has not responded');
  });
});

describe('chase-data and absence', () => {
  const b = useBot();

  it('holds the reminders of an owner away with no deputy to stand in until they are back: nobody is escalated because of leave', async () => {
    const { officer, director, visits } = b.council;
    await b.repo.setAbsence(officer.id, '2018-02-09');
    const runs = await everyWeekday(b, '2018-02-05', '2018-02-16');
    expect(runs[0]).toMatchObject({ heldOwnerAway: 1 });
    const about = (await b.repo.reminders('data', [visits.id])).map((r) => [r.sentOn, r.personId]);
    // Not the director on day one (main: "neither owner nor deputy can be reached"), but the officer on the day they are back.
    expect(about).toEqual([['2018-02-12', officer.id], ['2018-02-15', officer.id]]);
    expect(b.outbox.messages('chase-data').filter((m) => m.personId === director.id)).toEqual([]);
  });
});

describe('chase-data buttons', () => {
  const b = useBot({ register: (tag) => ({ indicators: Array.from({ length: 20 }, (_, i) => quarterly(tag, `measure-${String(i + 1).padStart(2, '0')}`)) }) });

  it('gives every item listed its button, within Slack’s and Teams’ limits, in the first chase and the reminders after it', async () => {
    const { officer } = b.council;
    await everyWeekday(b, '2018-02-05', '2018-02-08');
    const toOfficer = b.outbox.messages('chase-data').filter((m) => m.personId === officer.id);
    expect(toOfficer.map((m) => m.key.split(':')[1])).toEqual(['2018-02-05', '2018-02-08']);
    for (const m of toOfficer) {
      const buttons = m.message.blocks.flatMap((x) => (x.type === 'actions' ? x.actions : []));
      const listed = [...JSON.stringify(m.message.blocks.filter((x) => x.type === 'text')).matchAll(/\*\*((?:measure-\d\d|visits)-c\d+x)\*\*/g)].map((x) => x[1]);
      // 21 owed: 15 listed (the rest counted), each with its button (main: 5 buttons).
      expect(listed).toHaveLength(15);
      expect(buttons.map((a) => a.label)).toEqual(listed.map((slug) => `Submit ${slug}`));
      expect(JSON.stringify(m.message)).toContain('…and 6 more');
      const slack = toBlocks(m.message, new Map());
      expect(slack.length).toBeLessThanOrEqual(50);
      expect(slack.filter((x) => x.type === 'actions').flatMap((x) => (x as { elements: unknown[] }).elements)).toHaveLength(15);
      const teams = messageCards(m.message, new Map()).flatMap((part) => part.card.body);
      const teamsButtons = teams.flatMap((e) => (e.type === 'ActionSet' ? (e as unknown as { actions: { data: { value: string } }[] }).actions : []));
      expect(teamsButtons.map((a) => a.data.value)).toEqual(buttons.map((a) => a.value));
    }
    // The first is the summary; the one after it the usual list.
    expect(JSON.stringify(toOfficer[0]!.message)).toContain('👋');
    expect(JSON.stringify(toOfficer[1]!.message)).toContain('📋 Performance data due');
  });
});

describe('chase-data and calculated indicators', () => {
  // Cleanliness (owned by the owner, Q3 due and missing) and a share worked out from it: the input is chased, the calculated one never.
  const b = useBot({
    register: (tag) => ({
      indicators: [
        { slug: `streets-${tag}`, name: `Streets surveyed ${tag}`, theme: `Theme ${tag}`, ownerEmail: `owner-${tag}@council.example`, unit: 'number', polarity: 'none', frequency: 'quarterly', reportingLagDays: 30 },
        { slug: `share-${tag}`, name: `Share clean ${tag}`, theme: `Theme ${tag}`, ownerEmail: `owner-${tag}@council.example`, unit: '%', polarity: 'higher', frequency: 'quarterly', reportingLagDays: 30, formula: `cleanliness-${tag} / streets-${tag} * 100` },
      ],
    }),
  });

  it('chases the inputs of a calculated indicator as ordinary indicators and never the calculated one', async () => {
    const { tag, owner } = b.council;
    const summary = await chaseData(b.deps, b.clock.now());
    expect(summary).toMatchObject({ notAskedCalculated: 1 });
    const toOwner = JSON.stringify(b.outbox.messages('chase-data').find((m) => m.personId === owner.id)!.message);
    expect(toOwner).toContain(`cleanliness-${tag}`);
    expect(toOwner).toContain(`streets-${tag}`);
    expect(toOwner).not.toContain(`share-${tag}`);
  });
});
