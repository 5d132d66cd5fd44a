// The scheduler driven by a test clock and timers across the 2026 clock changes in London (never the
// machine's clock): a job set for 01:30 runs once on the spring Sunday and once on the autumn one —
// in one process or two sharing the claim key (job, scheduled minute), and when a process starts in
// the repeated hour — and evaluate-statuses keeps its quarter-hours (100 on the 25-hour day, 92 on
// the 23-hour day), the outbox its minutes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cronTimer, Scheduler, MAX_WAIT_MS } from '../../../src/scheduler.ts';
import type { RunOutcome } from '../../../src/runner.ts';
import { JOB_NAMES, type JobName } from '../../../jobs/index.ts';
import { silentLogger } from '../../../src/log.ts';
import { TestClock } from '../../support/clock.ts';
import { TestTimers } from '../../support/timers.ts';

const LONDON = 'Europe/London';
const NEVER_HERE = '0 0 1 1 *'; // 1 January: not in any window below
const CRON: Record<JobName, string> = { 'evaluate-statuses': NEVER_HERE, 'chase-data': NEVER_HERE, 'chase-exceptions': NEVER_HERE, 'chase-actions': NEVER_HERE, 'alert-actions': NEVER_HERE, 'weekly-digest': NEVER_HERE, 'drain-outbox': NEVER_HERE };

/**
 * The database's job_run as far as the scheduler can tell: one row per (job, scheduled minute), the
 * first claim runs it and any later one is skipped — shared by the "processes" of a test.
 */
class ClaimTable {
  readonly rows = new Map<string, { job: JobName; scheduledFor: Date; startedAt: Date }>();
  /** Every call, claimed or not: what ran when. */
  readonly calls: { job: JobName; now: Date; scheduledFor: Date | null; outcome: RunOutcome['outcome'] }[] = [];

  runner() {
    return {
      run: async (job: JobName, now: Date, opts: { scheduledFor?: Date } = {}): Promise<RunOutcome> => {
        let outcome: RunOutcome;
        if (opts.scheduledFor) {
          const key = `${job}|${opts.scheduledFor.toISOString()}`;
          if (this.rows.has(key)) outcome = { outcome: 'skipped', reason: 'already taken' };
          else {
            this.rows.set(key, { job, scheduledFor: opts.scheduledFor, startedAt: now });
            outcome = { outcome: 'ok', summary: {}, sent: null, ms: 0 };
          }
        } else outcome = { outcome: 'ok', summary: {}, sent: null, ms: 0 };
        this.calls.push({ job, now, scheduledFor: opts.scheduledFor ?? null, outcome: outcome.outcome });
        return outcome;
      },
      lastRun: async (job: JobName) => {
        const mine = [...this.rows.values()].filter((r) => r.job === job).sort((a, b) => b.scheduledFor.getTime() - a.scheduledFor.getTime());
        return mine[0] ? { scheduledFor: mine[0].scheduledFor, status: 'ok', startedAt: mine[0].startedAt, finishedAt: mine[0].startedAt } : null;
      },
    };
  }

  ran(job: JobName): string[] {
    return this.calls.filter((c) => c.job === job && c.outcome === 'ok').map((c) => (c.scheduledFor ?? c.now).toISOString());
  }
}

/** `processes` schedulers on one claim table, started at `from`, driven to `to`. */
async function drive(cron: Partial<Record<JobName, string>>, from: string, to: string, processes = 1, claims = new ClaimTable()) {
  const clock = new TestClock(new Date(from));
  const timers = new TestTimers(clock);
  const schedulers = Array.from({ length: processes }, () => new Scheduler({ runner: claims.runner(), clock, timer: timers, log: silentLogger, cron: { ...CRON, ...cron }, timeZone: LONDON }));
  for (const s of schedulers) await s.start();
  const settle = async () => {
    for (const s of schedulers) await s.idle();
  };
  await settle();
  await timers.runUntil(to, settle);
  for (const s of schedulers) await s.stop();
  expect(timers.waiting).toBe(0);
  return claims;
}

const gaps = (isos: string[]) => [...new Set(isos.slice(1).map((t, i) => (Date.parse(t) - Date.parse(isos[i]!)) / 60_000))];

describe('the scheduler across the spring clock change (Sunday 29 March 2026)', () => {
  it('runs a job set for 01:30 — a time that does not exist that night — once, at 02:00 BST', async () => {
    const claims = await drive({ 'chase-data': '30 1 * * *' }, '2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z');
    expect(claims.ran('chase-data')).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('runs evaluate-statuses every quarter-hour of the 23-hour day: 92, 15 minutes apart', async () => {
    const claims = await drive({ 'evaluate-statuses': '*/15 * * * *' }, '2026-03-28T23:59:00Z', '2026-03-29T22:59:59Z', 2);
    const ran = claims.ran('evaluate-statuses');
    expect(ran).toHaveLength(92);
    expect(gaps(ran)).toEqual([15]);
    // Two processes: each quarter-hour claimed by one, skipped by the other.
    expect(claims.calls.filter((c) => c.outcome === 'skipped')).toHaveLength(92);
  });
});

describe('the scheduler across the autumn clock change (Sunday 25 October 2026)', () => {
  it('runs a job set for 01:30 — a time that happens twice that night — once, at 01:30 BST, in each of two processes’ eyes', async () => {
    const claims = await drive({ 'chase-data': '30 1 * * *' }, '2026-10-24T12:00:00Z', '2026-10-26T12:00:00Z', 2);
    expect(claims.ran('chase-data')).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    // Not even tried at 01:30 GMT: the second 01:30 is not a scheduled time at all.
    expect(claims.calls.filter((c) => c.job === 'chase-data').map((c) => c.scheduledFor!.toISOString())).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('does not run it again in a process started during the repeated hour', async () => {
    const claims = await drive({ 'chase-data': '30 1 * * *' }, '2026-10-25T00:00:00Z', '2026-10-25T01:35:00Z');
    expect(claims.ran('chase-data')).toEqual(['2026-10-25T00:30:00.000Z']);
    // Restarted at 01:40 GMT, after the clocks went back: its catch-up finds nothing missed.
    await drive({ 'chase-data': '30 1 * * *' }, '2026-10-25T01:40:00Z', '2026-10-25T12:00:00Z', 1, claims);
    expect(claims.ran('chase-data')).toEqual(['2026-10-25T00:30:00.000Z']);
  });

  it('runs evaluate-statuses every quarter-hour of the 25-hour day: 100, 15 minutes apart, none twice', async () => {
    const claims = await drive({ 'evaluate-statuses': '*/15 * * * *' }, '2026-10-24T22:59:00Z', '2026-10-25T23:59:59Z', 2);
    const ran = claims.ran('evaluate-statuses');
    expect(ran).toHaveLength(100);
    expect(new Set(ran).size).toBe(100);
    expect(gaps(ran)).toEqual([15]);
  });

  it('drains the outbox every minute of the 25-hour day: 1,500 ticks, a minute apart', async () => {
    const claims = await drive({ 'drain-outbox': '* * * * *' }, '2026-10-24T22:59:30Z', '2026-10-25T23:59:30Z');
    const ran = claims.ran('drain-outbox');
    expect(ran).toHaveLength(1500);
    expect(gaps(ran)).toEqual([1]);
  });
});

describe('the scheduler’s timers', () => {
  it('never wait longer than a minute, so a yearly job waits in steps and a clock set forward is noticed', async () => {
    const clock = new TestClock(new Date('2026-06-01T00:00:00Z'));
    const timers = new TestTimers(clock);
    const claims = new ClaimTable();
    const s = new Scheduler({ runner: claims.runner(), clock, timer: timers, log: silentLogger, cron: { ...CRON, 'weekly-digest': '0 8 * * 1' }, timeZone: LONDON });
    await s.start();
    await timers.runUntil(new Date(clock.now().getTime() + MAX_WAIT_MS - 1));
    expect(timers.waiting).toBe(JOB_NAMES.length); // one wait per job
    // The machine's clock jumps two weeks (a laptop that slept): the latest Monday that passed runs, once, not once per missed week.
    clock.set('2026-06-15T12:00:00Z');
    await timers.runUntil('2026-06-15T12:01:00Z', () => s.idle());
    await s.stop();
    expect(claims.ran('weekly-digest')).toEqual(['2026-06-15T07:00:00.000Z']);
  });
});

describe('the process’s timer (node-cron, in UTC)', () => {
  afterEach(() => vi.useRealTimers());

  it('fires each wait once its time has passed — never early, at most a second late — and stops its task with the last wait', async () => {
    vi.useFakeTimers({ now: new Date('2026-10-25T00:59:58.500Z') });
    const timer = cronTimer();
    const fired: string[] = [];
    expect(timer.beating).toBe(false);
    timer.set(() => fired.push(new Date().toISOString()), 2_000);
    const dropped = timer.set(() => fired.push('cleared'), 1_000);
    timer.clear(dropped);
    await vi.advanceTimersByTimeAsync(1_900);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(fired).toHaveLength(1);
    expect(Date.parse(fired[0]!) - Date.parse('2026-10-25T01:00:00.500Z')).toBeGreaterThanOrEqual(0);
    expect(Date.parse(fired[0]!) - Date.parse('2026-10-25T01:00:00.500Z')).toBeLessThanOrEqual(1_000);
    // Nothing waiting: no task left beating.
    expect(timer.beating).toBe(false);
  });
});
