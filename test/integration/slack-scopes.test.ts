// The scopes a real Slack workspace gives the bot: the fake's token has those of
// deploy/slack-manifest.yml (or fewer), answers `missing_scope` as Slack does, and says its scopes in
// `x-oauth-scopes`. A channel post whose reply was lost is found with channels:history (groups:history
// in a private channel) and adopted, its chart sent once; without the scope it is held for an admin at
// once — neither posted twice nor retried for hours — readiness and the log name the scope and what
// breaks (so do /kpi people, `kpi people` and the admins' weekly digest), and once the scope is added and the bot restarted the post is found and its chart sent.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestClock, withDemo } from '../support/app.ts';
import { demoWorkspace, linkDemoPeopleToSlack, SIGNING_SECRET, slackId, startSlackApp, type SlackHarness } from '../support/slack-app.ts';
import { runKpi } from '../support/cli.ts';
import { manifestScopes, type FakeSlack } from '../support/fake-slack.ts';
import { createLogger } from '../../src/log.ts';
import type { Block } from '../../src/messages/types.ts';
import type { PersonRecord } from '../../src/ports.ts';
import { weeklyDigest } from '../../jobs/weekly-digest.ts';

const PUBLIC = 'C0PERF';
const PRIVATE = 'C0PRIVATE';
const ENV = { SLACK_API_TIMEOUT_MS: '600' };

interface LogLine {
  level: number;
  msg: string;
  scope?: string;
  key?: string;
}

/** A logger whose lines are kept, parsed. */
function capturedLog(): { log: ReturnType<typeof createLogger>; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as LogLine);
      done();
    },
  });
  return { log: createLogger('info', sink), lines };
}

/** An alert for a channel, with a chart, as evaluate-statuses queues one. */
function alert(key: string, channelId: string): { key: string; purpose: string; to: { kind: 'channel'; platform: 'slack'; channelId: string }; message: { text: string; blocks: Block[] } } {
  const chart: Block = { type: 'chart', title: `chart ${key}`, chart: { kind: 'trend', title: 'Sickness absence', unit: 'days', polarity: 'lower', points: [{ label: '2017/18 Q2', value: 7.84 }, { label: '2017/18 Q3', value: 10.49 }] } };
  return { key, purpose: 'alert', to: { kind: 'channel', platform: 'slack', channelId }, message: { text: `🔴 sickness-absence turned red (${key})`, blocks: [{ type: 'text', text: `🔴 sickness-absence turned red (${key})` }, chart] } };
}

const postsWith = (fake: FakeSlack, key: string) => fake.allMessages().filter((m) => m.metadata?.event_payload.key === key).length;
const chartsOf = (fake: FakeSlack, key: string) => fake.sharedFiles.filter((f) => f.title === `chart ${key}`).length;

async function readyz(s: SlackHarness): Promise<{ status: number; body: { ready: boolean; database: { reachable: boolean }; outbox?: { held: number }; slack: { missingScopes: { scope: string; breaks: string; fix: string }[] } } }> {
  const res = await fetch(s.url.replace('/slack/events', '/readyz'));
  return { status: res.status, body: (await res.json()) as never };
}

async function council(backend: 'pglite' | 'postgres'): Promise<TestDatabase> {
  const db = await createTestDatabase(backend);
  await withDemo(db);
  await linkDemoPeopleToSlack(db);
  return db;
}

describe.each(backends('pglite'))('Slack scopes on %s', (backend) => {
  describe("a token with the manifest's scopes", () => {
    const clock = new TestClock(new Date('2018-04-20T09:00:00Z'));
    let db: TestDatabase;
    let s: SlackHarness;
    beforeAll(async () => {
      db = await council(backend);
      s = await startSlackApp(db, clock, ENV);
      await s.app.idle(); // Slack is asked for the scopes while the bot starts
      await demoWorkspace(db, s.fake);
      s.fake.channels.set(PUBLIC, { name: 'performance', botIsMember: true });
      s.fake.channels.set(PRIVATE, { name: 'leadership-team', isPrivate: true, botIsMember: true });
    });
    afterAll(async () => {
      await s?.stop();
      await db?.close();
    });

    it('asks for channels:history and groups:history, and readiness names no missing scope', async () => {
      expect(manifestScopes()).toEqual(expect.arrayContaining(['channels:history', 'groups:history', 'im:history']));
      const r = await readyz(s);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ ready: true, database: { reachable: true }, outbox: { held: 0 }, slack: { missingScopes: [] } });
    });

    it('finds a channel post whose reply was lost, public or private, and sends its chart once', async () => {
      const keys = ['alert:lost:public', 'alert:lost:private'];
      await s.app.deps.outbox.enqueue(alert(keys[0]!, PUBLIC), clock.now());
      await s.app.deps.outbox.enqueue(alert(keys[1]!, PRIVATE), clock.now());
      s.fake.failNext('chat.postMessage', { kind: 'lost-reply', ms: 1500 }, 2);
      await s.app.runner.run('drain-outbox', clock.now());
      clock.advance(60_000);
      await s.app.runner.run('drain-outbox', clock.now());
      const rows = await db.prisma.outboundMessage.findMany({ where: { idempotencyKey: { in: keys } }, orderBy: { id: 'asc' } });
      expect(rows.map((r) => r.state)).toEqual(['sent', 'sent']);
      expect(keys.map((k) => postsWith(s.fake, k))).toEqual([1, 1]);
      expect(keys.map((k) => chartsOf(s.fake, k))).toEqual([1, 1]);
      expect(s.fake.calls.filter((c) => c.missingScope)).toEqual([]);
    }, 30_000);
  });

  describe('a token without channels:history and groups:history', () => {
    const clock = new TestClock(new Date('2018-04-20T09:00:00Z'));
    const scopes = manifestScopes().filter((x) => x !== 'channels:history' && x !== 'groups:history');
    const { log, lines } = capturedLog();
    let db: TestDatabase;
    let s: SlackHarness;
    const keys = ['alert:held:public', 'alert:held:private'];
    beforeAll(async () => {
      db = await council(backend);
      s = await startSlackApp(db, clock, ENV, log, { scopes });
      await s.app.idle();
      await demoWorkspace(db, s.fake);
      s.fake.channels.set(PUBLIC, { name: 'performance', botIsMember: true });
      s.fake.channels.set(PRIVATE, { name: 'leadership-team', isPrivate: true, botIsMember: true });
    });
    afterAll(async () => {
      await s?.stop();
      await db?.close();
    });

    it('names each missing scope at start, in the log and in readiness, with what breaks without it', async () => {
      const warned = lines.filter((l) => l.scope && /lacks the .* scope/.test(l.msg));
      expect(warned.map((l) => l.scope)).toEqual(['channels:history', 'groups:history']);
      expect(warned.every((l) => l.level === 40)).toBe(true);
      expect(warned[0]!.msg).toContain('a post in a public channel whose reply was lost');
      const r = await readyz(s);
      expect(r.status).toBe(200); // the bot still serves everything else
      expect(r.body.slack.missingScopes.map((m) => m.scope)).toEqual(['channels:history', 'groups:history']);
      expect(r.body.slack.missingScopes[0]!.breaks).toContain('cannot be found');
      expect(r.body.slack.missingScopes[0]!.fix).toContain('reinstall the app');
    });

    it('holds a channel post whose reply was lost for an admin at once: not posted twice, not retried for hours', async () => {
      await s.app.deps.outbox.enqueue(alert(keys[0]!, PUBLIC), clock.now());
      await s.app.deps.outbox.enqueue(alert(keys[1]!, PRIVATE), clock.now());
      s.fake.failNext('chat.postMessage', { kind: 'lost-reply', ms: 1500 }, 2);
      await s.app.runner.run('drain-outbox', clock.now());
      clock.advance(60_000);
      await s.app.runner.run('drain-outbox', clock.now());
      const rows = await db.prisma.outboundMessage.findMany({ where: { idempotencyKey: { in: keys } }, orderBy: { id: 'asc' } });
      expect(rows.map((r) => r.state)).toEqual(['held', 'held']);
      expect(rows[0]!.lastError).toContain('lacks the channels:history scope');
      expect(rows[1]!.lastError).toContain('lacks the groups:history scope');
      expect(s.fake.calls.filter((c) => c.missingScope).map((c) => c.missingScope)).toEqual(['channels:history', 'groups:history']);
      expect(lines.filter((l) => l.msg.startsWith('outbox: message held')).map((l) => [l.level, l.key])).toEqual([
        [50, keys[0]],
        [50, keys[1]],
      ]);
      const r = await readyz(s);
      expect(r.body.outbox).toEqual({ held: 2 });
      // Six hours later nothing has been tried again: waiting cannot give the bot the scope.
      const calls = s.fake.calls.length;
      for (let i = 0; i < 6; i++) {
        clock.advance(3600_000);
        await s.app.runner.run('drain-outbox', clock.now());
      }
      expect(s.fake.calls.length).toBe(calls);
      expect(keys.map((k) => postsWith(s.fake, k))).toEqual([1, 1]); // the lost posts, never a second
      expect(keys.map((k) => chartsOf(s.fake, k))).toEqual([0, 0]);
    }, 30_000);

    it('tells the performance admins in /kpi people and their weekly digest: the scopes missing and the messages held', async () => {
      const priya = (await s.app.deps.repo.personByPlatformUser('slack', slackId('Priya'))) as PersonRecord;
      const answer = JSON.stringify(await s.app.dispatcher.slash({ platform: 'slack', userId: slackId('Priya'), person: priya }, 'people'));
      expect(answer).toContain('What the bot cannot do as it is set up');
      expect(answer).toContain('Slack lacks the `channels:history` scope');
      expect(answer).toContain('Slack lacks the `groups:history` scope');
      expect(answer).toContain(`2 messages are held (alert to ${PUBLIC}, queued 20 Apr 2018; alert to ${PRIVATE}, queued 20 Apr 2018)`);
      await weeklyDigest(s.app.deps, clock.now());
      const digest = await db.prisma.outboundMessage.findFirstOrThrow({ where: { purpose: 'weekly-digest', personId: priya.id } });
      expect(JSON.stringify(digest.payload)).toContain('What the bot cannot do as it is set up** (3)');
      expect(JSON.stringify(digest.payload)).toContain('lacks the channels:history scope');
      // `kpi people` asks Slack itself (auth.test) and says the same.
      const cli = await runKpi(db, ['people'], { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: s.fake.apiUrl });
      expect(cli.stdout).toContain('What the bot cannot do as it is set up:');
      expect(cli.stdout).toContain('Slack lacks the channels:history scope');
      expect(cli.stdout).toContain('2 messages are held');
    });

    it('finds the held posts and sends their charts once the scopes are added and the bot restarted', async () => {
      await s.app.stop();
      s.fake.scopes.add('channels:history');
      s.fake.scopes.add('groups:history');
      s = await startSlackApp(db, clock, ENV, log, { fake: s.fake });
      await s.app.idle(); // the scopes asked, the held messages released
      expect((await readyz(s)).body.slack.missingScopes).toEqual([]);
      await s.app.runner.run('drain-outbox', clock.now());
      const rows = await db.prisma.outboundMessage.findMany({ where: { idempotencyKey: { in: keys } }, orderBy: { id: 'asc' } });
      expect(rows.map((r) => r.state)).toEqual(['sent', 'sent']);
      expect(keys.map((k) => postsWith(s.fake, k))).toEqual([1, 1]);
      expect(keys.map((k) => chartsOf(s.fake, k))).toEqual([1, 1]);
      expect((await readyz(s)).body.outbox).toEqual({ held: 0 });
    }, 30_000);
  });
});
