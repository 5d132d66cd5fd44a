// Every Slack surface the bot listens on, one file each (as bolt-js apps lay them out). Each only
// translates: a payload into who sent it and what they did for the inbound core (../../core/inbound.ts),
// and — where Slack wants the answer in the acknowledgement — the answer back into Slack's shape.
// Each takes only the parts it uses.
import type { App } from '@slack/bolt';
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
import { registerCommand } from './command.ts';
import { registerActions } from './actions.ts';
import { registerViews } from './views.ts';
import { registerOptions } from './options.ts';
import { registerEvents } from './events.ts';

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

export function registerListeners(app: App, parts: SlackParts): void {
  registerCommand(app, parts);
  registerActions(app, parts);
  registerViews(app, parts);
  registerOptions(app, parts);
  registerEvents(app, parts);
}
