// Messengers: how a platform posts and updates a message now (the outbox sender uses them), and files people send.
import type { Message } from '../messages/types.ts';
import type { PlatformName } from './organisation.ts';

/** Delivers a neutral message now (used by the outbox sender; jobs enqueue instead). */
export interface MessageTarget {
  kind: 'channel' | 'person';
  /** Channel id, or the person's platform user id. */
  id: string;
}

export interface SentMessage {
  messageId: string;
  channel: string;
}

/** How far a post delivered in parts got: its text (the platform's message), then this many charts or files. */
export interface PostProgress {
  sent: SentMessage;
  parts: number;
  /** An edit's charts, uploaded where the platform needs them uploaded first: their ids, in order (a retry reuses them). */
  files?: string[];
}

export interface PostOptions {
  threadOf?: SentMessage;
  /** The outbox key, carried in the post where the platform allows (e.g. as message metadata). */
  key?: string;
  /** What an earlier attempt already delivered: only the rest is sent. */
  resume?: PostProgress | null;
  /** After each part is delivered; resolves once that is recorded. Throws to stop sending. */
  progress?: (p: PostProgress) => Promise<void>;
  /** Before each call to the platform; throws when the sender may no longer send. */
  guard?: () => void;
  /** An earlier attempt may have posted it (it timed out or its answer was lost): look for it before posting. */
  outcomeUnknown?: boolean;
  /** When the message was queued: an earlier attempt's post is looked for back to then (a held message may be days old). */
  queuedAt?: Date;
}

/**
 * What a failed post or update means, read by the platform's own messenger (only it knows its
 * error codes): wait and send again, give up, or try again later — and whether the platform may
 * have done the work anyway (the next attempt then looks for the post before making it again).
 */
export type DeliveryFailure =
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'permanent' }
  | { kind: 'transient'; outcomeUnknown: boolean }
  /**
   * The platform may already have the message and the bot cannot look (e.g. a Slack scope it lacks):
   * posting again could make a second post and waiting cannot help, so the outbox holds it for an
   * admin, with `reason` (what is missing and how to put it right).
   */
  | { kind: 'unconfirmable'; reason: string };

export type UpdateOptions = Pick<PostOptions, 'resume' | 'progress' | 'guard'>;

export interface Messenger {
  readonly platform: PlatformName;
  post(target: MessageTarget, message: Message, opts?: PostOptions): Promise<SentMessage>;
  /** Edit a post to `message`, its charts redrawn: `resume`, `progress` and `guard` as for a post. */
  update(sent: SentMessage, message: Message, opts?: UpdateOptions): Promise<void>;
  /** What an error thrown by post or update means for the outbox. */
  classify(e: unknown): DeliveryFailure;
}

/** A file a person sent (a form's file field, a file shared with the bot): the platform downloads it on request. */
export interface IncomingFile {
  name: string;
  /** Bytes, when the platform says; null when unknown. */
  size: number | null;
  read(): Promise<Uint8Array>;
}
