// The outbox: commands and jobs never post directly. They enqueue a message with an idempotency key
// (a retry or an overlapping run finds the key taken and does nothing); the dispatcher sends it,
// retries it when the platform fails, and records the platform's message id so later changes can
// edit the post or answer in its thread.
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Outbox, OutboxItem, PlatformName } from '../ports.ts';

/** Where a person is reached: Slack if linked there, else Teams, else the console. */
export function personAddress(p: { slackUserId: string | null; teamsUserId: string | null; id: number }): { platform: PlatformName; channel: string } {
  if (p.slackUserId) return { platform: 'slack', channel: p.slackUserId };
  if (p.teamsUserId) return { platform: 'teams', channel: p.teamsUserId };
  return { platform: 'console', channel: `person:${p.id}` };
}

export class PrismaOutbox implements Outbox {
  constructor(private readonly db: PrismaClient) {}

  async has(key: string): Promise<boolean> {
    return (await this.db.outboundMessage.count({ where: { idempotencyKey: key } })) > 0;
  }

  async enqueue(item: OutboxItem, now: Date): Promise<boolean> {
    let platform: PlatformName;
    let channel: string;
    let personId: number | null = null;
    if (item.to.kind === 'person') {
      const p = await this.db.person.findUnique({ where: { id: item.to.personId }, select: { id: true, slackUserId: true, teamsUserId: true } });
      if (!p) throw new Error(`outbox: person ${item.to.personId} does not exist`);
      ({ platform, channel } = personAddress(p));
      personId = p.id;
    } else {
      platform = item.to.platform;
      channel = item.to.channelId;
    }
    let parentId: number | null = null;
    if (item.parentKey) {
      const parent = await this.db.outboundMessage.findUnique({ where: { idempotencyKey: item.parentKey }, select: { id: true, platform: true, channel: true } });
      if (!parent) throw new Error(`outbox: parent message ${item.parentKey} was never queued`);
      parentId = parent.id;
      platform = parent.platform;
      channel = parent.channel;
    }
    // ON CONFLICT DO NOTHING: the unique key decides, even between two processes at the same instant.
    const inserted = await this.db.$executeRaw`
      INSERT INTO outbound_message (idempotency_key, platform, channel, person_id, purpose, action, parent_id, payload, state, attempts, next_attempt_at, created_at)
      VALUES (${item.key}, ${platform}::"Platform", ${channel}, ${personId}, ${item.purpose}, ${item.action ?? 'post'}::"OutboundAction",
              ${parentId}, ${JSON.stringify(item.message)}::jsonb, 'pending'::"OutboundState", 0, ${now}, ${now})
      ON CONFLICT (idempotency_key) DO NOTHING`;
    return inserted === 1;
  }
}
