// Every scheduled job. A new job is one file in jobs/ that exports a defineJob(…) and one line here:
// the runner, the scheduler, its KPI_CRON_<NAME> setting (src/config.ts) and `kpi job <name>` follow.
import { evaluateStatusesJob } from './evaluate-statuses.ts';
import { chaseDataJob } from './chase-data.ts';
import { chaseExceptionsJob } from './chase-exceptions.ts';
import { chaseActionsJob } from './chase-actions.ts';
import { alertActionsJob } from './alert-actions.ts';
import { weeklyDigestJob } from './weekly-digest.ts';
import { drainOutboxJob } from './drain-outbox.ts';
import type { JobDefinition } from './types.ts';

export const JOBS = [evaluateStatusesJob, chaseDataJob, chaseExceptionsJob, chaseActionsJob, alertActionsJob, weeklyDigestJob, drainOutboxJob] as const;

export type JobName = (typeof JOBS)[number]['name'];

export const JOB_NAMES: readonly JobName[] = JOBS.map((j) => j.name);

export const isJobName = (s: string): s is JobName => (JOB_NAMES as readonly string[]).includes(s);

export function jobNamed(name: JobName): JobDefinition<JobName> {
  return JOBS.find((j) => j.name === name)!;
}

/** The environment variable that overrides a job's schedule: chase-data → KPI_CRON_CHASE_DATA. */
export const cronVariable = (name: string): `KPI_CRON_${string}` => `KPI_CRON_${name.toUpperCase().replace(/-/g, '_')}`;

if (new Set(JOB_NAMES).size !== JOBS.length) throw new Error(`Two jobs in jobs/index.ts have the same name: ${JOB_NAMES.join(', ')}`);
