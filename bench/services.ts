// The services a job gets, for benchmarks: every person reachable on a console that prints nothing.
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import type { ChartRenderer, CommandDeps } from '../src/ports.ts';
import { silentLogger } from '../src/log.ts';
import { createServices } from '../src/wiring.ts';
import { consoleKit } from '../src/platforms/index.ts';

export function benchServices(prisma: PrismaClient, now: Date, charts?: ChartRenderer): CommandDeps {
  return createServices({ prisma, clock: { now: () => now }, log: silentLogger, platforms: [consoleKit({ show: async () => {} })], ...(charts ? { charts } : {}) }).deps;
}
