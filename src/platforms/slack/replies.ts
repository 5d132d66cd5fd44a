// How an answer reaches a person on Slack — the three replies the conversation core needs: in the
// channel (through the response URL when the bot may not post there), privately (through the
// response URL or a DM), and a form (a modal opened, or put in place of the one they were in).
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../log.ts';
import type { Replies } from '../core/conversation.ts';
import { toBlocks, toFallback } from './blocks.ts';
import { slackErrorCode, type SlackMessenger } from './messenger.ts';
import type { SlackModals } from './modals.ts';

/** Where a person asked, and how Slack lets the bot answer there. */
export interface SlackPlace {
  userId: string;
  channelId?: string;
  triggerId?: string;
  responseUrl?: string;
  /** A button inside an open modal: forms replace it instead of opening a new one. */
  viewId?: string;
}

/** Slack's answers when the bot may not post in a channel: the person still gets the answer there, through the response URL. */
const CANNOT_POST_HERE = ['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action'];

export function slackReplies(o: { client: WebClient; messenger: SlackMessenger; modals: SlackModals; log: Logger }): Replies<SlackPlace> {
  const { client, messenger, log } = o;

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
      const view = await o.modals.modal(form, place.channelId);
      if (place.viewId) await client.views.update({ view_id: place.viewId, view: view as never });
      else if (place.triggerId) await client.views.open({ trigger_id: place.triggerId, view: view as never });
      else await replies.privately(place, { text: 'Open this from a button or /kpi command.', blocks: [{ type: 'text', text: 'Please start this again from a button or a `/kpi` command.' }] }, { replacesOriginal: false });
    },
  };
  return replies;
}
