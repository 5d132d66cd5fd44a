// /kpi subscribe [theme <name> | <indicator>] [red | declining | recovered | forecast | actions | all] — typed in a
// channel (with an @mention where the platform needs one): this channel gets the alerts.
// Performance admins may subscribe any channel to anything; a theme's director to their own theme.
// The bot joins a public channel itself where the platform allows; in a private one it says how
// to invite it. The answer, in the channel, says what it will be told about, with the reds there
// are now.
import type { Actor, CommandDeps } from '../src/ports.ts';
import type { CommandResult } from '../src/messages/types.ts';
import { context, literal, plainMarkup, message, reply, text } from '../src/messages/build.ts';
import { ValidationError } from '../src/errors.ts';
import { ensureMaySubscribe, eventWords, readSubscription, scopeWords, subscribeChannel } from '../src/services/subscriptions.ts';
import { byStatus, loadPortfolio } from '../src/services/portfolio.ts';
import { indicatorLine } from '../src/services/indicator-lines.ts';
import { ALERT_EVENT_NAMES } from '../src/domain/monitor.ts';
import { defineCommand } from './types.ts';

// Every event a channel can ask for, from the list the alerts are sent by, so help names them all.
const USAGE = `subscribe [theme <name> | <indicator>] [${[...ALERT_EVENT_NAMES, 'all'].join(' | ')}]`;

export async function subscribe(deps: CommandDeps, actor: Actor, args: string): Promise<CommandResult> {
  const channelId = actor.channelId;
  if (!channelId) throw new ValidationError('Type this in the channel that should get the alerts.', {}, `Usage: /kpi ${USAGE}`);
  const { scope, events } = await readSubscription(deps.repo, args);
  const themes = await deps.repo.themes();
  ensureMaySubscribe(actor.person, scope, themes);
  const { outcome, name } = await subscribeChannel(deps, { platform: actor.platform, channelId, scope, events, by: { personId: actor.person!.id, label: `${actor.platform}:${actor.userId}` } });
  const now = deps.clock.now();
  const org = await deps.repo.org();
  const indicators = new Map(scope.indicator ? [[scope.indicator.id, scope.indicator]] : []);
  const what = scopeWords(scope, themes, indicators);
  const where = name ? `#${literal(name)}` : 'This channel';
  const lead =
    outcome === 'unchanged'
      ? `${where} already gets alerts for ${what} ${eventWords(events, org)}.`
      : `✅ ${where} will get alerts for ${what} ${eventWords(events, org)}${outcome === 'updated' ? ' (changed from before)' : ''}.`;
  // What it would be hearing about today.
  const portfolio = await loadPortfolio(deps.repo, now, { activeOnly: true, ...(scope.themeId !== null ? { themeId: scope.themeId } : {}) });
  const inScope = portfolio.states.filter((s) => scope.indicatorId === null || s.indicator.id === scope.indicatorId);
  const reds = inScope.filter((s) => s.evaluation.status === 'red').sort(byStatus);
  const sample = reds.slice(0, 5).map((s) => `• ${indicatorLine(s.indicator, s.evaluation)}`);
  const blocks = [
    text(lead),
    text(reds.length ? `**Red now** (${reds.length} of ${inScope.length}):\n${sample.join('\n')}${reds.length > sample.length ? `\n…and ${reds.length - sample.length} more` : ''}` : `Nothing is red there now (${inScope.length} indicator${inScope.length === 1 ? '' : 's'}).`),
    context('`/kpi subscriptions` lists what this channel gets; `/kpi unsubscribe` stops it.'),
  ];
  return reply('channel', message(plainMarkup(lead), ...blocks));
}

export const subscribeCommand = defineCommand({
  name: 'subscribe',
  usage: USAGE,
  summary: 'this channel gets alerts (all, a theme, or one indicator); performance admins and directors',
  examples: ['/kpi subscribe theme housing-growth'],
  roles: ['admin', 'director'],
  run: subscribe,
});
