// The services every command and job gets (CommandDeps), built in one pass for the server, the CLI,
// tests and the benchmarks: the database, the clock they run by and the chat platforms they deliver
// on are all given at once, and nothing is attached afterwards. A platform's outbound side (its kit)
// is built first, over the same repository and chart renderer (openStores); the server then builds
// each platform's listeners from these services (src/app.ts).
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { ChannelAccess, ChartRenderer, Clock, CommandDeps, DocumentRenderer, Messenger, Observer, PlatformKit, PlatformName, TransportStores } from './ports.ts';
import { createTransportStores } from './repo/transport-stores.ts';
import type { Logger } from './log.ts';
import type { ImportLimits, ImportReadOn } from './import/limits.ts';
import { PrismaRepository } from './repo/prisma-repository.ts';
import { PrismaOutbox } from './outbox/outbox.ts';
import { PeopleDirectory } from './people/directory.ts';
import { createChartRenderer } from './charts/render.ts';
import { createPdfRenderer } from './report/pdf.ts';

/** What the services and the platforms' outbound sides share: the repository, what the transports keep, the chart renderer. */
export interface Stores {
  repo: PrismaRepository;
  /** What the chat transports keep in the database. */
  stores: TransportStores;
  charts: ChartRenderer;
}

export function openStores(prisma: PrismaClient, charts?: ChartRenderer): Stores {
  return { repo: new PrismaRepository(prisma), stores: createTransportStores(prisma), charts: charts ?? createChartRenderer() };
}

export interface Services extends Stores {
  deps: CommandDeps;
  directory: PeopleDirectory;
  /** Each platform's messenger, for the outbox sender. */
  messengers: Map<PlatformName, Messenger>;
  /** This process, for claims and leases. */
  holder: string;
}

export interface ServicesOptions {
  prisma: PrismaClient;
  /** The clock commands and jobs run by (the organisation's own date, where it has one, is the entry point's to choose). */
  clock: Clock;
  log: Logger;
  /** The platforms this process delivers on, in order of preference (their outbound kits, built over `stores`). */
  platforms: PlatformKit[];
  /** Built by openStores when the platforms' kits needed them first; else opened here. */
  stores?: Stores;
  chromiumPath?: string;
  charts?: ChartRenderer;
  documents?: DocumentRenderer;
  timeZone?: string;
  importLimits?: ImportLimits;
  /** Where import files are read (Config.importReadOn); the import thread unless told. */
  importReadOn?: ImportReadOn;
  observe?: Observer;
}

export function createServices(o: ServicesOptions): Services {
  const stores = o.stores ?? openStores(o.prisma, o.charts);
  const { repo } = stores;
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const kits = o.platforms;
  const everyone = kits.find((k) => k.reachesEveryone);
  const directory = new PeopleDirectory({
    repo,
    platforms: kits.map((k) => k.name),
    finders: kits.flatMap((k) => (k.finder ? [k.finder] : [])),
    ...(everyone ? { everyone: { platform: everyone.name, address: (id: number) => `person:${id}` } } : {}),
    holder,
    log: o.log,
    ...(o.observe ? { observe: o.observe } : {}),
    ...(o.timeZone ? { timeZone: o.timeZone } : {}),
  });
  const channels: Partial<Record<PlatformName, ChannelAccess>> = {};
  for (const k of kits) if (k.channels) channels[k.name] = k.channels;
  const deps: CommandDeps = {
    repo,
    clock: o.clock,
    charts: stores.charts,
    documents: o.documents ?? createPdfRenderer({ executablePath: o.chromiumPath ?? '/usr/bin/chromium' }),
    outbox: new PrismaOutbox(o.prisma, repo, directory),
    log: o.log,
    directory,
    channels,
    setupProblems: async () => (await Promise.all(kits.map((k) => k.setupProblems?.() ?? []))).flat(),
    ...(o.importLimits ? { importLimits: o.importLimits } : {}),
    ...(o.importReadOn ? { importReadOn: o.importReadOn } : {}),
    ...(o.observe ? { observe: o.observe } : {}),
  };
  return { ...stores, deps, directory, messengers: new Map(kits.map((k) => [k.name, k.messenger])), holder };
}
