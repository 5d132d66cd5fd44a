// /kpi subscriptions — what this channel is told about; for performance admins, every channel's.
import type { Actor, CommandDeps, SubscriptionRecord } from '../src/ports.ts';
import type { Block, CommandResult } from '../src/messages/types.ts';
import { context, header, literal, message, reply, text } from '../src/messages/build.ts';
import { isAdmin } from '../src/services/permissions.ts';
import { eventWords, scopeWords } from '../src/services/subscriptions.ts';
import { defineCommand } from './types.ts';

export async function subscriptions(deps: CommandDeps, actor: Actor): Promise<CommandResult> {
  const [all, themes, indicators, org] = await Promise.all([
    deps.repo.channelSubscriptions(),
    deps.repo.themes(),
    deps.repo.indicators({ activeOnly: false }).then((l) => new Map(l.map((i) => [i.id, i]))),
    deps.repo.org(),
  ]);
  const line = (s: SubscriptionRecord) => `• ${scopeWords(s, themes, indicators)} ${eventWords(s.events, org)}`;
  const here = all.filter((s) => s.platform === actor.platform && s.channelId === actor.channelId);
  const blocks: Block[] = [header('Alert subscriptions')];
  blocks.push(text(here.length ? `**This channel** gets alerts for:\n${here.map(line).join('\n')}` : 'This channel gets no alerts.'));
  if (isAdmin(actor.person)) {
    const byChannel = new Map<string, SubscriptionRecord[]>();
    for (const s of all) {
      const k = `${s.platform}:${s.channelId}`;
      byChannel.set(k, [...(byChannel.get(k) ?? []), s]);
    }
    const lines = [...byChannel.values()].map((subs) => {
      const s = subs[0]!;
      const name = s.channelName ? `#${s.channelName}` : s.channelId;
      return `**${literal(name)}** (${s.platform}${s.channelName ? `, ${s.channelId}` : ''}): ${subs.map((x) => scopeWords(x, themes, indicators)).join(', ')}`;
    });
    blocks.push(text(`**Every channel** (${byChannel.size}):`));
    for (let i = 0; i < lines.length; i += 10) blocks.push(text(lines.slice(i, i + 10).join('\n')));
    if (!lines.length) blocks.push(context('No channel gets alerts yet: type `/kpi subscribe` in your performance channel.'));
  }
  blocks.push(context('`/kpi subscribe` in a channel starts alerts there; `/kpi unsubscribe` stops them.'));
  return reply('private', message(here.length ? `This channel gets ${here.length} subscription(s).` : 'This channel gets no alerts.', ...blocks));
}

export const subscriptionsCommand = defineCommand({
  name: 'subscriptions',
  usage: 'subscriptions',
  summary: 'what this channel is alerted about (performance admins: every channel)',
  run: subscriptions,
});
