// What the server holds of each chat platform it listens on (src/platforms/index.ts builds them).
import type { PlatformKit, PlatformName } from '../../ports.ts';

export interface Transport {
  name: PlatformName;
  /** What the services send through and find people with (they are built with it: src/wiring.ts). */
  kit: PlatformKit;
  /** Resolves when the work started by acknowledged requests has finished (tests, shutdown). */
  idle(): Promise<void>;
  start(): Promise<void>;
  /** Stop listening, after answering what has been acknowledged. */
  stop(): Promise<void>;
  /** What /readyz says of it (src/http/readiness.ts): what it cannot do as set up, and what else it knows. */
  readiness?(): Record<string, unknown>;
}
