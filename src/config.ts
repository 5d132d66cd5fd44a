// Configuration: one zod schema reads the environment once at start. A bad or missing value
// fails fast with every problem listed and a hint on how to fix it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from './errors.ts';
import { CronExpressionParser } from 'cron-parser';
import { isTimeZone } from './domain/dates.ts';
import { IMPORT_LIMITS, type ImportLimits, type ImportReadOn } from './import/limits.ts';
import { optionalString, type EnvProblem } from './env.ts';
import { platformEnv, platformProblems, readPlatformConfigs, type PlatformConfigs } from './platforms/index.ts';
import { JOBS, cronVariable, type JobName } from '../jobs/index.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const CRON_HINT = 'a cron expression of 5 or 6 fields, e.g. "0 8 * * 1"';

/** What the scheduler can run on: 5 or 6 fields that parse (src/schedule.ts reads them with the same parser). */
function isCronExpression(s: string): boolean {
  try {
    CronExpressionParser.parse(s);
    return true;
  } catch {
    return false;
  }
}

const cronExpr = z.string().trim().regex(/^(\S+\s+){4,5}\S+$/, CRON_HINT).refine(isCronExpression, CRON_HINT);

/** KPI_CRON_<NAME> for every job in jobs/index.ts: its schedule instead of the job's default. */
const cronSetting = optionalString.pipe(cronExpr.optional());
const cronOverrides = Object.fromEntries(JOBS.map((j) => [cronVariable(j.name), cronSetting])) as Record<`KPI_CRON_${string}`, typeof cronSetting>;

/** A whole number from `min` to `max`, said so when it is not. */
function wholeNumberSetting(what: string, min: number, max: number, example: string) {
  const hint = `a whole number of ${what} from ${min.toLocaleString('en-GB')} to ${max.toLocaleString('en-GB')}, e.g. ${example}`;
  return optionalString.pipe(
    z
      .string()
      .regex(/^\d{1,10}$/, hint)
      .transform(Number)
      .refine((n) => n >= min && n <= max, hint)
      .optional(),
  );
}

const envSchema = z
  .object({
    ...platformEnv(),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'a PostgreSQL URL such as postgres://kpi:secret@localhost:5432/kpi')
        .optional(),
    ),
    KPI_DATA_DIR: optionalString,
    KPI_CACHE_DIR: optionalString,
    KPI_PUBLIC_URL: optionalString.pipe(
      z
        .url('the address people reach the bot at, such as https://kpi.example.gov.uk')
        .transform((u) => u.replace(/\/+$/, ''))
        .optional(),
    ),
    KPI_DATABASE_RETRY_SECONDS: optionalString.pipe(
      z
        .string()
        .regex(/^\d{1,3}$/, 'a whole number of seconds from 0 to 600, e.g. 30')
        .transform(Number)
        .refine((n) => n <= 600, 'a whole number of seconds from 0 to 600, e.g. 30')
        .optional(),
    ),
    KPI_SHUTDOWN_GRACE_SECONDS: optionalString.pipe(
      z
        .string()
        .regex(/^\d{1,3}$/, 'a whole number of seconds from 1 to 600, e.g. 25')
        .transform(Number)
        .refine((n) => n >= 1 && n <= 600, 'a whole number of seconds from 1 to 600, e.g. 25')
        .optional(),
    ),
    KPI_API_REQUESTS_PER_MINUTE: optionalString.pipe(
      z
        .string()
        .regex(/^\d{1,5}$/, 'a whole number of requests from 1 to 60000, e.g. 120')
        .transform(Number)
        .refine((n) => n >= 1 && n <= 60000, 'a whole number of requests from 1 to 60000, e.g. 120')
        .optional(),
    ),
    KPI_OUTBOX_CLAIM_SECONDS: optionalString.pipe(
      z
        .string()
        .regex(/^\d{1,4}$/, 'a whole number of seconds from 3 to 3600, e.g. 120')
        .transform(Number)
        .refine((n) => n >= 3 && n <= 3600, 'a whole number of seconds from 3 to 3600, e.g. 120')
        .optional(),
    ),
    KPI_FILE_RETENTION_DAYS: optionalString.pipe(
      z
        .string()
        .regex(/^\d{1,4}$/, 'a whole number of days from 1 to 3650, e.g. 30')
        .transform(Number)
        .refine((n) => n >= 1 && n <= 3650, 'a whole number of days from 1 to 3650, e.g. 30')
        .optional(),
    ),
    KPI_IMPORT_MAX_ROWS: wholeNumberSetting('rows per sheet', 1, 10_000_000, '200000'),
    KPI_IMPORT_MAX_CELLS: wholeNumberSetting('filled cells per file', 1, 100_000_000, '2000000'),
    KPI_IMPORT_MAX_UNZIPPED_MB: wholeNumberSetting('megabytes', 1, 4096, '200'),
    PORT: optionalString.pipe(
      z
        .string()
        .regex(/^\d{1,5}$/, 'a port number from 0 to 65535')
        .transform(Number)
        .refine((n) => n <= 65535, 'a port number from 0 to 65535')
        .optional(),
    ),
    TZ: optionalString.pipe(
      z
        .string()
        .refine(isTimeZone, 'an IANA time zone such as Europe/London')
        .optional(),
    ),
    LOG_LEVEL: optionalString.pipe(z.enum(LOG_LEVELS).optional()),
    KPI_SCHEDULER: optionalString.pipe(z.enum(['on', 'off']).optional()),
    KPI_DEMO: optionalString.pipe(z.enum(['on', 'off']).optional()),
    KPI_IMPORT_THREAD: optionalString.pipe(z.enum(['on', 'off']).optional()),
    KPI_OUT_DIR: optionalString,
    KPI_CHROMIUM: optionalString,
  })
  .extend(cronOverrides);

/** Every environment variable the configuration reads (docs/operating.md's Configuration table and .env.example name each). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/** Settings that only make sense together; checked on the raw values so they are listed with the rest. */
function crossFieldProblems(env: NodeJS.ProcessEnv): EnvProblem[] {
  const has = (k: string) => Boolean(env[k]?.trim());
  const out: EnvProblem[] = platformProblems(has);
  return out;
}


/** Each chat platform's settings are under its name: src/platforms/<name>/settings.ts. */
export interface Config extends PlatformConfigs {
  /** Embedded: `imageDir` keeps the prepared images a new data directory starts from (src/db/image.ts). */
  database: { kind: 'pglite'; dataDir: string; imageDir?: string } | { kind: 'postgres'; url: string };
  /** The bot's public address, for platforms that fetch charts and files from the bot (cards link to them). */
  publicUrl: string | undefined;
  /** How long files the bot serves to a platform (reports, import reports) can be downloaded; deleted after. */
  fileRetentionDays: number;
  /** Where an import file is read (KPI_IMPORT_THREAD): its own thread (on, the default) or this one (off: the test suite). */
  importReadOn: ImportReadOn;
  /** How much of a file an import reads (src/import/limits.ts; KPI_IMPORT_MAX_*). */
  importLimits: ImportLimits;
  /** How long a request keeps trying while the database is unavailable before saying nothing was saved. */
  databaseRetrySeconds: number;
  /** At SIGTERM, how long acknowledged work and running jobs may take to finish before the process exits anyway. */
  shutdownGraceSeconds: number;
  /** The HTTP API: requests one token may make per minute on one process (then 429 with Retry-After). */
  apiRequestsPerMinute: number;
  /** How long an outbox claim lasts without renewal: a message a dead process was sending waits this long. */
  outboxClaimSeconds: number;
  port: number;
  timeZone: string;
  logLevel: (typeof LOG_LEVELS)[number];
  scheduler: boolean;
  /** Each job's cron expression: its default schedule (jobs/<name>.ts) unless KPI_CRON_<NAME> is set. */
  cron: Record<JobName, string>;
  demo: boolean;
  outDir: string;
  /** The Chromium executable that prints PDF reports. */
  chromiumPath: string;
}

/** Load ./.env into process.env when it exists (values already in the environment win). */
export function loadDotEnv(file = path.resolve('.env')): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

/** Read and check the environment once. Throws a UserError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => ({ name: i.path.join('.') || '(environment)', message: i.message }))),
    ...crossFieldProblems(env),
  ];
  if (!parsed.success || issues.length) {
    const lines = issues.map(({ name, message }) => {
      const value = env[name]?.trim() ? ` (got "${redact(name, env[name]!)}")` : '';
      return `  - ${name}: ${message}${value}`;
    });
    throw new UserError(
      `The configuration is not valid:\n${lines.join('\n')}\n` +
        'Fix these environment variables (see .env.example for every variable and an example value) and start again.',
    );
  }
  const e = parsed.data!;
  return {
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: path.resolve(cwd, e.KPI_DATA_DIR ?? 'data/pglite'), ...(e.KPI_CACHE_DIR ? { imageDir: path.resolve(cwd, e.KPI_CACHE_DIR) } : {}) },
    ...readPlatformConfigs(e),
    publicUrl: e.KPI_PUBLIC_URL,
    fileRetentionDays: e.KPI_FILE_RETENTION_DAYS ?? 30,
    importReadOn: e.KPI_IMPORT_THREAD === 'off' ? 'this-thread' : 'import-thread',
    importLimits: {
      ...IMPORT_LIMITS,
      ...(e.KPI_IMPORT_MAX_ROWS ? { rowsPerSheet: e.KPI_IMPORT_MAX_ROWS } : {}),
      ...(e.KPI_IMPORT_MAX_CELLS ? { cells: e.KPI_IMPORT_MAX_CELLS } : {}),
      ...(e.KPI_IMPORT_MAX_UNZIPPED_MB ? { unzippedBytes: e.KPI_IMPORT_MAX_UNZIPPED_MB * 2 ** 20 } : {}),
    },
    outboxClaimSeconds: e.KPI_OUTBOX_CLAIM_SECONDS ?? 120,
    databaseRetrySeconds: e.KPI_DATABASE_RETRY_SECONDS ?? 30,
    shutdownGraceSeconds: e.KPI_SHUTDOWN_GRACE_SECONDS ?? 25,
    apiRequestsPerMinute: e.KPI_API_REQUESTS_PER_MINUTE ?? 120,
    port: e.PORT ?? 3000,
    timeZone: e.TZ ?? 'Europe/London',
    logLevel: e.LOG_LEVEL ?? 'info',
    scheduler: (e.KPI_SCHEDULER ?? 'on') === 'on',
    cron: Object.fromEntries(JOBS.map((j) => [j.name, e[cronVariable(j.name)] ?? j.schedule])) as Record<JobName, string>,
    demo: (e.KPI_DEMO ?? 'on') === 'on',
    outDir: path.resolve(cwd, e.KPI_OUT_DIR ?? 'out'),
    chromiumPath: e.KPI_CHROMIUM ?? '/usr/bin/chromium',
  };
}

/** Never echo a secret back, even in an error message. */
function redact(name: string, value: string): string {
  if (/TOKEN|SECRET|PASSWORD/.test(name)) return '…';
  // Any URL's password, whatever the scheme: scheme://user:…@host
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*):[^@\s]*@/i, '$1:…@');
}
