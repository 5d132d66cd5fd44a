// The scheduler: the only module that imports node-cron. Each job runs on its cron expression in
// the organisation's time zone; a tick claims its scheduled minute in job_run (so two processes or
// an overlapping tick never run it twice) and the JobRunner holds a lease while it works. At start,
// a job whose last scheduled time passed while the bot was down is caught up once — not once per
// missed tick.
import cron, { type ScheduledTask } from 'node-cron';
import { CronExpressionParser } from 'cron-parser';
import type { Clock } from './ports.ts';
import type { Logger } from './log.ts';
import { RETRY_FAILED_AFTER_MS, retryableRun, type JobRunner, type RunOutcome } from './runner.ts';
import { JOBS, jobNamed, type JobName } from '../jobs/index.ts';
import { claimsScheduledTime, type JobDefinition } from '../jobs/types.ts';

export interface SchedulerOptions {
  runner: JobRunner;
  clock: Clock;
  log: Logger;
  /** Each job's cron expression (src/config.ts: its default schedule, or KPI_CRON_<NAME>). */
  cron: Record<JobName, string>;
  timeZone: string;
}

/** The most recent time the expression fired at or before `now`. */
export function previousTick(expression: string, now: Date, timeZone: string): Date {
  const it = CronExpressionParser.parse(expression, { currentDate: new Date(now.getTime() + 1000), tz: timeZone });
  return it.prev().toDate();
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
  private tasks: ScheduledTask[] = [];
  private inFlight = new Set<Promise<unknown>>();
  /** When catch-up last looked (at start, then every few minutes from the outbox tick). */
  private lastCatchUp = 0;

  constructor(private readonly o: SchedulerOptions) {}

  async start(): Promise<void> {
    const { log } = this.o;
    for (const job of JOBS) {
      const task = cron.schedule(this.o.cron[job.name], (ctx) => void this.tick(job, ctx.date), { timezone: this.o.timeZone, name: job.name, noOverlap: true });
      this.tasks.push(task);
    }
    log.info({ jobs: Object.fromEntries(JOBS.map((j) => [j.name, this.o.cron[j.name]])), timeZone: this.o.timeZone }, 'scheduler started');
    // Catch up in the background: start-up does not wait for a job.
    void this.track(this.catchUp());
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

  private async tick(job: JobDefinition<JobName>, fired: Date): Promise<void> {
    const claimed = claimsScheduledTime(job);
    // The scheduled minute, whatever the timer's jitter: the claim key for this run.
    const scheduledFor = new Date(Math.floor(fired.getTime() / 60_000) * 60_000);
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
    for (const t of this.tasks) await t.stop();
    this.tasks = [];
    await Promise.allSettled([...this.inFlight]);
  }
}
