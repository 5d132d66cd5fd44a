// The configured database, opened as the server opens it: the embedded one migrated at start (a new
// one from the prepared image, with the demo when KPI_DEMO is on), PostgreSQL checked to be current.
// main.ts starts this before loading the rest of the app, so the two overlap.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { DEMO_SEED } from '../demo/seed.ts';
import { openDatabase, type Database } from './database.ts';

export function openConfiguredDatabase(config: Config, log: Logger): Promise<Database> {
  return openDatabase(config.database, {
    migrations: config.database.kind === 'pglite' ? 'apply' : 'require-current',
    log,
    ...(config.demo ? { seed: DEMO_SEED } : {}),
  });
}
