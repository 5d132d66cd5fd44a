// Microsoft Teams as data (no SDK): its name, how people write its channel and user ids.
import type { PlatformAbout } from './about.ts';

/** The name people @mention the bot by in Teams: the app's short name in its manifest. */
export const TEAMS_BOT_NAME = 'kpi';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const teamsAbout: PlatformAbout<'teams'> = {
  name: 'teams',
  label: 'Teams',
  channel: { pattern: /^19:[^\s;]+@thread\.(tacv2|skype|v2)$/, example: '19:…@thread.tacv2 (Teams: the bot says it when added to the team)' },
  identity: {
    columns: ['teams id', 'teams user id', 'entra object id', 'aad object id', 'entra id'],
    pattern: GUID,
    invalid: 'expected a Microsoft Entra object id such as 6e0a8f2c-3b1d-4c5e-9f7a-1b2c3d4e5f60',
    normalise: (id) => id.toLowerCase(),
  },
};
