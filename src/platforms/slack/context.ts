// What every Slack listener shares: who is asking (the shared identifier over users.info), how an
// answer reaches them (the three replies the conversation core needs: in the channel, privately
// through the response URL or a DM, a modal), the work after the acknowledgement, and files people
// upload. The listeners in ./listeners only read payloads and call these.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../log.ts';
import type { Actor, Clock, CommandDeps, IncomingFile } from '../../ports.ts';
import type { CommandResult, Form, Message } from '../../messages/types.ts';
import type { Dispatcher } from '../../../commands/dispatch.ts';
import { ValidationError } from '../../errors.ts';
import type { RetryPolicy } from '../../db/unavailable.ts';
import { afterAck, deliver, type AfterAck, type Replies } from '../core/conversation.ts';
import { createIdentifier, type Identification } from '../core/identify.ts';
import type { BackgroundWork } from '../core/background.ts';
import { readAtMost } from '../core/downloads.ts';
import { toBlocks, toFallback, toModal, type SlackFileRef } from './blocks.ts';
import { slackErrorCode, type SlackMessenger } from './messenger.ts';

export type { SlackConfig } from './settings.ts';
import type { SlackConfig } from './settings.ts';

/** Where a person asked, and how Slack lets the bot answer there. */
export interface SlackPlace {
  userId: string;
  channelId?: string;
  triggerId?: string;
  responseUrl?: string;
  /** A button inside an open modal: forms replace it instead of opening a new one. */
  viewId?: string;
}

export interface SlackContext {
  config: SlackConfig;
  deps: CommandDeps;
  dispatcher: Dispatcher;
  /** Posts, edits, uploads and views: one attempt per call (the outbox retries). */
  client: WebClient;
  /** Look-ups that change nothing, retried. */
  readClient: WebClient;
  messenger: SlackMessenger;
  log: Logger;
  clock: Clock;
  botUserId: string | undefined;
  databaseRetry: RetryPolicy;
  /** Who is asking; null when the database stayed unavailable for the whole retry budget. */
  actorWhenAvailable(userId: string | undefined, channelId?: string, policy?: RetryPolicy): Promise<Actor | null>;
  actorFor(userId: string | undefined, channelId?: string): Promise<Actor>;
  replies: Replies<SlackPlace>;
  answer(result: CommandResult, place: SlackPlace): Promise<void>;
  afterAck: AfterAck<SlackPlace>;
  /** A form as a modal view. */
  modal(form: Form, channelId: string | undefined): Promise<Record<string, unknown>>;
  /** A modal that only says something. */
  messageModal(title: string, msg: Message): Promise<Record<string, unknown>>;
  incomingFile(f: SlackFileRef): IncomingFile;
}

/** Slack's answers when the bot may not post in a channel: the person still gets the answer there, through the response URL. */
const CANNOT_POST_HERE = ['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action'];

export function createSlackContext(o: Omit<SlackContext, 'actorWhenAvailable' | 'actorFor' | 'replies' | 'answer' | 'afterAck' | 'modal' | 'messageModal' | 'incomingFile'> & { background: BackgroundWork }): SlackContext {
  const { config, deps, client, readClient, messenger, log, clock } = o;
  const identifier = createIdentifier({ repo: deps.repo, platform: 'slack', clock, log, outbox: deps.outbox });
  const emailOf = (userId: string) => async () => {
    try {
      return (await readClient.users.info({ user: userId })).user?.profile?.email;
    } catch (e) {
      log.warn({ err: slackErrorCode(e) ?? (e as Error).message }, 'could not look up the Slack user');
      return null;
    }
  };
  const actor = (userId: string, who: Identification, channelId?: string): Actor => ({ platform: 'slack', userId, person: who.person, ...(who.held ? { held: who.held } : {}), ...(channelId ? { channelId } : {}) });

  async function respond(url: string, body: Record<string, unknown>): Promise<boolean> {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) log.warn({ status: res.status }, 'response_url refused the reply');
    return res.ok;
  }

  const replies: Replies<SlackPlace> = {
    // Only the person: through the response URL when there is one, else a DM (always a DM when it carries files).
    async privately(place, msg, opts) {
      if (!msg.blocks.some((b) => b.type === 'file') && place.responseUrl) {
        const mentions = await messenger.mentions(msg);
        const payload = { text: toFallback(msg), blocks: toBlocks(msg, mentions), response_type: 'ephemeral', ...(opts.replacesOriginal ? { replace_original: true } : {}) };
        if (await respond(place.responseUrl, payload)) return;
      }
      await messenger.reply({ kind: 'person', id: place.userId }, msg);
    },
    // For the channel; when the bot may not post there, answer in the channel through the response URL.
    async inConversation(place, msg, opts) {
      if (!place.channelId) return replies.privately(place, msg, opts);
      try {
        await messenger.reply({ kind: 'channel', id: place.channelId }, msg);
      } catch (e) {
        if (!place.responseUrl || !CANNOT_POST_HERE.includes(slackErrorCode(e) ?? '')) throw e;
        const mentions = await messenger.mentions(msg);
        await respond(place.responseUrl, { response_type: 'in_channel', text: toFallback(msg), blocks: toBlocks(msg, mentions) });
        const files = msg.blocks.filter((b) => b.type === 'file');
        if (files.length) {
          await messenger.reply({ kind: 'person', id: place.userId }, { text: 'The file I could not post in the channel.', blocks: [{ type: 'text', text: 'I could not post this file in that conversation, so here it is. Invite me with `/invite @kpi-bot` to post files there.' }, ...files] });
        } else {
          await replies.privately(place, { text: 'Invite me to see charts here.', blocks: [{ type: 'context', text: 'I could not post the chart in this conversation: invite me with `/invite @kpi-bot` to see charts here.' }] }, { replacesOriginal: false });
        }
      }
    },
    async form(place, form) {
      const view = await modal(form, place.channelId);
      if (place.viewId) await client.views.update({ view_id: place.viewId, view: view as never });
      else if (place.triggerId) await client.views.open({ trigger_id: place.triggerId, view: view as never });
      else await replies.privately(place, { text: 'Open this from a button or /kpi command.', blocks: [{ type: 'text', text: 'Please start this again from a button or a `/kpi` command.' }] }, { replacesOriginal: false });
    },
  };

  async function modal(form: Form, channelId: string | undefined): Promise<Record<string, unknown>> {
    return toModal(form, await messenger.mentions({ text: '', blocks: form.intro ?? [] }), channelId ? { c: channelId } : {});
  }

  /** Slack's file hosts, and the configured API host (tests, proxies): the bot token goes nowhere else. */
  const fileHosts = (host: string) => host === 'slack.com' || host.endsWith('.slack.com') || (config.apiUrl ? host === new URL(config.apiUrl).host : false);

  return {
    ...o,
    replies,
    answer: (result, place) => deliver(replies, result, place),
    afterAck: afterAck(o.background, replies, log, 'slack'),
    modal,
    async messageModal(title, msg) {
      return { type: 'modal', title: { type: 'plain_text', text: title.slice(0, 24) }, close: { type: 'plain_text', text: 'Close' }, blocks: toBlocks(msg, await messenger.mentions(msg), { withActions: false }) };
    },
    async actorFor(userId, channelId) {
      // Slack always says who is asking; a payload that does not is nobody's.
      if (typeof userId !== 'string' || !userId) return actor('', { person: null });
      return actor(userId, await identifier.identify(userId, emailOf(userId)), channelId);
    },
    async actorWhenAvailable(userId, channelId, policy = o.databaseRetry) {
      if (typeof userId !== 'string' || !userId) return actor('', { person: null });
      const who = await identifier.identifyWhenAvailable(userId, emailOf(userId), policy);
      return who === undefined ? null : actor(userId, who, channelId);
    },
    /** A file a person uploaded, downloaded with the bot token only when the command reads it. */
    incomingFile(f) {
      return {
        name: f.name ?? f.title ?? `${f.id}.csv`,
        size: f.size ?? null,
        async read() {
          let url = f.url_private_download ?? f.url_private;
          if (!url) {
            const info = await readClient.files.info({ file: f.id });
            url = info.file?.url_private_download ?? info.file?.url_private;
          }
          if (!url) throw new ValidationError(`Slack did not give me a way to download ${f.name ?? 'the file'}.`);
          const u = new URL(url);
          if ((u.protocol !== 'https:' && !config.apiUrl) || !fileHosts(u.host)) throw new ValidationError('Slack gave a file address I do not trust; nothing was downloaded.');
          const res = await fetch(url, { headers: { authorization: `Bearer ${config.botToken}` }, signal: AbortSignal.timeout(60_000) });
          if (!res.ok) throw new Error(`file download answered HTTP ${res.status}`);
          if (/text\/html/i.test(res.headers.get('content-type') ?? '')) {
            // Slack answers a sign-in page when the token may not read files.
            throw new ValidationError('Slack would not let me download the file: the app needs the files:read scope (see deploy/slack-manifest.yml).');
          }
          return readAtMost(res, f.name ?? 'The file');
        },
      };
    },
  };
}
