// The chat platforms, built from the configuration in one place for the server (src/app.ts) and the
// CLI (`kpi job`, `kpi people sync`, `kpi subscribe`). Each platform gives the services a kit:
// its messenger (the outbox sends through it), its people finder (e-mail lookups) and its channel
// access (joining and naming channels). With no chat platform configured, the console is the one.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { ChartRenderer, Clock, Repository, TransportStores } from '../ports.ts';
import type { PlatformKit } from '../wiring.ts';
import { createSlackOutbound } from './slack/outbound.ts';
import { createTeamsApp } from './teams/sdk.ts';
import { createTeamsOutbound } from './teams/outbound.ts';
import { ConsoleMessenger, type MessageSink } from './console/console.ts';

export interface PlatformContext {
  stores: TransportStores;
  repo: Repository;
  charts: ChartRenderer;
  clock: Clock;
  log: Logger;
}

/** The outbound side of every configured chat platform (no HTTP routes): for commands run from the CLI. */
export function outboundPlatforms(config: Config, ctx: PlatformContext): PlatformKit[] {
  const kits: PlatformKit[] = [];
  if (config.slack) kits.push(createSlackOutbound(config.slack, ctx).kit);
  if (config.teams && config.publicUrl) {
    const app = createTeamsApp(config.teams, null, ctx.log);
    kits.push(createTeamsOutbound(app, config.teams, { ...ctx, publicUrl: config.publicUrl, fileRetentionDays: config.fileRetentionDays }).kit);
  }
  return kits;
}

/** The console as a platform: messages for people and channels printed, everyone reachable. */
export function consoleKit(sink: MessageSink): PlatformKit {
  return { name: 'console', messenger: new ConsoleMessenger(sink), finder: null, channels: null, reachesEveryone: true };
}
