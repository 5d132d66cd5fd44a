// The inbound path every platform shares, in one place: who sent something (identified through the
// shared identifier, linked by e-mail at first contact), what they did, handed to the dispatcher —
// the only door — within the database budget the surface's deadline allows, and the answer
// delivered through the conversation core (./conversation.ts). When the database does not come back
// within that budget the answer is "not saved" with what was sent (the dispatcher words it); when
// anything else fails, the person is told sorry. A platform adapter only translates: its payload
// into a `Sender` and a `Received`, and the answer into its own replies.
import type { Logger } from '../../log.ts';
import type { Actor, Dispatcher, IncomingFile, PlatformName } from '../../ports.ts';
import type { CommandResult, FormId, FormValues } from '../../messages/types.ts';
import { isDatabaseUnavailable, retryWhileUnavailable, type RetryPolicy } from '../../db/unavailable.ts';
import { afterAck, deliver, type Replies } from './conversation.ts';
import type { BackgroundWork } from './background.ts';
import type { Identifier } from './identify.ts';

/** What a person did, as every platform receives it. */
export type Received =
  | { kind: 'slash'; text: string }
  | { kind: 'action'; id: string; value: string }
  | { kind: 'form'; formId: FormId; state: string; values: FormValues; files?: Record<string, IncomingFile[]> }
  | { kind: 'file'; file: IncomingFile; text: string }
  /** The person's home (Slack's App Home, the 1:1 chat when the app is added in Teams). */
  | { kind: 'home' };

/** Who sent it, as the platform says. */
export interface Sender {
  /** The platform's id for the person ('' when the payload did not say: nobody). */
  userId: string;
  /** The conversation they wrote in, for the commands that act on it (subscriptions). */
  channelId?: string;
  /** The e-mail the platform has for them, to link them at first contact; null: not identifiable (they may look, not change anything). */
  emailOf: (() => Promise<string | null | undefined>) | null;
  /** Once they are known, in the same database budget (Teams keeps the conversation reference then). */
  identified?(actor: Actor): Promise<void>;
}

/**
 * How long the surface can wait for the database: the answer follows after an acknowledgement (no
 * limit but the configured budget), or is the response itself (`databaseMs`: what the deadline
 * leaves for the database, e.g. 10 s of a Teams invoke's 15).
 */
export interface Budget {
  databaseMs?: number;
}

export interface InboundOptions<Here> {
  platform: PlatformName;
  dispatcher: Dispatcher;
  identifier: Identifier;
  /** How the platform answers where the person is (the conversation core's three replies). */
  replies: Replies<Here>;
  /** The bounded queue work after an acknowledgement runs on. */
  background: BackgroundWork;
  /** The configured database budget (KPI_DATABASE_RETRY_SECONDS): no surface waits longer. */
  databaseRetry: RetryPolicy;
  log: Logger;
}

export interface Inbound<Here> {
  /** The answer to what was received, not delivered: for surfaces whose answer is the response (a form's acknowledgement, an invoke). */
  answer(from: Sender, what: Received, budget?: Budget): Promise<CommandResult>;
  /** Already acknowledged: answer and deliver on the bounded queue; sorry, privately, when that fails. */
  afterAck(label: string, here: Here, from: Sender, what: Received): Promise<void>;
  /** Deliver an answer already made (the part of an invoke's answer that is said in the conversation). */
  deliver(result: CommandResult, here: Here): Promise<void>;
  /** Other work after the acknowledgement (a late answer in a modal, an install), under the same sorry. */
  later(label: string, here: Here, work: (here: Here) => Promise<void>): Promise<void>;
  /** Type-ahead: never retried; someone who cannot be identified now gets what anyone may see. */
  options(from: Sender, formId: FormId, fieldId: string, query: string): Promise<{ value: string; label: string }[]>;
  /** Only who they are (an install keeps where they are): tried again within the budget; false when the database stayed away. */
  identify(from: Sender, budget?: Budget): Promise<boolean>;
  /** The database budget of a surface: the configured one, or less when its deadline says so. */
  databaseMs(budget?: Budget): number;
  /** What a channel is told when the bot is added to it. */
  welcome(channelId: string): CommandResult;
}

export function createInbound<Here>(o: InboundOptions<Here>): Inbound<Here> {
  const databaseMs = (budget?: Budget) => Math.min(o.databaseRetry.budgetMs, budget?.databaseMs ?? Infinity);

  async function actorOf(from: Sender): Promise<Actor> {
    const who = from.userId && from.emailOf ? await o.identifier.identify(from.userId, from.emailOf) : { person: null };
    const actor: Actor = { platform: o.platform, userId: from.userId, person: who.person, ...(who.held ? { held: who.held } : {}), ...(from.channelId ? { channelId: from.channelId } : {}) };
    await from.identified?.(actor);
    return actor;
  }

  async function answer(from: Sender, what: Received, budget?: Budget): Promise<CommandResult> {
    const who = () => actorOf(from);
    const opts = { databaseRetryMs: databaseMs(budget) };
    const d = o.dispatcher;
    switch (what.kind) {
      case 'slash':
        return d.slash(who, what.text, opts);
      case 'action':
        return d.action(who, what.id, what.value, opts);
      case 'form':
        return d.submitForm(who, what.formId, what.state, what.values, what.files, opts);
      case 'file':
        return d.fileShared(who, what.file, what.text, opts);
      case 'home':
        return d.home(who, opts);
    }
  }

  const later = afterAck(o.background, o.replies, o.log, o.platform);
  return {
    answer,
    later,
    databaseMs,
    afterAck: (label, here, from, what) => later(label, here, async (h) => deliver(o.replies, await answer(from, what), h)),
    deliver: (result, here) => deliver(o.replies, result, here),
    welcome: (channelId) => o.dispatcher.welcome(channelId),
    async options(from, formId, fieldId, query) {
      const anyone: Actor = { platform: o.platform, userId: from.userId, person: null };
      const result = await o.dispatcher.options(() => actorOf(from).catch(() => anyone), formId, fieldId, query);
      return result.kind === 'options' ? result.options : [];
    },
    async identify(from, budget) {
      const budgetMs = databaseMs(budget);
      try {
        await retryWhileUnavailable(() => actorOf(from), { budgetMs });
        return true;
      } catch (e) {
        if (!isDatabaseUnavailable(e)) throw e;
        o.log.error({ err: e, platform: o.platform }, `database unavailable for ${Math.round(budgetMs / 1000)} s; who wrote was not recorded`);
        return false;
      }
    },
  };
}
