// The Teams bot through its real HTTP interface: activities with Bot Framework tokens in, Bot
// Connector calls out to the fake service, the database checked after. Scheduled messages (alert,
// chase, digest) go through the outbox sender with a test clock. Runs on PGlite and PostgreSQL.
import { beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestClock, withDemo } from '../support/app.ts';
import { aadId, APP_ID, CHANNEL, personalChat, PUBLIC_URL, startTeamsFakes, TeamsClient, TENANT_ID, useTeamsDemo, type TeamsHarness } from '../support/teams-app.ts';
import { linkDemoPeopleToSlack, slackId, startSlackApp } from '../support/slack-app.ts';
import { cardElements as elements, cardOf, type ConnectorCall } from '../support/fake-bot-connector.ts';
import { periodFromKey } from '../../src/domain/periods.ts';

const textOf = (c: ConnectorCall) => JSON.stringify(c.body);
type Card = { body: Record<string, unknown>[]; actions?: Record<string, unknown>[] };
type InvokeBody = { statusCode: number; type: string; value: Card | string };

describe.each(backends('pglite'))('Teams bot on %s', (backend) => {
  let db: TestDatabase;
  let h: TeamsHarness;
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const app = useTeamsDemo(backend, clock);
  beforeAll(() => {
    ({ db, h } = app);
  });

  describe('transport', () => {
    it('refuses requests without a valid Bot Framework token with 401, and lets nothing through', async () => {
      const a = h.teams.activity('message', 'Lucy Chambers', 'personal', { text: 'submit sickness-absence 2017/18 Q4 1' });
      const { issuer } = h.fakes;
      const serviceUrl = h.connector.serviceUrl;
      const refused = [
        await h.teams.post(a, { token: false }),
        await h.teams.post(a, { token: 'not-a-jwt' }),
        await h.teams.post(a, { token: issuer.botToken(serviceUrl, { key: 'rogue' }) }),
        await h.teams.post(a, { token: issuer.botToken(serviceUrl, { claims: { aud: 'some-other-bot' } }) }),
        await h.teams.post(a, { token: issuer.botToken(serviceUrl, { claims: { iss: 'https://sts.windows.net/evil/' } }) }),
        await h.teams.post(a, { token: issuer.botToken(serviceUrl, { expiresInSeconds: -600 }) }),
        await h.teams.post(a, { token: issuer.botToken('https://smba.trafficmanager.net/evil/') }),
      ];
      expect(refused.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401, 401]);
      await h.settle();
      expect(h.connector.calls).toEqual([]);
      expect(await db.prisma.observation.count({ where: { periodKey: '2017/18 Q4', value: 1 } })).toBe(0);
      expect(await db.prisma.conversationRef.count({ where: { key: `person:${aadId('Lucy')}` } })).toBe(0);
      const health = await fetch(h.teams.url.replace('/api/messages', '/healthz'));
      expect(health.status).toBe(200);
    });

    it('acknowledges a message at once and answers in the same chat, with a token from the login service', async () => {
      const r = await h.teams.message('Lucy Chambers', 'help');
      expect(r.status).toBe(200);
      const reply = await h.connector.waitFor('send', (c) => c.conversationId === personalChat('Lucy'));
      expect(textOf(reply)).toContain('submit');
      expect(h.fakes.issuer.keyRequests).toBeGreaterThan(0); // the SDK checked the token against the test issuer's keys
      expect(h.fakes.issuer.tokenRequests.at(-1)).toMatchObject({ tenant: TENANT_ID, clientId: APP_ID, scope: 'https://api.botframework.com/.default', ok: true });
      const ref = await db.prisma.conversationRef.findUniqueOrThrow({ where: { platform_key: { platform: 'teams', key: `person:${aadId('Lucy')}` } } });
      expect(ref.reference).toMatchObject({ conversationId: personalChat('Lucy'), serviceUrl: h.connector.serviceUrl, tenantId: TENANT_ID });
    });
  });

  describe('kpi show', () => {
    it('answers in the channel thread with a card: status, facts, table, owner mention and the chart image', async () => {
      const r = await h.teams.message('Emma Walsh', 'show sickness-absence', 'channel');
      expect(r.status).toBe(200);
      const post = await h.connector.waitFor('send', (c) => c.conversationId.startsWith(`${CHANNEL};messageid=`));
      const card = cardOf(post);
      const t = JSON.stringify(card);
      expect(t).toContain('Red: 10.49 days against a target of 8.5 days (amber up to 9.35 days); declining from 10.18 days in Q2.');
      expect(t).toContain('2017/18 Q3');
      expect(t).toContain('<at>Lucy Chambers</at>');
      expect((card as { msteams: { entities: unknown[] } }).msteams.entities).toContainEqual({ type: 'mention', text: '<at>Lucy Chambers</at>', mentioned: { id: aadId('Lucy'), name: 'Lucy Chambers' } });
      const els = elements(card);
      expect(els.some((e) => e.type === 'FactSet')).toBe(true);
      expect(els.some((e) => e.type === 'Table')).toBe(true);
      const image = els.find((e) => e.type === 'Image')!;
      expect(String(image.altText)).toContain('lower is better');
      expect(String(image.url)).toMatch(new RegExp(`^${PUBLIC_URL}/charts/[A-Za-z0-9_-]{22}\\.png$`));
      expect(t.length).toBeLessThan(28_000);
      // The bot serves the image itself.
      const png = await fetch(String(image.url).replace(PUBLIC_URL, `http://127.0.0.1:${h.app.port}`));
      expect(png.status).toBe(200);
      expect(png.headers.get('content-type')).toBe('image/png');
      const bytes = Buffer.from(await png.arrayBuffer());
      expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect((await fetch(`http://127.0.0.1:${h.app.port}/charts/AAAAAAAAAAAAAAAAAAAAAA.png`)).status).toBe(404);
      const buttons = els.filter((e) => e.type === 'Action.Execute');
      expect(buttons.map((b) => (b.data as { id: string }).id)).toContain('open-submit');
    });
  });

  /** The form card the bot sent, and the data its Submit button carries. */
  const formIn = (c: ConnectorCall) => {
    const card = cardOf(c) as unknown as Card;
    const submit = card.actions!.find((a) => (a.data as { kpi: string }).kpi === 'form')!;
    return { card, data: submit.data as Record<string, unknown> };
  };
  const indicatorId = async (slug: string) => String((await db.prisma.indicator.findUniqueOrThrow({ where: { slug } })).id);

  describe('kpi submit', () => {
    it('works inline and answers privately with the new status', async () => {
      await h.teams.message('Lucy Chambers', 'submit sickness-absence 2017/18-Q4 9.1 est payroll late');
      const reply = await h.connector.waitFor('send', (c) => c.conversationId === personalChat('Lucy'));
      expect(textOf(reply)).toContain('Saved **9.1 days** (estimated) for **sickness-absence**, **2017/18 Q4 (Jan–Mar 2018)**.');
      const saved = await db.prisma.observation.findFirstOrThrow({ where: { periodKey: '2017/18 Q4', indicator: { slug: 'sickness-absence' } } });
      expect([saved.value.toNumber(), saved.estimated, saved.source, saved.submittedByLabel]).toEqual([9.1, true, 'teams', `teams:${aadId('Lucy')}`]);
    });

    it('sends the form as a card; a wrong value comes back on the card beside its field, with what was typed', async () => {
      await h.teams.message('Gareth Lloyd', 'submit');
      const { card, data } = formIn(await h.connector.waitFor('send', (c) => c.conversationId === personalChat('Gareth')));
      const picker = elements(card).find((e) => e.id === 'f:indicator')!;
      expect(picker).toMatchObject({ type: 'Input.ChoiceSet', style: 'filtered', 'choices.data': { type: 'Data.Query', dataset: 'submit:indicator' } });
      expect((picker.choices as { title: string }[]).map((c) => c.title.split(' — ')[0])).toContain('street-cleanliness');

      const before = await db.prisma.observation.count();
      const r = await h.teams.execute('Gareth Lloyd', { ...data, 'f:indicator': await indicatorId('street-cleanliness'), 'f:period': '2017/18 Q3', 'f:value': 'lots' });
      expect(r.status).toBe(200);
      const body = r.json as InvokeBody;
      expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
      const again = (body.value as Card).body;
      const at = again.findIndex((e) => e.id === 'f:value');
      expect(again[at]).toMatchObject({ type: 'Input.Text', value: 'lots' });
      expect(again[at + 1]).toMatchObject({ type: 'TextBlock', color: 'Attention' });
      expect(String(again[at + 1]!.text)).toMatch(/not a number/);
      expect(again.find((e) => e.id === 'f:period')).toMatchObject({ value: '2017/18 Q3' });
      expect(await db.prisma.observation.count()).toBe(before);

      const period = await h.teams.execute('Gareth Lloyd', { ...data, 'f:indicator': await indicatorId('street-cleanliness'), 'f:period': 'Dec 2017', 'f:value': '80' });
      expect(JSON.stringify(period.json)).toMatch(/is a month .* reported quarterly/);
    });

    it('saves from the card and replaces the form with the confirmation', async () => {
      await db.prisma.target.create({
        data: { indicatorId: Number(await indicatorId('street-cleanliness')), periodKey: '2017/18 Q4', periodStart: new Date('2018-01-01'), periodEnd: new Date('2018-03-31'), value: 85, amberFloor: 82 },
      });
      await h.teams.message('Gareth Lloyd', 'submit');
      const { data } = formIn(await h.connector.waitFor('send', (c) => c.conversationId === personalChat('Gareth')));
      const r = await h.teams.execute('Gareth Lloyd', { ...data, 'f:indicator': await indicatorId('street-cleanliness'), 'f:period': '2017/18 Q4', 'f:value': '80.5', 'f:flags': 'estimated', 'f:note': '' });
      const body = r.json as InvokeBody;
      expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
      const t = JSON.stringify(body.value);
      expect(t).toContain('Red: 80.5% (estimated) against a target of 85% (amber down to 82%)');
      expect(t).toContain('"id":"open-exception"');
      const saved = await db.prisma.observation.findFirstOrThrow({ where: { periodKey: '2017/18 Q4', indicator: { slug: 'street-cleanliness' } } });
      expect([saved.value.toNumber(), saved.estimated, saved.source]).toEqual([80.5, true, 'teams']);
    });

    it('asks to confirm a correction on the card, and keeps the old version', async () => {
      await h.teams.message('Gareth Lloyd', 'submit');
      const { data } = formIn(await h.connector.waitFor('send', (c) => c.conversationId === personalChat('Gareth')));
      const r = await h.teams.execute('Gareth Lloyd', { ...data, 'f:indicator': await indicatorId('street-cleanliness'), 'f:period': '2017/18 Q3', 'f:value': '84.1' });
      const confirm = (r.json as InvokeBody).value as Card;
      expect(JSON.stringify(confirm)).toContain('already has **83.8%**');
      const next = confirm.actions!.find((a) => (a.data as { kpi: string }).kpi === 'form')!.data as Record<string, unknown>;
      // The card carries only the stored form's id; the form (its state: the value to save) stays with the bot.
      expect(Object.keys(next).sort()).toEqual(['go', 'kpi', 'page', 'ref']);
      const stored = await db.prisma.openForm.findUniqueOrThrow({ where: { id: String(next.ref) } });
      expect(stored).toMatchObject({ audience: aadId('Gareth'), form: { id: 'confirm-correction' } });
      const done = await h.teams.execute('Gareth Lloyd', { ...next, 'f:reason': 're-survey of two wards' });
      expect(JSON.stringify(done.json)).toContain('Corrected **street-cleanliness** for **2017/18 Q3 (Oct–Dec 2017)**: 83.8% → **84.1%**');
      const versions = await db.prisma.observation.findMany({ where: { periodKey: '2017/18 Q3', indicator: { slug: 'street-cleanliness' } }, orderBy: { version: 'asc' } });
      expect(versions.map((v) => [v.value.toNumber(), v.latest, v.correctionReason])).toEqual([
        [83.8, false, null],
        [84.1, true, 're-survey of two wards'],
      ]);
    });

    it('offers only the indicators the person may submit for as they type', async () => {
      const r = await h.teams.search('Gareth Lloyd', '');
      const body = r.json as { type: string; value: { results: { title: string; value: string }[] } };
      expect(body.type).toBe('application/vnd.microsoft.search.searchResponse');
      expect(body.value.results.map((o) => o.title.split(' — ')[0])).toEqual(['highway-inspections', 'physical-inactivity', 'safest-place', 'street-cleanliness', 'waterside-visitors']);
      const street = await h.teams.search('Gareth Lloyd', 'street');
      expect((street.json as typeof body).value.results.map((o) => o.title.split(' — ')[0])).toEqual(['street-cleanliness']);
    });

    it('opens the prefilled form from a button and answers a channel button in the 1:1 chat', async () => {
      const ind = await indicatorId('sickness-absence');
      const r = await h.teams.execute('Lucy Chambers', { kpi: 'action', id: 'open-submit', value: JSON.stringify({ indicatorId: Number(ind), periodKey: '2017/18 Q4' }) }, 'channel');
      expect(r.json).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
      const form = await h.connector.waitFor('send', (c) => c.conversationId === personalChat('Lucy'));
      expect(elements(cardOf(form)).find((e) => e.id === 'f:period')).toMatchObject({ value: '2017/18 Q4' });
    });
  });

  describe('people and retries', () => {
    it('links a first-time Teams user to the register by the e-mail Teams has for them', async () => {
      const emma = await db.prisma.person.findFirstOrThrow({ where: { displayName: 'Emma Walsh' } });
      await db.prisma.personIdentity.deleteMany({ where: { personId: emma.id, platform: 'teams' } });
      h.connector.members.set('emma', { id: '29:emma', aadObjectId: aadId('Emma'), name: 'Emma Walsh', email: 'Emma.Walsh@trafford.example' });
      await h.teams.message('Emma Walsh', 'mine');
      expect(textOf(await h.connector.waitFor('send', (c) => c.conversationId === personalChat('Emma')))).toContain('Your indicators');
      expect((await db.prisma.personIdentity.findUniqueOrThrow({ where: { personId_platform: { personId: emma.id, platform: 'teams' } } })).platformUserId).toBe(aadId('Emma'));
      expect(h.connector.callsTo('getMember')).toHaveLength(1);
    });

    it('waits out a 429 for as long as Retry-After says, then sends once', async () => {
      h.connector.failNext('send', { status: 429, retryAfterSeconds: 1 });
      await h.teams.message('Priya Shah', 'list red');
      const sent = await h.connector.waitFor('send', (c) => c.conversationId === personalChat('Priya'), 8000);
      const attempts = h.connector.calls.filter((c) => c.method === 'send');
      expect(attempts.map((c) => Boolean(c.faulted))).toEqual([true, false]);
      expect(sent.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
      expect(textOf(sent)).toContain('third-sector-support');
    });

    it('welcomes a new team, and remembers its channel for alerts', async () => {
      await h.teams.install('Priya Shah', 'channel');
      const hello = await h.connector.waitFor('send', (c) => c.conversationId === CHANNEL);
      expect(textOf(hello)).toContain(CHANNEL);
      const ref = await db.prisma.conversationRef.findUniqueOrThrow({ where: { platform_key: { platform: 'teams', key: `channel:${CHANNEL}` } } });
      expect(ref.reference).toMatchObject({ conversationType: 'channel', serviceUrl: h.connector.serviceUrl, tenantId: TENANT_ID });
    });
  });

  describe('scheduled messages through the outbox', () => {
    const run = async (job: 'evaluate-statuses' | 'chase-data' | 'weekly-digest') => {
      const r = await h.app.runner.run(job, clock.now());
      if (r.outcome !== 'ok') throw new Error(`${job}: ${JSON.stringify(r)}`);
      return r;
    };
    async function save(slug: string, periodKey: string, value: number) {
      const repo = h.app.deps.repo;
      const ind = (await repo.indicatorBySlug(slug))!;
      const current = (await repo.observationVersions(ind.id, periodKey))[0];
      const p = periodFromKey(periodKey);
      await repo.saveObservation({
        indicatorId: ind.id, periodKey, periodStart: p.start, periodEnd: p.end, value, estimated: false, provisional: false, note: null,
        source: 'test', submittedById: null, submittedByLabel: 'test', submittedAt: clock.now(), replacesVersion: current?.version ?? null,
        ...(current ? { correctionReason: 'test correction' } : {}),
      });
    }

    beforeAll(async () => {
      const highways = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'highway-inspections' }, select: { themeId: true } });
      await db.prisma.channelSubscription.deleteMany();
      await db.prisma.channelSubscription.create({ data: { platform: 'teams', channelId: CHANNEL, themeId: highways.themeId, scope: `theme:${highways.themeId}` } });
      await run('evaluate-statuses'); // the baseline: no alerts
    });

    it('alerts the subscribed channel with a card and chart; later changes edit it and reply in its thread', async () => {
      h.connector.reset();
      await save('highway-inspections', '2017/18 Q3', 80);
      const r = await run('evaluate-statuses');
      expect(r.summary).toMatchObject({ alerts: 1 });
      expect(r.sent).toMatchObject({ sent: 1, failed: 0 });
      const [alert] = h.connector.callsTo('send', CHANNEL);
      expect(alert).toBeDefined();
      const t = textOf(alert!);
      expect(t).toContain('Turned red');
      expect(t).toContain('"id":"snooze"');
      expect(elements(cardOf(alert!)).find((e) => e.type === 'Image')?.url).toMatch(/\/charts\/.+\.png$/);
      const row = await db.prisma.outboundMessage.findFirstOrThrow({ where: { purpose: 'alert', platform: 'teams' } });
      expect(row.postedChannel).toBe(CHANNEL);

      h.connector.reset();
      await save('highway-inspections', '2017/18 Q3', 93);
      await run('evaluate-statuses');
      const [update] = h.connector.callsTo('update');
      expect(update).toMatchObject({ conversationId: CHANNEL, activityId: row.messageId });
      // The edited card's chart is drawn again with the latest figures, at an address of its own.
      const firstImage = elements(cardOf(alert!)).find((e) => e.type === 'Image')!;
      const editedImage = elements(cardOf(update!)).find((e) => e.type === 'Image');
      expect(editedImage?.url).toMatch(/\/charts\/.+\.png$/);
      expect(editedImage?.url).not.toBe(firstImage.url);
      expect(editedImage?.altText).toContain('Q3 17/18 93%');
      const [reply] = h.connector.callsTo('send');
      expect(reply!.conversationId).toBe(`${CHANNEL};messageid=${row.messageId}`);
      expect(textOf(reply!)).toContain('now');

      h.connector.reset();
      expect((await run('evaluate-statuses')).sent).toMatchObject({ sent: 0 });
      expect(h.connector.calls).toHaveLength(0);
    });

    it("chases owners in their 1:1 chat, starting one for people who never wrote to the bot — once a day", async () => {
      h.connector.reset();
      const r = await run('chase-data');
      // The demo collects from 2017/18 Q3: the two owners whose Q3 values are not in.
      expect(r.summary).toMatchObject({ people: 2 });
      const created = h.connector.callsTo('createConversation').find((c) => JSON.stringify(c.body).includes(aadId('Ben')));
      expect(created?.body).toMatchObject({ isGroup: false, tenantId: TENANT_ID, bot: { id: `28:${APP_ID}` } });
      const toBen = h.connector.callsTo('send', `a:1on1-${aadId('Ben')}`);
      expect(toBen).toHaveLength(1);
      const t = textOf(toBen[0]!);
      expect(t).toContain('benefit-claimants');
      expect(t).toContain('"id":"open-submit"');
      expect(h.connector.callsTo('send')).toHaveLength(Number(r.summary.people));
      const benRef = await db.prisma.conversationRef.findUniqueOrThrow({ where: { platform_key: { platform: 'teams', key: `person:${aadId('Ben')}` } } });
      expect(benRef.reference).toMatchObject({ conversationId: `a:1on1-${aadId('Ben')}` });

      h.connector.reset();
      expect((await run('chase-data')).summary).toMatchObject({ people: 0 });
      expect(h.connector.calls).toHaveLength(0);
    });

    it('keeps a message for a person the app is not installed for (403), says why, and delivers it once they add the app', async () => {
      const nadia = await db.prisma.person.findFirstOrThrow({ where: { displayName: 'Nadia Rahman' } });
      await db.prisma.conversationRef.deleteMany({ where: { key: `person:${aadId('Nadia')}` } });
      h.connector.reset();
      h.connector.failNext('createConversation', { status: 403 });
      await h.app.deps.outbox.enqueue({ key: 'test:not-installed', purpose: 'test', to: { kind: 'person', personId: nadia.id }, message: { text: 'hello', blocks: [] } }, clock.now());
      expect(await h.app.outbox.drain(clock.now())).toMatchObject({ sent: 0, failed: 1, dead: 0 });
      const waiting = await db.prisma.outboundMessage.findUniqueOrThrow({ where: { idempotencyKey: 'test:not-installed' } });
      expect(waiting).toMatchObject({ state: 'pending', attempts: 1 });
      expect(waiting.lastError).toContain('not installed');
      expect(h.connector.callsTo('createConversation')).toHaveLength(0);
      // She adds the app: Teams tells the bot, with her 1:1 chat; the next try delivers there.
      await h.teams.install('Nadia Rahman', 'personal');
      await h.settle();
      expect(await h.app.outbox.drain(waiting.nextAttemptAt)).toMatchObject({ sent: 1, dead: 0 });
      expect(textOf(h.connector.callsTo('send', personalChat('Nadia')).at(-1)!)).toContain('hello');
    });

    it("sends every director a weekly digest with their area's reds and a chart — once a week", async () => {
      h.connector.reset();
      clock.set('2018-02-19T08:00:00Z');
      const r = await run('weekly-digest');
      // Six directors, and the performance admin (the whole organisation).
      expect(r.summary).toMatchObject({ directors: 6, admins: 1, sent: 7 });
      const toHelen = h.connector.callsTo('send', `a:1on1-${aadId('Helen')}`);
      expect(toHelen).toHaveLength(1);
      const card = cardOf(toHelen[0]!);
      const t = JSON.stringify(card);
      expect(t).toContain('Weekly performance digest');
      expect(t).toContain('highway-inspections');
      expect(t.length).toBeLessThan(28_000);
      expect(elements(card).some((e) => e.type === 'Image')).toBe(true);
      h.connector.reset();
      clock.set('2018-02-21T08:00:00Z');
      expect((await run('weekly-digest')).summary).toMatchObject({ sent: 0, alreadySent: 7 });
      expect(h.connector.calls).toHaveLength(0);
    });
  });
});

describe.each(backends('pglite'))('Slack and Teams side by side on %s', (backend) => {
  it('serves both from one process and one HTTP server', async () => {
    const db = await createTestDatabase(backend);
    await withDemo(db);
    await linkDemoPeopleToSlack(db);
    // Lucy and Emma use Slack; Aisha's council uses Teams.
    const aisha = await db.prisma.person.findFirstOrThrow({ where: { displayName: { startsWith: 'Aisha' } } });
    await db.prisma.personIdentity.deleteMany({ where: { personId: aisha.id } });
    await db.prisma.personIdentity.create({ data: { personId: aisha.id, platform: 'teams', platformUserId: aadId('Aisha'), linkedBy: 'install', linkedAt: new Date() } });
    const fakes = await startTeamsFakes();
    const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
    const s = await startSlackApp(db, clock, fakes.env);
    try {
      const teams = new TeamsClient(s.url.replace('/slack/events', '/api/messages'), fakes);
      await s.slash(slackId('Emma'), 'show sickness-absence', { channel: 'C0PERF' });
      await teams.message('Aisha Malik', 'show sickness-absence', 'channel');
      await s.fake.waitFor('chat.postMessage', (c) => c.args.channel === 'C0PERF');
      expect(textOf(await fakes.connector.waitFor('send'))).toContain('10.49 days');
      await s.app.idle();
      // One outbox, two platforms: each message goes out through its own.
      const now = clock.now();
      await s.app.deps.outbox.enqueue({ key: 'test:slack', purpose: 'test', to: { kind: 'person', personId: (await db.prisma.person.findFirstOrThrow({ where: { displayName: 'Lucy Chambers' } })).id }, message: { text: 'to Slack', blocks: [] } }, now);
      await s.app.deps.outbox.enqueue({ key: 'test:teams', purpose: 'test', to: { kind: 'person', personId: aisha.id }, message: { text: 'to Teams', blocks: [] } }, now);
      expect(await s.app.outbox.drain(now)).toMatchObject({ sent: 2, failed: 0 });
      expect(JSON.stringify(s.fake.callsTo('chat.postMessage').at(-1)!.args)).toContain('to Slack');
      expect(textOf(fakes.connector.callsTo('send').at(-1)!)).toContain('to Teams');
    } finally {
      await s.stop();
      await fakes.stop();
      await db.close();
    }
  });
});
