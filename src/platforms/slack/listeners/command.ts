// /kpi — acknowledged at once; the answer follows (a form is opened straight after, inside Slack's
// 3-second trigger window).
import type { App } from '@slack/bolt';
import { notSaved } from '../../../../commands/unavailable.ts';
import type { SlackContext, SlackPlace } from '../context.ts';

export function registerCommand(app: App, ctx: SlackContext): void {
  app.command('/kpi', async ({ command, ack }) => {
    await ack();
    const place: SlackPlace = { userId: command.user_id, channelId: command.channel_id, triggerId: command.trigger_id, responseUrl: command.response_url };
    await ctx.afterAck('slash command', place, async () => {
      const actor = await ctx.actorWhenAvailable(command.user_id, command.channel_id);
      const text = command.text ?? '';
      await ctx.answer(actor ? await ctx.dispatcher.slash(actor, text) : notSaved(Math.round(ctx.databaseRetry.budgetMs / 1000), { slash: text }), place);
    });
  });
}
