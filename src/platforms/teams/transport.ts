// The Teams transport, on Microsoft's Teams SDK (@microsoft/teams.apps). The SDK receives activities
// at /api/messages on the shared HTTP server (through a small adapter) and checks each request's
// Bot Framework JWT before anything else runs: a missing, forged, expired or mis-addressed token is
// answered 401. Then, before any handler, the activity's tenant must be one the bot serves
// (TEAMS_TENANT_ID / TEAMS_ALLOWED_TENANTS): a bot registered in Teams is reachable from any tenant,
// and a foreign tenant's directory can claim any e-mail address, so anything else is refused (403)
// and logged (./routes/tenant-gate.ts). A refusal of either kind is one warn line, identical lines
// rate-limited (./refusals.ts). Activities are routed by the SDK's events (app.on), one
// route per file in ./routes, to the inbound core (../core/inbound.ts: who asked, the dispatcher,
// the database budget); answers go through the conversation core and become Adaptive Cards:
// - a message ("kpi show sickness-absence", "@kpi list red" in a channel) is acknowledged at once;
//   the answer follows as a card in the same conversation, or privately in the person's 1:1 chat —
//   and when that chat cannot be had, never in the channel: the channel gets a short note on how to
//   open the bot's chat, and the private answer waits in the outbox until it can be delivered;
// - a file sent in the 1:1 chat (a register to import) goes to the dispatcher as a shared file;
// - buttons and form submissions are Universal Actions (Action.Execute): the card in the invoke
//   response replaces the one clicked, so a form comes back with its errors beside the fields;
// - the indicator picker asks the bot as the person types (Data.Query, `application/search`);
// - every activity refreshes the stored conversation reference used for alerts, chases and digests.
import { BackgroundWork } from '../core/background.ts';
import type { Transport } from '../core/transport.ts';
import type { ConnectContext, Connection, ListenContext } from '../core/platform.ts';
import type { TeamsMessenger } from './messenger.ts';
import { StoredForms } from './stored-forms.ts';
import { teamsKit } from './people.ts';
import { createTeamsApp, createTeamsMessenger, type TeamsConfig } from './sdk.ts';
import { createIdentifier } from '../core/identify.ts';
import { createInbound } from '../core/inbound.ts';
import { teamsTurns } from './turns.ts';
import { teamsReplies } from './replies.ts';
import { teamsFormCards } from './form-cards.ts';
import { mountRoutes } from './routes/index.ts';
import { RefusalLog } from './refusals.ts';

export { commandText, tenantOf } from './activity.ts';
export { createTeamsApp, createTeamsMessenger, type TeamsMessengerDeps } from './sdk.ts';

export interface TeamsConnectOptions extends ConnectContext {
  config: TeamsConfig;
  publicUrl: string;
}

export interface TeamsTransport extends Transport {
  messenger: TeamsMessenger;
}

/**
 * Teams on the shared server: the SDK app on /api/messages, the messenger and the roster finder the
 * services are built with, then — given those services — its routes.
 */
export async function connectTeams(opts: TeamsConnectOptions): Promise<Connection> {
  const { config, log, stores, clock } = opts;
  // Refused requests and tenants: one warn line each, identical lines rate-limited (./refusals.ts).
  const refusals = new RefusalLog(log, clock);
  const app = createTeamsApp(config, { server: opts.http, refusals }, log);
  const { messenger, store, hosted } = createTeamsMessenger(app, config, { stores, repo: opts.repo, charts: opts.charts, publicUrl: opts.publicUrl, fileRetentionDays: opts.fileRetentionDays, clock, log });
  hosted.mount(opts.http);
  const kit = teamsKit(messenger, store, config, log);
  return {
    kit,
    async listen({ deps, dispatcher, databaseRetry }: ListenContext): Promise<TeamsTransport> {
      // Bounded, and started after waiting requests: see BackgroundWork.
      const background = new BackgroundWork();
      const forms = new StoredForms(stores.forms, clock);
      const cards = teamsFormCards({ messenger, forms, repo: deps.repo, dispatcher });
      const replies = teamsReplies({ messenger, cards, outbox: deps.outbox, clock, log });
      // Unknown senders are looked up again only after ten minutes (a stranger's every message would cost an API call).
      const identifier = createIdentifier({ repo: deps.repo, platform: 'teams', clock, log, outbox: deps.outbox, lookupAgainMs: 10 * 60_000 });
      const inbound = createInbound({ platform: 'teams', dispatcher, identifier, replies, background, databaseRetry, log });
      mountRoutes(app, { inbound, turns: teamsTurns({ messenger, store, log }), cards, forms, messenger, config, refusals }, { onNewTeam: () => kit.finder.invalidate() });
      return {
        name: 'teams',
        messenger,
        kit,
        idle: () => background.idle(),
        async start() {
          await app.initialize();
        },
        async stop() {
          refusals.stop();
          // Answer what has been acknowledged before the database closes.
          await background.idle();
        },
      };
    },
  };
}
