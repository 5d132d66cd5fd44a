// The one door into the command handlers: what a person did on any platform — a command typed, a
// button pressed, a form sent, a file shared, the home opened, the bot added to a channel — and the
// answer (a CommandResult) to deliver. commands/dispatch.ts builds it; every platform reaches it
// through the inbound core (src/platforms/core/inbound.ts), the console directly.
import type { CommandResult, FormId, FormValues } from '../messages/types.ts';
import type { IncomingFile } from './messaging.ts';
import type { Actor } from './people.ts';

/**
 * Who is asking: already known (the console), or found when the door opens — identifying someone
 * reads the database (and links them at first contact), so it is tried again with the rest of the
 * work while the database is unavailable.
 */
export type Asker = Actor | (() => Promise<Actor>);

export interface DispatchOptions {
  /**
   * Keep trying this long while the database is unavailable (identifying the person included); then
   * the answer is "not saved" with what was sent. Default: the configured budget. A surface that must
   * answer within a deadline (a form's acknowledgement, an invoke) gives less.
   */
  databaseRetryMs?: number;
}

export interface Dispatcher {
  slash(who: Asker, text: string, opts?: DispatchOptions): Promise<CommandResult>;
  action(who: Asker, actionId: string, value: string, opts?: DispatchOptions): Promise<CommandResult>;
  /** `files`: what the person uploaded in the form's file fields, by field id. */
  submitForm(who: Asker, formId: FormId, state: string, values: FormValues, files?: Record<string, IncomingFile[]>, opts?: DispatchOptions): Promise<CommandResult>;
  /** Type-ahead: never retried (the person is typing); someone who cannot be identified gets what anyone may see. */
  options(who: Asker, formId: FormId, fieldId: string, query: string): Promise<CommandResult>;
  /** A file shared with the bot in a direct message, with the message's text. */
  fileShared(who: Asker, file: IncomingFile, text: string, opts?: DispatchOptions): Promise<CommandResult>;
  /** The person's home (my indicators, what is due; a director's reds): Slack's App Home, the 1:1 chat Teams opens with the bot. */
  home(who: Asker, opts?: DispatchOptions): Promise<CommandResult>;
  /** What a channel is told when the bot is added to it. */
  welcome(channelId: string): CommandResult;
}
