// One chat platform as the services see it: sending, finding people, joining channels. Each
// platform builds one (src/platforms/<name>/); src/wiring.ts tells the services which there are.
import type { ChannelAccess } from './alerts.ts';
import type { Messenger } from './messaging.ts';
import type { PlatformName } from './organisation.ts';
import type { PeopleFinder } from './people.ts';

export interface PlatformKit {
  name: PlatformName;
  messenger: Messenger;
  finder: PeopleFinder | null;
  channels: ChannelAccess | null;
  /** Everyone in the register is reached here without a lookup (the console prints to them). */
  reachesEveryone?: boolean;
  /** What it cannot do as the bot is set up (a Slack scope the token lacks): as the platform said at start, or asked now. */
  setupProblems?(): Promise<SetupProblem[]>;
}

/** Something a platform cannot do as the bot is set up, and what breaks without it. */
export interface SetupProblem {
  platform: PlatformName;
  /** What is missing, as the platform names it (a Slack scope: `channels:history`). */
  missing: string;
  /** What breaks without it, in a sentence. */
  breaks: string;
  /** How to put it right. */
  fix: string;
  /** Without it, a post whose outcome is unknown cannot be looked for: the outbox holds such posts. */
  holdsPosts?: boolean;
}

