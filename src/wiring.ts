// The services every command and job gets (CommandDeps), built one way for the server, the CLI,
// tests and the benchmarks. The chat platforms are attached afterwards (usePlatforms): the server
// builds its transports from these services, and the directory then learns where people can be found.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { ChartRenderer, Clock, CommandDeps, DocumentRenderer, Messenger, Observer, PlatformKit, PlatformName, TransportStores } from './ports.ts';
import { createTransportStores } from './repo/transport-stores.ts';
import type { Logger } from './log.ts';
import type { ImportLimits } from './import/limits.ts';
import { PrismaRepository } from './repo/prisma-repository.ts';
import { PrismaOutbox } from './outbox/outbox.ts';
import { PeopleDirectory } from './people/directory.ts';
import { createChartRenderer } from './charts/render.ts';
import { createPdfRenderer } from './report/pdf.ts';

export interface Services {
  deps: CommandDeps;
  directory: PeopleDirectory;
  repo: PrismaRepository;
  /** What the chat transports keep in the database. */
  stores: TransportStores;
  /** This process, for claims and leases. */
  holder: string;
}

export function createServices(o: { prisma: PrismaClient; clock: Clock; log: Logger; chromiumPath?: string; charts?: ChartRenderer; documents?: DocumentRenderer; timeZone?: string; importLimits?: ImportLimits; observe?: Observer }): Services {
  const repo = new PrismaRepository(o.prisma);
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const directory = new PeopleDirectory({ repo, platforms: [], finders: [], holder, log: o.log, ...(o.observe ? { observe: o.observe } : {}), ...(o.timeZone ? { timeZone: o.timeZone } : {}) });
  const deps: CommandDeps = {
    repo,
    clock: o.clock,
    charts: o.charts ?? createChartRenderer(),
    documents: o.documents ?? createPdfRenderer({ executablePath: o.chromiumPath ?? '/usr/bin/chromium' }),
    outbox: new PrismaOutbox(o.prisma, repo, directory),
    log: o.log,
    directory,
    channels: {},
    ...(o.importLimits ? { importLimits: o.importLimits } : {}),
    ...(o.observe ? { observe: o.observe } : {}),
  };
  return { deps, directory, repo, stores: createTransportStores(o.prisma), holder };
}

/** Tell the services which platforms this process delivers on, in order of preference. */
export function usePlatforms(s: Services, kits: PlatformKit[]): Map<PlatformName, Messenger> {
  const everyone = kits.find((k) => k.reachesEveryone);
  s.directory.use(
    kits.map((k) => k.name),
    kits.flatMap((k) => (k.finder ? [k.finder] : [])),
    everyone ? { platform: everyone.name, address: (id) => `person:${id}` } : undefined,
  );
  for (const k of kits) if (k.channels) s.deps.channels[k.name] = k.channels;
  s.deps.setupProblems = async () => (await Promise.all(kits.map((k) => k.setupProblems?.() ?? []))).flat();
  return new Map(kits.map((k) => [k.name, k.messenger]));
}
