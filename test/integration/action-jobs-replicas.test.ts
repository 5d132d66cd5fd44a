// chase-actions and alert-actions run by three bot processes at the same moment on one PostgreSQL (each
// calling the job itself, not claiming its scheduled time first — as when `kpi job` is run by hand while
// the scheduler runs it), then all three draining the outbox to the fake Slack with Slack failing at
// random: each owner's chase is queued and delivered exactly once (the risk reviews fallen due riding in
// it, and the quarter's commentary owed by each theme's director and the performance team), each
// reminder recorded once, each action's change recorded once and each channel alert posted exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestClock, withDemo } from '../support/app.ts';
import { linkDemoPeopleToSlack, SIGNING_SECRET, startSlackApp, type SlackHarness } from '../support/slack-app.ts';
import { nodeCommand } from '../support/children.ts';
import { alertActions } from '../../jobs/alert-actions.ts';

const ALL = 'C0ACTIONS';
const HOUSING = 'C0HOUSING';
const BASELINE = new Date('2018-01-15T10:00:00Z');
// 2017/18 Q4's progress fell due on the tenth working day after 31 March; its milestones due then are
// overdue; and its commentary, due with its values (30 April), is owed by every theme and the whole report.
const RUN_AT = '2018-05-01T10:00:00Z';

describe.runIf(backends('both').includes('postgres'))('three processes running the action jobs at once on PostgreSQL', () => {
  let db: TestDatabase;
  let s: SlackHarness;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    await withDemo(db);
    await linkDemoPeopleToSlack(db);
    const housing = await db.prisma.theme.findUniqueOrThrow({ where: { slug: 'housing-growth' } });
    await db.prisma.channelSubscription.deleteMany();
    await db.prisma.channelSubscription.create({ data: { platform: 'slack', channelId: ALL, events: ['actions'], scope: 'all' } });
    await db.prisma.channelSubscription.create({ data: { platform: 'slack', channelId: HOUSING, themeId: housing.id, events: ['red', 'actions'], scope: `theme:${housing.id}` } });
    s = await startSlackApp(db, new TestClock(BASELINE));
    // The demo's alerting on actions began when its figures were given: on its date, only the milestone fallen overdue since is posted.
    expect(await alertActions(s.app.deps, BASELINE)).toMatchObject({ changes: 1, alerts: 1 });
    // Since then one action went off track (by its owner's update) — besides those whose due date has passed.
    const eep03 = (await s.app.deps.repo.actions.byRef('EEP 03'))!;
    const at = new Date('2018-02-20T09:00:00Z');
    await s.app.deps.repo.actions.saveUpdate({ actionId: eep03.id, periodKey: '2017/18 Q4', progress: 'off_track', percentComplete: null, commentary: 'Prime contractor withdrew', authorId: eep03.ownerId, source: 'test', at }, { at, actorId: null, actorLabel: 'test' });
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
    await db?.close();
  });

  function replica() {
    const [node, script] = nodeCommand('job-replica');
    const child = spawn(node, [script], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: db.url!,
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: s.fake.apiUrl,
        SLACK_BOT_ID: 'BBOT',
        SLACK_BOT_USER_ID: 'UBOT',
        SLACK_API_TIMEOUT_MS: '8000',
        KPI_OUTBOX_CLAIM_SECONDS: '3',
        KPI_REPLICA_NOW: RUN_AT,
        KPI_REPLICA_JOBS: 'chase-actions,alert-actions',
        KPI_REPLICA_SPEED: '60',
        KPI_REPLICA_SECONDS: '90',
        LOG_LEVEL: 'error',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let ready: () => void;
    const started = new Promise<void>((r) => (ready = r));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) ready();
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<{ code: number | null; out: string }>((resolve) => child.on('exit', (code) => resolve({ code, out })));
    return { child, started, exited };
  }

  it('queues and delivers each owner’s chase and each channel’s alert exactly once', async () => {
    const mark = (await db.prisma.outboundMessage.aggregate({ _max: { id: true } }))._max.id ?? 0;
    s.fake.reset();
    s.fake.setChaos({ seed: 28, methods: ['chat.postMessage', 'chat.update', 'conversations.open'], ratelimit: 0.1, http500: 0.1, slow: 0, retryAfterSeconds: 1, slowMs: [0, 0] });
    const replicas = [1, 2, 3].map(() => replica());
    await Promise.race([Promise.all(replicas.map((r) => r.started)), ...replicas.map((r) => r.exited.then((e) => Promise.reject(new Error(e.out))))]);
    for (const r of replicas) r.child.stdin.end('go\n');
    const outs = await Promise.all(replicas.map((r) => r.exited));
    for (const o of outs) expect(o.code, o.out).toBe(0);
    const summaries = outs.map((o) => JSON.parse(o.out.trim().split('\n').at(-1)!) as { 'chase-actions': Record<string, number>; 'alert-actions': Record<string, number>; sent: number });

    // Each owner's chase: one message per person, queued by one process, seen once in Slack; each reminder recorded once.
    const chases = await db.prisma.outboundMessage.findMany({ where: { id: { gt: mark }, purpose: 'chase-actions' } });
    // A process that plans after another has queued someone's chase and recorded its reminders finds nothing more due for them: the first to plan plans everyone.
    const people = Math.max(...summaries.map((x) => x['chase-actions'].people!));
    expect(people).toBeGreaterThan(1);
    expect(chases).toHaveLength(people);
    expect(summaries.reduce((n, x) => n + x['chase-actions'].sent!, 0)).toBe(people);
    const reminders = await db.prisma.actionReminder.groupBy({ by: ['actionId'], where: { periodKey: '2017/18 Q4' }, _count: true });
    expect(reminders.length).toBeGreaterThan(1);
    expect(reminders.filter((r) => r._count !== 1)).toEqual([]);
    // The demo's risk reviews fallen due by their frequency ride the same messages: each reminded once, in one chase.
    const riskReminders = await db.prisma.riskReminder.findMany({ where: { sentOn: new Date(RUN_AT.slice(0, 10)) } });
    expect(riskReminders.length).toBeGreaterThan(1);
    expect(new Set(riskReminders.map((r) => r.riskId)).size).toBe(riskReminders.length);
    const risks = await db.prisma.risk.findMany({ where: { id: { in: riskReminders.map((r) => r.riskId) } }, select: { ref: true } });
    for (const { ref } of risks) expect(chases.filter((c) => JSON.stringify(c.payload).includes(`Review ${ref}`)), ref).toHaveLength(1);

    // The quarter's commentary: every scope owed, each asked of one person once (the whole report's of the performance team), in the day's one message.
    const owed = summaries[0]!['chase-actions'].commentaryDueNow!;
    expect(owed).toBe(7); // six themes and the whole report
    expect(summaries.map((x) => x['chase-actions'].commentaryDueNow)).toEqual([owed, owed, owed]);
    const commentaryReminders = await db.prisma.commentaryReminder.groupBy({ by: ['scope'], where: { periodKey: '2017/18 Q4' }, _count: true });
    expect(commentaryReminders).toHaveLength(owed);
    expect(commentaryReminders.filter((r) => r._count !== 1)).toEqual([]);
    const directors = await db.prisma.theme.findMany({ select: { directorId: true } });
    const admin = await db.prisma.person.findFirstOrThrow({ where: { role: 'admin' } });
    const askedForCommentary = chases.filter((c) => JSON.stringify(c.payload).includes('open-commentary'));
    expect(askedForCommentary.map((c) => c.personId).sort()).toEqual([...directors.map((d) => d.directorId), admin.id].sort());

    // Each action's change recorded once; an alert per action newly off track or overdue, per channel covering it.
    const changes = await db.prisma.conditionChange.findMany({ where: { subject: 'action' }, orderBy: { id: 'asc' } });
    const now = changes.filter((c) => c.observedAt.toISOString() === new Date(RUN_AT).toISOString());
    expect(new Set(now.map((c) => c.subjectId)).size).toBe(now.length);
    const raised = now.filter((c) => {
      const before = changes.filter((p) => p.subjectId === c.subjectId && p.id < c.id).at(-1);
      return c.conditions.some((x) => !before?.conditions.includes(x));
    });
    const housing = new Set((await db.prisma.action.findMany({ where: { theme: { slug: 'housing-growth' } }, select: { id: true } })).map((a) => a.id));
    expect(raised.length).toBeGreaterThan(1);
    expect(raised.some((c) => housing.has(c.subjectId))).toBe(true);
    const alerts = await db.prisma.outboundMessage.findMany({ where: { id: { gt: mark }, purpose: 'alert' } });
    expect(alerts.filter((a) => a.channel === ALL)).toHaveLength(raised.length);
    expect(alerts.filter((a) => a.channel === HOUSING)).toHaveLength(raised.filter((c) => housing.has(c.subjectId)).length);
    expect(summaries.reduce((n, x) => n + x['alert-actions'].alerts!, 0)).toBe(alerts.length);

    // Everything went out, and Slack shows each message once, whichever process sent it and however often Slack failed.
    const rows = await db.prisma.outboundMessage.findMany({ where: { id: { gt: mark } } });
    expect(rows.filter((r) => r.state !== 'sent').map((r) => `${r.idempotencyKey}: ${r.state} ${r.lastError}`)).toEqual([]);
    const visible = rows.map((r) => s.fake.allMessages().filter((m) => m.metadata?.event_payload.key === r.idempotencyKey).length);
    const faulted = s.fake.calls.filter((c) => c.faulted).length;
    console.log(`three processes: ${people} chases (${askedForCommentary.length} with commentary), ${alerts.length} alerts; sent by process ${summaries.map((x) => x.sent).join('/')}; ${faulted} faulted Slack calls`);
    expect(visible.filter((n) => n !== 1)).toEqual([]);
    expect(summaries.filter((x) => x.sent > 0).length).toBeGreaterThan(1);
  }, 180_000);
});
