// A scheduled job: its name (what `kpi job <name>` and KPI_CRON_<NAME> are called), when it runs by
// default, what it does in one line (the CLI's help), and the run itself — a plain function of the
// ports and the time it runs as of. Each jobs/<name>.ts exports one; jobs/index.ts lists them, and the
// runner, the scheduler, the configuration and the CLI all read that list.
import type { JobDeps, JobSummary } from '../src/ports.ts';

/** What a run may be asked: `full` makes evaluate-statuses evaluate every indicator, not only those changed. */
export interface RunOptions {
  full?: boolean;
}

/** What a run gets from the process it runs in, besides the ports. */
export interface JobContext {
  /** Sends what is queued, now (src/outbox/sender.ts); null in a process with no chat platform to send to. */
  outbox: { drain(now: Date): Promise<JobSummary> } | null;
}

/** A job claimed per message had nothing it could do in this process: the runner reports it as skipped, not failed. */
export class JobSkipped extends Error {}

export interface JobDefinition<N extends string = string> {
  name: N;
  /** The cron expression it runs on by default, in the organisation's time zone; KPI_CRON_<NAME> overrides it. */
  schedule: string;
  /** What it does, in one line. */
  describe: string;
  /** Which run options it takes (`kpi job <name> --full`). */
  takes?: readonly (keyof RunOptions)[];
  /**
   * 'scheduled time' (the default): each scheduled time runs once — claimed in job_run, under a lease,
   * caught up after a restart, retried after a failure — and the outbox is drained after it.
   * 'message': the job claims each message it handles itself (drain-outbox), so every tick just runs it.
   */
  claimedPer?: 'scheduled time' | 'message';
  run(deps: JobDeps, now: Date, opts: RunOptions, ctx: JobContext): Promise<JobSummary>;
}

/** The identity, typed so that the job's name stays literal (jobs/index.ts derives JobName from the names). */
export function defineJob<const N extends string>(job: JobDefinition<N>): JobDefinition<N> {
  return job;
}

/** Claimed per scheduled time (so caught up and retried), or per message. */
export const claimsScheduledTime = (job: JobDefinition): boolean => (job.claimedPer ?? 'scheduled time') === 'scheduled time';
