// Posting neutral messages to Slack: Block Kit for the text and buttons, charts uploaded through
// Slack's external upload flow (files.getUploadURLExternal + files.completeUploadExternal, which
// WebClient.files.uploadV2 performs) into the same conversation.
import type { WebClient, WebClientOptions } from '@slack/web-api';
import { genericFailure } from '../../outbox/failure.ts';
import { systemClock, type ChartRenderer, type Clock, type DeliveryFailure, type MessageTarget, type Messenger, type PostOptions, type Repository, type SentMessage, type UpdateOptions } from '../../ports.ts';
import type { Block, Message } from '../../messages/types.ts';
import type { Logger } from '../../log.ts';
import { mentionedPeople, toBlocks, toFallback, type MentionMap, type SlackImage } from './blocks.ts';
import { altText as chartAltText } from '../../charts/spec.ts';
import { missingScopeOf, type SlackScopes } from './scopes.ts';

/**
 * Web API client options for every Slack client the bot makes: the configured base URL and timeout,
 * and no retries of its own. One call is one attempt: a 429 comes back at once as a rate-limited
 * error carrying Retry-After, and whoever called decides — the outbox (src/outbox/sender.ts) puts
 * the message back until then; an interactive reply waits a little (SlackMessenger.reply). Retrying
 * in the client as well would stack retries, and a retried post whose first answer was lost is a
 * second post.
 */
export function slackClientOptions(config: { apiUrl: string | undefined; apiTimeoutMs: number }): WebClientOptions {
  return {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: config.apiTimeoutMs,
  };
}

/** For calls that change nothing (users.info, files.info): a few quick retries are harmless. */
export function slackReadClientOptions(config: { apiUrl: string | undefined; apiTimeoutMs: number }): WebClientOptions {
  return { ...slackClientOptions(config), rejectRateLimitedCalls: false, retryConfig: { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 3000, randomize: true } };
}

/** The event type of the metadata every outbox post carries: its idempotency key. */
export const OUTBOX_METADATA_TYPE = 'kpi_outbox_post';

/** How far back, at least, to look for a post an attempt with an unknown outcome may have made. */
const LOOK_BACK_MINUTES = 60;
/** Pages of 200 messages to look through at most. */
const LOOK_BACK_PAGES = 5;

/** An interactive reply waits at most this long in all for Slack's Retry-After before giving up. */
const REPLY_RATE_LIMIT_BUDGET_MS = 10_000;

export function slackErrorCode(e: unknown): string | undefined {
  return (e as { data?: { error?: string } }).data?.error;
}

/** Slack error codes a retry cannot fix. */
const SLACK_PERMANENT = new Set(['channel_not_found', 'user_not_found', 'is_archived', 'invalid_blocks', 'msg_too_long', 'not_authed', 'invalid_auth', 'account_inactive', 'cant_update_message', 'message_not_found', 'user_disabled']);

/**
 * An earlier attempt may have made this post, and Slack refused the look-up for it for want of a
 * scope (conversations.history needs channels:history in a public channel, groups:history in a
 * private one, im:history in a direct message). Posting again could make a second post.
 */
export class PostNotConfirmableError extends Error {
  override readonly name = 'PostNotConfirmableError';
  constructor(readonly scope: string) {
    super(
      `Slack may already have this post (an earlier attempt's answer was lost) and the bot cannot look for it: its token lacks the ${scope} scope. ` +
        `Held rather than risk posting it twice: add ${scope} to the Slack app (deploy/slack-manifest.yml), reinstall it and restart the bot, and it is looked for and sent then.`,
    );
  }
}

/**
 * What a Slack Web API error means for the outbox: a post that may exist and cannot be looked for is
 * held (PostNotConfirmableError); Slack's answers about the channel, user or
 * payload cannot be fixed by retrying; a request that failed on the way or a 5xx may have posted (the
 * next attempt looks for it by its metadata); a 429 carries its Retry-After.
 */
export function slackFailure(e: unknown): DeliveryFailure {
  if (e instanceof PostNotConfirmableError) return { kind: 'unconfirmable', reason: e.message };
  const err = e as { code?: unknown; statusCode?: unknown; data?: { error?: string } };
  const code = err.data?.error;
  if (code !== undefined && SLACK_PERMANENT.has(code)) return { kind: 'permanent' };
  if (err.code === 'slack_webapi_request_error' || (err.code === 'slack_webapi_http_error' && typeof err.statusCode === 'number' && err.statusCode >= 500)) {
    return { kind: 'transient', outcomeUnknown: true };
  }
  return genericFailure(e);
}

export class SlackMessenger implements Messenger {
  readonly platform = 'slack' as const;

  constructor(
    private readonly client: WebClient,
    private readonly repo: Repository,
    private readonly charts: ChartRenderer,
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
    /** Told when Slack refuses a call for want of a scope (readiness shows it). */
    private readonly scopes: SlackScopes | null = null,
  ) {}

  async mentions(msg: Message): Promise<MentionMap> {
    const ids = mentionedPeople(msg);
    if (!ids.length) return new Map();
    const people = await this.repo.people({ ids });
    return new Map(people.map((p) => [p.id, { slackUserId: p.identities.slack ?? null, displayName: p.displayName }]));
  }

  /**
   * Post a message in parts: the text (one chat.postMessage), then each chart or file. `resume`
   * skips what an earlier attempt delivered; `progress` is told after each part, `guard` asked
   * before each call (the outbox's claim); an outbox post carries its key in the message metadata.
   */
  async post(target: MessageTarget, message: Message, opts: PostOptions & { chartsInThread?: boolean } = {}): Promise<SentMessage> {
    const guard = opts.guard ?? (() => {});
    let sent = opts.resume?.sent;
    // An earlier attempt's outcome is unknown (it timed out, its answer was lost): Slack may have
    // posted it. Look for the post carrying this key before posting again, and adopt it.
    if (!sent && opts.key && opts.outcomeUnknown) {
      guard();
      let found: SentMessage | null;
      try {
        found = await this.findPosted(target, opts.key, opts.threadOf, opts.queuedAt);
      } catch (e) {
        const missing = missingScopeOf(e);
        if (!missing) throw e;
        this.scopes?.refused(missing.needed, missing.provided);
        throw new PostNotConfirmableError(missing.needed);
      }
      if (found) {
        this.log.info({ key: opts.key }, 'found the post an earlier attempt made; adopting it');
        sent = found;
        await opts.progress?.({ sent, parts: 0 });
      }
    }
    if (!sent) {
      const mentions = await this.mentions(message);
      const args = {
        channel: target.id,
        text: toFallback(message),
        blocks: toBlocks(message, mentions),
        unfurl_links: false,
        unfurl_media: false,
        ...(opts.threadOf ? { thread_ts: opts.threadOf.messageId } : {}),
        ...(opts.key ? { metadata: { event_type: OUTBOX_METADATA_TYPE, event_payload: { key: opts.key } } } : {}),
      };
      let res;
      try {
        guard();
        res = await this.client.chat.postMessage(args);
      } catch (e) {
        // A public channel the bot has not joined yet: join it and try once more.
        if (target.kind !== 'channel' || slackErrorCode(e) !== 'not_in_channel') throw e;
        guard();
        await this.client.conversations.join({ channel: target.id });
        guard();
        res = await this.client.chat.postMessage(args);
      }
      sent = { messageId: res.ts!, channel: res.channel! };
      await opts.progress?.({ sent, parts: 0 });
    }
    const thread = opts.threadOf?.messageId ?? (opts.chartsInThread ? sent.messageId : undefined);
    const done = sent;
    await this.uploadAttachments(sent.channel, message.blocks, thread, {
      skip: opts.resume?.parts ?? 0,
      guard,
      ...(opts.progress ? { uploaded: (parts: number) => opts.progress!({ sent: done, parts }) } : {}),
    });
    return sent;
  }

  /**
   * The post carrying this outbox key in its metadata, in the conversation (or thread) it was meant
   * for, among the messages since it was queued (at least the past `LOOK_BACK_MINUTES`; a few pages
   * at most); null when there is none.
   */
  async findPosted(target: MessageTarget, key: string, threadOf?: SentMessage, queuedAt?: Date): Promise<SentMessage | null> {
    const channel = threadOf?.channel ?? (target.kind === 'person' ? (await this.client.conversations.open({ users: target.id })).channel?.id : target.id);
    if (!channel) return null;
    const from = Math.min(this.clock.now().getTime() - LOOK_BACK_MINUTES * 60_000, (queuedAt?.getTime() ?? Infinity) - 60_000);
    const oldest = String(Math.floor(from / 1000));
    let cursor: string | undefined;
    for (let page = 0; page < LOOK_BACK_PAGES; page++) {
      const args = { channel, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
      const res = threadOf ? await this.client.conversations.replies({ ...args, ts: threadOf.messageId }) : await this.client.conversations.history(args);
      const hit = (res.messages ?? []).find((m) => {
        const meta = (m as { metadata?: { event_type?: string; event_payload?: { key?: unknown } } }).metadata;
        return meta?.event_type === OUTBOX_METADATA_TYPE && meta.event_payload?.key === key;
      });
      if (hit?.ts) return { messageId: hit.ts, channel };
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return null;
  }

  /** A reply to someone who is waiting (not an outbox message): waits out a short Retry-After, then gives up. */
  async reply(target: MessageTarget, message: Message): Promise<SentMessage> {
    let waited = 0;
    for (;;) {
      try {
        return await this.post(target, message);
      } catch (e) {
        const after = (e as { retryAfter?: number }).retryAfter;
        if (typeof after !== 'number' || waited + after * 1000 > REPLY_RATE_LIMIT_BUDGET_MS) throw e;
        waited += after * 1000;
        await new Promise((r) => setTimeout(r, after * 1000));
      }
    }
  }

  classify(e: unknown): DeliveryFailure {
    const missing = missingScopeOf(e);
    if (missing) this.scopes?.refused(missing.needed, missing.provided);
    return slackFailure(e);
  }

  /**
   * Edit a post. Its charts are drawn again from the message (the latest figures), uploaded into the
   * post's thread, and shown in the edited post itself: an edit that left the chart posted with the
   * first version would show the old figures under the new ones. `resume` keeps what an earlier
   * attempt uploaded; `progress` is told after each upload.
   */
  async update(sent: SentMessage, message: Message, opts: UpdateOptions = {}): Promise<void> {
    const guard = opts.guard ?? (() => {});
    const images: SlackImage[] = [];
    const uploaded = [...(opts.resume?.files ?? [])];
    let n = 0;
    for (const b of message.blocks) {
      if (b.type !== 'chart') continue;
      const title = b.title ?? 'chart';
      const done = uploaded[n++];
      if (done) {
        images.push({ fileId: done, altText: chartAltText(b.chart), title });
        continue;
      }
      const chart = await this.charts.render(b.chart);
      guard();
      const res = (await this.client.files.uploadV2({ file: chart.png, filename: chart.filename, title, alt_text: chart.altText, channel_id: sent.channel, thread_ts: sent.messageId })) as { files?: { files?: { id?: string }[] }[] };
      const fileId = res.files?.[0]?.files?.[0]?.id;
      if (!fileId) throw new Error('Slack did not say which file the chart was uploaded as');
      uploaded.push(fileId);
      images.push({ fileId, altText: chart.altText, title });
      await opts.progress?.({ sent, parts: uploaded.length, files: [...uploaded] });
    }
    const mentions = await this.mentions(message);
    guard();
    await this.client.chat.update({ channel: sent.channel, ts: sent.messageId, text: toFallback(message), blocks: toBlocks(message, mentions, { images }) });
  }

  /** Upload each chart block (rendered now, as a PNG with its alt text) and each file block, in order. */
  async uploadAttachments(channel: string, blocks: Block[], threadTs?: string, opts: { skip?: number; guard?: () => void; uploaded?: (parts: number) => Promise<void> } = {}): Promise<number> {
    let n = 0;
    let part = 0;
    for (const b of blocks) {
      if (b.type !== 'chart' && b.type !== 'file') continue;
      // Delivered by an earlier attempt.
      if (part++ < (opts.skip ?? 0)) continue;
      let file: { file: Buffer; filename: string; title: string; alt_text?: string };
      if (b.type === 'chart') {
        const chart = await this.charts.render(b.chart);
        file = { file: chart.png, filename: chart.filename, title: b.title ?? chart.filename, alt_text: chart.altText };
      } else if (b.type === 'file') {
        file = { file: Buffer.from(b.file.base64, 'base64'), filename: b.file.filename, title: b.file.title };
      } else continue;
      opts.guard?.();
      await this.client.files.uploadV2(threadTs ? { ...file, channel_id: channel, thread_ts: threadTs } : { ...file, channel_id: channel });
      n++;
      await opts.uploaded?.(part);
    }
    if (n) this.log.debug({ channel, files: n }, 'charts and files uploaded');
    return n;
  }
}
