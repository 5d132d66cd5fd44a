// Every Teams activity the bot answers, one route per file (as teams.ts apps lay them out), behind
// the tenant gate.
import type { App } from '@microsoft/teams.apps';
import type { TeamsContext } from '../context.ts';
import { useTenantGate } from './tenant-gate.ts';
import { routeMessage } from './message.ts';
import { routeCardAction } from './card-action.ts';
import { routeSearch } from './search.ts';
import { routeInstall } from './install.ts';

export function registerRoutes(app: App, ctx: TeamsContext, opts: { onNewTeam: () => void }): void {
  useTenantGate(app, ctx);
  routeMessage(app, ctx);
  routeCardAction(app, ctx);
  routeSearch(app, ctx);
  app.on('invoke', () => ({ status: 501 }) as never);
  routeInstall(app, ctx, opts.onNewTeam);
}
