// A chat platform as data: what the registry (src/platforms/index.ts) needs to know of one. A new
// platform is a folder src/platforms/<name>/ whose index.ts exports one of these, and one line in
// the registry. Nothing outside those names a platform.
import type { z } from 'zod';
import type { Command } from 'commander';
import type { Logger } from '../../log.ts';
import type { ChartRenderer, Clock, CommandDeps, Dispatcher, PlatformKit, Repository, TransportStores } from '../../ports.ts';
import type { HttpServer } from '../../http/server.ts';
import type { RetryPolicy } from '../../db/unavailable.ts';
import type { PlatformSettings } from './settings.ts';
import type { Transport } from './transport.ts';
import type { PlatformAbout } from '../../catalogue/about.ts';

/** What the outbound side of a platform is built from (the server and the CLI alike). */
export interface OutboundContext {
  stores: TransportStores;
  repo: Repository;
  charts: ChartRenderer;
  clock: Clock;
  log: Logger;
  /** The bot's public address (KPI_PUBLIC_URL), for platforms that fetch files from it. */
  publicUrl: string | undefined;
  /** How long files served to a platform can be downloaded (KPI_FILE_RETENTION_DAYS). */
  fileRetentionDays: number;
}

/** What a platform is connected to on the server: its outbound side's context and the shared HTTP server. */
export interface ConnectContext extends OutboundContext {
  http: HttpServer;
}

/** What its listeners (the inbound side: routes or a socket) are built from, once the services are. */
export interface ListenContext {
  deps: CommandDeps;
  dispatcher: Dispatcher;
  databaseRetry: RetryPolicy;
}

/** A platform connected on the server: its kit first (the services are built with it), then its listeners. */
export interface Connection {
  kit: PlatformKit;
  /** Its transport, listening once started (by the caller). */
  listen(ctx: ListenContext): Promise<Transport>;
}

/** A /kpi subcommand as a platform lists it (an app manifest's command list). */
export interface ChatCommandSummary {
  name: string;
  summary: string;
  usage: string;
  /** Only for these roles. */
  roles?: readonly string[];
}

export interface Platform<Name extends string = string, C = unknown> extends PlatformAbout<Name> {
  settings: PlatformSettings<z.ZodRawShape, C>;
  /** How its channel ids are written, for an import's Alert channel column and `kpi subscribe`. */
  channel: { pattern: RegExp; example: string };
  /** How a register's People sheet gives its user ids: the column names people use, and the id's form. */
  identity: { columns: string[]; pattern: RegExp; invalid: string; normalise?: (id: string) => string };
  /** How long one call to its API may take (the outbox's claims last longer than that). */
  callTimeoutMs(config: C): number;
  /** One line for the log at start: how it is listening. */
  describe(config: C): string;
  /** Its outbound side only (no routes): for commands run from the CLI. */
  outbound(config: C, ctx: OutboundContext): Promise<PlatformKit>;
  /** On the server: its outbound side on the shared HTTP server, and how to listen once the services are built with its kit. */
  connect(config: C, ctx: ConnectContext): Promise<Connection>;
  /** Commands of its own for the admin CLI (e.g. an app package to upload); `chat.commands`: the /kpi subcommands. */
  cli?(program: Command, chat: { commands: readonly ChatCommandSummary[] }): void;
}

export function definePlatform<Name extends string, C>(p: Platform<Name, C>): Platform<Name, C> {
  return p;
}
