// /kpi — acknowledged at once; the answer follows (a form is opened straight after, inside Slack's
// 3-second trigger window).
import type { App } from '@slack/bolt';
import type { SlackPlace } from '../replies.ts';
import type { SlackParts } from './parts.ts';

export function mountSlashCommand(app: App, { inbound, sender }: Pick<SlackParts, 'inbound' | 'sender'>): void {
  app.command('/kpi', async ({ command, ack }) => {
    await ack();
    const place: SlackPlace = { userId: command.user_id, channelId: command.channel_id, triggerId: command.trigger_id, responseUrl: command.response_url };
    await inbound.afterAck('slash command', place, sender(command.user_id, command.channel_id), { kind: 'slash', text: command.text ?? '' });
  });
}
