// Posting neutral messages to Teams through the Bot Connector service: Adaptive Cards (one, or
// several when a message is too large for one Teams message), charts as images and files as download
// links served by this bot, people reached in their 1:1 chat with the bot and channels through the
// conversation references stored when the app was installed. Thread replies go under the original
// post in channels (group and 1:1 chats have no threads: they follow it).
//
// 1:1 chats are only ever started in a tenant the bot serves (TEAMS_TENANT_ID / TEAMS_ALLOWED_TENANTS):
// the person's own, as their stored reference says, never "whichever tenant wrote last".
import { toThreadedConversationId } from '@microsoft/teams.apps';
import { Client as ApiClient } from '@microsoft/teams.api';
import type { Logger } from '../../log.ts';
import { genericFailure } from '../../outbox/failure.ts';
import type { DeliveryFailure, MessageTarget, Messenger, Repository, SentMessage } from '../../ports.ts';
import type { Message } from '../../messages/types.ts';
import { cardActivity, mentionedPeople, messageCard, messageCards, summaryText, type CardFile, type CardImage, type CardMessage, type MentionMap, type TeamsConversation } from './cards.ts';
import { channelKey, personKey, type ConversationRef, type ConversationStore } from './conversations.ts';
import type { HostedFiles } from './hosted-files.ts';
import { DEFAULT_RETRY, TeamsApiError, withRetry, type RetryOptions } from './retry.ts';

export { ApiClient };

export interface TeamsMessengerOptions {
  /** An SDK client for a service URL, carrying the bot's token. */
  apiFor: (serviceUrl: string) => ApiClient;
  store: ConversationStore;
  hosted: HostedFiles;
  repo: Repository;
  appId: string;
  /** The tenants the bot serves (lower case); 1:1 chats are started only in these. */
  allowedTenants: string[];
  /** For conversations the bot has no reference for. */
  defaultServiceUrl: string;
  log: Logger;
  retry?: RetryOptions;
}

/** Where an activity goes: a conversation on a Bot Connector service. */
export interface Destination {
  serviceUrl: string;
  conversationId: string;
  /** What kind of conversation it is (how commands are written in it); personal when unknown. */
  kind?: TeamsConversation;
}

/** Channel conversations (not group or 1:1 chats) have threads. */
export const isChannelConversation = (id: string) => /@thread\.(tacv2|skype)/.test(id);

/** A 1:1 chat with the person could not be had: the app is not installed for them, or Teams would not say. */
export class NoPrivateChatError extends Error {
  readonly permanent = false;
  readonly data: { error: string };

  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'NoPrivateChatError';
    this.data = { error: cause instanceof TeamsApiError ? cause.data.error : 'no_private_chat' };
  }
}

/** The Bot Connector's 400/401/403/404/413 cannot be fixed by retrying (TeamsApiError.permanent); its own retries have already run. */
export function teamsFailure(e: unknown): DeliveryFailure {
  if ((e as { permanent?: unknown }).permanent === true) return { kind: 'permanent' };
  return genericFailure(e);
}

export class TeamsMessenger implements Messenger {
  readonly platform = 'teams' as const;
  private readonly clients = new Map<string, ApiClient>();

  constructor(private readonly o: TeamsMessengerOptions) {}

  /** An API client for one Bot Connector service URL (each region has its own). */
  api(serviceUrl: string): ApiClient {
    const url = serviceUrl.replace(/\/+$/, '');
    let c = this.clients.get(url);
    if (!c) {
      c = this.o.apiFor(url);
      this.clients.set(url, c);
    }
    return c;
  }

  call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(operation, fn, this.o.log, this.o.retry ?? DEFAULT_RETRY);
  }

  /** Is this a tenant the bot serves? (A reference without a tenant is from before tenants were recorded.) */
  serves(tenantId: string | undefined): boolean {
    return tenantId === undefined || this.o.allowedTenants.includes(tenantId.toLowerCase());
  }

  async mentions(msg: Message): Promise<MentionMap> {
    const ids = mentionedPeople(msg);
    if (!ids.length) return new Map();
    const people = await this.o.repo.people({ ids });
    return new Map(people.map((p) => [p.id, { teamsUserId: p.identities.teams ?? null, displayName: p.displayName }]));
  }

  /** Draw and publish a message's charts; a chart that fails is left out (its alt text stays in the summary). */
  async images(msg: Message): Promise<(CardImage | null)[]> {
    const out: (CardImage | null)[] = [];
    for (const b of msg.blocks) {
      if (b.type !== 'chart') continue;
      try {
        out.push(await this.o.hosted.publishChart(b.chart));
      } catch (e) {
        this.o.log.error({ err: e }, 'teams: chart could not be drawn');
        out.push(null);
      }
    }
    return out;
  }

  /** Store a message's files for download. Not optional like a chart: a failure fails the send (the outbox retries it). */
  async files(msg: Message): Promise<CardFile[]> {
    const out: CardFile[] = [];
    for (const b of msg.blocks) if (b.type === 'file') out.push(await this.o.hosted.publishFile(b.file));
    return out;
  }

  /** What a message's cards need from outside: who it mentions, its published charts and files. */
  private async content(msg: Message): Promise<{ mentions: MentionMap; hosted: { images: (CardImage | null)[]; files: CardFile[] } }> {
    const [mentions, images, files] = await Promise.all([this.mentions(msg), this.images(msg), this.files(msg)]);
    return { mentions, hosted: { images, files } };
  }

  /** A message as the cards it takes (usually one), with commands written for `conversation`. */
  async render(msg: Message, conversation: TeamsConversation = 'personal'): Promise<CardMessage[]> {
    const { mentions, hosted } = await this.content(msg);
    return messageCards(msg, mentions, hosted, { conversation });
  }

  /** A message as one card, for where only one fits (an edit, a card replaced in place). */
  async renderOne(msg: Message, conversation: TeamsConversation = 'personal'): Promise<CardMessage> {
    const { mentions, hosted } = await this.content(msg);
    return { card: messageCard(msg, mentions, hosted, { conversation }), summary: summaryText(msg, conversation) };
  }

  /** Send a card to a conversation; returns the new activity's id. */
  async send(dest: Destination, cm: CardMessage, replyTo?: string): Promise<string> {
    const threaded = replyTo && isChannelConversation(dest.conversationId) ? toThreadedConversationId(dest.conversationId.split(';')[0]!, replyTo) : dest.conversationId;
    const res = await this.call('send', () => this.api(dest.serviceUrl).conversations.activities(threaded).create(cardActivity(cm.card, cm.summary)));
    return res.id;
  }

  /**
   * Send a message's cards in order; returns the first one's id. In a channel, the cards after the
   * first go in its thread, so a long answer stays together.
   */
  async sendAll(dest: Destination, parts: CardMessage[], replyTo?: string): Promise<string> {
    const first = await this.send(dest, parts[0]!, replyTo);
    const inThread = isChannelConversation(dest.conversationId) && !dest.conversationId.includes(';messageid=');
    for (const part of parts.slice(1)) await this.send(dest, part, replyTo ?? (inThread ? first : undefined));
    return first;
  }

  async replace(dest: Destination, activityId: string, cm: CardMessage): Promise<void> {
    await this.call('update', () => this.api(dest.serviceUrl).conversations.activities(dest.conversationId).update(activityId, cardActivity(cm.card, cm.summary)));
  }

  async post(target: MessageTarget, message: Message, opts: { threadOf?: SentMessage } = {}): Promise<SentMessage> {
    const dest = target.kind === 'person' ? await this.personConversation(target.id) : await this.channelConversation(target.id);
    const parts = await this.render(message, dest.kind);
    const id = await this.sendAll(dest, parts, opts.threadOf?.messageId);
    return { messageId: id, channel: dest.conversationId };
  }

  classify(e: unknown): DeliveryFailure {
    return teamsFailure(e);
  }

  /**
   * An edit replaces one card: a message that grew past one is shortened, saying so. Its charts are
   * drawn again from the message and published under new addresses, so the card shows the latest figures.
   */
  async update(sent: SentMessage, message: Message): Promise<void> {
    const dest = await this.channelConversation(sent.channel);
    await this.replace(dest, sent.messageId, await this.renderOne(message, dest.kind));
  }

  /** A channel or chat: its stored reference, or the default service for one the bot has not heard from. */
  async channelConversation(conversationId: string): Promise<Destination> {
    const ref = await this.o.store.get(channelKey(conversationId));
    const usable = ref && this.serves(ref.tenantId) ? ref : null;
    const kind: TeamsConversation = usable?.conversationType ?? (isChannelConversation(conversationId) ? 'channel' : conversationId.startsWith('a:') ? 'personal' : 'groupChat');
    return { serviceUrl: usable?.serviceUrl ?? this.o.defaultServiceUrl, conversationId, kind };
  }

  /**
   * A person's 1:1 chat with the bot, created (and remembered) the first time the bot writes to them,
   * in their own tenant: the one their stored reference was seen in (a tenant the bot serves), or the
   * only tenant it serves. Fails with NoPrivateChatError when Teams will not create it (the app is not
   * installed for them: 403; or Teams is failing) — the caller's message then waits and is tried again.
   */
  async personConversation(aadObjectId: string): Promise<Destination> {
    const stored = await this.o.store.get(personKey(aadObjectId));
    const ref = stored && this.serves(stored.tenantId) ? stored : null;
    if (stored && !ref) this.o.log.warn({ tenantId: stored.tenantId }, 'teams: ignoring a stored reference from a tenant the bot does not serve');
    if (ref?.conversationId) return { serviceUrl: ref.serviceUrl, conversationId: ref.conversationId, kind: 'personal' };
    const tenantId = ref?.tenantId ?? (this.o.allowedTenants.length === 1 ? this.o.allowedTenants[0] : undefined);
    if (!tenantId) {
      throw new NoPrivateChatError(`Teams: cannot start a chat with ${aadObjectId}: the bot serves several tenants and this person has not written to it yet, so which is theirs is not known`);
    }
    const serviceUrl = ref?.serviceUrl ?? (await this.o.store.latest(tenantId))?.serviceUrl ?? this.o.defaultServiceUrl;
    let created;
    try {
      created = await this.call('create conversation', () =>
        this.api(serviceUrl).conversations.create({
          isGroup: false,
          bot: { id: `28:${this.o.appId}`, name: 'kpi-bot', role: 'bot' },
          members: [{ id: ref?.userId ?? aadObjectId, name: '', role: 'user' }],
          tenantId,
          channelData: { tenant: { id: tenantId } },
        }),
      );
    } catch (e) {
      if (e instanceof TeamsApiError && e.status === 403) {
        // Not for good: once they add the app (or open its chat), the next try gets through.
        throw new NoPrivateChatError(`${e.message} — the app is not installed for this person; ask them (or an admin) to add it in Teams.`, e);
      }
      if (e instanceof TeamsApiError && !e.permanent) throw new NoPrivateChatError(e.message, e);
      throw e;
    }
    const saved: ConversationRef = { serviceUrl, conversationId: created.id, conversationType: 'personal', tenantId, botId: `28:${this.o.appId}`, ...(ref?.userId ? { userId: ref.userId } : {}) };
    const person = await this.o.repo.personByPlatformUser('teams', aadObjectId);
    await this.o.store.save(personKey(aadObjectId), saved, person?.id ?? null);
    this.o.log.info({ personId: person?.id }, 'teams: started a 1:1 chat');
    return { serviceUrl, conversationId: created.id, kind: 'personal' };
  }
}
