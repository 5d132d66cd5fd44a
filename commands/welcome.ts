// What a channel is told when the bot is added to it: what it can be asked, and how alerts come to
// it. The 1:1 chat gets the person's home view (commands/home.ts) instead. Command references are
// written `/kpi …` and rendered for where the message is read (src/messages/commands.ts).
import type { Message } from '../src/messages/types.ts';
import { context, header, message, text } from '../src/messages/build.ts';

export function channelWelcome(channelId: string): Message {
  return message(
    'kpi-bot is here: mention me to show, list and submit performance indicators.',
    header('kpi-bot: performance indicators in this channel'),
    text('Ask me here with a command, e.g. `/kpi show sickness-absence` or `/kpi list red`. In a private chat with me, just type the command: **submit**, **mine**, **help**.'),
    context(`Alerts come to the channels a performance admin (or a theme's director) subscribes: ask me there with \`/kpi subscribe\` (or \`/kpi subscribe theme <name>\`). This channel's id: ${channelId}`),
  );
}
