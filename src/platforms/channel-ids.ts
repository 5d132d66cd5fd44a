// How each platform's channels are written, for places that read channel references as text (an
// import's Alert channel column): Slack ids (C0123ABCD, G… for old private channels), Teams channel
// conversation ids (19:…@thread.tacv2), each optionally prefixed with its platform ("slack:C0123ABCD").
import type { PlatformName } from '../ports.ts';

const PATTERNS: { platform: PlatformName; pattern: RegExp; example: string }[] = [
  { platform: 'slack', pattern: /^[CG][A-Z0-9]{6,}$/, example: 'C0123ABCD (Slack: the channel’s details, at the bottom)' },
  { platform: 'teams', pattern: /^19:[^\s;]+@thread\.(tacv2|skype|v2)$/, example: '19:…@thread.tacv2 (Teams: the bot says it when added to the team)' },
  { platform: 'console', pattern: /^[a-z0-9][a-z0-9_-]*$/, example: 'console:performance' },
];

export const CHANNEL_EXAMPLES = PATTERNS.filter((p) => p.platform !== 'console').map((p) => p.example).join(', or ');

/** "C0123ABCD", "slack:C0123ABCD", "19:abc@thread.tacv2" → the platform and channel id; null when it is none of these. */
export function readChannelRef(text: string): { platform: PlatformName; channelId: string } | null {
  const t = text.trim();
  const m = /^(slack|teams|console)\s*:\s*(.+)$/i.exec(t);
  const candidates = m ? PATTERNS.filter((p) => p.platform === m[1]!.toLowerCase()) : PATTERNS.filter((p) => p.platform !== 'console');
  const id = (m ? m[2]! : t).trim().split(';')[0]!;
  const hit = candidates.find((p) => p.pattern.test(id));
  return hit ? { platform: hit.platform, channelId: id } : null;
}
