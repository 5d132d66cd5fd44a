// Watching the bot as an operator does, on a real PostgreSQL that is stopped and started under it:
// /healthz answers while the process lives; /readyz is 200 while the database answers, 503 with the
// reason while it is down, and 200 again once it is back — without a restart; /metrics shows the
// acknowledgements, the job runs, the outbox and the database's state throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { startPgCluster, type PgCluster } from '../support/postgres-cluster.ts';
import { backends } from '../support/db.ts';
import { TestClock, withDemo } from '../support/app.ts';
import { periodFromKey } from '../../src/domain/periods.ts';
import { linkDemoPeopleToSlack, slackId, startSlackApp, subscribeOnly, type SlackHarness } from '../support/slack-app.ts';

const GARETH = slackId('Gareth'); // owner of street-cleanliness

/** One series' value in /metrics' text (undefined when absent). */
function series(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe.runIf(backends('both').includes('postgres'))('watching it, with PostgreSQL stopped and started', () => {
  let cluster: PgCluster;
  let db: Database;
  let s: SlackHarness;
  let base: string;
  const clock = new TestClock(new Date('2018-04-20T08:00:00Z'));
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
  };

  beforeAll(async () => {
    cluster = await startPgCluster();
    const admin = new pg.Client({ connectionString: cluster.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE kpi_watch');
    await admin.end();
    db = await openDatabase({ kind: 'postgres', url: cluster.url('kpi_watch') }, { migrations: 'apply' });
    await withDemo(db);
    await linkDemoPeopleToSlack(db);
    await subscribeOnly(db, 'C0PERF', 'street-cleanliness');
    // A Q4 target the submission below misses by far: its red is alerted to the channel.
    const ind = await db.prisma.indicator.findUniqueOrThrow({ where: { slug: 'street-cleanliness' } });
    const q4 = periodFromKey('2017/18 Q4');
    await db.prisma.target.upsert({
      where: { indicatorId_periodKey: { indicatorId: ind.id, periodKey: q4.key } },
      create: { indicatorId: ind.id, periodKey: q4.key, periodStart: new Date(q4.start), periodEnd: new Date(q4.end), value: 85, amberFloor: 82 },
      update: { value: 85, amberFloor: 82 },
    });
    s = await startSlackApp(db, clock, { SLACK_API_TIMEOUT_MS: '1000' });
    base = `http://127.0.0.1:${s.app.port}`;
    // The baseline: where everything stands, alerting nobody.
    await s.app.runner.run('evaluate-statuses', clock.now());
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
    await db?.close().catch(() => {});
    cluster?.stop();
  });

  it('counts acknowledgements, job runs and the outbox while the database answers', async () => {
    expect(await get('/readyz')).toMatchObject({ status: 200 });
    const submitted = await s.slash(GARETH, 'submit street-cleanliness 2017/18 Q4 60');
    expect(submitted.status).toBe(200);
    await s.app.idle();
    clock.advance(60_000);
    expect((await s.app.runner.run('evaluate-statuses', clock.now())).outcome).toBe('ok');
    const m = await get('/metrics');
    expect(m.status).toBe(200);
    expect(m.type).toMatch(/^text\/plain/);
    expect(series(m.text, 'kpi_ack_seconds_count{platform="slack",surface="command"}')).toBe(1);
    expect(series(m.text, 'kpi_job_runs_total{job="evaluate-statuses",outcome="ok"}')).toBe(2);
    const sent = await db.prisma.outboundMessage.count({ where: { state: 'sent' } });
    expect(sent).toBeGreaterThan(0);
    expect(series(m.text, 'kpi_outbox_messages{state="sent"}')).toBe(sent);
    expect(series(m.text, 'kpi_outbox_sends_total{platform="slack",outcome="sent"}')).toBeGreaterThan(0);
    expect(series(m.text, 'kpi_outbox_messages{state="dead"}')).toBe(0);
    expect(series(m.text, 'kpi_database_up')).toBe(1);
  });

  it('is not ready while PostgreSQL is stopped, says why, and is ready again when it is back', async () => {
    cluster.shutdown();
    try {
      const down = await get('/readyz');
      expect(down.status).toBe(503);
      const body = JSON.parse(down.text) as { ready: boolean; database: { reachable: boolean; error?: string } };
      expect(body.ready).toBe(false);
      expect(body.database.reachable).toBe(false);
      expect(body.database.error).toBeTruthy();
      // The process itself is fine, and still says so; the metrics still answer, with the database down.
      expect((await get('/healthz')).status).toBe(200);
      const m = await get('/metrics');
      expect(m.status).toBe(200);
      expect(series(m.text, 'kpi_database_up')).toBe(0);
      expect(series(m.text, 'kpi_database_unavailable_total{where="readiness"}')).toBeGreaterThanOrEqual(1);
    } finally {
      cluster.restart();
    }
    let ready = await get('/readyz');
    for (let i = 0; i < 40 && ready.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 250));
      ready = await get('/readyz');
    }
    expect(ready.status).toBe(200);
    expect(series((await get('/metrics')).text, 'kpi_database_up')).toBe(1);
  });
});
