// The services a job gets, for benchmarks: every person reachable on a console that prints nothing.
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import type { ChartRenderer, CommandDeps } from '../src/ports.ts';
import { silentLogger } from '../src/log.ts';
import { createServices, usePlatforms } from '../src/wiring.ts';
import { consoleKit } from '../src/platforms/index.ts';

export function benchServices(prisma: PrismaClient, now: Date, charts?: ChartRenderer): CommandDeps {
  const s = createServices({ prisma, clock: { now: () => now }, log: silentLogger, ...(charts ? { charts } : {}) });
  usePlatforms(s, [consoleKit({ show: async () => {} })]);
  return s.deps;
}
