// Teams: only the council's tenant gets in, and private answers never land in a channel. Through the
// real HTTP endpoint with signed Bot Framework tokens (a foreign tenant's token is as valid as ours:
// a bot registered in Teams is reachable from any tenant), the fake Bot Connector and the database.
import { Writable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { backends, linkOf, setLink } from '../support/db.ts';
import { TestClock } from '../support/app.ts';
import { aadId, APP_ID, CHANNEL, FOREIGN_TENANT_ID, personalChat, TENANT_ID, useTeamsDemo } from '../support/teams-app.ts';
import { cardElements, cardOf, type ConnectorCall, type ConnectorFault } from '../support/fake-bot-connector.ts';
import { createLogger } from '../../src/log.ts';

const textOf = (c: ConnectorCall) => JSON.stringify(c.body);

describe.each(backends('pglite'))('Teams privacy on %s', (backend) => {
  const clock = new TestClock(new Date('2018-02-05T09:00:00Z'));
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  // Bot Connector calls that fail with a 5xx are tried again after 20 ms, 40 ms, 80 ms (and up to half as much again), not 0.5, 1 and 2 s.
  const demo = useTeamsDemo(backend, clock, { log: createLogger('info', sink), env: { TEAMS_RETRY_BASE_MS: '20' } });
  beforeEach(() => {
    lines.length = 0;
  });
  const person = (name: string) => demo.db.prisma.person.findFirstOrThrow({ where: { displayName: name } });
  const refusals = () => lines.map((l) => JSON.parse(l) as { msg: string; tenantId?: string }).filter((l) => l.msg === 'teams: refused an activity from a tenant this bot does not serve');

  describe('tenant isolation', () => {
    it("refuses a foreign tenant's activity before any handler — even one whose directory gives the admin's e-mail — and links, stores and answers nothing", async () => {
      const admin = await person('Priya Shah');
      await setLink(demo.db, admin.id, 'teams', null);
      // The other tenant's admin set Mallory's mail attribute to the council admin's address.
      demo.h.connector.members.set('mallory', { id: '29:mallory', aadObjectId: aadId('Mallory'), name: 'Mallory', email: admin.email!, tenantId: FOREIGN_TENANT_ID });
      const evil = demo.h.teams.fromTenant(FOREIGN_TENANT_ID);
      const locksBefore = await demo.db.prisma.periodLock.count();
      const answers = [
        await evil.message('Mallory Evil', 'help'),
        await evil.message('Mallory Evil', 'list red', 'channel'),
        await evil.execute('Mallory Evil', { kpi: 'action', id: 'confirm-close-quarter', value: '2017/18 Q3' }),
        await evil.install('Mallory Evil', 'personal'),
        await evil.search('Mallory Evil', 'sick'),
      ];
      expect(answers.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
      await demo.h.settle();
      expect(demo.h.connector.calls).toEqual([]); // no member lookup, no answer
      expect(await linkOf(demo.db, admin.id, 'teams')).toBeNull();
      expect(await demo.db.prisma.conversationRef.count({ where: { key: { contains: aadId('Mallory') } } })).toBe(0);
      expect(await demo.db.prisma.periodLock.count()).toBe(locksBefore);
      expect(refusals()).toHaveLength(1); // five identical refusals: one line, the rest counted (teams-refusals.test.ts)
      expect(refusals()[0]).toMatchObject({ tenantId: FOREIGN_TENANT_ID });
      await setLink(demo.db, admin.id, 'teams', aadId('Priya'));
    });

    it('refuses an activity whose two tenant fields disagree, or that has none', async () => {
      const mixed = demo.h.teams.activity('message', 'Lucy Chambers', 'personal', { text: 'mine' });
      (mixed.channelData as { tenant: { id: string } }).tenant.id = FOREIGN_TENANT_ID;
      const none = demo.h.teams.activity('message', 'Lucy Chambers', 'personal', { text: 'mine', channelData: {} });
      delete (none.conversation as { tenantId?: string }).tenantId;
      expect([(await demo.h.teams.post(mixed)).status, (await demo.h.teams.post(none)).status]).toEqual([403, 403]);
      await demo.h.settle();
      expect(demo.h.connector.calls).toEqual([]);
    });

    it('links by e-mail only a member record of the same user in the same tenant', async () => {
      const emma = await person('Emma Walsh');
      await setLink(demo.db, emma.id, 'teams', null);
      // A guest account from another tenant, present in ours, with Emma's address.
      demo.h.connector.members.set('emma', { id: '29:emma', aadObjectId: aadId('Emma'), name: 'Emma Walsh', email: emma.email!, tenantId: FOREIGN_TENANT_ID });
      await demo.h.teams.message('Emma Walsh', 'mine');
      expect(textOf(await demo.h.connector.waitFor('send', (c) => c.conversationId === personalChat('Emma')))).toContain('not in the indicator register');
      expect(await linkOf(demo.db, emma.id, 'teams')).toBeNull();
      await setLink(demo.db, emma.id, 'teams', aadId('Emma'));
    });

    it("starts 1:1 chats only in the council's tenant, ignoring any reference stored from another", async () => {
      const ben = await person('Ben Thornton');
      await demo.db.prisma.conversationRef.deleteMany({ where: { key: `person:${aadId('Ben')}` } });
      // As left by a foreign activity before tenants were checked: its service and tenant, even a chat.
      await demo.db.prisma.conversationRef.create({
        data: { platform: 'teams', key: `person:${aadId('Ben')}`, personId: ben.id, reference: { serviceUrl: 'https://smba.trafficmanager.net/evil/', conversationId: 'a:evil-chat', conversationType: 'personal', tenantId: FOREIGN_TENANT_ID } },
      });
      await demo.db.prisma.conversationRef.create({
        data: { platform: 'teams', key: 'channel:19:evil@thread.tacv2', reference: { serviceUrl: 'https://smba.trafficmanager.net/evil/', conversationId: '19:evil@thread.tacv2', conversationType: 'channel', tenantId: FOREIGN_TENANT_ID } },
      });
      await demo.h.app.deps.outbox.enqueue({ key: 'test:tenant-of-ben', purpose: 'test', to: { kind: 'person', personId: ben.id }, message: { text: 'hello Ben', blocks: [] } }, clock.now());
      expect(await demo.h.app.outbox.drain(clock.now())).toMatchObject({ sent: 1 });
      const [created] = demo.h.connector.callsTo('createConversation');
      expect(created!.body).toMatchObject({ tenantId: TENANT_ID, channelData: { tenant: { id: TENANT_ID } }, bot: { id: `28:${APP_ID}` } });
      expect(textOf(demo.h.connector.callsTo('send', `a:1on1-${aadId('Ben')}`)[0]!)).toContain('hello Ben');
      const ref = await demo.db.prisma.conversationRef.findUniqueOrThrow({ where: { platform_key: { platform: 'teams', key: `person:${aadId('Ben')}` } } });
      expect(ref.reference).toMatchObject({ tenantId: TENANT_ID, serviceUrl: demo.h.connector.serviceUrl });
      await demo.db.prisma.conversationRef.deleteMany({ where: { key: 'channel:19:evil@thread.tacv2' } });
    });
  });

  describe('private stays private', () => {
    const FAILURES: [string, ConnectorFault, number][] = [
      ['the app is not installed for them (403)', { status: 403 }, 1],
      ['Teams throttles for longer than the bot waits (429, Retry-After 10 min)', { status: 429, retryAfterSeconds: 600 }, 1],
      ['Teams keeps failing (500 on every try)', { status: 500 }, 4],
    ];

    async function withoutPrivateChat(first: string) {
      await demo.db.prisma.conversationRef.deleteMany({ where: { key: `person:${aadId(first)}` } });
    }

    /** Everything the bot posted in the channel since the test began. */
    const channelPosts = () => demo.h.connector.callsTo('send').filter((c) => c.conversationId.startsWith(CHANNEL));

    it.each(FAILURES)('when a 1:1 chat cannot be had because %s, the channel gets only a note and the answer waits in the outbox', async (_why, fault, times) => {
      await withoutPrivateChat('Lucy');
      demo.h.connector.failNext('createConversation', fault, times);
      const before = await demo.db.prisma.outboundMessage.count({ where: { purpose: 'private-reply' } });
      expect((await demo.h.teams.message('Lucy Chambers', 'mine', 'channel')).status).toBe(200);
      await demo.h.settle();
      const posts = channelPosts();
      expect(posts).toHaveLength(1);
      const note = textOf(posts[0]!);
      expect(note).toContain("I can't reach you privately yet");
      expect(note).toContain('your answer is kept and will arrive there');
      // Nothing of the answer: no indicator, no value, no name, no button, no input.
      expect(note).not.toMatch(/sickness-absence|Your indicators|Lucy|Action\.Execute|Input\./);
      const kept = await demo.db.prisma.outboundMessage.findMany({ where: { purpose: 'private-reply' }, orderBy: { id: 'desc' } });
      expect(kept.length).toBe(before + 1);
      expect(kept[0]).toMatchObject({ platform: 'teams', channel: aadId('Lucy'), state: 'pending' });
      expect(JSON.stringify(kept[0]!.payload)).toContain('Your indicators');
      // Tried as often as the retries allow, after the configured back-off; a Retry-After longer than the bot waits is not waited out.
      const waits = lines.map((l) => JSON.parse(l) as { msg: string; waitMs?: number }).filter((l) => l.msg === 'teams: call failed, retrying').map((l) => l.waitMs!);
      expect(waits.map((w, i) => w >= 20 * 2 ** i && w <= 30 * 2 ** i)).toEqual(Array(times - 1).fill(true));
    });

    it('delivers the kept answer in the 1:1 chat once the person opens it, and never in the channel', async () => {
      await withoutPrivateChat('Lucy');
      demo.h.connector.failNext('createConversation', { status: 403 });
      await demo.h.teams.message('Lucy Chambers', 'list red', 'channel');
      await demo.h.settle();
      const pending = await demo.db.prisma.outboundMessage.findMany({ where: { purpose: 'private-reply', state: 'pending' } });
      expect(pending.length).toBeGreaterThan(0);
      await demo.h.teams.install('Lucy Chambers', 'personal');
      await demo.h.settle();
      demo.h.connector.reset();
      const later = new Date(clock.now().getTime() + 60 * 60_000);
      expect(await demo.h.app.outbox.drain(later)).toMatchObject({ sent: pending.length, dead: 0 });
      const sent = demo.h.connector.callsTo('send');
      expect(sent.length).toBe(pending.length);
      expect(sent.every((c) => c.conversationId === personalChat('Lucy'))).toBe(true);
      expect(sent.some((c) => textOf(c).includes('Red indicators'))).toBe(true);
      expect(await demo.db.prisma.outboundMessage.count({ where: { purpose: 'private-reply', state: 'pending' } })).toBe(0);
    });

    it('never posts a form in the channel: a button pressed there leaves a note, and a button to open the form waits for the 1:1 chat', async () => {
      await withoutPrivateChat('Lucy');
      demo.h.connector.failNext('createConversation', { status: 403 });
      const ind = await demo.db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'sickness-absence' } });
      const value = JSON.stringify({ indicatorId: ind.id, periodKey: '2017/18 Q4' });
      const r = await demo.h.teams.execute('Lucy Chambers', { kpi: 'action', id: 'open-submit', value }, 'channel');
      expect(r.json).toMatchObject({ type: 'application/vnd.microsoft.activity.message' });
      await demo.h.settle();
      const posts = channelPosts();
      expect(posts).toHaveLength(1);
      expect(cardElements(cardOf(posts[0]!)).filter((e) => String(e.type).startsWith('Input.') || String(e.type).startsWith('Action.'))).toEqual([]);
      const [kept] = await demo.db.prisma.outboundMessage.findMany({ where: { purpose: 'private-reply', state: 'pending' }, orderBy: { id: 'desc' }, take: 1 });
      expect(JSON.stringify(kept!.payload)).toContain('"id":"open-submit"');
      expect(JSON.stringify(kept!.payload)).toContain(JSON.stringify(value).slice(1, -1));
    });

    it('tells someone not in the register to ask again in the 1:1 chat (nothing to keep it for)', async () => {
      demo.h.connector.failNext('createConversation', { status: 403 });
      const stranger = demo.h.teams.activity('message', 'Sam Stranger', 'channel', { text: '<at>kpi</at> help', entities: [{ type: 'mention', text: '<at>kpi</at>', mentioned: { id: `28:${APP_ID}`, name: 'kpi' } }] });
      await demo.h.teams.post(stranger);
      await demo.h.settle();
      const posts = channelPosts();
      expect(posts).toHaveLength(1);
      expect(textOf(posts[0]!)).toContain('then ask me again there');
      expect(textOf(posts[0]!)).not.toContain('submit');
    });
  });
});
