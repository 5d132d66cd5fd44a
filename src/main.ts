// `npm start`: the bot. With no chat platform configured it starts the local console.
import { loadConfig, loadDotEnv } from './config.ts';
import { isUserError } from './errors.ts';
import { createLogger } from './log.ts';
import { openConfiguredDatabase } from './db/configured.ts';
import { configuredPlatforms } from './platforms/index.ts';

const started = performance.now();
let config;
try {
  loadDotEnv();
  config = loadConfig();
} catch (e) {
  process.stderr.write(`kpi-bot cannot start. ${(e as Error).message}\n`);
  process.exit(1);
}
// On the console the log goes to stderr so it does not mix with the conversation.
const consoleMode = configuredPlatforms(config).length === 0;
const log = createLogger(consoleMode ? (process.env.LOG_LEVEL ?? 'warn') : config.logLevel, consoleMode ? process.stderr : undefined);

try {
  // The database opens on its own thread while the rest of the app loads here.
  const opening = openConfiguredDatabase(config, log);
  opening.catch(() => {});
  const [{ startApp }, { demoStart }] = await Promise.all([import('./app.ts'), import('./demo/start.ts')]);
  // The demo when the database is new and KPI_DEMO is on, and an organisation's own date (src/demo/start.ts).
  const app = await startApp({ config, log, opening, policy: demoStart({ seedIfEmpty: config.demo }) });
  log.info({ ms: Math.round(performance.now() - started) }, 'kpi-bot started');
  // SIGTERM (a deploy, `docker stop`, Kubernetes): no new requests, what was acknowledged finished
  // within KPI_SHUTDOWN_GRACE_SECONDS, claims released, exit 0 (src/app.ts stop()).
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'stopping');
    try {
      await app.stop();
    } catch (e) {
      log.error({ err: e }, 'stopping failed');
      process.exit(1);
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.done;
  if (consoleMode) {
    await app.stop();
    // The console ended (quit or end of input). Exit now rather than wait for the migration engine's idle timer.
    process.exit(0);
  }
} catch (e) {
  if (isUserError(e)) {
    process.stderr.write(`kpi-bot cannot start. ${e.message}\n`);
  } else {
    log.fatal({ err: e }, 'start-up failed');
    process.stderr.write(`kpi-bot cannot start: ${(e as Error).message}\n`);
  }
  process.exit(1);
}
