// The outbox: commands and jobs never post directly. They enqueue a message with an idempotency key
// (a retry or an overlapping run finds the key taken and does nothing); the sender (sender.ts) sends it,
// retries it when the platform fails, and records the platform's message id so later changes can
// edit the post or answer in its thread. A message for a person goes wherever the directory finds
// them; one for somebody it cannot find anywhere is kept as undeliverable, with the reason, for the
// performance team to see — never queued for a platform that will not send it.
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Directory, HeldMessage, Outbox, OutboxItem, PlatformName, Repository } from '../ports.ts';

/** Where a queued message goes: a platform and channel, or nobody (undeliverable, with the reason). */
export interface Address {
  platform: PlatformName | null;
  channel: string;
  personId: number | null;
  parentId: number | null;
  undeliverable: string | null;
}

/**
 * Where a message goes, for every outbox: a person wherever the directory reaches them (or nobody,
 * with the reason), a channel as given; an update or a reply where its parent went.
 */
export async function addressOf(
  item: OutboxItem,
  now: Date,
  o: { repo: Pick<Repository, 'person'>; directory: Directory; parent: (key: string) => Promise<{ id: number; platform: PlatformName | null; channel: string } | null> },
): Promise<Address> {
  let platform: PlatformName | null;
  let channel: string;
  let personId: number | null = null;
  let undeliverable: string | null = null;
  if (item.to.kind === 'person') {
    const p = await o.repo.person(item.to.personId);
    if (!p) throw new Error(`outbox: person ${item.to.personId} does not exist`);
    personId = p.id;
    const reach = await o.directory.reach(p, now);
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
    const parent = await o.parent(item.parentKey);
    if (!parent) throw new Error(`outbox: parent message ${item.parentKey} was never queued`);
    parentId = parent.id;
    platform = parent.platform;
    channel = parent.channel;
  }
  return { platform, channel, personId, parentId, undeliverable };
}

export class PrismaOutbox implements Outbox {
  constructor(
    private readonly db: PrismaClient,
    private readonly repo: Pick<Repository, 'person'>,
    private readonly directory: Directory,
  ) {}

  async has(key: string): Promise<boolean> {
    return (await this.db.outboundMessage.count({ where: { idempotencyKey: key } })) > 0;
  }

  async held(): Promise<HeldMessage[]> {
    const rows = await this.db.outboundMessage.findMany({ where: { state: 'held' }, orderBy: { id: 'asc' }, select: { idempotencyKey: true, purpose: true, platform: true, channel: true, personId: true, lastError: true, createdAt: true } });
    return rows.map((r) => ({ key: r.idempotencyKey, purpose: r.purpose, platform: r.platform, channel: r.channel, personId: r.personId, reason: r.lastError ?? '', queuedAt: r.createdAt }));
  }

  async enqueue(item: OutboxItem, now: Date): Promise<boolean> {
    // A retry or an overlapping run: the key is taken, nothing to do (and nobody to look up again).
    if (await this.has(item.key)) return false;
    const { platform, channel, personId, parentId, undeliverable } = await addressOf(item, now, {
      repo: this.repo,
      directory: this.directory,
      parent: (key) => this.db.outboundMessage.findUnique({ where: { idempotencyKey: key }, select: { id: true, platform: true, channel: true } }),
    });
    const state = undeliverable ? 'undeliverable' : 'pending';
    // ON CONFLICT DO NOTHING: the unique key decides, even between two processes at the same instant.
    const inserted = await this.db.$executeRaw`
      INSERT INTO outbound_message (idempotency_key, platform, channel, person_id, purpose, action, parent_id, payload, state, attempts, next_attempt_at, last_error, created_at)
      VALUES (${item.key}, ${platform}, ${channel}, ${personId}, ${item.purpose}, ${item.action ?? 'post'}::"OutboundAction",
              ${parentId}, ${JSON.stringify(item.message)}::jsonb, ${state}::"OutboundState", 0, ${now}, ${undeliverable}, ${now})
      ON CONFLICT (idempotency_key) DO NOTHING`;
    return inserted === 1;
  }
}
