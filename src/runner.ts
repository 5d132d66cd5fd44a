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
import { evaluateStatuses } from '../jobs/evaluate-statuses.ts';
import { chaseData } from '../jobs/chase-data.ts';
import { chaseExceptions } from '../jobs/chase-exceptions.ts';
import { weeklyDigest } from '../jobs/weekly-digest.ts';

export const JOB_NAMES = ['evaluate-statuses', 'chase-data', 'chase-exceptions', 'weekly-digest', 'drain-outbox'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export const JOB_DESCRIPTIONS: Record<JobName, string> = {
  'evaluate-statuses': 'recompute statuses of what changed (--full: of every indicator); alert subscribed channels when an indicator turns red or declines',
  'chase-data': 'remind owners whose data is due or overdue (escalating to deputy, then director)',
  'chase-exceptions': 'remind owners of red indicators to write their exception report',
  'weekly-digest': "send each director the week's reds, new reds, recoveries and overdue data",
  'drain-outbox': 'send queued messages, retrying failures with back-off',
};

/** What a run may be asked: `full` makes evaluate-statuses evaluate every indicator, not only those changed. */
export interface RunOptions {
  full?: boolean;
}

const JOBS: Record<Exclude<JobName, 'drain-outbox'>, (deps: JobDeps, now: Date, opts: RunOptions) => Promise<JobSummary>> = {
  'evaluate-statuses': evaluateStatuses,
  'chase-data': chaseData,
  'chase-exceptions': chaseExceptions,
  'weekly-digest': weeklyDigest,
};

/** Whether a claimed run should be run again as of `now`: it failed a while ago, or its process died. */
export function retryableRun(run: { scheduledFor: Date; status: string; startedAt: Date; finishedAt: Date | null }, now: Date): boolean {
  if (now.getTime() - run.scheduledFor.getTime() > RETRY_WITHIN_MS) return false;
  if (run.status === 'failed') return run.finishedAt !== null && now.getTime() - run.finishedAt.getTime() >= RETRY_FAILED_AFTER_MS;
  if (run.status === 'running') return now.getTime() - run.startedAt.getTime() >= LEASE_MS;
  return false;
}

export const isJobName = (s: string): s is JobName => (JOB_NAMES as readonly string[]).includes(s);

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

  constructor(
    private readonly db: PrismaClient,
    private readonly deps: JobDeps,
    /** null: leave queued messages for a process that can send them. */
    private readonly dispatcher: OutboxSender | null,
    private readonly log: Logger,
  ) {}

  /**
   * Run a job as of `now`. With `scheduledFor`, the run is claimed for that scheduled time first and
   * skipped when it was already claimed (by this process's catch-up or by another process).
   */
  async run(name: JobName, now: Date, opts: { scheduledFor?: Date } & RunOptions = {}): Promise<RunOutcome> {
    if (name === 'drain-outbox') {
      if (!this.dispatcher) return { outcome: 'skipped', reason: 'no chat platform to send to in this process' };
      const t0 = performance.now();
      const sent = await this.dispatcher.drain(now);
      return { outcome: 'ok', summary: sent, sent: null, ms: Math.round(performance.now() - t0) };
    }
    if (this.running.has(name)) return { outcome: 'skipped', reason: 'it is still running from the last tick' };
    this.running.add(name);
    try {
      return await this.runJob(name, now, opts.scheduledFor, { ...(opts.full ? { full: true } : {}) });
    } finally {
      this.running.delete(name);
    }
  }

  private async runJob(name: Exclude<JobName, 'drain-outbox'>, now: Date, scheduledFor: Date | undefined, runOpts: RunOptions): Promise<RunOutcome> {
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
      const summary = await JOBS[name](this.deps, now, runOpts);
      const sent = this.dispatcher ? await this.dispatcher.drain(now) : null;
      const ms = Math.round(performance.now() - t0);
      if (runId !== null) {
        await this.db.jobRun.update({ where: { id: runId }, data: { status: 'ok', finishedAt: new Date(now.getTime() + ms), summary: summary as Prisma.InputJsonValue } });
      }
      return { outcome: 'ok', summary, sent, ms };
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.log.error({ err: e, job: name }, 'job failed');
      if (runId !== null) await this.db.jobRun.update({ where: { id: runId }, data: { status: 'failed', finishedAt: now, error: error.slice(0, 2000) } });
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
    await this.db.jobLease.deleteMany({ where: { job, holder: this.holder } });
  }
}
