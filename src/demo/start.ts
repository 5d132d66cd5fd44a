// The demo's policy at start, applied by the entry points that start the bot for people to try it
// (`npm start` — src/main.ts — and `kpi console`), never by the composition root itself (src/app.ts):
// an empty embedded database gets the demo organisation, an organisation with a date of its own (the
// demo's, src/demo/clock.ts) runs on it, and a demo loaded at this start has where everything stands as
// its baseline — the first evaluation alerts nobody, later changes do.
import type { StartPolicy } from '../app.ts';
import { PrismaRepository } from '../repo/prisma-repository.ts';
import { evaluateStatuses } from '../../jobs/evaluate-statuses.ts';
import { seedDemoIfEmpty } from './demo.ts';
import { organisationClock } from './clock.ts';
import { DEMO_SEED } from './seed.ts';

export interface DemoStartOptions {
  /** Load the demo into an embedded database that is empty (KPI_DEMO). */
  seedIfEmpty: boolean;
  /** Run commands and jobs on the organisation's own date where it has one (default); false keeps the clock given (benchmarks). */
  ownDate?: boolean;
}

export function demoStart(o: DemoStartOptions): StartPolicy {
  return async ({ db, clock, log }) => {
    // A new embedded database starts from the prepared demo image; an existing empty one gets the demo written.
    let loaded = db.seeded === DEMO_SEED.name;
    if (loaded) log.info('new embedded database: demo organisation loaded');
    else if (o.seedIfEmpty && db.kind === 'pglite') {
      const demo = await seedDemoIfEmpty(db.prisma, clock.now());
      loaded = demo !== null;
      if (demo) log.info({ indicators: demo.indicators.created, people: demo.people.created }, 'empty database: demo organisation loaded');
    }
    // The demo runs on its own date: commands and jobs see it; the transports keep the real clock
    // (request signatures and tokens are checked against it).
    const org = await new PrismaRepository(db.prisma).org();
    const own = o.ownDate === false ? clock : organisationClock(org, clock);
    if (own !== clock) log.info({ today: org.demoToday }, 'the organisation runs on its own date');
    return {
      clock: own,
      ...(loaded
        ? {
            started: async (deps) => {
              await evaluateStatuses(deps, own.now());
            },
          }
        : {}),
    };
  };
}
