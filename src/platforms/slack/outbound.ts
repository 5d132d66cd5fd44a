// Slack's outbound side: the Web API clients, the messenger the outbox sends through, the people
// finder (users.lookupByEmail) and channel access (conversations.info / join). Posts, edits and
// uploads make one attempt per call (the outbox retries, knowing what already went out); look-ups
// that change nothing may be retried by their own client.
import { WebClient } from '@slack/web-api';
import type { SlackConfig } from './settings.ts';
import type { Logger } from '../../log.ts';
import { systemClock, type ChartRenderer, type Clock, type PlatformKit, type Repository } from '../../ports.ts';
import { SlackMessenger, slackClientOptions, slackReadClientOptions } from './messenger.ts';
import { SlackChannels, SlackPeopleFinder } from './people.ts';
import { boltLogger } from './log.ts';
import { SlackScopes } from './scopes.ts';

export interface SlackOutbound {
  client: WebClient;
  readClient: WebClient;
  messenger: SlackMessenger;
  kit: PlatformKit;
  /** The scopes the token has, as Slack last said (read at start by the transport). */
  scopes: SlackScopes;
}

export function createSlackOutbound(config: SlackConfig, ctx: { repo: Repository; charts: ChartRenderer; log: Logger; clock?: Clock }): SlackOutbound {
  const client = new WebClient(config.botToken, { ...slackClientOptions(config), logger: boltLogger(ctx.log) });
  const readClient = new WebClient(config.botToken, { ...slackReadClientOptions(config), logger: boltLogger(ctx.log) });
  const scopes = new SlackScopes(ctx.log);
  const messenger = new SlackMessenger(client, ctx.repo, ctx.charts, ctx.log, ctx.clock, scopes);
  const clock = ctx.clock ?? systemClock;
  const kit: PlatformKit = {
    name: 'slack',
    messenger,
    finder: new SlackPeopleFinder(readClient, ctx.log),
    channels: new SlackChannels(readClient, ctx.log),
    // The server asked at start; a CLI command asks the first time it needs to know.
    setupProblems: async () => {
      if (scopes.pending) await scopes.pending;
      else if (!scopes.asked) await scopes.ask(readClient, clock.now());
      return scopes.problems();
    },
  };
  return { client, readClient, messenger, kit, scopes };
}
