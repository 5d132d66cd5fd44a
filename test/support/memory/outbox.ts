// The outbox in memory, on the memory repository's store (./store.ts): the same keys,
// addresses and undeliverable reasons as the Prisma outbox, so reminders and "last delivery" read
// what was queued. Nothing is sent: what the sender would do to a message is said with `record`.
import type { Directory, HeldMessage, Outbox, OutboxItem, Repository } from '../../../src/ports.ts';
import { copy, type MemoryStore, type OutboxRow } from './store.ts';
import { addressOf } from '../../../src/outbox/outbox.ts';

export class MemoryOutbox implements Outbox {
  constructor(
    private readonly store: MemoryStore,
    private readonly repo: Pick<Repository, 'person'>,
    private readonly directory: Directory,
  ) {}

  async has(key: string): Promise<boolean> {
    return this.store.t.outbox.some((m) => m.key === key);
  }

  async held(): Promise<HeldMessage[]> {
    return this.store.t.outbox
      .filter((m) => m.state === 'held')
      .map((m) => ({ key: m.key, purpose: m.purpose, platform: m.platform, channel: m.channel, personId: m.personId, reason: m.lastError ?? '', queuedAt: m.createdAt }));
  }

  async enqueue(item: OutboxItem, now: Date): Promise<boolean> {
    if (await this.has(item.key)) return false;
    const a = await addressOf(item, now, { repo: this.repo, directory: this.directory, parent: async (key) => this.store.t.outbox.find((m) => m.key === key) ?? null });
    // Looking the person up may have let another enqueue of the same key in first.
    if (await this.has(item.key)) return false;
    this.store.t.outbox.push({
      id: this.store.nextId('outbound_message'),
      key: item.key,
      platform: a.platform,
      channel: a.channel,
      personId: a.personId,
      purpose: item.purpose,
      action: item.action ?? 'post',
      parentId: a.parentId,
      message: copy(item.message),
      state: a.undeliverable ? 'undeliverable' : 'pending',
      attempts: 0,
      lastError: a.undeliverable,
      createdAt: now,
      sentAt: null,
    });
    return true;
  }

  /** Everything queued, oldest first (optionally of one purpose). */
  messages(purpose?: string): OutboxRow[] {
    return copy(this.store.t.outbox.filter((m) => purpose === undefined || m.purpose === purpose));
  }

  /** What the outbox sender did with a message: sent it, gave up on it (dead, with the error), held it for an admin (with the reason). */
  record(key: string, outcome: { state: 'sent'; at: Date } | { state: 'dead' | 'held'; error: string }): void {
    const m = this.store.t.outbox.find((x) => x.key === key);
    if (!m) throw new Error(`outbox: no message ${key}`);
    m.attempts++;
    if (outcome.state === 'sent') Object.assign(m, { state: 'sent', sentAt: outcome.at, lastError: null });
    else Object.assign(m, { state: outcome.state, lastError: outcome.error });
  }
}
