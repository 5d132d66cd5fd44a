// Builders for integration tests: a config, a frozen clock, and the app on a test database.
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { loadConfig, type Config } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import type { Clock } from '../../src/ports.ts';
import { startApp, type RunningApp } from '../../src/app.ts';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, restoreDemoRows, type Backend, type TestDatabase } from './db.ts';
import { DEMO_GIVEN_AT, loadDemo } from '../../src/demo/demo.ts';
import { TestClock } from './clock.ts';
import { createChartPool, type ChartPool } from '../../src/charts/pool.ts';

export { TestClock };

/** Where reports and charts are written: a directory per test worker, as files run side by side. */
const OUT_DIR = path.join(os.tmpdir(), 'kpi-test-out', process.env.VITEST_POOL_ID ?? 'main');

export function testConfig(env: Record<string, string> = {}): Config {
  // Import files read on the test's own thread: a thread per import was most of what the suite's imports cost
  // (import-limits.test.ts and test/unit/import/off-thread.test.ts prove the import thread).
  return loadConfig({ KPI_SCHEDULER: 'off', KPI_DEMO: 'off', KPI_IMPORT_THREAD: 'off', KPI_OUT_DIR: OUT_DIR, ...env }, process.cwd());
}

let charts: ChartPool | null = null;

/**
 * The chart pool every app started in this test process draws with: an app's own would start a drawing
 * thread (Chart.js and canvas loaded again, about a third of a CPU-second) in every file. Idle, its
 * thread does not keep the process alive. test/unit/charts/pool.test.ts proves a pool of its own.
 */
export const testCharts = (): ChartPool => (charts ??= createChartPool());

/**
 * Load the demo organisation into a test database (the same data as a first start). Into a fresh one,
 * at a date it loads the same rows on, the rows loaded once at the start of the run are written instead
 * (test/support/demo-rows.ts), in one script.
 */
export async function withDemo(db: TestDatabase, at = new Date('2018-02-01T09:00:00Z')): Promise<void> {
  if (at >= DEMO_GIVEN_AT && (await restoreDemoRows(db))) return;
  await loadDemo(db.prisma, at);
}

export interface ConsoleHarness {
  app: RunningApp;
  /** Type a line; resolves with everything printed until the next prompt. */
  type(line: string): Promise<string>;
  close(): Promise<void>;
}

/** The app's console transport on in-memory streams. */
export async function startConsole(db: TestDatabase, clock: Clock, user?: string, env: Record<string, string> = {}): Promise<ConsoleHarness> {
  const input = new PassThrough();
  const output = new PassThrough();
  let buffer = '';
  let waiter: (() => void) | null = null;
  // The console waits for input after its "kpi> " prompt, or after a form field's "Label: " prompt.
  const prompted = () => buffer.endsWith('kpi> ') || /: $/.test(buffer);
  output.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    if (prompted() && waiter) waiter();
  });
  const untilPrompt = () =>
    new Promise<string>((resolve) => {
      const done = () => {
        const out = buffer.endsWith('kpi> ') ? buffer.slice(0, -'kpi> '.length) : buffer;
        buffer = '';
        waiter = null;
        resolve(out);
      };
      if (prompted()) done();
      else waiter = done;
    });
  const app = await startApp({ config: testConfig(env), log: silentLogger, clock, db, charts: testCharts(), console: { input, output, ...(user ? { user } : {}) } });
  await untilPrompt();
  return {
    app,
    async type(line: string) {
      input.write(line + '\n');
      return untilPrompt();
    },
    async close() {
      input.end();
      await app.done;
    },
  };
}

/** For a describe block: the demo organisation on a fresh database and the console on it (as `user`), torn down afterwards. */
export function useConsoleDemo(backend: Backend, clock: Clock, user?: string): { readonly db: TestDatabase; readonly con: ConsoleHarness } {
  const ctx = {} as { db: TestDatabase; con: ConsoleHarness };
  beforeAll(async () => {
    ctx.db = await createTestDatabase(backend);
    await withDemo(ctx.db);
    ctx.con = await startConsole(ctx.db, clock, user);
  });
  afterAll(async () => {
    await ctx.con?.close();
    await ctx.db?.close();
  });
  return ctx;
}
