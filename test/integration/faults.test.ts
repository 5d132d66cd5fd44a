// Faults, on a real PostgreSQL of its own (so it can be shut down and restarted) and the fake Slack:
// Slack answering 500, 429 with Retry-After, or not at all; PostgreSQL restarting while the bot
// works; the process killed in the middle of a job and started again. After each: no submission
// lost, nothing posted twice, the outbox drained.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { startPgCluster, type PgCluster } from '../support/postgres-cluster.ts';
import { backends } from '../support/db.ts';
import { TestClock, withDemo } from '../support/app.ts';
import { linkDemoPeopleToSlack, slackId, startSlackApp, subscribeOnly, SIGNING_SECRET, type SlackHarness } from '../support/slack-app.ts';
import type { FakeSlack } from '../support/fake-slack.ts';
import { periodFromKey } from '../../src/domain/periods.ts';

const GARETH = slackId('Gareth'); // owner of street-cleanliness
const LUCY = slackId('Lucy'); // owner of sickness-absence
const CHANNEL = 'C0PERF';
const MINUTE = 60_000;

/** The last outbox row so far: expectDrainedOnce looks at what was queued after it. */
async function outboxMark(db: Database): Promise<number> {
  return (await db.prisma.outboundMessage.aggregate({ _max: { id: true } }))._max.id ?? 0;
}

/** Every message queued after `mark` was sent, and Slack saw each exactly once (one successful call per message). */
async function expectDrainedOnce(db: Database, fake: FakeSlack, mark: number) {
  const messages = await db.prisma.outboundMessage.findMany({ where: { id: { gt: mark } }, select: { idempotencyKey: true, state: true, action: true, lastError: true } });
  expect(messages.length).toBeGreaterThan(0);
  expect(messages.filter((m) => m.state !== 'sent')).toEqual([]);
  const posts = messages.filter((m) => m.action !== 'update').length;
  expect(fake.callsTo('chat.postMessage')).toHaveLength(posts);
  expect(fake.callsTo('chat.update')).toHaveLength(messages.length - posts);
}

describe.runIf(backends().includes('postgres'))('faults on PostgreSQL', () => {
  let cluster: PgCluster;
  let db: Database;
  let url: string;
  let s: SlackHarness;
  const clock = new TestClock(new Date('2018-04-20T08:00:00Z'));

  const run = (job: Parameters<SlackHarness['app']['runner']['run']>[0]) => s.app.runner.run(job, clock.now());
  /** Drain, moving the clock on, until nothing is waiting (at most `rounds` times). */
  async function drainAll(rounds = 12) {
    for (let i = 0; i < rounds; i++) {
      await run('drain-outbox');
      if (!(await db.prisma.outboundMessage.count({ where: { state: 'pending' } }))) return;
      clock.advance(10 * MINUTE);
    }
  }
  async function setTarget(slug: string, periodKey: string, value: number, amberFloor: number) {
    const ind = await db.prisma.indicator.findUniqueOrThrow({ where: { slug } });
    const p = periodFromKey(periodKey);
    await db.prisma.target.upsert({
      where: { indicatorId_periodKey: { indicatorId: ind.id, periodKey } },
      create: { indicatorId: ind.id, periodKey, periodStart: new Date(p.start), periodEnd: new Date(p.end), value, amberFloor },
      update: { value, amberFloor },
    });
  }

  beforeAll(async () => {
    cluster = await startPgCluster();
    const admin = new pg.Client({ connectionString: cluster.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE kpi_faults');
    await admin.end();
    url = cluster.url('kpi_faults');
    db = await openDatabase({ kind: 'postgres', url }, { migrations: 'apply' });
    await withDemo(db);
    await linkDemoPeopleToSlack(db);
    await subscribeOnly(db, CHANNEL, 'street-cleanliness');
    await setTarget('street-cleanliness', '2017/18 Q4', 85, 82);
    s = await startSlackApp(db, clock, { SLACK_API_TIMEOUT_MS: '1000' });
    // The baseline run: records where everything stands, alerts nothing.
    await run('evaluate-statuses');
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
    await db?.close();
    cluster?.stop();
  });
  beforeEach(() => s.fake.reset());

  it('Slack answering 500, 429 with Retry-After and not at all: every chase goes out once', async () => {
    s.fake.failNext('chat.postMessage', { kind: 'ratelimit', retryAfterSeconds: 1 });
    s.fake.failNext('chat.postMessage', { kind: 'timeout', ms: 3000 });
    s.fake.failNext('chat.postMessage', { kind: 'http', status: 500 }, 4);
    clock.set('2018-04-23T09:00:00Z');
    const mark = await outboxMark(db);
    const r = await run('chase-data');
    expect(r.outcome).toBe('ok');
    await drainAll();
    const faulted = s.fake.calls.filter((c) => c.faulted).length;
    expect(faulted).toBe(6);
    await expectDrainedOnce(db, s.fake, mark);
    expect(s.fake.callsTo('chat.postMessage').length).toBeGreaterThan(3);
    // Running the job again the same day sends nothing more.
    s.fake.reset();
    await run('chase-data');
    expect(s.fake.callsTo('chat.postMessage')).toHaveLength(0);
  }, 60_000);

  it('PostgreSQL down: a submission is refused with an apology and nothing half-saved; once it is back the same submission saves once', async () => {
    const submit = 'submit sickness-absence 2017/18 Q4 9.1 est';
    cluster.shutdown();
    try {
      await s.slash(LUCY, submit);
      const sorry = await s.fake.waitFor('response_url', () => true, 10_000);
      expect(JSON.stringify(sorry.args)).toContain('Sorry, something went wrong on our side');
    } finally {
      cluster.restart();
    }
    const saved = () => db.prisma.observation.findMany({ where: { periodKey: '2017/18 Q4', indicator: { slug: 'sickness-absence' } } });
    expect(await saved()).toEqual([]);
    s.fake.reset();
    await s.slash(LUCY, submit);
    expect(JSON.stringify((await s.fake.waitFor('response_url', () => true, 10_000)).args)).toContain('Saved *9.1 days* (estimated)');
    expect((await saved()).map((v) => v.value.toNumber())).toEqual([9.1]);
  }, 60_000);

  it('PostgreSQL restarting while an alert is being posted: the alert is recorded as sent and never posted again', async () => {
    clock.set('2018-04-23T09:15:00Z');
    await s.slash(GARETH, 'submit street-cleanliness 2017/18 Q4 78');
    await s.app.slack!.background.idle();
    s.fake.reset();
    const mark = await outboxMark(db);
    // Slack takes a while to answer the alert; PostgreSQL goes away meanwhile and comes back.
    s.fake.failNext('chat.postMessage', { kind: 'slow', ms: 700 });
    const job = run('evaluate-statuses');
    await s.fake.waitFor('chat.postMessage', () => true, 10_000);
    cluster.shutdown();
    await new Promise((r) => setTimeout(r, 300));
    cluster.restart();
    const r = await job;
    // Either the run finished (recording retried across the restart) or it failed part-way and a
    // later run finishes it: what counts is what Slack saw.
    if (r.outcome !== 'ok') {
      clock.advance(15 * MINUTE);
      expect((await run('evaluate-statuses')).outcome).toBe('ok');
    }
    clock.advance(5 * MINUTE);
    await drainAll();
    const alerts = s.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL);
    expect(alerts).toHaveLength(1);
    expect(JSON.stringify(alerts[0]!.args)).toContain('street-cleanliness');
    await expectDrainedOnce(db, s.fake, mark);
    expect(await db.prisma.statusChange.count({ where: { indicator: { slug: 'street-cleanliness' }, periodKey: '2017/18 Q4' } })).toBe(1);
  }, 60_000);

  describe('the process killed during a job', () => {
    const kpi = (args: string[], env: Record<string, string> = {}) => {
      const child = spawn(path.resolve('node_modules/.bin/tsx'), ['src/cli/kpi.ts', ...args], {
        env: {
          PATH: process.env.PATH,
          DATABASE_URL: url,
          SLACK_BOT_TOKEN: 'xoxb-test-token',
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: s.fake.apiUrl,
          SLACK_BOT_ID: 'BBOT',
          SLACK_BOT_USER_ID: 'UBOT',
          SLACK_API_TIMEOUT_MS: '60000',
          KPI_SCHEDULER: 'off',
          LOG_LEVEL: 'silent',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
      return { child, exited };
    };

    it('loses nothing and posts nothing twice when started again', async () => {
      // A new red: highway inspections for 2017/18 Q4, far under its target.
      await setTarget('highway-inspections', '2017/18 Q4', 95, 85.5);
      await s.slash(GARETH, 'submit highway-inspections 2017/18 Q4 60');
      await s.app.slack!.background.idle();
      s.fake.reset();
      const mark = await outboxMark(db);

      // Slack never answers the alert; the process is killed while it waits.
      s.fake.failNext('chat.postMessage', { kind: 'timeout', ms: 20_000 });
      const t0 = new Date('2018-04-23T10:00:00Z');
      const first = kpi(['job', 'evaluate-statuses', '--now', t0.toISOString()]);
      await s.fake.waitForAttempt('chat.postMessage', 30_000).catch(async (e) => {
        first.child.kill('SIGKILL');
        throw new Error(`${(e as Error).message}\n${(await first.exited).out}\n${JSON.stringify(s.fake.calls)}`);
      });
      first.child.kill('SIGKILL');
      expect((await first.exited).code).toBe(null);
      const changes = () => db.prisma.statusChange.count({ where: { indicator: { slug: 'highway-inspections' }, periodKey: '2017/18 Q4' } });
      expect(await changes()).toBe(1);
      const alert = await db.prisma.outboundMessage.findFirstOrThrow({ where: { purpose: 'alert', state: 'pending' } });
      expect(alert.state).toBe('pending');

      // Started again within the claim: the message the dead process was sending waits its turn.
      const early = await kpi(['job', 'drain-outbox', '--now', new Date(t0.getTime() + MINUTE).toISOString()]).exited;
      expect(early.code, early.out).toBe(0);
      expect(s.fake.callsTo('chat.postMessage')).toHaveLength(0);
      // After the claim expires it goes out, once.
      const later = await kpi(['job', 'drain-outbox', '--now', new Date(t0.getTime() + 3 * MINUTE).toISOString()]).exited;
      expect(later.code, later.out).toBe(0);
      expect(s.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL)).toHaveLength(1);

      // The dead process's lease keeps the job to itself for 15 minutes, then the job runs again and
      // finds nothing new to say.
      const blocked = await kpi(['job', 'evaluate-statuses', '--now', new Date(t0.getTime() + 5 * MINUTE).toISOString()]).exited;
      expect(blocked.code).not.toBe(0);
      expect(blocked.out).toContain('another process is running it');
      const again = await kpi(['job', 'evaluate-statuses', '--now', new Date(t0.getTime() + 16 * MINUTE).toISOString()]).exited;
      expect(again.code, again.out).toBe(0);
      expect(s.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL)).toHaveLength(1);
      expect(await changes()).toBe(1);
      // The submission made before the kill is there, once.
      expect(await db.prisma.observation.count({ where: { periodKey: '2017/18 Q4', indicator: { slug: 'highway-inspections' } } })).toBe(1);
      await expectDrainedOnce(db, s.fake, mark);
    }, 120_000);
  });
});
