// The bot added to a team, a chat or a person: a welcome in the channel, or the person's home in
// their 1:1 chat — both through the dispatcher. Every install refreshes the stored conversation
// reference (identifying the sender does), which is how alerts, chases and digests reach the place later.
import type { App } from '@microsoft/teams.apps';
import { activitySchema, type Activity } from '../activity.ts';
import type { TeamsParts } from './parts.ts';

export function routeInstall(app: App, { inbound, turns }: Pick<TeamsParts, 'inbound' | 'turns'>, onNewTeam: () => void): void {
  function installed(a: Activity, added: boolean): void {
    const turn = turns.turnFor(a);
    const from = turns.senderOf(turn);
    if (!added) {
      void inbound.later('install', turn, async () => void (await inbound.identify(from)));
      return;
    }
    if (turn.kind === 'personal') {
      void inbound.afterAck('install', turn, from, { kind: 'home' });
      return;
    }
    void inbound.later('install', turn, async () => {
      await inbound.identify(from);
      // A new team: its members can be found now (the roster is read again at the next lookup).
      onNewTeam();
      // In the channel itself, not the thread the install arrived in.
      const channel = (a.channelData?.channel?.id ?? a.conversation.id).split(';')[0]!;
      await inbound.deliver(inbound.welcome(channel), { ...turn, here: { ...turn.here, conversationId: channel } });
    });
  }

  app.on('conversationUpdate', (c) => {
    const a = activitySchema.parse(c.activity);
    installed(a, a.membersAdded?.some((m) => m.id === a.recipient.id) ?? false);
  });
  app.on('installationUpdate', (c) => installed(activitySchema.parse(c.activity), false));
}
