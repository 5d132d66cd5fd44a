// Reaching a real workspace: a Slack workspace where the council's officers and directors are members
// but have never written to the bot. Channels subscribe to alerts in chat; chases, escalations and
// digests find people by e-mail (users.lookupByEmail, paced to its rate limit, each person looked up
// once); someone who is not in the workspace is never silently queued: their message is kept as
// undeliverable with the reason, the chase goes to the next person in line, and the performance
// admins are told — once. Through signed HTTP, the fake Slack Web API and a real database (both).
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestClock, withDemo } from '../support/app.ts';
import { demoWorkspace, slackId, startSlackApp, useSlackDemo, type SlackHarness } from '../support/slack-app.ts';
import type { RecordedCall } from '../support/fake-slack.ts';
import { saveValue } from '../support/builders.ts';
import type { JobRunner } from '../../src/runner.ts';
import { createServices, openStores } from '../../src/wiring.ts';
import { createSlackOutbound } from '../../src/platforms/slack/outbound.ts';
import { openDatabase } from '../../src/db/database.ts';
import { silentLogger } from '../../src/log.ts';
import { testConfig } from '../support/app.ts';
import { aadId, CHANNEL, linkDemoPeopleToTeams, startTeamsApp, TEAM, TENANT_ID, teamsUserId } from '../support/teams-app.ts';

const textOf = (c: RecordedCall) => JSON.stringify(c.args);
const DOMAIN = 'trafford.example';
const email = (name: string) => `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${DOMAIN}`;
/** The demo's directors: none of them has ever written to the bot. */
const DIRECTORS = ['Helen Carter', 'Richard Okafor', 'Sarah Whitfield', 'Tom Brennan', 'Aisha Malik', 'David Price'];

function harness(s: () => SlackHarness) {
  return {
    run: async (job: Parameters<JobRunner['run']>[0], clock: TestClock) => {
      const r = await s().app.runner.run(job, clock.now());
      if (r.outcome !== 'ok') throw new Error(`${job}: ${JSON.stringify(r)}`);
      return r;
    },
    posts: (pred: (c: RecordedCall) => boolean = () => true) => s().fake.callsTo('chat.postMessage').filter(pred),
    /** What the bot answered a slash command with, through its response URL. */
    answer: async (responseUrl: string) => textOf(await s().fake.waitFor('response_url', (c) => responseUrl.endsWith(`/${String(c.args.responseId)}`))),
  };
}

describe.each(backends('pglite'))('channels subscribe to alerts from chat on %s', (backend) => {
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const app = useSlackDemo(backend, clock, { linked: false });
  let db: TestDatabase;
  let s: SlackHarness;
  const h = harness(() => s);
  beforeAll(() => {
    ({ db, s } = app);
  });
  beforeEach(async () => {
    await db.prisma.channelSubscription.deleteMany({ where: { platform: 'slack' } });
    s.fake.channels.clear();
    s.fake.channels.set('C0PERF', { name: 'performance' });
    s.fake.channels.set('C0HOUSING', { name: 'housing' });
    s.fake.channels.set('G0EXEC', { name: 'exec-team', isPrivate: true });
  });

  it('a performance admin subscribes a public channel; the bot joins it, says what it will get, and posts the next red there only', async () => {
    const r = await s.slash(slackId('Priya'), 'subscribe', { channel: 'C0PERF' });
    expect(r.status).toBe(200);
    const said = await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'C0PERF');
    expect(textOf(said)).toContain('#performance will get alerts for every indicator when an indicator turns red, declines while red or amber, recovers or is forecast to miss its year-end target');
    expect(textOf(said)).toMatch(/Red now\* \(\d+ of 49\)/);
    expect(s.fake.callsTo('conversations.join').map((c) => c.args.channel)).toEqual(['C0PERF']);
    expect(await db.prisma.channelSubscription.findMany({ where: { platform: 'slack' }, select: { channelId: true, scope: true, channelName: true } })).toEqual([{ channelId: 'C0PERF', scope: 'all', channelName: 'performance' }]);

    await h.run('evaluate-statuses', clock); // the baseline: where everything stands, no alerts
    s.fake.reset();
    await saveValue(s.app.deps.repo, clock.now(), 'highway-inspections', '2017/18 Q3', 80); // was green
    const r2 = await h.run('evaluate-statuses', clock);
    expect(r2.summary).toMatchObject({ alerts: 1 });
    const alerts = h.posts();
    // Only the subscribed Slack channel: not the demo's console channel, not anyone's DM.
    expect(alerts.map((c) => c.args.channel)).toEqual(['C0PERF']);
    expect(textOf(alerts[0]!)).toContain('Turned red');
    expect(textOf(alerts[0]!)).toContain('highway-inspections');
  });

  it('refuses an officer; lets a director subscribe their own theme and no other', async () => {
    const officer = await s.slash(slackId('Emma'), 'subscribe', { channel: 'C0HOUSING' });
    expect(await h.answer(officer.responseUrl)).toContain('Only performance admins, or a theme’s director for their own theme, can choose where alerts go');
    const other = await s.slash(slackId('Richard'), 'subscribe theme technology', { channel: 'C0HOUSING' });
    expect(await h.answer(other.responseUrl)).toContain('Only performance admins');
    expect(await db.prisma.channelSubscription.count({ where: { platform: 'slack' } })).toBe(0);

    await s.slash(slackId('Richard'), 'subscribe theme housing-growth red', { channel: 'C0HOUSING' });
    const said = await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'C0HOUSING');
    expect(textOf(said)).toContain('will get alerts for the *Accelerate housing');
    expect(textOf(said)).toContain('when an indicator turns red.');
    const sub = await db.prisma.channelSubscription.findFirstOrThrow({ where: { channelId: 'C0HOUSING' } });
    expect(sub).toMatchObject({ events: ['red'], scope: `theme:${sub.themeId}` });

    const list = await s.slash(slackId('Richard'), 'subscriptions', { channel: 'C0HOUSING' });
    expect(await h.answer(list.responseUrl)).toContain('This channel* gets alerts for');

    const stop = await s.slash(slackId('Richard'), 'unsubscribe theme housing-growth', { channel: 'C0HOUSING' });
    expect(stop.status).toBe(200);
    await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'C0HOUSING' && textOf(c).includes('no longer gets alerts'));
    expect(await db.prisma.channelSubscription.count({ where: { platform: 'slack' } })).toBe(0);
  });

  it('in a private channel it is not in, says how to invite it and subscribes nothing; once invited, it works', async () => {
    const r = await s.slash(slackId('Priya'), 'subscribe', { channel: 'G0EXEC' });
    expect(await h.answer(r.responseUrl)).toContain('Invite me with `/invite @kpi`');
    expect(await db.prisma.channelSubscription.count({ where: { platform: 'slack' } })).toBe(0);
    expect(s.fake.callsTo('conversations.join')).toHaveLength(0);

    s.fake.channels.get('G0EXEC')!.botIsMember = true; // /invite @kpi
    await s.slash(slackId('Priya'), 'subscribe theme technology', { channel: 'G0EXEC' });
    await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'G0EXEC' && textOf(c).includes('#exec-team will get alerts'));
    expect(await db.prisma.channelSubscription.count({ where: { channelId: 'G0EXEC' } })).toBe(1);
  });

  it('in a direct message, says alerts go to channels', async () => {
    const r = await s.slash(slackId('Priya'), 'subscribe', { channel: 'D0PRIYA' });
    expect(await h.answer(r.responseUrl)).toContain('Alerts go to channels, not direct messages');
  });
});

describe.each(backends('pglite'))('people who never wrote to the bot on %s', (backend) => {
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  // Everyone is in the Slack workspace except one director and one owner (their e-mails are not there).
  const app = useSlackDemo(backend, clock, { linked: false, notInWorkspace: ['David Price', 'Chris Doyle'] });
  let db: TestDatabase;
  let s: SlackHarness;
  const h = harness(() => s);
  beforeAll(() => {
    ({ db, s } = app);
  });

  it('sends every director found by e-mail their digest; the one not in the workspace is undeliverable and the admins are told', async () => {
    clock.set('2018-02-12T08:00:00Z');
    const r = await h.run('weekly-digest', clock);
    expect(r.summary).toMatchObject({ directors: 6, sent: 7, undeliverable: 1, adminsTold: 1 });
    for (const d of DIRECTORS.filter((x) => x !== 'David Price')) {
      expect(h.posts((c) => c.args.channel === slackId(d.split(' ')[0]!) && textOf(c).includes('Weekly performance digest')), d).toHaveLength(1);
      expect(s.fake.lookupsOf(email(d)), d).toBe(1);
    }
    const davidId = (await db.prisma.person.findFirstOrThrow({ where: { displayName: 'David Price' } })).id;
    const david = await db.prisma.outboundMessage.findFirstOrThrow({ where: { purpose: 'weekly-digest', personId: davidId } });
    expect(david).toMatchObject({ state: 'undeliverable', platform: null });
    expect(david.lastError).toContain(`no Slack member has the e-mail ${email('David Price')}`);
    const toPriya = h.posts((c) => c.args.channel === slackId('Priya'));
    expect(toPriya.map(textOf).join()).toContain('People the bot cannot reach');
    expect(toPriya.map(textOf).join()).toContain('David Price');
    // Nothing was queued for a platform this bot does not post on.
    expect(await db.prisma.outboundMessage.count({ where: { platform: 'console' } })).toBe(0);
  });

  it('chases an owner who never wrote, passes the one who cannot be found to the deputy at once, and tells the admins once', async () => {
    clock.set('2018-02-05T09:00:00Z');
    s.fake.reset();
    // Collecting from 2016/17 on: last year's annual values are asked for too (Chris owns two).
    await db.prisma.organisation.update({ where: { id: 1 }, data: { collectFrom: '2016/17', collectingSince: new Date('2018-02-05') } });
    const r = await h.run('chase-data', clock);
    expect(Number(r.summary.people)).toBeGreaterThan(3);
    // Ben never wrote: found by e-mail, chased himself.
    expect(h.posts((c) => c.args.channel === slackId('Ben'))).toHaveLength(1);
    // Chris is not in the workspace: his items go to his deputy Hannah, and the message says why.
    expect(h.posts((c) => c.args.channel === slackId('Chris'))).toHaveLength(0);
    const toHannah = h.posts((c) => c.args.channel === slackId('Hannah'));
    expect(toHannah).toHaveLength(1);
    expect(textOf(toHannah[0]!)).toContain(`the owner (Chris Doyle) cannot be reached: no Slack member has the e-mail ${email('Chris Doyle')}`);
    expect(textOf(h.posts((c) => c.args.channel === slackId('Priya') && textOf(c).includes('cannot reach'))[0]!)).toContain('Chris Doyle');
    const lookups = s.fake.lookupsOf(email('Chris Doyle'));
    expect(lookups).toBe(1);

    // The next day: Chris is not looked up again within a day, and the admins are not told again.
    clock.set('2018-02-05T15:00:00Z');
    s.fake.reset();
    await db.prisma.reminder.deleteMany();
    await db.prisma.outboundMessage.deleteMany({ where: { purpose: 'chase-data' } });
    const again = await h.run('chase-data', clock);
    expect(again.summary).toMatchObject({ adminsTold: 0 });
    expect(s.fake.lookupsOf(email('Chris Doyle'))).toBe(0);
    expect(h.posts((c) => c.args.channel === slackId('Hannah'))).toHaveLength(1);
  });

  it('lists who cannot be reached for performance admins only', async () => {
    const priya = await s.slash(slackId('Priya'), 'people');
    const said = await h.answer(priya.responseUrl);
    expect(said).toContain('The bot cannot reach 2');
    expect(said).toContain('Chris Doyle');
    expect(said).toContain('David Price');
    const emma = await s.slash(slackId('Emma'), 'people');
    expect(await h.answer(emma.responseUrl)).toContain('only performance admins can see how the bot reaches people');
  });

  it('hands an away owner’s chases to the deputy, and takes them back', async () => {
    clock.set('2018-02-05T09:00:00Z');
    const away = await s.slash(slackId('Ben'), 'away until 9 March');
    expect(await h.answer(away.responseUrl)).toContain('You are away until Friday 9 March 2018. Chases for');
    expect((await db.prisma.person.findFirstOrThrow({ where: { displayName: 'Ben Thornton' } })).absentUntil?.toISOString().slice(0, 10)).toBe('2018-03-09');
    const past = await s.slash(slackId('Ben'), 'away until 01/01/2018');
    expect(await h.answer(past.responseUrl)).toContain('has passed');
    const back = await s.slash(slackId('Ben'), 'back');
    expect(await h.answer(back.responseUrl)).toContain('Welcome back');
    expect((await db.prisma.person.findFirstOrThrow({ where: { displayName: 'Ben Thornton' } })).absentUntil).toBeNull();
  });

  it('lets performance admins change settings in chat, and nobody else', async () => {
    const show = await s.slash(slackId('Emma'), 'settings');
    expect(await h.answer(show.responseUrl)).toContain('Default tolerance (amber): *within 10% of the target*');
    const refused = await s.slash(slackId('Emma'), 'settings tolerance 5%');
    expect(await h.answer(refused.responseUrl)).toContain('only performance admins can change the organisation’s settings');
    const bad = await s.slash(slackId('Priya'), 'settings chase-cadence soon');
    expect(await h.answer(bad.responseUrl)).toContain('expected working days from 0 to 60');
    const ok = await s.slash(slackId('Priya'), 'settings tolerance 5%');
    expect(await h.answer(ok.responseUrl)).toContain('within 5% of the target* (was within 10% of the target)');
    expect((await s.app.deps.repo.org()).tolerance).toEqual({ kind: 'relative', value: 5 });
    await s.app.deps.repo.updateOrg({ tolerance: { kind: 'relative', value: 10 } });
  });
});

describe.each(backends('both').filter((b) => b === 'postgres'))('three processes on one %s', (backend) => {
  it('look each person up at most once, however many resolve them at the same time', async () => {
    const db = await createTestDatabase(backend);
    await withDemo(db);
    const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
    const s = await startSlackApp(db, clock);
    try {
      await demoWorkspace(db, s.fake, { missing: ['David Price'] });
      const config = testConfig({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: 'x', SLACK_API_URL: s.fake.apiUrl, SLACK_BOT_USER_ID: 'UBOT', SLACK_BOT_ID: 'BBOT' });
      // Three processes' worth of services, each with its own connection pool to the same database.
      const procs = await Promise.all(
        [0, 1, 2].map(async () => {
          const conn = await openDatabase({ kind: 'postgres', url: db.url! }, { migrations: 'require-current' });
          const stores = openStores(conn.prisma);
          const services = createServices({ prisma: conn.prisma, stores, clock, log: silentLogger, platforms: [createSlackOutbound(config.slack!, { repo: stores.repo, charts: stores.charts, log: silentLogger }).kit] });
          return { conn, services };
        }),
      );
      const people = await procs[0]!.services.repo.people();
      const results = await Promise.all(procs.flatMap((p) => people.map((x) => p.services.directory.reach(x, clock.now()))));
      expect(results.filter((r) => r.ok)).toHaveLength(3 * (people.length - 1));
      for (const p of people) expect(s.fake.lookupsOf(p.email!), p.displayName).toBeLessThanOrEqual(1);
      expect(s.fake.lookupsOf(email('David Price'))).toBe(1);
      expect(await db.prisma.personIdentity.count({ where: { platform: 'slack', linkedBy: 'lookup' } })).toBe(people.length - 1);
      await Promise.all(procs.map((p) => p.conn.close()));
    } finally {
      await s.stop();
      await db.close();
    }
  });
});

describe.each(backends('pglite'))('Teams: people found in the rosters of the teams the app is in, on %s', (backend) => {
  it('sends a digest to directors who never wrote, in 1:1 chats created in the council’s tenant; reports one who is in no team', async () => {
    const db = await createTestDatabase(backend);
    await withDemo(db);
    const clock = new TestClock(new Date('2018-02-12T08:00:00Z'));
    const h = await startTeamsApp(db, clock);
    try {
      // The app is added to the council's team; its roster has everyone but David Price.
      const people = await db.prisma.person.findMany({ select: { displayName: true, email: true } });
      const inTeam = people.filter((p) => p.displayName !== 'David Price');
      for (const p of inTeam) {
        const first = p.displayName.split(' ')[0]!;
        h.connector.members.set(first, { id: teamsUserId(first), aadObjectId: aadId(first), name: p.displayName, email: p.email!.toUpperCase() });
      }
      // Someone from another tenant whose directory claims a council address is not the council's director.
      h.connector.members.set('impostor', { id: '29:impostor', aadObjectId: 'aad-impostor', name: 'Impostor', email: email('David Price'), tenantId: '00000000-0000-4000-8000-000000000000' });
      h.connector.teams.set(TEAM, [...inTeam.map((p) => p.displayName.split(' ')[0]!), 'impostor']);
      await h.teams.install('Priya Shah', 'channel');
      await h.settle();

      const r = await h.app.runner.run('weekly-digest', clock.now());
      if (r.outcome !== 'ok') throw new Error(JSON.stringify(r));
      expect(r.summary).toMatchObject({ directors: 6, sent: 7, undeliverable: 1 });
      // The roster was read a page at a time, once.
      expect(h.connector.callsTo('pagedMembers').length).toBe(Math.ceil((inTeam.length + 1) / h.connector.rosterPageSize));
      for (const d of DIRECTORS.filter((x) => x !== 'David Price')) {
        const first = d.split(' ')[0]!;
        const created = h.connector.callsTo('createConversation').filter((c) => JSON.stringify(c.body.members).includes(teamsUserId(first)));
        expect(created, d).toHaveLength(1);
        expect(created[0]!.body.tenantId).toBe(TENANT_ID);
        expect(h.connector.callsTo('send', `a:1on1-${teamsUserId(first)}`), d).toHaveLength(1);
      }
      const linked = await db.prisma.personIdentity.findMany({ where: { platform: 'teams' }, select: { platformUserId: true, linkedBy: true } });
      expect(linked.map((l) => l.platformUserId)).not.toContain('aad-impostor');
      expect(linked.filter((l) => l.linkedBy === 'lookup')).toHaveLength(5);
      const davidId = (await db.prisma.person.findFirstOrThrow({ where: { displayName: 'David Price' } })).id;
      const david = await db.prisma.outboundMessage.findFirstOrThrow({ where: { purpose: 'weekly-digest', personId: davidId } });
      expect(david.state).toBe('undeliverable');
      expect(david.lastError).toContain('not a member of any team the app is in');
    } finally {
      await h.stop();
      await db.close();
    }
  });
});

describe.each(backends('pglite'))('Teams: a channel subscribed with @kpi subscribe on %s', (backend) => {
  it('stores the channel (not the thread), answers there, and posts the next red there', async () => {
    const db = await createTestDatabase(backend);
    await withDemo(db);
    await linkDemoPeopleToTeams(db);
    const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
    const h = await startTeamsApp(db, clock);
    try {
      await db.prisma.channelSubscription.deleteMany();
      await h.teams.message('Priya Shah', 'subscribe theme sports-leisure', 'channel');
      await h.settle();
      const sub = await db.prisma.channelSubscription.findFirstOrThrow({ where: { platform: 'teams' } });
      expect(sub.channelId).toBe(CHANNEL);
      expect(JSON.stringify(h.connector.callsTo('send').map((c) => c.body))).toContain('will get alerts for the');
      await h.app.runner.run('evaluate-statuses', clock.now()); // the baseline
      h.connector.reset();
      await saveValue(h.app.deps.repo, clock.now(), 'highway-inspections', '2017/18 Q3', 80);
      const r = await h.app.runner.run('evaluate-statuses', clock.now());
      expect(r).toMatchObject({ outcome: 'ok', summary: { alerts: 1 } });
      const sent = h.connector.callsTo('send');
      expect(sent.map((c) => c.conversationId)).toEqual([CHANNEL]);
      expect(JSON.stringify(sent[0]!.body)).toContain('highway-inspections');
    } finally {
      await h.stop();
      await db.close();
    }
  });
});
