// The bot added to a team, a chat or a person: a welcome in the channel (from commands/welcome.ts),
// or the person's home view in their 1:1 chat. Every install refreshes the stored conversation
// reference (the turn does), which is how alerts, chases and digests reach the place later.
import type { App } from '@microsoft/teams.apps';
import { homeView } from '../../../../commands/home.ts';
import { channelWelcome } from '../../../../commands/welcome.ts';
import { activitySchema } from '../activity.ts';
import type { TeamsContext, Turn } from '../context.ts';

export function routeInstall(app: App, ctx: TeamsContext, onNewTeam: () => void): void {
  async function added(turn: Turn): Promise<void> {
    if (turn.kind === 'personal') {
      await ctx.replies.inConversation(turn, await homeView(ctx.deps, turn.actor), { replacesOriginal: false });
      return;
    }
    // A new team: its members can be found now (the roster is read again at the next lookup).
    onNewTeam();
    const channel = (turn.activity.channelData?.channel?.id ?? turn.activity.conversation.id).split(';')[0]!;
    // In the channel itself, not the thread the install arrived in.
    await ctx.messenger.sendAll({ serviceUrl: turn.here.serviceUrl, conversationId: channel, kind: turn.kind }, await ctx.messenger.render(channelWelcome(channel), turn.kind));
  }

  app.on('conversationUpdate', (c) => {
    const a = activitySchema.parse(c.activity);
    void ctx.afterAck('install', () => ctx.turnFor(a), async (turn) => {
      if (a.membersAdded?.some((m) => m.id === a.recipient.id)) await added(turn);
    });
  });
  app.on('installationUpdate', (c) => {
    const a = activitySchema.parse(c.activity);
    void ctx.afterAck('install', () => ctx.turnFor(a), async () => {});
  });
}
