// SIGTERM under load: a bot process (the build, as `npm start` runs it) on PostgreSQL and the fake
// Slack is sent a burst of submissions while its outbox is sending slowly, and is told to stop after
// the first acknowledgements. It must stop taking requests, finish every submission it acknowledged,
// stop sending after the message in hand (what it claimed and did not send goes back at once) and
// exit 0 within its grace period. Then every acknowledged submission is saved, and the next process
// delivers every queued message — each exactly once.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { createServices } from '../../src/wiring.ts';
import { silentLogger } from '../../src/log.ts';
import { systemClock } from '../../src/ports.ts';
import { PrismaRepository } from '../../src/repo/prisma-repository.ts';
import { plausibilityOf } from '../../src/services/plausibility.ts';
import { periodFromKey } from '../../src/domain/periods.ts';
import { freePort, startPgCluster, type PgCluster } from '../support/postgres-cluster.ts';
import { backends } from '../support/db.ts';
import { TestClock, withDemo } from '../support/app.ts';
import { FakeSlack } from '../support/fake-slack.ts';
import { nodeCommand } from '../support/children.ts';
import { signSlackRequest, slashCommandBody } from '../support/slack-signing.ts';
import { linkDemoPeopleToSlack, slackId, SIGNING_SECRET, startSlackApp, subscribeOnly } from '../support/slack-app.ts';

const PERIOD = '2017/18 Q3';
const QUEUED = 10;
const GRACE_SECONDS = 20;
/** The demo runs on its own date (15 January 2018): the messages were queued the day before. */
const QUEUED_AT = new Date('2018-01-14T09:00:00Z');
const NEXT_DAY = new Date('2018-01-16T09:00:00Z');

describe.runIf(backends('both').includes('postgres'))('SIGTERM under load', () => {
  let cluster: PgCluster;
  let db: Database;
  let url: string;
  let fake: FakeSlack;
  /** The submissions to send: an owner, their quarterly indicator and the value it had (so nothing asks first). */
  let submissions: { user: string; slug: string; value: string }[] = [];

  beforeAll(async () => {
    cluster = await startPgCluster();
    const admin = new pg.Client({ connectionString: cluster.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE kpi_sigterm');
    await admin.end();
    url = cluster.url('kpi_sigterm');
    db = await openDatabase({ kind: 'postgres', url }, { migrations: 'apply' });
    await withDemo(db);
    await linkDemoPeopleToSlack(db);
    await subscribeOnly(db, 'C0PERF', 'street-cleanliness');
    // Every quarterly indicator's Q3 value is taken out, to be submitted again by its owner — each one its
    // target (or its own values) alone shows plausible. With three quarters of history a value is compared with
    // what else is known (src/services/plausibility.ts), similar indicators' latest values among them, which the
    // burst is changing in an order of its own: a value only they could vouch for might be asked about first.
    const q3 = await db.prisma.observation.findMany({
      where: { periodKey: PERIOD, latest: true, indicator: { frequency: 'quarterly', ownerId: { not: null } } },
      include: { indicator: { include: { owner: true } } },
    });
    const repo = new PrismaRepository(db.prisma);
    const org = await repo.org();
    const withoutSimilar = { indicators: async () => [], recentHistories: repo.recentHistories.bind(repo) };
    const taken: typeof q3 = [];
    for (const o of q3) {
      const ind = (await repo.indicator(o.indicatorId))!;
      const h = await repo.history(ind.id);
      const before = { ...h, observations: h.observations.filter((x) => x.periodKey !== PERIOD) };
      const judged = await plausibilityOf(withoutSimilar, ind, before, periodFromKey(PERIOD, org.fyStartMonth), Number(o.value), org);
      // Vouched for without them (not merely left unchecked, which they might then change into a question).
      if (judged.verdict.kind === 'plausible') taken.push(o);
    }
    submissions = taken.map((o) => ({ user: slackId(o.indicator.owner!.displayName.split(' ')[0]!), slug: o.indicator.slug, value: o.value.toString() }));
    await db.prisma.observation.deleteMany({ where: { id: { in: taken.map((o) => o.id) } } });
    // Messages already queued for the channel, which the process is sending when it is told to stop.
    const { deps } = createServices({ prisma: db.prisma, clock: systemClock, log: silentLogger, platforms: [] });
    for (let i = 1; i <= QUEUED; i++) {
      await deps.outbox.enqueue({ key: `sigterm-test:${i}`, purpose: 'test', to: { kind: 'channel', platform: 'slack', channelId: 'C0PERF' }, message: { text: `Queued message ${i}`, blocks: [] } }, QUEUED_AT);
    }
    fake = await FakeSlack.start();
  }, 60_000);
  afterAll(async () => {
    await fake?.stop();
    await db?.close();
    cluster?.stop();
  });

  it('saves every acknowledged submission, exits 0, and leaves nothing queued undelivered', async () => {
    expect(submissions.length).toBeGreaterThanOrEqual(8);
    // Each post takes 0.7 s: at the signal the outbox is part-way through its queue.
    fake.failNext('chat.postMessage', { kind: 'slow', ms: 700 }, 1000);
    const port = await freePort();
    const [node, main] = nodeCommand('main');
    const child = spawn(node, [main], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: url,
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        SLACK_BOT_ID: 'BBOT',
        SLACK_BOT_USER_ID: 'UBOT',
        PORT: String(port),
        KPI_DEMO: 'off',
        KPI_CRON_DRAIN_OUTBOX: '* * * * * *',
        KPI_SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Up, and sending: the first queued message has reached Slack.
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 200) throw new Error(`the bot did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await fake.waitForAttempt('chat.postMessage', 20_000);

    // The burst: every submission at once; the signal after the first acknowledgement.
    let signalled: number | null = null;
    const sends = submissions.map(async (s, i) => {
      const body = slashCommandBody({ text: `submit ${s.slug} ${PERIOD} ${s.value}`, user_id: s.user, response_url: fake.responseUrl(`sigterm-${i}`) });
      try {
        const res = await fetch(`${base}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000)) }, body });
        await res.text();
        if (res.status === 200 && signalled === null) {
          signalled = performance.now();
          child.kill('SIGTERM');
        }
        return { ...s, status: res.status };
      } catch {
        return { ...s, status: 0 }; // the connection was refused or closed: not acknowledged
      }
    });
    const answered = await Promise.all(sends);
    const code = await exited;
    const stoppedMs = performance.now() - (signalled ?? performance.now());
    expect(code, out).toBe(0);
    expect(stoppedMs).toBeLessThan(GRACE_SECONDS * 1000);
    expect(out).toContain('stopped: acknowledged work and running jobs finished');

    // Every acknowledged submission is saved (a refused one may be, or not: the person is told to try again).
    const acknowledged = answered.filter((a) => a.status === 200);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(answered.every((a) => [0, 200, 503].includes(a.status))).toBe(true);
    const saved = await db.prisma.observation.findMany({ where: { periodKey: PERIOD, latest: true, indicator: { slug: { in: acknowledged.map((a) => a.slug) } } }, include: { indicator: true } });
    // Said in full when one is missing: what its person was told (through its response_url) and the bot's log.
    const lost = acknowledged.filter((a) => !saved.some((o) => o.indicator.slug === a.slug));
    const told = (slug: string) => fake.callsTo('response_url').filter((c) => String(c.args.responseId) === `sigterm-${answered.findIndex((a) => a.slug === slug)}`).map((c) => JSON.stringify(c.args).slice(0, 400));
    expect(lost.map((a) => ({ slug: a.slug, told: told(a.slug) })), `acknowledged but not saved; the bot's log:\n${out.slice(-6000)}`).toEqual([]);
    expect(saved.map((o) => o.indicator.slug).sort()).toEqual(acknowledged.map((a) => a.slug).sort());
    for (const o of saved) expect(o.value.toString()).toBe(acknowledged.find((a) => a.slug === o.indicator.slug)!.value);
    // …and each was answered (the reply follows the acknowledgement, through its response_url).
    const replied = new Set(fake.callsTo('response_url').map((c) => String(c.args.responseId)));
    for (let i = 0; i < answered.length; i++) if (answered[i]!.status === 200) expect(replied.has(`sigterm-${i}`), `reply to ${answered[i]!.slug}`).toBe(true);

    // Nothing is left claimed: what was not sent is pending, free for the next process at once.
    const rows = await db.prisma.outboundMessage.findMany({ where: { purpose: 'test' } });
    expect(rows.filter((r) => r.state === 'pending' && r.claimToken !== null)).toEqual([]);
    expect(rows.filter((r) => r.state !== 'pending' && r.state !== 'sent')).toEqual([]);
    const sentBefore = rows.filter((r) => r.state === 'sent').length;
    expect(sentBefore).toBeGreaterThan(0);
    expect(sentBefore).toBeLessThan(QUEUED);

    // The next process delivers the rest: every queued message in Slack exactly once.
    const next = await startSlackApp(db, new TestClock(NEXT_DAY), {}, silentLogger, { fake });
    try {
      await next.app.runner.run('drain-outbox', NEXT_DAY);
    } finally {
      await next.app.stop();
    }
    expect(await db.prisma.outboundMessage.count({ where: { purpose: 'test', state: { not: 'sent' } } })).toBe(0);
    const posted = fake.allMessages().filter((m) => /^Queued message \d+$/.test(m.text));
    expect(posted.map((m) => m.text).sort()).toEqual(Array.from({ length: QUEUED }, (_, i) => `Queued message ${i + 1}`).sort());
    console.log(`SIGTERM under load: ${acknowledged.length}/${answered.length} submissions acknowledged, all saved; ${sentBefore}/${QUEUED} queued messages sent before the exit, the rest by the next process; stopped ${Math.round(stoppedMs)} ms after the signal`);
  }, 90_000);
});
