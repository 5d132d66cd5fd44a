// Posting neutral messages to Slack: Block Kit for the text and buttons, charts uploaded through
// Slack's external upload flow (files.getUploadURLExternal + files.completeUploadExternal, which
// WebClient.files.uploadV2 performs) into the same conversation.
import type { WebClient, WebClientOptions } from '@slack/web-api';
import type { ChartRenderer, MessageTarget, Messenger, Repository, SentMessage } from '../../ports.ts';
import type { Block, Message } from '../../messages/types.ts';
import type { Logger } from '../../log.ts';
import { mentionedPeople, toBlocks, toFallback, type MentionMap } from './blocks.ts';

/**
 * Web API client options for every Slack client the bot makes: the configured base URL and timeout,
 * Retry-After honoured on 429s, and a failing call given up within about a minute (the outbox
 * retries later).
 */
export function slackClientOptions(config: { apiUrl: string | undefined; apiTimeoutMs: number }): WebClientOptions {
  return {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    rejectRateLimitedCalls: false,
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 10_000, randomize: true },
    timeout: config.apiTimeoutMs,
  };
}

export function slackErrorCode(e: unknown): string | undefined {
  return (e as { data?: { error?: string } }).data?.error;
}

export class SlackMessenger implements Messenger {
  readonly platform = 'slack' as const;

  constructor(
    private readonly client: WebClient,
    private readonly repo: Repository,
    private readonly charts: ChartRenderer,
    private readonly log: Logger,
  ) {}

  async mentions(msg: Message): Promise<MentionMap> {
    const ids = mentionedPeople(msg);
    if (!ids.length) return new Map();
    const people = await this.repo.people({ ids });
    return new Map(people.map((p) => [p.id, { slackUserId: p.identities.slack ?? null, displayName: p.displayName }]));
  }

  async post(target: MessageTarget, message: Message, opts: { threadOf?: SentMessage; chartsInThread?: boolean } = {}): Promise<SentMessage> {
    const mentions = await this.mentions(message);
    const args = {
      channel: target.id,
      text: toFallback(message, mentions),
      blocks: toBlocks(message, mentions),
      unfurl_links: false,
      unfurl_media: false,
      ...(opts.threadOf ? { thread_ts: opts.threadOf.messageId } : {}),
    };
    let res;
    try {
      res = await this.client.chat.postMessage(args);
    } catch (e) {
      // A public channel the bot has not joined yet: join it and try once more.
      if (target.kind !== 'channel' || slackErrorCode(e) !== 'not_in_channel') throw e;
      await this.client.conversations.join({ channel: target.id });
      res = await this.client.chat.postMessage(args);
    }
    const sent = { messageId: res.ts!, channel: res.channel! };
    const thread = opts.threadOf?.messageId ?? (opts.chartsInThread ? sent.messageId : undefined);
    await this.uploadAttachments(sent.channel, message.blocks, thread);
    return sent;
  }

  async update(sent: SentMessage, message: Message): Promise<void> {
    const mentions = await this.mentions(message);
    await this.client.chat.update({ channel: sent.channel, ts: sent.messageId, text: toFallback(message, mentions), blocks: toBlocks(message, mentions) });
  }

  /** Upload each chart block (rendered now, as a PNG with its alt text) and each file block, in order. */
  async uploadAttachments(channel: string, blocks: Block[], threadTs?: string): Promise<number> {
    let n = 0;
    for (const b of blocks) {
      let file: { file: Buffer; filename: string; title: string; alt_text?: string };
      if (b.type === 'chart') {
        const chart = await this.charts.render(b.chart);
        file = { file: chart.png, filename: chart.filename, title: b.title ?? chart.filename, alt_text: chart.altText };
      } else if (b.type === 'file') {
        file = { file: Buffer.from(b.file.base64, 'base64'), filename: b.file.filename, title: b.file.title };
      } else continue;
      await this.client.files.uploadV2(threadTs ? { ...file, channel_id: channel, thread_ts: threadTs } : { ...file, channel_id: channel });
      n++;
    }
    if (n) this.log.debug({ channel, files: n }, 'charts and files uploaded');
    return n;
  }
}
