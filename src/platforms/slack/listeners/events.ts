// Events: App Home opened (my indicators, what is due, a director's reds), and a file shared with
// the bot in a direct message (an import, for performance admins) — handled once per event id,
// whichever delivery and whichever process gets it first.
import type { App } from '@slack/bolt';
import { toBlocks, type SlackFileRef } from '../blocks.ts';
import type { SlackPlace } from '../replies.ts';
import type { SlackParts } from './parts.ts';

interface MessageEvent {
  channel: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: string;
  ts?: string;
  files?: SlackFileRef[];
}

export function mountEvents(app: App, p: Pick<SlackParts, 'inbound' | 'sender' | 'files' | 'client' | 'messenger' | 'events' | 'botUserId' | 'clock' | 'log'>): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home' || !event.user) return;
    const user = event.user;
    // If it fails, the person is told in a direct message (and the error is logged).
    await p.inbound.later('app home', { userId: user }, async () => {
      const home = await p.inbound.answer(p.sender(user), { kind: 'home' });
      if (home.kind !== 'message') return;
      const msg = home.message;
      await p.client.views.publish({ user_id: user, view: { type: 'home', blocks: toBlocks(msg, await p.messenger.mentions(msg)) as never } });
    });
  });

  app.event('message', async ({ event, context, body }) => {
    const m = event as unknown as MessageEvent;
    // Only people's files: not the bot's own uploads (reports, import reports) in the conversation.
    if (m.channel_type !== 'im' || m.bot_id || !m.user || m.user === p.botUserId || !m.files?.length) return;
    // Slack retries an event it thinks was missed: a retry whose first delivery never arrived is handled.
    const eventId = (body as { event_id?: unknown }).event_id;
    const key = typeof eventId === 'string' && eventId ? eventId : `${m.channel}:${m.ts ?? ''}`;
    if (!(await p.events.recordInboundEvent(`slack:${key}`, p.clock.now()))) {
      p.log.info({ eventId: key, retry: context.retryNum ?? 0 }, 'slack event already handled');
      return;
    }
    const place: SlackPlace = { userId: m.user, channelId: m.channel };
    await p.inbound.afterAck('file shared', place, p.sender(m.user, m.channel), { kind: 'file', file: p.files(m.files[0]!), text: m.text ?? '' });
  });
}
