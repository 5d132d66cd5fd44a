// The demo shows an action alert on its own date: #performance is subscribed to every action, alerting on
// actions began when the demo's figures were given (Friday 12 January 2018), so on Monday 15 January
// `kpi job alert-actions` posts the one milestone that fell overdue since — not the overdue and off-track
// actions that already were (no go-live flood) — and a second run posts nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { TestClock, withDemo } from '../support/app.ts';
import { runKpi } from '../support/cli.ts';

describe.each(backends('pglite'))('the demo’s action alert (%s)', (backend) => {
  // The machine's clock: years after the demo's date (which applies on top of it).
  const machine = new TestClock(new Date('2026-03-02T10:00:00Z'));
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(backend);
    await withDemo(db);
  });
  afterAll(() => db?.close());

  const kpi = (...argv: string[]) => runKpi(db, argv, {}, machine);

  it('posts the milestone fallen overdue since the figures were given, once, to #performance', async () => {
    const subs = await kpi('subscriptions');
    expect(subs.stdout).toMatch(/performance/);
    const first = await kpi('job', 'alert-actions');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('alert-actions as of 15 Jan 2018');
    expect(first.stdout).toContain('"alerts":1');
    const posts = first.stdout.split(/^--- /m).slice(1);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatch(/^#performance/);
    expect(posts[0]).toContain('CIP-WS8');
    expect(posts[0]).toContain('overdue');
    // HG 04 (overdue since December) and CIP-WS4 (off track in its Q3 update) held when alerting began: not posted.
    expect(first.stdout).not.toContain('HG 04');
    expect(first.stdout).not.toContain('CIP-WS4');

    const again = await kpi('job', 'alert-actions');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('"alerts":0');
    expect(again.stdout).not.toContain('---');
  });
});
