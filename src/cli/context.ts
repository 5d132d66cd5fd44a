// Shared set-up for CLI commands: read the configuration once, open the database, always close it.
// Tests run commands in-process on their own database (runCli(argv, { database })).
import { AsyncLocalStorage } from 'node:async_hooks';
import { loadConfig, type Config } from '../config.ts';
import { openDatabase, type Database, type MigrationMode } from '../db/database.ts';
import { createLogger, type Logger } from '../log.ts';
import { PrismaRepository } from '../repo/prisma-repository.ts';
import { systemClock, type Clock, type Messenger, type PlatformName, type Repository } from '../ports.ts';
import { organisationClock } from '../demo/clock.ts';
import { UserError } from '../errors.ts';
import { lastDayOfMonth } from '../domain/dates.ts';
import { FIRST_YEAR, LAST_YEAR } from '../domain/periods.ts';
import { createServices, openStores, type Services } from '../wiring.ts';
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

/** An already open database and configuration to run commands on instead of the configured ones (tests), and the clock they run by. */
export const injectedDatabase = new AsyncLocalStorage<{ db: Database; config: Config; clock?: Clock }>();

/** The machine's clock, or the one a test runs the CLI by. */
export function baseClock(): Clock {
  return injectedDatabase.getStore()?.clock ?? systemClock;
}

const NOW_HINT = 'Use e.g. --now 2025-10-06T08:00 (UTC) or --now 2025-10-06T09:00+01:00.';
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * "2025-10-06T08:00" (local time in the organisation's zone is not guessed: give Z or an offset, or it
 * is read as UTC); a date alone is 09:00 UTC. Each part is checked — 31 February is refused, not read
 * as 3 March — and the year is one a period can be in.
 */
export function parseNow(text: string): Date {
  const shown = JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
  const refuse = (why: string) => new UserError(`--now ${shown} ${why}.`, NOW_HINT);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(text.trim());
  if (!m) throw refuse('is not a date and time');
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '09', m[5] ?? '00', m[6] ?? '00'].map(Number) as [number, number, number, number, number, number];
  if (year < FIRST_YEAR || year > LAST_YEAR) throw refuse(`is not a date I can run as: the year must be between ${FIRST_YEAR} and ${LAST_YEAR}`);
  if (month < 1 || month > 12) throw refuse(`is not a date: there is no month ${month}`);
  const days = lastDayOfMonth(year, month);
  if (day < 1 || day > days) throw refuse(`is not a date: ${MONTH_NAMES[month - 1]} ${year} has ${days} days`);
  if (hour > 23 || minute > 59 || second > 59) throw refuse(`is not a time of day: hours run 00–23, minutes and seconds 00–59`);
  const zone = (m[8] ?? 'Z').toUpperCase();
  const offset = zone === 'Z' ? null : /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  if (offset && (Number(offset[2]) > 14 || Number(offset[3]) > 59)) throw refuse(`has an offset from UTC no place has (at most ±14:00)`);
  const offsetMs = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000 : 0;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, Number(m[7] ?? 0) * 1000) - offsetMs);
}

/**
 * The clock a CLI command runs by: `--now` when given, else the organisation's clock — its own date
 * where it has one (the demo runs on 15 January 2018), as chat and the scheduled jobs do.
 */
export async function commandClock(repo: Pick<Repository, 'org'>, now?: string): Promise<Clock> {
  if (now !== undefined) {
    const at = parseNow(now);
    return { now: () => at };
  }
  return organisationClock(await repo.org(), baseClock());
}

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

/** The clock a command's services run by: given, or read from the database (the organisation's own date, `--now`). */
export type ClockChoice = Clock | ((repo: Repository) => Promise<Clock>);

/**
 * The services over an open database, with the configured chat platforms (outbound only), built in
 * one pass. They run by `clock`, or by the organisation's clock (see commandClock) when none is given.
 */
export async function servicesFor(ctx: CliContext, clock: ClockChoice | null): Promise<ServicesContext> {
  const stores = openStores(ctx.db.prisma);
  const runBy = clock === null ? await commandClock(stores.repo) : typeof clock === 'function' ? await clock(stores.repo) : clock;
  // Files a transport hosts itself (where cards link to them) expire by the real clock, whatever time a job runs as of.
  const platform = { ...stores, clock: systemClock, log: ctx.log, publicUrl: ctx.config.publicUrl, fileRetentionDays: ctx.config.fileRetentionDays };
  const kits = await outboundPlatforms(ctx.config, platform);
  if (!kits.length) kits.push(consoleKit(new StreamSink(stores.repo, stores.charts, process.stdout, ctx.config.outDir)));
  const services = createServices({ prisma: ctx.db.prisma, stores, platforms: kits, clock: runBy, log: ctx.log, chromiumPath: ctx.config.chromiumPath, timeZone: ctx.config.timeZone });
  return { ...ctx, repo: services.repo, services, messengers: services.messengers };
}

/** The database, the services and the configured chat platforms (outbound only): for commands that send or look people up. */
export function withServices<T>(clock: ClockChoice | null, fn: (ctx: ServicesContext) => Promise<T>): Promise<T> {
  return withDatabase(async (ctx) => fn(await servicesFor(ctx, clock)));
}
