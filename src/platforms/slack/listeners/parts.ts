// What the Slack listeners are made of: small parts, each listener taking only those it uses.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../../log.ts';
import type { Clock, Repository } from '../../../ports.ts';
import type { Inbound } from '../../core/inbound.ts';
import type { Replies } from '../../core/conversation.ts';
import type { SlackMessenger } from '../messenger.ts';
import type { SlackPlace } from '../replies.ts';
import type { SlackModals } from '../modals.ts';
import type { SlackSenders } from '../senders.ts';
import type { SlackFiles } from '../files.ts';

/** The parts the listeners are made of. */
export interface SlackParts {
  inbound: Inbound<SlackPlace>;
  /** Who sent a payload. */
  sender: SlackSenders;
  replies: Replies<SlackPlace>;
  modals: SlackModals;
  files: SlackFiles;
  /** Posts, edits, uploads and views: one attempt per call (the outbox retries). */
  client: WebClient;
  messenger: SlackMessenger;
  /** Events handled once, whichever delivery and whichever process gets them first. */
  events: Pick<Repository, 'recordInboundEvent'>;
  botUserId: string | undefined;
  clock: Clock;
  log: Logger;
}
