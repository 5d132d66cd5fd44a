// What every command handler and job is given: the ports together, and renderers.
import type { ChartRenderer } from '../charts/spec.ts';
import type { Logger } from '../log.ts';
import type { ChannelAccess } from './alerts.ts';
import type { Clock, PlatformName } from './organisation.ts';
import type { Outbox } from './outbox.ts';
import type { Directory } from './people.ts';
import type { Repository } from './repository.ts';
import type { SetupProblem } from './platform-kit.ts';
import type { ImportLimits, ImportReadOn } from '../import/limits.ts';
import type { Observer } from './observer.ts';

export type { ChartRenderer };

/** Turns a self-contained HTML page into a PDF (src/report/pdf.ts: headless Chromium). */
export interface DocumentRenderer {
  /** A4, backgrounds printed, `footer` and page numbers at the foot of every page; the title is the page's <title>. */
  pdf(html: string, opts: { footer: string }): Promise<Uint8Array>;
}

/** Services every command handler gets. */
export interface CommandDeps {
  repo: Repository;
  clock: Clock;
  charts: ChartRenderer;
  documents: DocumentRenderer;
  outbox: Outbox;
  log: Logger;
  directory: Directory;
  /** Per platform: joining and naming channels (for subscriptions). */
  channels: Partial<Record<PlatformName, ChannelAccess>>;
  /** How much of a file an import reads (src/import/limits.ts); IMPORT_LIMITS when unset. */
  importLimits?: ImportLimits;
  /** Where an import file is read and checked: its own thread (src/import/off-thread.ts) when unset; this one in tests of what is said back. */
  importReadOn?: ImportReadOn;
  /** What the chat platforms cannot do as the bot is set up (a Slack scope the token lacks); none when unset. */
  setupProblems?: () => Promise<SetupProblem[]>;
  /** Counts and timings for the operators (src/metrics.ts); nobody watching when unset. */
  observe?: Observer;
}

/** Jobs get the same services; the time they run "as of" is passed to each run. */
export type JobDeps = CommandDeps;

/** What a job run did, for logs, the job_run table and the CLI. */
export interface JobSummary {
  [key: string]: number | string | string[];
}
