// The chat platforms, as data: the one list the rest of the bot reads. The configuration takes
// each platform's settings from here, the server starts each configured platform's transport, the
// CLI builds each configured platform's outbound side (so `kpi job`, `kpi people sync` and
// `kpi subscribe` send and look people up as the server does), and imports read channel and user
// ids in each platform's form. With no chat platform configured, the console is the one.
//
// Adding a platform: a folder src/platforms/<name>/ whose index.ts exports a `definePlatform({...})`
// (see ./core/platform.ts), and one line in PLATFORMS below; its about data (what other parts
// read without loading it) src/catalogue/<name>.ts, one line in src/catalogue/platforms.ts.
import type { Command } from 'commander';
import type { z } from 'zod';
import type { EnvHas, EnvProblem } from '../env.ts';
import type { PlatformKit } from '../ports.ts';
import type { ChatCommandSummary, ConnectContext, Connection, ListenContext, Platform, OutboundContext } from './core/platform.ts';
import type { Transport } from './core/transport.ts';
import { ConsoleMessenger, type MessageSink } from './console/console.ts';
import { CONSOLE } from '../catalogue/platforms.ts';
import { slack } from './slack/index.ts';
import { teams } from './teams/index.ts';

/** Every chat platform, in order of preference for reaching a person. */
export const PLATFORMS = [slack, teams] as const;

type Platforms = (typeof PLATFORMS)[number];
type ConfigOf<P> = P extends Platform<string, infer C> ? C : never;
/** Each platform's configuration under its name; null when it is not configured. */
export type PlatformConfigs = { [P in Platforms as P['name']]: ConfigOf<P> | null };

const all = PLATFORMS as readonly Platform[];

/** Every platform's environment variables, for the one configuration schema. */
export function platformEnv(): z.ZodRawShape {
  return Object.assign({}, ...all.map((p) => p.settings.env));
}

export function platformProblems(has: EnvHas): EnvProblem[] {
  return all.flatMap((p) => p.settings.problems(has));
}

export function readPlatformConfigs(env: Record<string, unknown>): PlatformConfigs {
  return Object.fromEntries(all.map((p) => [p.name, p.settings.read(env as never)])) as PlatformConfigs;
}

/** The configured platforms with their configuration, in order of preference. */
export function configuredPlatforms(config: PlatformConfigs): { platform: Platform; config: unknown }[] {
  const byName = config as unknown as Record<string, unknown>;
  return all.flatMap((p) => (byName[p.name] ? [{ platform: p, config: byName[p.name] }] : []));
}

/** The same configuration with no chat platform (`kpi console`). */
export function withoutChatPlatforms<C extends PlatformConfigs>(config: C): C {
  return { ...config, ...Object.fromEntries(all.map((p) => [p.name, null])) };
}

/** The outbound side of every configured chat platform (no HTTP routes): for commands run from the CLI. */
export async function outboundPlatforms(config: PlatformConfigs, ctx: OutboundContext): Promise<PlatformKit[]> {
  const kits: PlatformKit[] = [];
  for (const { platform, config: c } of configuredPlatforms(config)) kits.push(await platform.outbound(c, ctx));
  return kits;
}

/** Every configured platform connected on the server: its kit for the services, its listeners to start once they are built. */
export async function connectPlatforms(config: PlatformConfigs, ctx: ConnectContext): Promise<Connected[]> {
  const connected: Connected[] = [];
  for (const { platform, config: c } of configuredPlatforms(config)) connected.push({ ...(await platform.connect(c, ctx)), listening: platform.describe(c) });
  return connected;
}

/** A configured platform on the server, with the line the log says of how it listens. */
export interface Connected extends Connection {
  listening: string;
}

/** Every connected platform's transport, built from the services and started, with a line each for the log. */
export async function startTransports(connected: Connected[], ctx: ListenContext): Promise<{ transports: Transport[]; listening: Record<string, string> }> {
  const transports: Transport[] = [];
  const listening: Record<string, string> = {};
  for (const c of connected) {
    const t = await c.listen(ctx);
    await t.start();
    transports.push(t);
    listening[c.kit.name] = c.listening;
  }
  return { transports, listening };
}

/** How long the slowest configured platform's API call may take. */
export function slowestCallMs(config: PlatformConfigs): number {
  return Math.max(1000, ...configuredPlatforms(config).map(({ platform, config: c }) => platform.callTimeoutMs(c)));
}

/** The console as a platform: messages for people and channels printed, everyone reachable. */
export function consoleKit(sink: MessageSink): PlatformKit {
  return { name: CONSOLE, messenger: new ConsoleMessenger(sink), finder: null, channels: null, reachesEveryone: true };
}

/** Each platform's own commands on the admin CLI. */
export function addPlatformCommands(program: Command, chat: { commands: readonly ChatCommandSummary[] }): void {
  for (const p of all) p.cli?.(program, chat);
}
