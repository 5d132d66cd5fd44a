// Teams' outbound side for processes that do not receive activities (the CLI): the SDK app without
// its HTTP route, the messenger the outbox sends through, the roster finder and channel access.
import type { App } from '@microsoft/teams.apps';
import type { TeamsConfig } from './settings.ts';
import type { PlatformKit } from '../../ports.ts';
import { createTeamsMessenger, type TeamsMessengerDeps } from './sdk.ts';
import { teamsKit } from './people.ts';

export function createTeamsOutbound(app: App, config: TeamsConfig, d: TeamsMessengerDeps): { kit: PlatformKit } {
  const { messenger, store } = createTeamsMessenger(app, config, d);
  return { kit: teamsKit(messenger, store, config, d.log) };
}
