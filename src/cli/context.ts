// Shared set-up for CLI commands: read the configuration once, open the database, always close it.
// Tests run commands in-process on their own database (runCli(argv, { database })).
import { AsyncLocalStorage } from 'node:async_hooks';
import { loadConfig, type Config } from '../config.ts';
import { openDatabase, type Database, type MigrationMode } from '../db/database.ts';
import { createLogger, type Logger } from '../log.ts';
import { PrismaRepository } from '../repo/prisma-repository.ts';
import { systemClock, type Clock, type Messenger, type PlatformName } from '../ports.ts';
import { createServices, usePlatforms, type Services } from '../wiring.ts';
import { consoleKit, outboundPlatforms } from '../platforms/index.ts';
import { StreamSink } from '../platforms/console/console.ts';

export interface CliContext {
  config: Config;
  db: Database;
  repo: PrismaRepository;
  log: Logger;
}

/** Migrations: the embedded database is migrated on open; PostgreSQL must already be current. */
export function defaultMigrationMode(config: Config): MigrationMode {
  return config.database.kind === 'pglite' ? 'apply' : 'require-current';
}

/** An already open database and configuration to run commands on instead of the configured ones. */
export const injectedDatabase = new AsyncLocalStorage<{ db: Database; config: Config }>();

export async function withDatabase<T>(fn: (ctx: CliContext) => Promise<T>, opts: { migrations?: MigrationMode } = {}): Promise<T> {
  // CLI output is for people: logs only when something is wrong, on stderr.
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr);
  const injected = injectedDatabase.getStore();
  if (injected) return fn({ config: injected.config, db: injected.db, repo: new PrismaRepository(injected.db.prisma), log });
  const config = loadConfig();
  const db = await openDatabase(config.database, { migrations: opts.migrations ?? defaultMigrationMode(config), log });
  try {
    return await fn({ config, db, repo: new PrismaRepository(db.prisma), log });
  } finally {
    await db.close();
  }
}

export interface ServicesContext extends CliContext {
  services: Services;
  /** The configured chat platforms' messengers (the console's, printing here, when there are none). */
  messengers: Map<PlatformName, Messenger>;
}

/** The database, the services and the configured chat platforms (outbound only): for commands that send or look people up. */
export function withServices<T>(clock: Clock, fn: (ctx: ServicesContext) => Promise<T>): Promise<T> {
  return withDatabase(async (ctx) => {
    const services = createServices({ prisma: ctx.db.prisma, clock, log: ctx.log, chromiumPath: ctx.config.chromiumPath, timeZone: ctx.config.timeZone });
    // Files a transport hosts itself (where cards link to them) expire by the real clock, whatever time a job runs as of.
    const platform = { stores: services.stores, repo: services.repo, charts: services.deps.charts, clock: systemClock, log: ctx.log, publicUrl: ctx.config.publicUrl, fileRetentionDays: ctx.config.fileRetentionDays };
    const kits = await outboundPlatforms(ctx.config, platform);
    if (!kits.length) kits.push(consoleKit(new StreamSink(services.repo, services.deps.charts, process.stdout, ctx.config.outDir)));
    const messengers = usePlatforms(services, kits);
    return fn({ ...ctx, repo: services.repo, services, messengers });
  });
}
