// Runs the jobs in jobs/ once: one process at a time per job (a lease row), one run per scheduled
// time (a unique job_run row, so a catch-up or a second process cannot repeat it), the outbox
// drained afterwards, and what happened recorded. The scheduler and `kpi job` both use it.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from './generated/prisma/client.ts';
import { Prisma } from './generated/prisma/client.ts';
import type { JobDeps, JobSummary } from './ports.ts';
import type { Logger } from './log.ts';
import type { OutboxSender } from './outbox/sender.ts';
import { DEFAULT_DATABASE_RETRY, isDatabaseUnavailable, retryWhileUnavailable } from './db/unavailable.ts';
import { jobNamed, type JobName } from '../jobs/index.ts';
import { claimsScheduledTime, JobSkipped, type JobContext, type JobDefinition, type RunOptions } from '../jobs/types.ts';

/** Whether a claimed run should be run again as of `now`: it failed a while ago, or its process died. */
export function retryableRun(run: { scheduledFor: Date; status: string; startedAt: Date; finishedAt: Date | null }, now: Date): boolean {
  if (now.getTime() - run.scheduledFor.getTime() > RETRY_WITHIN_MS) return false;
  if (run.status === 'failed') return run.finishedAt !== null && now.getTime() - run.finishedAt.getTime() >= RETRY_FAILED_AFTER_MS;
  if (run.status === 'running') return now.getTime() - run.startedAt.getTime() >= LEASE_MS;
  return false;
}

/** How long a lease lasts: a process that dies mid-job frees it after this. */
export const LEASE_MS = 15 * 60_000;
/** A scheduled run that failed is tried again after this… */
export const RETRY_FAILED_AFTER_MS = 5 * 60_000;
/** …for this long after its scheduled time (a 09:00 chase still makes sense at 14:00, not at 21:00). */
export const RETRY_WITHIN_MS = 6 * 3600_000;

export type RunOutcome =
  | { outcome: 'ok'; summary: JobSummary; sent: JobSummary | null; ms: number }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'failed'; error: string };

export class JobRunner {
  readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly running = new Set<JobName>();
  private readonly context: JobContext;

  constructor(
    private readonly db: PrismaClient,
    private readonly deps: JobDeps,
    /** null: leave queued messages for a process that can send them. */
    private readonly sender: OutboxSender | null,
    private readonly log: Logger,
  ) {
    this.context = { outbox: sender };
  }

  /**
   * Run a job as of `now`. With `scheduledFor`, the run is claimed for that scheduled time first and
   * skipped when it was already claimed (by this process's catch-up or by another process).
   */
  async run(name: JobName, now: Date, opts: { scheduledFor?: Date } & RunOptions = {}): Promise<RunOutcome> {
    const t0 = performance.now();
    let outcome: RunOutcome['outcome'] = 'failed';
    try {
      const r = await this.runOnce(name, now, opts);
      outcome = r.outcome;
      return r;
    } finally {
      this.deps.observe?.jobRun(name, outcome, (performance.now() - t0) / 1000);
    }
  }

  private async runOnce(name: JobName, now: Date, opts: { scheduledFor?: Date } & RunOptions): Promise<RunOutcome> {
    const job = jobNamed(name);
    const runOpts: RunOptions = opts.full ? { full: true } : {};
    if (!claimsScheduledTime(job)) return this.runEachTick(job, now, runOpts);
    if (this.running.has(name)) return { outcome: 'skipped', reason: 'it is still running from the last tick' };
    this.running.add(name);
    try {
      return await this.runJob(job, now, opts.scheduledFor, runOpts);
    } finally {
      this.running.delete(name);
    }
  }

  /** A job that claims what it handles itself (drain-outbox): no job_run row, no lease, no drain after. */
  private async runEachTick(job: JobDefinition, now: Date, runOpts: RunOptions): Promise<RunOutcome> {
    const t0 = performance.now();
    try {
      const summary = await job.run(this.deps, now, runOpts, this.context);
      return { outcome: 'ok', summary, sent: null, ms: Math.round(performance.now() - t0) };
    } catch (e) {
      if (e instanceof JobSkipped) return { outcome: 'skipped', reason: e.message };
      throw e;
    }
  }

  private async runJob(job: JobDefinition, now: Date, scheduledFor: Date | undefined, runOpts: RunOptions): Promise<RunOutcome> {
    const name = job.name;
    let runId: number | null = null;
    if (scheduledFor) {
      // A scheduled time is run once — unless that run failed, or its process died (still "running"
      // after the lease ran out): then it may be claimed again, a while later (see retryableRun).
      const failedBefore = new Date(now.getTime() - RETRY_FAILED_AFTER_MS);
      const startedBefore = new Date(now.getTime() - LEASE_MS);
      const rows = await this.db.$queryRaw<{ id: number }[]>`
        INSERT INTO job_run (job, scheduled_for, started_at, status) VALUES (${name}, ${scheduledFor}, ${now}, 'running')
        ON CONFLICT (job, scheduled_for) DO UPDATE SET status = 'running', started_at = EXCLUDED.started_at, finished_at = NULL, error = NULL
        WHERE (job_run.status = 'failed' AND job_run.finished_at <= ${failedBefore})
           OR (job_run.status = 'running' AND job_run.started_at <= ${startedBefore})
        RETURNING id`;
      if (!rows.length) return { outcome: 'skipped', reason: `the ${scheduledFor.toISOString()} run was already taken` };
      runId = rows[0]!.id;
    }
    if (!(await this.acquire(name, now))) {
      if (runId !== null) await this.db.jobRun.update({ where: { id: runId }, data: { status: 'skipped', finishedAt: now, error: 'another process holds the lease' } });
      return { outcome: 'skipped', reason: 'another process is running it' };
    }
    const t0 = performance.now();
    try {
      const summary = await job.run(this.deps, now, runOpts, this.context);
      const sent = this.sender ? await this.sender.drain(now) : null;
      const ms = Math.round(performance.now() - t0);
      if (runId !== null) {
        const id = runId;
        await this.record(name, 'its success', () => this.db.jobRun.update({ where: { id }, data: { status: 'ok', finishedAt: new Date(now.getTime() + ms), summary: summary as Prisma.InputJsonValue } }));
      }
      return { outcome: 'ok', summary, sent, ms };
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.log.error({ err: e, job: name }, 'job failed');
      if (runId !== null) {
        const id = runId;
        await this.record(name, 'its failure', () => this.db.jobRun.update({ where: { id }, data: { status: 'failed', finishedAt: now, error: error.slice(0, 2000) } }));
      }
      return { outcome: 'failed', error };
    } finally {
      await this.release(name);
    }
  }

  /** The last scheduled time a job was claimed for, if ever. */
  async lastScheduled(name: JobName): Promise<Date | null> {
    return (await this.lastRun(name))?.scheduledFor ?? null;
  }

  /** The run of the last scheduled time a job was claimed for, if ever. */
  async lastRun(name: JobName): Promise<{ scheduledFor: Date; status: string; startedAt: Date; finishedAt: Date | null } | null> {
    return this.db.jobRun.findFirst({ where: { job: name }, orderBy: { scheduledFor: 'desc' }, select: { scheduledFor: true, status: true, startedAt: true, finishedAt: true } });
  }

  private async acquire(job: string, now: Date): Promise<boolean> {
    const expires = new Date(now.getTime() + LEASE_MS);
    const rows = await this.db.$queryRaw<{ job: string }[]>`
      INSERT INTO job_lease (job, holder, expires_at) VALUES (${job}, ${this.holder}, ${expires})
      ON CONFLICT (job) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
      WHERE job_lease.expires_at < ${now} OR job_lease.holder = EXCLUDED.holder
      RETURNING job`;
    return rows.length === 1;
  }

  private async release(job: string): Promise<void> {
    // Not released, the lease still ends by itself after LEASE_MS; released, the next tick may run at once.
    await this.record(job, 'the release of its lease', () => this.db.jobLease.deleteMany({ where: { job, holder: this.holder } }));
  }

  /**
   * Book-keeping after the work is done (the run's outcome, the lease): tried again while the
   * database is restarting, and if it stays away, logged — the job's work is not undone or redone
   * for it, and a run left "running" is taken over when its lease ends.
   */
  private async record(job: string, what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await retryWhileUnavailable(fn, DEFAULT_DATABASE_RETRY, (e, attempt) => {
        this.deps.observe?.databaseUnavailable('job');
        this.log.warn({ job, attempt, err: (e as Error).message }, `database unavailable recording ${what}; trying again`);
      });
    } catch (e) {
      if (!isDatabaseUnavailable(e)) throw e;
      this.log.error({ err: e, job }, `could not record ${what}: the database stayed unavailable`);
    }
  }
}
