// What the process tells its operators about how it is doing, as counts and timings (src/metrics.ts
// turns them into Prometheus series for /metrics). Commands, jobs, the outbox, the directory and the
// HTTP server call it; none of them knows how it is exposed. NO_OBSERVER when nobody is watching
// (the CLI, unit tests).
import type { PlatformName } from './organisation.ts';
import type { LookupOutcome } from './people.ts';

export type JobOutcome = 'ok' | 'skipped' | 'failed';
export type SendOutcome = 'sent' | 'failed' | 'dead' | 'ratelimited' | 'held' | 'waiting';

export interface Observer {
  /** A platform's request answered (its acknowledgement), `seconds` after it arrived. */
  acknowledged(platform: PlatformName, surface: string, seconds: number): void;
  /** A job run ended. */
  jobRun(job: string, outcome: JobOutcome, seconds: number): void;
  /** One attempt to deliver an outbox message ended. */
  sent(platform: PlatformName, outcome: SendOutcome): void;
  /** A person looked up by e-mail on a platform. */
  lookup(platform: PlatformName, outcome: LookupOutcome): void;
  /** Work found the database unavailable (`where`: command, job, readiness…). */
  databaseUnavailable(where: string): void;
}

export const NO_OBSERVER: Observer = {
  acknowledged() {},
  jobRun() {},
  sent() {},
  lookup() {},
  databaseUnavailable() {},
};
