// /metrics' text: the series an operator alerts on, present from the first scrape (zeros included),
// counts fed by the observer, the outbox read from the database at each scrape, and the database
// marked down when that read fails.
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/metrics.ts';

/** The value of one series in Prometheus text, or undefined when absent. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics', () => {
  it('reports the outbox by state (every state, zeros included) and the oldest pending message', async () => {
    const m = new Metrics({ processMetrics: false });
    const queued = new Date(Date.now() - 90_000);
    m.readFrom({ outboxByState: async () => [{ state: 'pending', count: 3 }, { state: 'dead', count: 1 }], oldestPending: async () => queued });
    const { body, contentType } = await m.exposition();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(value(body, 'kpi_outbox_messages{state="pending"}')).toBe(3);
    expect(value(body, 'kpi_outbox_messages{state="dead"}')).toBe(1);
    expect(value(body, 'kpi_outbox_messages{state="held"}')).toBe(0);
    expect(value(body, 'kpi_outbox_messages{state="undeliverable"}')).toBe(0);
    expect(value(body, 'kpi_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(90);
    expect(value(body, 'kpi_outbox_oldest_pending_seconds')).toBeLessThan(120);
    expect(value(body, 'kpi_database_up')).toBe(1);
  });

  it('marks the database down when the scrape cannot read it, and keeps answering', async () => {
    const m = new Metrics({ processMetrics: false });
    m.readFrom({ outboxByState: () => Promise.reject(new Error('connect ECONNREFUSED')), oldestPending: () => Promise.reject(new Error('connect ECONNREFUSED')) });
    const { body } = await m.exposition();
    expect(value(body, 'kpi_database_up')).toBe(0);
    expect(body).not.toContain('kpi_outbox_messages{');
  });

  it('counts job runs, sends, lookups, unavailability and acknowledgements as they are observed', async () => {
    const m = new Metrics({ processMetrics: false });
    m.jobRun('evaluate-statuses', 'ok', 0.4);
    m.jobRun('evaluate-statuses', 'failed', 2);
    m.jobRun('chase-data', 'skipped', 0);
    m.sent('slack', 'sent');
    m.sent('slack', 'sent');
    m.sent('teams', 'dead');
    m.lookup('slack', 'not_found');
    m.databaseUnavailable('command');
    m.databaseAnswered(false);
    m.acknowledged('slack', 'command', 0.04);
    m.acknowledged('slack', 'command', 4);
    const { body } = await m.exposition();
    expect(value(body, 'kpi_job_runs_total{job="evaluate-statuses",outcome="ok"}')).toBe(1);
    expect(value(body, 'kpi_job_runs_total{job="evaluate-statuses",outcome="failed"}')).toBe(1);
    expect(value(body, 'kpi_job_runs_total{job="chase-data",outcome="skipped"}')).toBe(1);
    expect(value(body, 'kpi_job_duration_seconds_count{job="evaluate-statuses"}')).toBe(2);
    expect(value(body, 'kpi_job_duration_seconds_count{job="chase-data"}')).toBeUndefined();
    expect(value(body, 'kpi_outbox_sends_total{platform="slack",outcome="sent"}')).toBe(2);
    expect(value(body, 'kpi_outbox_sends_total{platform="teams",outcome="dead"}')).toBe(1);
    expect(value(body, 'kpi_identity_lookups_total{platform="slack",outcome="not_found"}')).toBe(1);
    expect(value(body, 'kpi_database_unavailable_total{where="command"}')).toBe(1);
    expect(value(body, 'kpi_database_unavailable_total{where="readiness"}')).toBe(1);
    expect(value(body, 'kpi_database_up')).toBe(0);
    expect(value(body, 'kpi_ack_seconds_bucket{le="0.05",platform="slack",surface="command"}')).toBe(1);
    expect(value(body, 'kpi_ack_seconds_bucket{le="3",platform="slack",surface="command"}')).toBe(1);
    expect(value(body, 'kpi_ack_seconds_count{platform="slack",surface="command"}')).toBe(2);
  });

  it('keeps each app to its own registry, with the process series under kpi_', async () => {
    const a = new Metrics();
    const b = new Metrics();
    a.sent('slack', 'sent');
    expect(value((await b.exposition()).body, 'kpi_outbox_sends_total{platform="slack",outcome="sent"}')).toBeUndefined();
    expect((await a.exposition()).body).toMatch(/^kpi_process_cpu_seconds_total /m);
  });
});
