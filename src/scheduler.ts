// The scheduler: the only module that imports node-cron. Each job runs on its cron expression in the
// organisation's time zone. When it next fires is worked out here, not by node-cron (src/schedule.ts:
// clock changes included — a time skipped in spring runs once at the first minute after the gap, a
// time repeated in autumn runs once, and every-N-minutes jobs keep their cadence in real time): given
// a local-time expression, node-cron fires never on the spring night and twice on the autumn one. The
// process's timer is node-cron's every-second task in UTC, where no clock changes (cronTimer); tests
// drive the same code with a timer that moves with their clock. A tick claims its scheduled minute in
// job_run (so two processes or an overlapping tick never run it twice) and the JobRunner holds a lease
// while it works. At start, a job whose last scheduled time passed while the bot was down is caught up
// once — not once per missed tick.
import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from './ports.ts';
import type { Logger } from './log.ts';
import { RETRY_FAILED_AFTER_MS, retryableRun, type JobRunner, type RunOutcome } from './runner.ts';
import { cronSchedule, type CronSchedule } from './schedule.ts';
import { JOBS, jobNamed, type JobName } from '../jobs/index.ts';
import { claimsScheduledTime, type JobDefinition } from '../jobs/types.ts';

/** Waits for a while, then calls back: setTimeout in production, a timer a test moves with its clock. */
export interface Timer {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/**
 * The process's timer: one node-cron task beating every second in UTC fires each wait that has run
 * out (a wait is at most MAX_WAIT_MS, so a beat is at most a second late). Started with the first
 * wait, stopped with the last.
 */
export function cronTimer(): Timer & { readonly beating: boolean } {
  const pending = new Map<number, { at: number; fn: () => void }>();
  let seq = 0;
  let task: ScheduledTask | null = null;
  const beat = (): void => {
    const now = Date.now();
    for (const [id, w] of pending) {
      if (w.at > now) continue;
      pending.delete(id);
      w.fn();
    }
    if (!pending.size && task) {
      void task.destroy();
      task = null;
    }
  };
  return {
    /** Whether its node-cron task is running (only while something waits). */
    get beating() {
      return task !== null;
    },
    set(fn, ms) {
      const id = ++seq;
      pending.set(id, { at: Date.now() + Math.max(ms, 0), fn });
      task ??= cron.schedule('* * * * * *', beat, { timezone: 'Etc/UTC', name: 'kpi-scheduler' });
      return id;
    },
    clear(handle) {
      pending.delete(handle as number);
      if (!pending.size && task) {
        void task.destroy();
        task = null;
      }
    },
  };
}

/**
 * The longest a timer waits before looking at the clock again: a wait is never longer than Node's
 * timers allow (24.8 days), and a machine that slept, or a clock that was set, is noticed within a minute.
 */
export const MAX_WAIT_MS = 60_000;

export interface SchedulerOptions {
  runner: Pick<JobRunner, 'run' | 'lastRun'>;
  clock: Clock;
  /** The timer it waits with (default: node-cron's, cronTimer). */
  timer?: Timer;
  log: Logger;
  /** Each job's cron expression (src/config.ts: its default schedule, or KPI_CRON_<NAME>). */
  cron: Record<JobName, string>;
  timeZone: string;
}

/** The most recent time the expression fired at or before `now` (the same instants the timers fire at: see src/schedule.ts). */
export function previousTick(expression: string, now: Date, timeZone: string): Date {
  return cronSchedule(expression, timeZone).previous(now);
}

/**
 * Jobs whose last scheduled time passed unclaimed while the bot was down (only once the job has run
 * before), and jobs whose last scheduled run failed or died part-way and may be tried again.
 */
export async function missedRuns(o: Pick<SchedulerOptions, 'runner' | 'cron' | 'timeZone'>, now: Date): Promise<{ job: JobName; scheduledFor: Date }[]> {
  const out: { job: JobName; scheduledFor: Date }[] = [];
  for (const { name: job } of JOBS.filter(claimsScheduledTime)) {
    const last = await o.runner.lastRun(job);
    if (!last) continue; // never ran here: a fresh install has nothing to catch up
    const due = previousTick(o.cron[job], now, o.timeZone);
    if (due > last.scheduledFor) out.push({ job, scheduledFor: due });
    else if (retryableRun(last, now)) out.push({ job, scheduledFor: last.scheduledFor });
  }
  return out;
}

export class Scheduler {
  private readonly timer: Timer;
  private readonly schedules = new Map<JobName, CronSchedule>();
  /** Each job's pending timer. */
  private readonly waiting = new Map<JobName, unknown>();
  /** Each job's tick in progress: a tick due while the last is still running is skipped. */
  private readonly busy = new Set<JobName>();
  private inFlight = new Set<Promise<unknown>>();
  private stopped = false;
  /** When catch-up last looked (at start, then every few minutes from the outbox tick). */
  private lastCatchUp = 0;

  constructor(private readonly o: SchedulerOptions) {
    this.timer = o.timer ?? cronTimer();
    for (const job of JOBS) this.schedules.set(job.name, cronSchedule(o.cron[job.name], o.timeZone));
  }

  async start(): Promise<void> {
    const { log, clock } = this.o;
    this.stopped = false;
    const now = clock.now();
    for (const job of JOBS) this.wait(job, this.schedules.get(job.name)!.next(now));
    log.info({ jobs: Object.fromEntries(JOBS.map((j) => [j.name, this.o.cron[j.name]])), timeZone: this.o.timeZone }, 'scheduler started');
    // Catch up in the background: start-up does not wait for a job.
    void this.track(this.catchUp());
  }

  /** Wait for `due` by the clock — in steps of at most MAX_WAIT_MS, looking at the clock after each. */
  private wait(job: JobDefinition<JobName>, due: Date): void {
    if (this.stopped) return;
    const ms = Math.min(Math.max(due.getTime() - this.o.clock.now().getTime(), 0), MAX_WAIT_MS);
    this.waiting.set(job.name, this.timer.set(() => this.wake(job, due), ms));
  }

  private wake(job: JobDefinition<JobName>, due: Date): void {
    this.waiting.delete(job.name);
    if (this.stopped) return;
    const now = this.o.clock.now();
    if (now < due) return this.wait(job, due);
    const schedule = this.schedules.get(job.name)!;
    // A machine that slept through several ticks runs the latest of them, once, and carries on from
    // now (catch-up does the same for a process that was down).
    const scheduled = now.getTime() - due.getTime() > MAX_WAIT_MS ? schedule.previous(now) : due;
    this.wait(job, schedule.next(now));
    if (this.busy.has(job.name)) return;
    this.busy.add(job.name);
    void this.track(this.tick(job, scheduled).finally(() => this.busy.delete(job.name)));
  }

  /** Wait for every run started so far (and those they start) to finish. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Run, once each, the jobs whose last scheduled time passed while the bot was stopped, or whose last run failed. */
  async catchUp(): Promise<void> {
    const { log, clock } = this.o;
    this.lastCatchUp = clock.now().getTime();
    for (const m of await missedRuns(this.o, clock.now())) {
      log.info({ job: m.job, scheduledFor: m.scheduledFor.toISOString() }, 'catching up a run that was missed, failed or cut short');
      this.report(jobNamed(m.job), await this.o.runner.run(m.job, clock.now(), { scheduledFor: m.scheduledFor }));
    }
  }

  private async tick(job: JobDefinition<JobName>, due: Date): Promise<void> {
    const claimed = claimsScheduledTime(job);
    // The scheduled minute — the instant src/schedule.ts names, the same in every process: the claim key for this run.
    const scheduledFor = new Date(Math.floor(due.getTime() / 60_000) * 60_000);
    const p = this.o.runner.run(job.name, this.o.clock.now(), claimed ? { scheduledFor } : {}).then((r) => this.report(job, r));
    // Every few minutes, the outbox's every-minute tick also looks for scheduled runs that failed (the
    // database was down at 09:00, say) and runs them again, rather than waiting for tomorrow's tick.
    if (!claimed && this.o.clock.now().getTime() - this.lastCatchUp >= RETRY_FAILED_AFTER_MS) void this.track(this.catchUp());
    await this.track(p);
  }

  /** Claimed runs are logged; the outbox's every-minute drain logs what it sent itself (src/outbox/sender.ts). */
  private report(job: JobDefinition<JobName>, r: RunOutcome): void {
    const quiet = !claimsScheduledTime(job);
    if (r.outcome === 'ok' && !quiet) this.o.log.info({ job: job.name, ms: r.ms, ...r.summary, ...(r.sent ? { sent: r.sent } : {}) }, 'job done');
    else if (r.outcome === 'skipped' && !quiet) this.o.log.info({ job: job.name, reason: r.reason }, 'job skipped');
    else if (r.outcome === 'failed') this.o.log.error({ job: job.name, error: r.error }, 'job failed');
  }

  private async track(p: Promise<unknown>): Promise<void> {
    this.inFlight.add(p);
    try {
      await p;
    } catch (e) {
      this.o.log.error({ err: e }, 'scheduler: run failed');
    } finally {
      this.inFlight.delete(p);
    }
  }

  /** Stop the timers and wait for runs in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const handle of this.waiting.values()) this.timer.clear(handle);
    this.waiting.clear();
    await this.idle();
  }
}
