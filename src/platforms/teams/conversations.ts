// Stored conversation references: how the bot reaches a person or a channel when nobody has just
// written to it (alerts, chases, digests). Teams gives the bot a reference when the app is installed
// (for a person, a team or a group chat) and with every message; the bot keeps the newest per person
// ("person:<Entra object id>") and per channel or chat ("channel:<conversation id>").
import { z } from 'zod';
import type { ConversationReferences } from '../../ports.ts';

export const conversationRefSchema = z.object({
  serviceUrl: z.url(),
  /** Empty for a person only seen in channels: their 1:1 chat is created when the bot first writes to them. */
  conversationId: z.string(),
  conversationType: z.enum(['personal', 'channel', 'groupChat']),
  tenantId: z.string().optional(),
  botId: z.string().optional(),
  /** The person's Bot Framework id in this tenant (29:…), for personal conversations. */
  userId: z.string().optional(),
  teamId: z.string().optional(),
  name: z.string().optional(),
});

export type ConversationRef = z.infer<typeof conversationRefSchema>;

export const personKey = (aadObjectId: string) => `person:${aadObjectId}`;
/** A channel's conversation id without the thread suffix (";messageid=…"). */
export const channelKey = (conversationId: string) => `channel:${conversationId.split(';')[0]}`;

export class ConversationStore {
  /** What was last written, so a busy conversation does not cost a write per message. */
  private readonly written = new Map<string, string>();

  constructor(private readonly refs: ConversationReferences) {}

  /** Store the newest reference; `ifAbsent` keeps a fuller one already stored (a person seen in a channel). */
  async save(key: string, ref: ConversationRef, personId: number | null = null, opts: { ifAbsent?: boolean } = {}): Promise<void> {
    const json = JSON.stringify({ ref, personId });
    if (this.written.get(key) === json) return;
    await this.refs.save('teams', key, conversationRefSchema.parse(ref), personId, opts);
    this.written.set(key, json);
  }

  async get(key: string): Promise<ConversationRef | null> {
    return readable(await this.refs.get('teams', key));
  }

  /** The teams the app was installed in (a channel reference with a team id), one per team. */
  async teams(): Promise<{ teamId: string; serviceUrl: string; tenantId: string | undefined }[]> {
    const out = new Map<string, { teamId: string; serviceUrl: string; tenantId: string | undefined }>();
    for (const raw of await this.refs.list('teams', 'channel:')) {
      const r = readable(raw);
      if (r?.teamId && !out.has(r.teamId)) out.set(r.teamId, { teamId: r.teamId, serviceUrl: r.serviceUrl, tenantId: r.tenantId });
    }
    return [...out.values()];
  }

  /** The reference most recently seen in a tenant: its service URL reaches that tenant's conversations the bot has no reference for. */
  async latest(tenantId: string): Promise<ConversationRef | null> {
    return readable(await this.refs.latestWith('teams', 'tenantId', tenantId));
  }
}

/** A stored reference this version can read, or null. */
function readable(raw: unknown): ConversationRef | null {
  if (raw === null || raw === undefined) return null;
  const parsed = conversationRefSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
