// The chat platforms as data, for the parts of the bot that read what people write about them
// (channel and user ids in an import, where a value came from, the log's secret headers) and must
// not load any platform: each platform's about data (./<name>.ts), listed once. It sits below the
// layers that use it, which import it downwards; the registry (src/platforms/index.ts) builds the
// platforms themselves. A new platform adds its data here and its definition there.
import type { PlatformAbout } from './about.ts';
import { slackAbout } from './slack.ts';
import { teamsAbout } from './teams.ts';

/** Every chat platform, in order of preference for reaching a person. */
export const ABOUT_PLATFORMS = [slackAbout, teamsAbout] as const;

const all = ABOUT_PLATFORMS as readonly PlatformAbout[];

/** The name the console goes by as a platform (identities, channels, the outbox). */
export const CONSOLE = 'console';

/** Every name a person's identity or a channel may be on (the chat platforms and the console). */
export const PLATFORM_NAMES: readonly string[] = [...all.map((p) => p.name), CONSOLE];

/** "Slack", "Teams", "the console" — a platform as a sentence names it; null for a name that is none. */
export function platformLabel(name: string): string | null {
  if (name === CONSOLE) return 'the console';
  return all.find((p) => p.name === name)?.label ?? null;
}

/** Whether this is a chat platform's name (not the console, an import or the CLI). */
export function isChatPlatform(name: string): boolean {
  return all.some((p) => p.name === name);
}

/** Every platform's signed or secret request headers (the log redacts them). */
export const SECRET_HEADERS: readonly string[] = all.flatMap((p) => p.secretHeaders ?? []);

/** Examples of channel ids as people write them, for error messages. */
export const CHANNEL_EXAMPLES = all.map((p) => p.channel.example).join(', or ');

/** "C0123ABCD", "slack:C0123ABCD", "19:abc@thread.tacv2", "console:performance" → the platform and channel id; null when it is none of these. */
export function readChannelRef(text: string): { platform: string; channelId: string } | null {
  const t = text.trim();
  const m = /^([a-z][a-z0-9-]*)\s*:\s*(.+)$/i.exec(t);
  const named = m && PLATFORM_NAMES.includes(m[1]!.toLowerCase()) ? m[1]!.toLowerCase() : null;
  const rest = named ? m![2]! : t;
  if (named === CONSOLE) {
    const id = rest.trim().split(';')[0]!;
    return /^[a-z0-9][a-z0-9_-]*$/.test(id) ? { platform: CONSOLE, channelId: id } : null;
  }
  for (const p of named ? all.filter((x) => x.name === named) : all) {
    const channelId = channelIdOn(p.name, rest);
    if (channelId) return { platform: p.name, channelId };
  }
  return null;
}

/** The channel id as given for this platform; null when it is not one of its channel ids. */
export function channelIdOn(platform: string, text: string): string | null {
  const p = all.find((x) => x.name === platform);
  const id = text.trim().split(';')[0]!;
  return p && p.channel.pattern.test(id) ? id : null;
}

/** Each platform's user id column in a register's People sheet. */
export function identityColumns(): { platform: string; label: string; columns: string[]; pattern: RegExp; invalid: string; normalise: (id: string) => string }[] {
  return all.map((p) => ({ platform: p.name, label: p.label, columns: p.identity.columns, pattern: p.identity.pattern, invalid: p.identity.invalid, normalise: p.identity.normalise ?? ((id) => id) }));
}
