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
}

