// The demo's policy at start belongs to the entry points that pass it (src/demo/start.ts), not to the
// composition root: an app started without it leaves an empty database empty and runs by the clock it
// is given; with it, the demo is loaded, commands and jobs run on the demo's own date, and where
// everything stands then is the baseline. Either way the services are built with their platform.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testConfig, TestClock } from '../support/app.ts';
import { silentLogger } from '../../src/log.ts';
import { startApp, type AppOptions } from '../../src/app.ts';
import { demoStart } from '../../src/demo/start.ts';

describe.each(backends('pglite'))('the demo at start (%s)', (backend) => {
  // The machine's clock: years after the demo's date.
  const machine = new TestClock(new Date('2026-03-02T10:00:00Z'));
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  async function start(policy?: AppOptions['policy']) {
    db = await createTestDatabase(backend);
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    const app = await startApp({ config: testConfig({ KPI_DEMO: 'on' }), log: silentLogger, clock: machine, db, console: { input, output }, ...(policy ? { policy } : {}) });
    return {
      app,
      async stop() {
        input.end();
        await app.done;
        await app.stop();
      },
    };
  }

  it('without the policy: an empty database stays empty and the app runs by the clock given', async () => {
    const { app, stop } = await start();
    try {
      expect(await db!.prisma.indicator.count()).toBe(0);
      expect(app.deps.clock.now()).toEqual(machine.now());
      expect(app.deps.directory.platforms).toEqual(['console']);
    } finally {
      await stop();
    }
  });

  it('with it: the demo loaded, run on its own date, its statuses the baseline', async () => {
    const { app, stop } = await start(demoStart({ seedIfEmpty: true }));
    try {
      expect(await db!.prisma.indicator.count()).toBeGreaterThan(0);
      expect(app.deps.clock.now().toISOString().slice(0, 10)).toBe('2018-01-15');
      expect(await db!.prisma.evaluationState.count()).toBeGreaterThan(0);
      expect(app.deps.directory.platforms).toEqual(['console']);
    } finally {
      await stop();
    }
  });
});
