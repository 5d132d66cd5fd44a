// The jobs listed in jobs/index.ts: each has a name, a schedule the scheduler can run (src/schedule.ts
// works out its times, forward for the timers and back for catch-up), a line of help and its
// KPI_CRON_<NAME> setting.
import { describe, expect, it } from 'vitest';
import { cronSchedule } from '../../../src/schedule.ts';
import { JOBS, JOB_NAMES, cronVariable, isJobName } from '../../../jobs/index.ts';
import { loadConfig } from '../../../src/config.ts';

describe('the listed jobs', () => {
  it('each has a unique name, a line of help and a default schedule the scheduler can run', () => {
    expect(JOB_NAMES).toEqual(['evaluate-statuses', 'chase-data', 'chase-exceptions', 'chase-actions', 'alert-actions', 'weekly-digest', 'drain-outbox']);
    for (const job of JOBS) {
      expect(job.describe.length, job.name).toBeGreaterThan(10);
      const s = cronSchedule(job.schedule, 'Europe/London');
      const now = new Date('2026-10-25T00:00:00Z');
      expect(s.next(now).getTime(), `${job.name}: ${job.schedule}`).toBeGreaterThan(now.getTime());
      expect(s.previous(now).getTime(), `${job.name}: ${job.schedule}`).toBeLessThanOrEqual(now.getTime());
      expect(isJobName(job.name)).toBe(true);
    }
    expect(isJobName('frobnicate')).toBe(false);
  });

  it('runs each on its default schedule unless KPI_CRON_<NAME> says otherwise', () => {
    expect(JOBS.map((j) => cronVariable(j.name))).toEqual(['KPI_CRON_EVALUATE_STATUSES', 'KPI_CRON_CHASE_DATA', 'KPI_CRON_CHASE_EXCEPTIONS', 'KPI_CRON_CHASE_ACTIONS', 'KPI_CRON_ALERT_ACTIONS', 'KPI_CRON_WEEKLY_DIGEST', 'KPI_CRON_DRAIN_OUTBOX']);
    expect(loadConfig({}).cron).toEqual(Object.fromEntries(JOBS.map((j) => [j.name, j.schedule])));
    expect(loadConfig({ KPI_CRON_CHASE_DATA: ' 0 10 * * 1-5 ' }).cron['chase-data']).toBe('0 10 * * 1-5');
  });

  it('refuses a schedule that has the right number of fields but cannot run', () => {
    expect(() => loadConfig({ KPI_CRON_DRAIN_OUTBOX: '61 * * * *' })).toThrow(/KPI_CRON_DRAIN_OUTBOX: a cron expression of 5 or 6 fields, e\.g\. "0 8 \* \* 1" \(got "61 \* \* \* \*"\)/);
  });
});
