// Slack's outbound side: one Web API client, the messenger the outbox sends through, the people
// finder (users.lookupByEmail) and channel access (conversations.info / join).
import { WebClient } from '@slack/web-api';
import { boltLogger } from './log.ts';
import type { Config } from '../../config.ts';
import type { Logger } from '../../log.ts';
import type { ChartRenderer, Repository } from '../../ports.ts';
import type { PlatformKit } from '../../services.ts';
import { SlackMessenger, slackClientOptions } from './messenger.ts';
import { SlackChannels, SlackPeopleFinder } from './people.ts';

type SlackConfig = NonNullable<Config['slack']>;

export interface SlackOutbound {
  client: WebClient;
  messenger: SlackMessenger;
  kit: PlatformKit;
}

export function createSlackOutbound(config: SlackConfig, ctx: { repo: Repository; charts: ChartRenderer; log: Logger }): SlackOutbound {
  const client = new WebClient(config.botToken, { ...slackClientOptions(config), logger: boltLogger(ctx.log) });
  const messenger = new SlackMessenger(client, ctx.repo, ctx.charts, ctx.log);
  const kit: PlatformKit = { name: 'slack', messenger, finder: new SlackPeopleFinder(client, ctx.log), channels: new SlackChannels(client, ctx.log) };
  return { client, messenger, kit };
}
