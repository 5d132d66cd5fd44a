// Faults, on a real PostgreSQL of its own (so it can be shut down and restarted) and the fake Slack:
// Slack answering 500, 429 with Retry-After, or not at all; PostgreSQL restarting while the bot
// works; the process killed in the middle of a job and started again. After each: no submission
// lost, nothing posted twice, the outbox drained.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { startPgCluster, type PgCluster } from '../support/postgres-cluster.ts';
import { backends } from '../support/db.ts';
import { TestClock, withDemo } from '../support/app.ts';
import { linkDemoPeopleToSlack, slackId, startSlackApp, subscribeOnly, SIGNING_SECRET, type SlackHarness } from '../support/slack-app.ts';
import type { FakeSlack } from '../support/fake-slack.ts';
import { viewSubmission } from '../support/slack-payloads.ts';
import { retryWhileUnavailable } from '../../src/db/unavailable.ts';
import { DATABASE_UNAVAILABLE_IN_FORM } from '../../src/platforms/slack/listeners/views.ts';
import { periodFromKey } from '../../src/domain/periods.ts';
import { JobRunner } from '../../src/runner.ts';
import { silentLogger } from '../../src/log.ts';
import { submitExceptionForm } from '../../commands/exception-report.ts';
import type { Message } from '../../src/messages/types.ts';
import { runKpi } from '../support/cli.ts';
import { nodeCommand } from '../support/children.ts';

const GARETH = slackId('Gareth'); // owner of street-cleanliness
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

describe.runIf(backends('both').includes('postgres'))('faults on PostgreSQL', () => {
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
  /** A bot process of its own (the compiled build: test/support/children.ts) on this PostgreSQL and the fake Slack; `out` is all it printed. */
  function botProcess([node, script, ...args]: string[], env: Record<string, string>) {
    const child = spawn(node!, [script!, ...args], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: url,
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: s.fake.apiUrl,
        SLACK_BOT_ID: 'BBOT',
        SLACK_BOT_USER_ID: 'UBOT',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
    return { child, exited };
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
    // The day after 2017/18 Q4's values fell due: most owners have one to give.
    clock.set('2018-05-01T09:00:00Z');
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

  /** Sixty submissions nobody has made yet: a performance admin's, for quarters long past, each its own indicator and period. */
  async function freshSubmissions(n: number, years: string[]) {
    const quarterly = await db.prisma.indicator.findMany({ where: { frequency: 'quarterly', active: true }, orderBy: { id: 'asc' }, select: { slug: true, unit: true, id: true } });
    const out: { slug: string; period: string; value: string; id: number }[] = [];
    for (const y of years) {
      for (const q of ['Q1', 'Q2', 'Q3', 'Q4']) {
        for (const ind of quarterly) {
          if (out.length === n) return out;
          const period = `${y} ${q}`;
          if (await db.prisma.observation.count({ where: { indicatorId: ind.id, periodKey: period } })) continue;
          // A value the indicator has had (the same quarter's where known), so the plausibility check does not ask about it.
          const like = (await db.prisma.observation.findFirst({ where: { indicatorId: ind.id, periodKey: { endsWith: ` ${q}` } }, orderBy: { id: 'desc' } })) ?? (await db.prisma.observation.findFirst({ where: { indicatorId: ind.id }, orderBy: { id: 'desc' } }));
          if (!like) continue;
          out.push({ slug: ind.slug, period, value: String(like.value.toNumber()), id: ind.id });
        }
      }
    }
    return out;
  }

  /** Send the submissions as a burst (one every `everyMs`), with PostgreSQL stopped from `downAt` for `downMs`; then sort the answers. */
  async function burstAcrossRestart(h: SlackHarness, subs: Awaited<ReturnType<typeof freshSubmissions>>, o: { everyMs: number; downAt: number; downMs: number }) {
    const admin = await db.prisma.person.findFirstOrThrow({ where: { role: 'admin', identities: { some: { platform: 'slack' } } }, include: { identities: true } });
    const adminSlackId = admin.identities.find((i) => i.platform === 'slack')!.platformUserId;
    h.fake.reset();
    const sent: { sub: (typeof subs)[number]; responseUrl: string; text: string }[] = [];
    let down = false;
    const outage = (async () => {
      await new Promise((r) => setTimeout(r, o.downAt));
      cluster.shutdown();
      down = true;
      await new Promise((r) => setTimeout(r, o.downMs));
      cluster.restart();
      down = false;
    })();
    let sentWhileDown = 0;
    for (const sub of subs) {
      const text = `submit ${sub.slug} ${sub.period} ${sub.value}`;
      const r = await h.slash(adminSlackId, text);
      expect(r.status).toBe(200);
      if (down) sentWhileDown++;
      sent.push({ sub, responseUrl: r.responseUrl, text });
      await new Promise((r) => setTimeout(r, o.everyMs));
    }
    await outage;
    await h.app.idle();
    await reconnect();
    const tally = { saved: 0, told: 0, lost: [] as string[], sentWhileDown };
    for (const x of sent) {
      const id = x.responseUrl.split('/').at(-1);
      const answers = h.fake.calls.filter((c) => c.method === 'response_url' && c.args.responseId === id).map((c) => JSON.stringify(c.args));
      const stored = await db.prisma.observation.findMany({ where: { indicatorId: x.sub.id, periodKey: x.sub.period } });
      const confirmed = answers.some((a) => a.includes('✅ Saved'));
      const toldNotSaved = answers.some((a) => a.includes('Not saved') && a.includes(`/kpi ${x.text}`));
      if (confirmed && stored.length === 1 && stored[0]!.value.toNumber() === Number(x.sub.value) && !toldNotSaved) tally.saved++;
      else if (toldNotSaved && stored.length === 0 && !confirmed) tally.told++;
      else tally.lost.push(`${x.text}: ${stored.length} stored; answers ${answers.join(' | ').slice(0, 300) || 'none'}`);
    }
    return tally;
  }

  // Outages as short as the behaviour allows: long enough for submissions to arrive while PostgreSQL is
  // away (pg_ctl itself takes a moment each way), and in the second case longer than the bot's retry.
  it('PostgreSQL stopped for two seconds during a burst of 30 submissions: each is saved and confirmed once it is back, none lost', async () => {
    const subs = await freshSubmissions(30, ['2012/13', '2013/14']);
    expect(subs).toHaveLength(30);
    const t = await burstAcrossRestart(s, subs, { everyMs: 100, downAt: 800, downMs: 2000 });
    console.log(`database restart (30 s retry): ${t.saved} saved and confirmed, ${t.told} told not saved, ${t.lost.length} lost; ${t.sentWhileDown} sent while it was down`);
    expect(t.sentWhileDown).toBeGreaterThan(5);
    expect(t.lost).toEqual([]);
    expect(t.saved).toBe(30);
  }, 120_000);

  it('PostgreSQL down for longer than the retry: each submission is refused plainly with what was sent, or saved — never silently lost', async () => {
    const short = await startSlackApp(db, clock, { SLACK_API_TIMEOUT_MS: '1000', KPI_DATABASE_RETRY_SECONDS: '1' });
    try {
      const subs = await freshSubmissions(24, ['2010/11', '2011/12']);
      const t = await burstAcrossRestart(short, subs, { everyMs: 100, downAt: 500, downMs: 3000 });
      console.log(`database restart (1 s retry): ${t.saved} saved and confirmed, ${t.told} told not saved, ${t.lost.length} lost; ${t.sentWhileDown} sent while it was down`);
      expect(t.lost).toEqual([]);
      expect(t.told).toBeGreaterThan(0);
      expect(t.saved + t.told).toBe(24);
      expect(t.saved).toBeGreaterThan(0);
    } finally {
      await short.stop();
    }
  }, 120_000);

  /** After a restart the pool's old connections are dead: let each fail once and be replaced. */
  async function reconnect() {
    for (let i = 0; i < 12; i++) await retryWhileUnavailable(() => db.prisma.$queryRaw`SELECT 1`, { budgetMs: 20_000 });
  }
  const modalSubmit = async (sub: { id: number; period: string; value: string }) => {
    const admin = 'UPRIYA'; // the performance admin
    return s.interact(viewSubmission(admin, 'submit', { indicator: { v: { type: 'external_select', selected_option: { value: String(sub.id) } } }, period: { v: { type: 'plain_text_input', value: sub.period } }, value: { v: { type: 'plain_text_input', value: sub.value } } }, '{}'));
  };

  it('PostgreSQL down: a modal submission is answered in time with an error on the form, never closed as if saved', async () => {
    const [sub] = await freshSubmissions(1, ['2009/10']);
    cluster.shutdown();
    let ack;
    try {
      ack = await modalSubmit(sub!);
    } finally {
      cluster.restart();
      await reconnect();
    }
    expect(ack.status).toBe(200);
    expect(ack.ms).toBeLessThan(3000);
    expect(ack.json).toEqual({ response_action: 'errors', errors: { indicator: DATABASE_UNAVAILABLE_IN_FORM } });
    expect(await db.prisma.observation.count({ where: { indicatorId: sub!.id, periodKey: sub!.period } })).toBe(0);
  }, 60_000);

  it('PostgreSQL slow (a table locked for 4 s): the modal says it is saving at once, then shows the answer', async () => {
    const [sub] = await freshSubmissions(1, ['2008/09']);
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE observation IN ACCESS EXCLUSIVE MODE');
    const release = setTimeout(() => void blocker.query('COMMIT'), 4000);
    try {
      const ack = await modalSubmit(sub!);
      expect(ack.ms).toBeLessThan(3000);
      expect((ack.json as { response_action: string }).response_action).toBe('update');
      expect(JSON.stringify(ack.json)).toContain('Saving');
      const update = await s.fake.waitFor('views.update', () => true, 30_000);
      expect(JSON.stringify(update.args)).toContain('✅ Saved');
      expect(await db.prisma.observation.count({ where: { indicatorId: sub!.id, periodKey: sub!.period } })).toBe(1);
    } finally {
      clearTimeout(release);
      await blocker.query('COMMIT').catch(() => {});
      await blocker.end();
    }
  }, 60_000);

  it('PostgreSQL restarting while an alert is being posted: the alert is recorded as sent and never posted again', async () => {
    clock.set('2018-04-23T09:15:00Z');
    await s.slash(GARETH, 'submit street-cleanliness 2017/18 Q4 78');
    await s.app.idle();
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

  describe('three bot processes on one PostgreSQL, Slack failing at random', () => {
    const REPLICA_CHANNEL = 'C0REPLICA';
    const Q4 = '2017/18 Q4';

    /** A theme of its own with six officers' indicators subscribed to a channel, and two more with nothing in yet. */
    async function replicaTheme() {
      const people = await db.prisma.person.findMany({ where: { identities: { some: { platform: 'slack' } } }, orderBy: { id: 'asc' } });
      const director = people.find((p) => p.role === 'director') ?? people[0]!;
      const officers = people.filter((p) => p.role === 'officer').slice(0, 8);
      const theme = await db.prisma.theme.create({ data: { name: 'Replica services', slug: 'replica-services', directorId: director.id } });
      await db.prisma.channelSubscription.create({ data: { platform: 'slack', channelId: REPLICA_CHANNEL, themeId: theme.id, scope: `theme:${theme.id}` } });
      const slugs: string[] = [];
      for (let i = 0; i < 8; i++) {
        const ind = await db.prisma.indicator.create({
          data: { slug: `replica-${i}`, name: `Replica service ${i}`, polarity: 'lower', frequency: 'quarterly', unit: '%', themeId: theme.id, ownerId: officers[i % officers.length]!.id, reportingLagDays: 30 },
        });
        const p = periodFromKey(Q4);
        await db.prisma.target.create({ data: { indicatorId: ind.id, periodKey: Q4, periodStart: new Date(p.start), periodEnd: new Date(p.end), value: 50, amberFloor: 55 } });
        slugs.push(ind.slug);
      }
      return { slugs, officers };
    }

    async function saveValue(slug: string, value: number, at: Date) {
      const repo = s.app.deps.repo;
      const ind = (await repo.indicatorBySlug(slug))!;
      const current = (await repo.observationVersions(ind.id, Q4))[0];
      const p = periodFromKey(Q4);
      await repo.saveObservation({ indicatorId: ind.id, periodKey: Q4, periodStart: p.start, periodEnd: p.end, value, estimated: false, provisional: false, note: null, source: 'test', submittedById: ind.ownerId, submittedByLabel: 'test', submittedAt: at, replacesVersion: current?.version ?? null });
    }

    it('posts every message exactly once, for every purpose', async () => {
      const { slugs } = await replicaTheme();
      const mark = await outboxMark(db);
      // Queue everything first (a runner that sends nothing), then let three processes send it.
      const queueOnly = new JobRunner(db.prisma, s.app.deps, null, silentLogger);
      const at = (iso: string) => new Date(iso);
      for (const slug of slugs.slice(0, 6)) await saveValue(slug, 40, at('2018-04-30T06:00:00Z'));
      expect((await queueOnly.run('evaluate-statuses', at('2018-04-30T06:30:00Z'))).outcome).toBe('ok'); // green: recorded, not alerted
      for (const slug of slugs.slice(0, 6)) await saveValue(slug, 80, at('2018-04-30T06:40:00Z'));
      expect((await queueOnly.run('evaluate-statuses', at('2018-04-30T07:00:00Z'))).outcome).toBe('ok'); // red: one alert each
      for (const slug of slugs.slice(0, 3)) await saveValue(slug, 53, at('2018-04-30T07:10:00Z'));
      expect((await queueOnly.run('evaluate-statuses', at('2018-04-30T07:30:00Z'))).outcome).toBe('ok'); // amber: the alert edited, a reply in its thread
      expect((await queueOnly.run('weekly-digest', at('2018-04-30T08:00:00Z'))).outcome).toBe('ok');
      expect((await queueOnly.run('chase-data', at('2018-04-30T09:00:00Z'))).outcome).toBe('ok');
      expect((await queueOnly.run('chase-exceptions', at('2018-04-30T09:30:00Z'))).outcome).toBe('ok');
      const deps = { ...s.app.deps, clock: { now: () => at('2018-04-30T09:40:00Z') } };
      for (const slug of slugs.slice(3, 5)) {
        const ind = (await deps.repo.indicatorBySlug(slug))!;
        const owner = (await deps.repo.person(ind.ownerId!))!;
        const answers = { q0: 'Agency staff left in March.', q1: 'Waiting times rose by a week.', q2: 'Two posts are being recruited now.' };
        const r = await submitExceptionForm(deps, { platform: 'slack', userId: owner.identities.slack!, person: owner }, JSON.stringify({ indicatorId: ind.id, periodKey: Q4 }), answers);
        expect(r.kind).toBe('form-done');
      }
      const queued = await db.prisma.outboundMessage.findMany({ where: { id: { gt: mark } }, select: { purpose: true } });
      const purposes = new Set(queued.map((q) => q.purpose));
      for (const p of ['alert', 'alert-update', 'alert-reply', 'weekly-digest', 'chase-data', 'chase-exceptions', 'exception-review']) expect(purposes, p).toContain(p);

      // Slack answers a quarter of the calls with a 429 or a 500, and one in seven slowly — longer than a claim lasts.
      s.fake.reset();
      s.fake.setChaos({ seed: 16, methods: ['chat.postMessage', 'chat.update', 'files.getUploadURLExternal', 'files.completeUploadExternal'], ratelimit: 0.15, http500: 0.1, slow: 0.15, retryAfterSeconds: 1, slowMs: [1000, 4500] });
      const replicas = [1, 2, 3].map(() => replica());
      const outs = await Promise.all(replicas.map((r) => r.exited));
      for (const o of outs) expect(o.code, o.out).toBe(0);
      const summaries = outs.map((o) => JSON.parse(o.out.trim().split('\n').at(-1)!) as Record<string, number>);
      const faulted = s.fake.calls.filter((c) => c.faulted).length;
      const counts = await visiblePerRow(mark);
      console.log(`three replicas: ${queued.length} messages (${[...purposes].join(', ')}); ${faulted} faulted calls; sent by replica ${summaries.map((r) => r.sent ?? 0).join('/')}; visible posts per message: ${JSON.stringify(counts.histogram)}`);
      expect(await db.prisma.outboundMessage.count({ where: { id: { gt: mark }, state: { not: 'sent' } } })).toBe(0);
      expect(faulted).toBeGreaterThan(10);
      expect(summaries.filter((r) => (r.sent ?? 0) > 0).length).toBeGreaterThan(1); // they really shared the work
      expect(counts.wrong).toEqual([]);
      expect(counts.histogram).toEqual({ 1: queued.length });
    }, 240_000);

    /** One bot process draining the outbox (test/support/outbox-replica.ts), with claims short enough to expire during a slow call unless renewed. */
    function replica() {
      return botProcess(nodeCommand('outbox-replica'), {
        SLACK_API_TIMEOUT_MS: '8000',
        KPI_OUTBOX_CLAIM_SECONDS: '3',
        KPI_REPLICA_BASE: '2018-04-30T09:45:00Z',
        KPI_REPLICA_SPEED: '60',
        KPI_REPLICA_SECONDS: '150',
        LOG_LEVEL: 'error',
      });
    }

    /**
     * What people see per outbox message: a post (found by the key in its metadata), an edit of its
     * parent (with its chart redrawn in the parent's thread), and each chart or file shared where the message went. Histogram of visible posts per
     * message, and every message whose charts or edits are not there exactly once.
     */
    async function visiblePerRow(mark: number) {
      const rows = await db.prisma.outboundMessage.findMany({ where: { id: { gt: mark } }, include: { parent: true } });
      const histogram: Record<number, number> = {};
      const wrong: string[] = [];
      const files = new Map<string, number>();
      for (const f of s.fake.sharedFiles) files.set(`${f.channel}|${f.thread_ts ?? ''}|${f.title}`, (files.get(`${f.channel}|${f.thread_ts ?? ''}|${f.title}`) ?? 0) + 1);
      const expectedFiles = new Map<string, number>();
      for (const row of rows) {
        let n: number;
        if (row.action === 'update') {
          n = s.fake.callsTo('chat.update').filter((c) => c.args.ts === row.parent!.messageId).length;
          // An edit's charts are redrawn into its post's thread (and shown in the edited post).
          for (const b of (row.payload as unknown as Message).blocks) {
            if (b.type !== 'chart') continue;
            const k = `${row.parent!.postedChannel}|${row.parent!.messageId}|${b.title!}`;
            expectedFiles.set(k, (expectedFiles.get(k) ?? 0) + 1);
          }
        } else {
          n = s.fake.allMessages().filter((m) => m.metadata?.event_payload.key === row.idempotencyKey).length;
          const thread = row.action === 'reply' ? row.parent!.messageId! : '';
          for (const b of (row.payload as unknown as Message).blocks) {
            if (b.type !== 'chart' && b.type !== 'file') continue;
            const title = b.type === 'chart' ? b.title! : b.file.title;
            const k = `${row.postedChannel}|${thread}|${title}`;
            expectedFiles.set(k, (expectedFiles.get(k) ?? 0) + 1);
          }
        }
        histogram[n] = (histogram[n] ?? 0) + 1;
        if (n !== 1) wrong.push(`${row.idempotencyKey}: ${n} visible`);
      }
      for (const [k, want] of expectedFiles) if ((files.get(k) ?? 0) !== want) wrong.push(`${k}: ${files.get(k) ?? 0} files shared, expected ${want}`);
      return { histogram, wrong };
    }
  });

  describe('the process killed during a job', () => {
    /** The dead process's claim on what it was sending; ageing it in the database stands for waiting it out. */
    const CLAIM_SECONDS = 60;
    const env = { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_ID: 'BBOT', SLACK_BOT_USER_ID: 'UBOT', SLACK_API_TIMEOUT_MS: '60000', KPI_OUTBOX_CLAIM_SECONDS: String(CLAIM_SECONDS), LOG_LEVEL: 'silent' };
    /** The killed process is a process of its own; the ones started after it run the same CLI in this one (a new job runner and outbox sender each, as a new process has). */
    const killable = (args: string[]) => botProcess([...nodeCommand('kpi'), ...args], { ...env, KPI_SCHEDULER: 'off' });
    const kpi = async (args: string[]) => {
      const r = await runKpi(db, args, { ...env, SLACK_API_URL: s.fake.apiUrl });
      return { code: r.code, out: r.stdout + r.stderr };
    };

    it('loses nothing and posts nothing twice when started again', async () => {
      // A new red: highway inspections for 2017/18 Q4, far under its target.
      await setTarget('highway-inspections', '2017/18 Q4', 95, 85.5);
      await s.slash(GARETH, 'submit highway-inspections 2017/18 Q4 60');
      await s.app.idle();
      s.fake.reset();
      const mark = await outboxMark(db);

      // Slack never answers the alert; the process is killed while it waits.
      s.fake.failNext('chat.postMessage', { kind: 'timeout', ms: 20_000 });
      const t0 = new Date('2018-04-23T10:00:00Z');
      const first = killable(['job', 'evaluate-statuses', '--now', t0.toISOString()]);
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

      const killedAt = Date.now();
      // Started again within the claim (by the database's clock): the message the dead process was sending waits its turn.
      const early = await kpi(['job', 'drain-outbox', '--now', new Date(t0.getTime() + MINUTE).toISOString()]);
      expect(Date.now() - killedAt).toBeLessThan(CLAIM_SECONDS * 1000);
      expect(early.code, early.out).toBe(0);
      expect(s.fake.callsTo('chat.postMessage')).toHaveLength(0);
      // After the claim expires it goes out, once. The claim is by the database's clock: it is moved back
      // by its length (and a second) instead of the test waiting a minute.
      const aged = await db.prisma.$executeRaw`UPDATE outbound_message SET claimed_until = claimed_until - make_interval(secs => ${CLAIM_SECONDS + 1}) WHERE id = ${alert.id} AND claimed_until IS NOT NULL`;
      expect(aged).toBe(1);
      const later = await kpi(['job', 'drain-outbox', '--now', new Date(t0.getTime() + 3 * MINUTE).toISOString()]);
      expect(later.code, later.out).toBe(0);
      expect(s.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL)).toHaveLength(1);

      // The dead process's lease keeps the job to itself for 15 minutes, then the job runs again and
      // finds nothing new to say.
      const blocked = await kpi(['job', 'evaluate-statuses', '--now', new Date(t0.getTime() + 5 * MINUTE).toISOString()]);
      expect(blocked.code, blocked.out).not.toBe(0);
      expect(blocked.out).toContain('another process is running it');
      const again = await kpi(['job', 'evaluate-statuses', '--now', new Date(t0.getTime() + 16 * MINUTE).toISOString()]);
      expect(again.code, again.out).toBe(0);
      expect(s.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL)).toHaveLength(1);
      expect(await changes()).toBe(1);
      // The submission made before the kill is there, once.
      expect(await db.prisma.observation.count({ where: { periodKey: '2017/18 Q4', indicator: { slug: 'highway-inspections' } } })).toBe(1);
      await expectDrainedOnce(db, s.fake, mark);
    }, 120_000);
  });
});
