// Buttons (action ids are "<action>:<index>"): acknowledged at once, answered after — in place of
// the message the button was on when the answer says so (CommandResult.replacesOriginal).
import type { App } from '@slack/bolt';
import type { SlackPlace } from '../replies.ts';
import type { SlackParts } from './parts.ts';

interface ActionBody {
  user: { id: string };
  channel?: { id: string };
  trigger_id?: string;
  response_url?: string;
  view?: { id: string; type: string };
}

export function mountButtons(app: App, { inbound, sender }: Pick<SlackParts, 'inbound' | 'sender'>): void {
  app.action(/^[a-z-]+:\d+$/, async ({ ack, body, action }) => {
    await ack();
    const b = body as unknown as ActionBody;
    const a = action as { action_id: string; value?: string };
    const id = a.action_id.split(':')[0]!;
    const place: SlackPlace = {
      userId: b.user.id,
      ...(b.channel ? { channelId: b.channel.id } : {}),
      ...(b.trigger_id ? { triggerId: b.trigger_id } : {}),
      ...(b.response_url ? { responseUrl: b.response_url } : {}),
      ...(b.view?.type === 'modal' ? { viewId: b.view.id } : {}),
    };
    await inbound.afterAck(`button ${id}`, place, sender(b.user.id, b.channel?.id), { kind: 'action', id, value: a.value ?? '' });
  });
}
