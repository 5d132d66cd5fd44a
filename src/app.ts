// The composition root: an app is a function of its configuration. It opens the database, connects
// the platforms the configuration asks for (their outbound kits), builds the services with those kits
// and the clock in one pass, then starts each platform's listeners over them. What an entry point adds
// at start (the demo's seeding, its own date and baseline: src/demo/start.ts) it passes as `policy`.
import type { Readable, Writable } from 'node:stream';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Logger } from './log.ts';
import { systemClock, type Clock, type CommandDeps, type PlatformKit } from './ports.ts';
import { createServices, openStores } from './wiring.ts';
import { createDispatcher, type Dispatcher } from '../commands/dispatch.ts';
import { ConsoleScreen, ConsoleSession } from './platforms/console/console.ts';
import { HttpServer } from './http/server.ts';
import { mountReadiness } from './http/readiness.ts';
import { mountMetrics } from './http/metrics-route.ts';
import { mountApi } from './http/api.ts';
import { listIndicators, postValue, showIndicator } from '../commands/api-values.ts';
import { Metrics } from './metrics.ts';
import { connectPlatforms, configuredPlatforms, consoleKit, slowestCallMs, startTransports } from './platforms/index.ts';
import type { Transport } from './platforms/core/transport.ts';
import { createChartPool, type ChartPool } from './charts/pool.ts';
import { openConfiguredDatabase } from './db/configured.ts';
import { OutboxSender, outboxOptions } from './outbox/sender.ts';
import { JobRunner } from './runner.ts';
import { within } from './within.ts';
import { Scheduler } from './scheduler.ts';

/**
 * What an entry point does at start besides the app itself (the demo's: src/demo/start.ts): given the
 * open database and the base clock, the clock commands and jobs run by, and what to do once the app is up.
 */
export type StartPolicy = (ctx: { db: Database; clock: Clock; log: Logger }) => Promise<{ clock: Clock; started?: (deps: CommandDeps) => Promise<void> }>;

export interface AppOptions {
  config: Config;
  log: Logger;
  /** The real clock (default: the system's); the transports check signatures and tokens by it. */
  clock?: Clock;
  /** The entry point's policy at start (default: none — the base clock, nothing loaded). */
  policy?: StartPolicy;
  /** An already open database (tests), left open at stop; otherwise the configured one is opened. */
  db?: Database;
  /** The configured database, already being opened (main.ts starts that before loading the app); closed at stop. */
  opening?: Promise<Database>;
  /** Console streams (default: the process's stdin/stdout) when no chat platform is configured. */
  console?: { input: Readable; output: Writable; user?: string };
  /** Where the counts and timings go (default: a new registry, served at /metrics). */
  metrics?: Metrics;
  /** Charts drawn by a pool already running (tests share one per process), left open at stop; otherwise the app's own, closed at stop. */
  charts?: ChartPool;
}

export interface RunningApp {
  db: Database;
  deps: CommandDeps;
  dispatcher: Dispatcher;
  /** The configured chat platforms' transports, listening (none on the console). */
  transports: Transport[];
  /** Resolves when the work every transport started after acknowledging has finished (tests, shutdown). */
  idle(): Promise<void>;
  /** Runs any job once (the scheduler uses it; tests call it with their clock). */
  runner: JobRunner;
  outbox: OutboxSender;
  scheduler: Scheduler | null;
  /** The HTTP port actually listened on (null on the console). */
  port: number | null;
  /** The routes the HTTP server answers, as "GET /readyz" (none on the console). */
  routes: string[];
  /** Resolves when the app has stopped of its own accord (console input ended). */
  done: Promise<void>;
  /** The process's counts and timings (GET /metrics). */
  metrics: Metrics;
  /**
   * Stop: no new requests (the platforms' routes answer 503, /readyz says stopping), the scheduler's
   * running jobs and the work already acknowledged finished — for at most `graceMs` (default
   * KPI_SHUTDOWN_GRACE_SECONDS), after which what is left is logged and given up (it changed nothing
   * it had not saved: a job's lease ends by itself, a claimed message goes back to the outbox) —
   * then the server and the database closed.
   */
  stop(opts?: { graceMs?: number }): Promise<void>;
}

export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const { config, log } = opts;
  const clock = opts.clock ?? systemClock;
  const t0 = performance.now();
  const db = opts.db ?? (await (opts.opening ?? openConfiguredDatabase(config, log)));
  const metrics = opts.metrics ?? new Metrics();
  metrics.readFrom({
    outboxByState: async () => (await db.prisma.outboundMessage.groupBy({ by: ['state'], _count: { _all: true } })).map((r) => ({ state: r.state, count: r._count._all })),
    oldestPending: async () => (await db.prisma.outboundMessage.aggregate({ where: { state: 'pending' }, _min: { createdAt: true } }))._min.createdAt,
  });
  const policy = opts.policy ? await opts.policy({ db, clock, log }) : { clock };
  // The clock commands and jobs run by; the transports keep the real one.
  const appClock = policy.clock;
  // Charts are drawn on a thread of their own, so no chart holds up an acknowledgement.
  const charts = opts.charts ?? createChartPool();
  const stores = openStores(db.prisma, charts);
  const { repo } = stores;
  const databaseRetry = { budgetMs: config.databaseRetrySeconds * 1000 };
  const chat = configuredPlatforms(config).length > 0;
  const http = chat ? new HttpServer(log, metrics) : null;
  // Each platform's SDK is loaded only when it is configured (src/platforms/index.ts); the console prints on this screen.
  const connected = http ? await connectPlatforms(config, { ...stores, clock, log, http, publicUrl: config.publicUrl, fileRetentionDays: config.fileRetentionDays }) : [];
  const screen = http ? null : new ConsoleScreen({ output: opts.console?.output ?? process.stdout, outDir: config.outDir, repo, charts });
  const kits: PlatformKit[] = screen ? [consoleKit(screen)] : connected.map((c) => c.kit);
  const services = createServices({ prisma: db.prisma, stores, platforms: kits, clock: appClock, log, chromiumPath: config.chromiumPath, timeZone: config.timeZone, importLimits: config.importLimits, importReadOn: config.importReadOn, observe: metrics });
  const { deps } = services;
  const dispatcher = createDispatcher(deps, { databaseRetry });
  const outbox = new OutboxSender(db.prisma, services.messengers, log, { ...outboxOptions(config, slowestCallMs(config)), observe: metrics });
  log.info({ database: db.description, ms: Math.round(performance.now() - t0) }, 'database ready');

  let done: Promise<void> = Promise.resolve();
  let transports: Transport[] = [];
  let port: number | null = null;
  if (http) {
    const started = await startTransports(connected, { deps, dispatcher, databaseRetry });
    transports = started.transports;
    mountReadiness(http, {
      heldMessages: () => db.prisma.outboundMessage.count({ where: { state: 'held' } }),
      platforms: transports.flatMap((t) => (t.readiness ? [{ name: t.name, readiness: t.readiness }] : [])),
      stopping: () => http.isDraining,
      databaseAnswered: (up) => metrics.databaseAnswered(up),
    });
    mountMetrics(http, metrics);
    // The API for source systems: values through the chat submit's one check (commands/api-values.ts).
    mountApi(http, {
      repo,
      log,
      now: () => deps.clock.now(),
      requestsPerMinute: config.apiRequestsPerMinute,
      // The rate limit refills by the clock the app was given (tests move it; the real one otherwise).
      nowMs: () => clock.now().getTime(),
      handlers: { postValue: (t, v) => postValue(deps, t, v), listIndicators: (t) => listIndicators(deps, t), showIndicator: (t, q) => showIndicator(deps, t, q) },
    });
    port = await http.listen(config.port);
    log.info({ port, ...started.listening }, 'listening');
  } else {
    const session = new ConsoleSession({
      screen: screen!,
      deps,
      dispatcher,
      input: opts.console?.input ?? process.stdin,
      user: opts.console?.user,
      // What each command queued for others (a request to approve, a review) is sent, so it prints now.
      afterCommand: async () => {
        await outbox.drain(appClock.now());
      },
    });
    done = session.run();
  }
  await policy.started?.(deps);

  // Messages held because the platform could not look for them (a Slack scope the token lacked) are
  // looked for again at a start where it can: once the platform has said (in the background: Slack
  // is asked while the bot starts).
  let stopped = false;
  let stopping: Promise<void> | null = null;
  const releasing = (async () => {
    for (const t of transports) {
      const problems = await t.kit.setupProblems?.();
      if (!stopped && !problems?.some((p) => p.holdsPosts)) await outbox.releaseHeld(t.name, appClock.now());
    }
  })().catch((e: unknown) => log.warn({ err: (e as Error).message }, 'outbox: could not release held messages; they are tried at the next start'));
  const runner = new JobRunner(db.prisma, deps, outbox, log);
  let scheduler: Scheduler | null = null;
  if (config.scheduler) {
    scheduler = new Scheduler({ runner, clock: appClock, log, cron: config.cron, timeZone: config.timeZone });
    await scheduler.start();
  }

  return {
    db,
    deps,
    dispatcher,
    transports,
    idle: async () => {
      await Promise.all([releasing, ...transports.map((t) => t.idle())]);
    },
    runner,
    outbox,
    scheduler,
    port,
    routes: http?.mounted() ?? [],
    done,
    metrics,
    stop(o: { graceMs?: number } = {}) {
      stopping ??= (async () => {
        stopped = true;
        const t0 = performance.now();
        http?.drain();
        outbox.stop();
        const graceMs = o.graceMs ?? config.shutdownGraceSeconds * 1000;
        const finished = await within(
          Promise.all([scheduler?.stop(), ...transports.map((t) => t.stop())]).then(() => true),
          graceMs,
          false,
        );
        if (finished) log.info({ ms: Math.round(performance.now() - t0) }, 'stopped: acknowledged work and running jobs finished');
        else log.warn({ graceMs }, 'stopping with work still running after the grace period: a running job is taken over when its lease ends, a message being sent goes back to the outbox when its claim ends');
        await http?.close();
        if (!opts.charts) await charts.close();
        if (!opts.db) await db.close();
      })();
      return stopping;
    },
  };
}
