// Configuration: one zod schema reads the environment once at start. A bad or missing value
// fails fast with every problem listed and a hint on how to fix it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from './errors.ts';
import { CronExpressionParser } from 'cron-parser';
import { isTimeZone } from './domain/dates.ts';
import { JOBS, cronVariable, type JobName } from '../jobs/index.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const TENANT_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const CRON_HINT = 'a cron expression of 5 or 6 fields, e.g. "0 8 * * 1"';

/** What the scheduler can run on: 5 or 6 fields that parse (the scheduler computes missed ticks with the same parser). */
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

const envSchema = z
  .object({
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'a PostgreSQL URL such as postgres://kpi:secret@localhost:5432/kpi')
        .optional(),
    ),
    KPI_DATA_DIR: optionalString,
    KPI_CACHE_DIR: optionalString,
    SLACK_BOT_TOKEN: optionalString.pipe(z.string().regex(/^xoxb-/, 'a bot token starting xoxb-').optional()),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: optionalString.pipe(z.string().regex(/^xapp-/, 'an app-level token starting xapp-').optional()),
    SLACK_API_URL: optionalString.pipe(z.url('a URL such as https://slack.com/api/').optional()),
    SLACK_BOT_USER_ID: optionalString,
    SLACK_BOT_ID: optionalString,
    SLACK_API_TIMEOUT_MS: optionalString.pipe(
      z
        .string()
        .regex(/^\d{2,6}$/, 'milliseconds, e.g. 20000')
        .transform(Number)
        .optional(),
    ),
    TEAMS_APP_ID: optionalString,
    TEAMS_APP_PASSWORD: optionalString,
    TEAMS_TENANT_ID: optionalString.pipe(z.string().regex(TENANT_GUID, 'a Microsoft Entra tenant id (a GUID)').optional()),
    TEAMS_ALLOWED_TENANTS: optionalString.pipe(
      z
        .string()
        .transform((s) => s.split(/[\s,;]+/).filter(Boolean).map((t) => t.toLowerCase()))
        .pipe(z.array(z.string().regex(TENANT_GUID, 'Microsoft Entra tenant ids (GUIDs), separated by commas')).min(1))
        .optional(),
    ),
    TEAMS_SERVICE_URL: optionalString.pipe(z.url('a URL such as https://smba.trafficmanager.net/teams/').optional()),
    // The SDK finds the signing keys next to it (…/openidconfiguration → …/keys), as Bot Framework publishes them.
    TEAMS_OPENID_METADATA_URL: optionalString.pipe(
      z
        .url('a URL ending /.well-known/openidconfiguration')
        .regex(/\/openidconfiguration$/, 'a URL ending /.well-known/openidconfiguration')
        .optional(),
    ),
    TEAMS_LOGIN_URL: optionalString.pipe(z.url('a URL such as https://login.microsoftonline.com').optional()),
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
    KPI_OUT_DIR: optionalString,
    KPI_CHROMIUM: optionalString,
  })
  .extend(cronOverrides);

/** Settings that only make sense together; checked on the raw values so they are listed with the rest. */
function crossFieldProblems(env: NodeJS.ProcessEnv): { name: string; message: string }[] {
  const has = (k: string) => Boolean(env[k]?.trim());
  const out: { name: string; message: string }[] = [];
  if (has('SLACK_BOT_TOKEN') && !has('SLACK_SIGNING_SECRET') && !has('SLACK_APP_TOKEN')) {
    out.push({ name: 'SLACK_SIGNING_SECRET', message: 'required with SLACK_BOT_TOKEN in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)' });
  }
  if ((has('SLACK_SIGNING_SECRET') || has('SLACK_APP_TOKEN')) && !has('SLACK_BOT_TOKEN')) {
    out.push({ name: 'SLACK_BOT_TOKEN', message: 'required when other SLACK_* credentials are set' });
  }
  if (has('TEAMS_APP_ID') !== has('TEAMS_APP_PASSWORD')) {
    out.push({ name: has('TEAMS_APP_ID') ? 'TEAMS_APP_PASSWORD' : 'TEAMS_APP_ID', message: 'TEAMS_APP_ID and TEAMS_APP_PASSWORD go together' });
  }
  if (has('TEAMS_APP_ID') && has('TEAMS_APP_PASSWORD') && !has('KPI_PUBLIC_URL')) {
    out.push({ name: 'KPI_PUBLIC_URL', message: 'required with Teams: the https:// address Teams reaches this bot at (charts in cards are served from it)' });
  }
  if (has('TEAMS_APP_ID') && has('TEAMS_APP_PASSWORD') && !has('TEAMS_TENANT_ID') && !has('TEAMS_ALLOWED_TENANTS')) {
    out.push({
      name: 'TEAMS_TENANT_ID',
      message: "required with Teams: the council's Microsoft Entra tenant id (or TEAMS_ALLOWED_TENANTS for a bot that serves several); activities from any other tenant are refused",
    });
  }
  return out;
}


export interface Config {
  /** Embedded: `imageDir` keeps the prepared images a new data directory starts from (src/db/image.ts). */
  database: { kind: 'pglite'; dataDir: string; imageDir?: string } | { kind: 'postgres'; url: string };
  slack: null | {
    botToken: string;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string | undefined;
    botUserId: string | undefined;
    botId: string | undefined;
    /** How long one Web API call may take before it is abandoned (and retried). */
    apiTimeoutMs: number;
  };
  teams: null | {
    appId: string;
    appPassword: string;
    /** The tenant the bot is registered in (TEAMS_TENANT_ID): its tokens come from there. */
    tenantId: string | undefined;
    /**
     * The tenants the bot serves (TEAMS_TENANT_ID and TEAMS_ALLOWED_TENANTS, lower case, never empty):
     * activities from any other are refused, and 1:1 chats are only started in these.
     */
    allowedTenants: string[];
    /** Bot Connector service for proactive messages to conversations never seen (default: Microsoft's). */
    serviceUrl: string;
    /** Overrides for tests and sovereign clouds: where inbound tokens' keys and outbound tokens come from. */
    openIdMetadataUrl: string | undefined;
    loginUrl: string | undefined;
  };
  /** The bot's public address (charts in Teams cards are served from it); unset without Teams. */
  publicUrl: string | undefined;
  /** How long files served to Teams (reports, import reports) can be downloaded; deleted after. */
  fileRetentionDays: number;
  /** How long a request keeps trying while the database is unavailable before saying nothing was saved. */
  databaseRetrySeconds: number;
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
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          appToken: e.SLACK_APP_TOKEN,
          apiUrl: e.SLACK_API_URL,
          botUserId: e.SLACK_BOT_USER_ID,
          botId: e.SLACK_BOT_ID,
          apiTimeoutMs: e.SLACK_API_TIMEOUT_MS ?? 20_000,
        }
      : null,
    teams:
      e.TEAMS_APP_ID && e.TEAMS_APP_PASSWORD
        ? {
            appId: e.TEAMS_APP_ID,
            appPassword: e.TEAMS_APP_PASSWORD,
            tenantId: e.TEAMS_TENANT_ID,
            allowedTenants: [...new Set([...(e.TEAMS_TENANT_ID ? [e.TEAMS_TENANT_ID.toLowerCase()] : []), ...(e.TEAMS_ALLOWED_TENANTS ?? [])])],
            serviceUrl: e.TEAMS_SERVICE_URL ?? 'https://smba.trafficmanager.net/teams/',
            openIdMetadataUrl: e.TEAMS_OPENID_METADATA_URL,
            loginUrl: e.TEAMS_LOGIN_URL,
          }
        : null,
    publicUrl: e.KPI_PUBLIC_URL,
    fileRetentionDays: e.KPI_FILE_RETENTION_DAYS ?? 30,
    outboxClaimSeconds: e.KPI_OUTBOX_CLAIM_SECONDS ?? 120,
    databaseRetrySeconds: e.KPI_DATABASE_RETRY_SECONDS ?? 30,
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
