// The outbox: commands and jobs never post directly. They enqueue a message with an idempotency key
// (a retry or an overlapping run finds the key taken and does nothing); the dispatcher sends it,
// retries it when the platform fails, and records the platform's message id so later changes can
// edit the post or answer in its thread. A message for a person goes wherever the directory finds
// them; one for somebody it cannot find anywhere is kept as undeliverable, with the reason, for the
// performance team to see — never queued for a platform that will not send it.
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Directory, Outbox, OutboxItem, PlatformName, Repository } from '../ports.ts';

export class PrismaOutbox implements Outbox {
  constructor(
    private readonly db: PrismaClient,
    private readonly repo: Pick<Repository, 'person'>,
    private readonly directory: Directory,
  ) {}

  async has(key: string): Promise<boolean> {
    return (await this.db.outboundMessage.count({ where: { idempotencyKey: key } })) > 0;
  }

  async enqueue(item: OutboxItem, now: Date): Promise<boolean> {
    // A retry or an overlapping run: the key is taken, nothing to do (and nobody to look up again).
    if (await this.has(item.key)) return false;
    let platform: PlatformName | null;
    let channel: string;
    let personId: number | null = null;
    let undeliverable: string | null = null;
    if (item.to.kind === 'person') {
      const p = await this.repo.person(item.to.personId);
      if (!p) throw new Error(`outbox: person ${item.to.personId} does not exist`);
      personId = p.id;
      const reach = await this.directory.reach(p, now);
      if (reach.ok) {
        platform = reach.platform;
        channel = reach.userId;
      } else {
        platform = null;
        channel = `person:${p.id}`;
        undeliverable = `${p.displayName} ${reach.reason}`;
      }
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
    const state = undeliverable ? 'undeliverable' : 'pending';
    // ON CONFLICT DO NOTHING: the unique key decides, even between two processes at the same instant.
    const inserted = await this.db.$executeRaw`
      INSERT INTO outbound_message (idempotency_key, platform, channel, person_id, purpose, action, parent_id, payload, state, attempts, next_attempt_at, last_error, created_at)
      VALUES (${item.key}, ${platform}::"Platform", ${channel}, ${personId}, ${item.purpose}, ${item.action ?? 'post'}::"OutboundAction",
              ${parentId}, ${JSON.stringify(item.message)}::jsonb, ${state}::"OutboundState", 0, ${now}, ${undeliverable}, ${now})
      ON CONFLICT (idempotency_key) DO NOTHING`;
    return inserted === 1;
  }
}
