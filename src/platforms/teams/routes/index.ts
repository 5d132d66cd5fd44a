// Every Teams activity the bot answers, one route per file (as teams.ts apps lay them out), behind
// the tenant gate. Each only translates: an activity into a turn, who sent it and what they did for
// the inbound core (../../core/inbound.ts), and — where the answer is the invoke's response — the
// answer back into a card or a toast. Each takes only the parts it uses.
import type { App } from '@microsoft/teams.apps';
import type { TeamsParts } from './parts.ts';
import { useTenantGate } from './tenant-gate.ts';
import { routeMessage } from './message.ts';
import { routeCardAction } from './card-action.ts';
import { routeSearch } from './search.ts';
import { routeInstall } from './install.ts';

export function mountRoutes(app: App, parts: TeamsParts, opts: { onNewTeam: () => void }): void {
  useTenantGate(app, parts);
  routeMessage(app, parts);
  routeCardAction(app, parts);
  routeSearch(app, parts);
  app.on('invoke', () => ({ status: 501 }) as never);
  routeInstall(app, parts, opts.onNewTeam);
}
