// Events: App Home opened (my indicators, what is due, a director's reds), and a file shared with
// the bot in a direct message (an import, for performance admins) — handled once per event id,
// whichever delivery and whichever process gets it first.
import type { App } from '@slack/bolt';
import { homeView } from '../../../../commands/home.ts';
import { toBlocks, type SlackFileRef } from '../blocks.ts';
import type { SlackContext, SlackPlace } from '../context.ts';

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

export function registerEvents(app: App, ctx: SlackContext): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home' || !event.user) return;
    // If it fails, the person is told in a direct message (and the error is logged).
    await ctx.afterAck('app home', { userId: event.user }, async () => {
      const actor = await ctx.actorFor(event.user);
      const msg = await homeView(ctx.deps, actor);
      await ctx.client.views.publish({ user_id: event.user, view: { type: 'home', blocks: toBlocks(msg, await ctx.messenger.mentions(msg)) as never } });
    });
  });

  app.event('message', async ({ event, context, body }) => {
    const m = event as unknown as MessageEvent;
    // Only people's files: not the bot's own uploads (reports, import reports) in the conversation.
    if (m.channel_type !== 'im' || m.bot_id || !m.user || m.user === ctx.botUserId || !m.files?.length) return;
    // Slack retries an event it thinks was missed: a retry whose first delivery never arrived is handled.
    const eventId = (body as { event_id?: unknown }).event_id;
    const key = typeof eventId === 'string' && eventId ? eventId : `${m.channel}:${m.ts ?? ''}`;
    if (!(await ctx.deps.repo.recordInboundEvent(`slack:${key}`, ctx.clock.now()))) {
      ctx.log.info({ eventId: key, retry: context.retryNum ?? 0 }, 'slack event already handled');
      return;
    }
    const place: SlackPlace = { userId: m.user, channelId: m.channel };
    const user = m.user;
    await ctx.afterAck('file shared', place, async () => {
      const actor = await ctx.actorFor(user, m.channel);
      await ctx.answer(await ctx.dispatcher.fileShared(actor, ctx.incomingFile(m.files![0]!), m.text ?? ''), place);
    });
  });
}
