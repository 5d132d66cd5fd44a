// Posting neutral messages to Teams through the Bot Connector service: one Adaptive Card per
// message, charts as images and files as download links served by this bot, people reached in their 1:1 chat with the bot and
// channels through the conversation references stored when the app was installed. Thread replies
// go under the original post in channels (group and 1:1 chats have no threads: they follow it).
import type { App } from '@microsoft/teams.apps';
import type { Logger } from '../../log.ts';
import type { MessageTarget, Messenger, Repository, SentMessage } from '../../ports.ts';
import type { Message } from '../../messages/types.ts';
import { mentionedPeople, messageCard, summaryText, type AdaptiveCard, type CardFile, type CardImage, type MentionMap } from './cards.ts';
import { channelKey, personKey, type ConversationRef, type ConversationStore } from './conversations.ts';
import type { HostedFiles } from './hosted-files.ts';
import { DEFAULT_RETRY, TeamsApiError, withRetry, type RetryOptions } from './retry.ts';

/** The SDK's Bot Connector client (conversations, activities, members) for one service URL. */
export type ApiClient = App['api'];

export interface TeamsMessengerOptions {
  /** An SDK client for a service URL, carrying the bot's token. */
  apiFor: (serviceUrl: string) => ApiClient;
  store: ConversationStore;
  hosted: HostedFiles;
  repo: Repository;
  appId: string;
  tenantId: string | undefined;
  /** For conversations the bot has no reference for. */
  defaultServiceUrl: string;
  log: Logger;
  retry?: RetryOptions;
}

/** Where an activity goes: a conversation on a Bot Connector service. */
export interface Destination {
  serviceUrl: string;
  conversationId: string;
}

/** Channel conversations (not group or 1:1 chats) have threads. */
export const isChannelConversation = (id: string) => /@thread\.(tacv2|skype)/.test(id);

export function cardActivity(card: AdaptiveCard, summary: string) {
  return {
    type: 'message' as const,
    summary,
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
  };
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

  async render(msg: Message): Promise<{ card: AdaptiveCard; summary: string }> {
    const [mentions, images, files] = await Promise.all([this.mentions(msg), this.images(msg), this.files(msg)]);
    return { card: messageCard(msg, mentions, { images, files }), summary: summaryText(msg, mentions) };
  }

  /** Send a card to a conversation; returns the new activity's id. */
  async send(dest: Destination, card: AdaptiveCard, summary: string, replyTo?: string): Promise<string> {
    const threaded = replyTo && isChannelConversation(dest.conversationId) ? `${dest.conversationId.split(';')[0]};messageid=${replyTo}` : dest.conversationId;
    const res = await this.call('send', () => this.api(dest.serviceUrl).conversations.activities(threaded).create(cardActivity(card, summary)));
    return res.id;
  }

  async replace(dest: Destination, activityId: string, card: AdaptiveCard, summary: string): Promise<void> {
    await this.call('update', () => this.api(dest.serviceUrl).conversations.activities(dest.conversationId).update(activityId, cardActivity(card, summary)));
  }

  async post(target: MessageTarget, message: Message, opts: { threadOf?: SentMessage } = {}): Promise<SentMessage> {
    const dest = target.kind === 'person' ? await this.personConversation(target.id) : await this.channelConversation(target.id);
    const { card, summary } = await this.render(message);
    const id = await this.send(dest, card, summary, opts.threadOf?.messageId);
    return { messageId: id, channel: dest.conversationId };
  }

  async update(sent: SentMessage, message: Message): Promise<void> {
    const dest = await this.channelConversation(sent.channel);
    const { card, summary } = await this.render(message);
    await this.replace(dest, sent.messageId, card, summary);
  }

  /** A channel or chat: its stored reference, or the default service for one the bot has not heard from. */
  async channelConversation(conversationId: string): Promise<Destination> {
    const ref = await this.o.store.get(channelKey(conversationId));
    return { serviceUrl: ref?.serviceUrl ?? (await this.fallbackServiceUrl()), conversationId };
  }

  /** A person's 1:1 chat with the bot, created (and remembered) the first time the bot writes to them. */
  async personConversation(aadObjectId: string): Promise<Destination> {
    const ref = await this.o.store.get(personKey(aadObjectId));
    if (ref?.conversationId) return { serviceUrl: ref.serviceUrl, conversationId: ref.conversationId };
    const latest = ref ?? (await this.o.store.latest());
    const serviceUrl = latest?.serviceUrl ?? this.o.defaultServiceUrl;
    const tenantId = latest?.tenantId ?? this.o.tenantId;
    if (!tenantId) {
      throw Object.assign(new Error(`Teams: cannot start a chat with ${aadObjectId}: no tenant known yet (set TEAMS_TENANT_ID, or install the app first)`), { permanent: false });
    }
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
        e.message += ' — the app is not installed for this person; ask them (or an admin) to add it in Teams.';
      }
      throw e;
    }
    const saved: ConversationRef = { serviceUrl, conversationId: created.id, conversationType: 'personal', tenantId, botId: `28:${this.o.appId}`, ...(ref?.userId ? { userId: ref.userId } : {}) };
    const person = await this.o.repo.personByPlatformUser('teams', aadObjectId);
    await this.o.store.save(personKey(aadObjectId), saved, person?.id ?? null);
    this.o.log.info({ personId: person?.id }, 'teams: started a 1:1 chat');
    return { serviceUrl, conversationId: created.id };
  }

  private async fallbackServiceUrl(): Promise<string> {
    return (await this.o.store.latest())?.serviceUrl ?? this.o.defaultServiceUrl;
  }
}
