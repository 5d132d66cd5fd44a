// /kpi unsubscribe [theme <name> | <indicator> | everything] — this channel stops getting those alerts.
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { context, message, reply, text } from '../src/messages/build.ts';
import { ValidationError } from '../src/errors.ts';
import { ensureMaySubscribe, readSubscription, scopeWords, unsubscribeChannel } from '../src/services/subscriptions.ts';
import { defineCommand } from './types.ts';

const USAGE = 'unsubscribe [theme <name> | <indicator> | everything]';

export async function unsubscribe(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  const channelId = actor.channelId;
  if (!channelId) throw new ValidationError('Type this in the channel that should stop getting alerts.', {}, `Usage: /kpi ${USAGE}`);
  const [{ scope, everything }, themes, current] = await Promise.all([
    readSubscription(deps.repo, args, { allowEverything: true }),
    deps.repo.themes(),
    deps.repo.channelSubscriptions({ platform: actor.platform, channelId }),
  ]);
  const indicators = new Map((await deps.repo.indicators({ activeOnly: false })).map((i) => [i.id, i]));
  if (!current.length) return reply('private', message('This channel gets no alerts.', text('This channel gets no alerts, so there is nothing to stop.')));
  const targets = everything ? current : current.filter((s) => s.themeId === scope.themeId && s.indicatorId === scope.indicatorId);
  if (!targets.length) {
    const list = current.map((s) => scopeWords(s, themes, indicators)).join(', ');
    throw new ValidationError(`This channel is not subscribed to ${scopeWords(scope, themes, indicators)}. It gets alerts for ${list}.`, {}, 'Say which to stop, e.g. `/kpi unsubscribe theme housing-growth`, or `/kpi unsubscribe everything`.');
  }
  for (const s of targets) ensureMaySubscribe(actor.person, { themeId: s.themeId, indicatorId: s.indicatorId, theme: themes.find((t) => t.id === s.themeId) ?? null, indicator: s.indicatorId !== null ? (indicators.get(s.indicatorId) ?? null) : null }, themes);
  await unsubscribeChannel(deps, { platform: actor.platform, channelId, scopes: targets, by: { personId: actor.person!.id, label: `${actor.platform}:${actor.userId}` } });
  const left = current.length - targets.length;
  const lead = `🔕 This channel no longer gets alerts for ${targets.map((s) => scopeWords(s, themes, indicators)).join(', ')}.`;
  return reply('channel', message(lead, text(lead), context(left ? `It still gets ${left} other subscription${left === 1 ? '' : 's'}: \`/kpi subscriptions\`.` : 'It gets no alerts now.')));
}

export const unsubscribeCommand = defineCommand({
  name: 'unsubscribe',
  usage: USAGE,
  summary: 'this channel stops getting those alerts',
  roles: ['admin', 'director'],
  run: unsubscribe,
});
