// The outbox: messages to other people and channels are queued, then sent by src/outbox/sender.ts.
import type { Message } from '../messages/types.ts';
import type { PlatformName } from './organisation.ts';

/** Messages to other people and channels go through the outbox (src/outbox). */
export type Recipient =
  | { kind: 'person'; personId: number }
  | { kind: 'channel'; platform: PlatformName; channelId: string };

export interface OutboxItem {
  /** Unique for the lifetime of the database: e.g. `chase-data:2025-10-06:person:12`. */
  key: string;
  /** What it is for (logs, tests, the digest): alert, alert-update, chase-data, digest, exception-review… */
  purpose: string;
  to: Recipient;
  message: Message;
  /** post a new message (default), update the message of `parentKey`, or reply in its thread. */
  action?: 'post' | 'update' | 'reply';
  parentKey?: string;
}

/** A message held for an admin: the platform may already have it and the bot cannot look (src/outbox/sender.ts). */
export interface HeldMessage {
  key: string;
  purpose: string;
  platform: PlatformName | null;
  /** The channel, or the person's platform user id. */
  channel: string;
  personId: number | null;
  /** What is missing and how to put it right. */
  reason: string;
  queuedAt: Date;
}

export interface Outbox {
  /** Queue a message. Returns false when a message with this key already exists (nothing queued). */
  enqueue(item: OutboxItem, now: Date): Promise<boolean>;
  /** Has a message with this key been queued (sent or not)? */
  has(key: string): Promise<boolean>;
  /** Messages held for an admin, oldest first. */
  held(): Promise<HeldMessage[]>;
}
