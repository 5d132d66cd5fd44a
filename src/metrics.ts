// The process's metrics, for /metrics in Prometheus's text format (prom-client). Counters and
// histograms are fed by the Observer port (src/ports/observer.ts) as things happen; what the
// database holds — the outbox by state, how long the oldest pending message has waited — is read
// when Prometheus scrapes, so every replica reports the same outbox and none keeps a count that a
// restart would lose. One registry per app (tests start several in one process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobOutcome, LookupOutcome, Observer, PlatformName, SendOutcome } from './ports.ts';

/** What is read from the database at each scrape. */
export interface MetricsSources {
  /** Outbox messages per state (pending, sent, dead, undeliverable, held). */
  outboxByState(): Promise<{ state: string; count: number }[]>;
  /** When the oldest message still waiting to be sent was queued (null: none waiting). */
  oldestPending(): Promise<Date | null>;
}

type Snapshot = { ok: true; byState: { state: string; count: number }[]; oldest: Date | null } | { ok: false };

/** The states the outbox gauge always reports (0 when none), so an alert on `dead` never sees a missing series. */
const OUTBOX_STATES = ['pending', 'sent', 'dead', 'undeliverable', 'held'];
/** Acknowledgement buckets: a platform waits 3 s (Slack) or 15 s (a Teams invoke). */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 15];
const JOB_BUCKETS = [0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900];

export class Metrics implements Observer {
  readonly registry = new Registry();
  private readonly ack: Histogram<'platform' | 'surface'>;
  private readonly jobs: Counter<'job' | 'outcome'>;
  private readonly jobSeconds: Histogram<'job'>;
  private readonly sends: Counter<'platform' | 'outcome'>;
  private readonly lookups: Counter<'platform' | 'outcome'>;
  private readonly unavailable: Counter<'where'>;
  private readonly databaseUp: Gauge;
  private sources: MetricsSources | null = null;
  private reading: Promise<Snapshot> | null = null;

  constructor(opts: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (opts.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'kpi_' });
    this.ack = new Histogram({ name: 'kpi_ack_seconds', help: 'Time from a platform request arriving to its acknowledgement (the HTTP answer)', labelNames: ['platform', 'surface'], buckets: ACK_BUCKETS, registers });
    this.jobs = new Counter({ name: 'kpi_job_runs_total', help: 'Scheduled or manual job runs, by outcome (ok, skipped, failed)', labelNames: ['job', 'outcome'], registers });
    this.jobSeconds = new Histogram({ name: 'kpi_job_duration_seconds', help: 'How long job runs that did their work took', labelNames: ['job'], buckets: JOB_BUCKETS, registers });
    this.sends = new Counter({ name: 'kpi_outbox_sends_total', help: 'Attempts to deliver an outbox message, by outcome (sent, failed, dead, ratelimited, held, waiting)', labelNames: ['platform', 'outcome'], registers });
    this.lookups = new Counter({ name: 'kpi_identity_lookups_total', help: 'People looked up by e-mail on a chat platform, by outcome (found, not_found, failed)', labelNames: ['platform', 'outcome'], registers });
    this.unavailable = new Counter({ name: 'kpi_database_unavailable_total', help: 'Times work found the database unavailable (and waited or gave up), by where', labelNames: ['where'], registers });
    const snapshot = () => this.snapshot();
    this.databaseUp = new Gauge({
      name: 'kpi_database_up',
      help: '1 when the database answered the last scrape or readiness check, 0 when it did not',
      registers,
      async collect() {
        const read = await snapshot();
        if (read) this.set(read.ok ? 1 : 0);
      },
    });
    new Gauge({
      name: 'kpi_outbox_messages',
      help: 'Outbox messages by state (read from the database at each scrape)',
      labelNames: ['state'],
      registers,
      async collect() {
        const read = await snapshot();
        if (!read?.ok) return;
        const counts = new Map(OUTBOX_STATES.map((s) => [s, 0]));
        for (const r of read.byState) counts.set(r.state, r.count);
        for (const [state, n] of counts) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'kpi_outbox_oldest_pending_seconds',
      help: 'How long the oldest message waiting to be sent has waited (0 when none)',
      registers,
      async collect() {
        const read = await snapshot();
        if (!read?.ok) return;
        this.set(read.oldest ? Math.max(0, (Date.now() - read.oldest.getTime()) / 1000) : 0);
      },
    });
  }

  /** Where the database-backed gauges are read from (the app sets it once the database is open). */
  readFrom(sources: MetricsSources): void {
    this.sources = sources;
  }

  /** What the database holds, read once per scrape (each gauge's collect awaits the same read). */
  private snapshot(): Promise<Snapshot | undefined> {
    const sources = this.sources;
    if (!sources) return Promise.resolve(undefined);
    this.reading ??= (async (): Promise<Snapshot> => {
      try {
        const [byState, oldest] = await Promise.all([sources.outboxByState(), sources.oldestPending()]);
        return { ok: true, byState, oldest };
      } catch {
        return { ok: false };
      }
    })();
    return this.reading;
  }

  /** The readiness check's verdict on the database. */
  databaseAnswered(up: boolean): void {
    this.databaseUp.set(up ? 1 : 0);
    if (!up) this.unavailable.inc({ where: 'readiness' });
  }

  acknowledged(platform: PlatformName, surface: string, seconds: number): void {
    this.ack.observe({ platform, surface }, seconds);
  }

  jobRun(job: string, outcome: JobOutcome, seconds: number): void {
    this.jobs.inc({ job, outcome });
    if (outcome !== 'skipped') this.jobSeconds.observe({ job }, seconds);
  }

  sent(platform: PlatformName, outcome: SendOutcome): void {
    this.sends.inc({ platform, outcome });
  }

  lookup(platform: PlatformName, outcome: LookupOutcome): void {
    this.lookups.inc({ platform, outcome });
  }

  databaseUnavailable(where: string): void {
    this.unavailable.inc({ where });
  }

  /** The text Prometheus scrapes, and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    this.reading = null;
    try {
      return { contentType: this.registry.contentType, body: await this.registry.metrics() };
    } finally {
      this.reading = null;
    }
  }
}
