// The Slack transport: a Bolt app whose listeners (./listeners, one file per surface: slash command,
// buttons, modals, type-ahead, events) translate Slack payloads to the dispatcher and its answers
// to Block Kit through the shared inbound and conversation core (../core). HTTP mode mounts /slack/events on the
// shared server behind signature verification (./receiver.ts); Socket Mode when an app token is
// configured. Every listener acknowledges first and works after, except where Slack needs the
// answer in the acknowledgement (modal validation, type-ahead options).
import { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../log.ts';
import type { Clock, CommandDeps, Dispatcher, PlatformKit } from '../../ports.ts';
import type { HttpServer } from '../../http/server.ts';
import type { RetryPolicy } from '../../db/unavailable.ts';
import { BackgroundWork } from '../core/background.ts';
import type { Transport } from '../core/transport.ts';
import { slackClientOptions, type SlackMessenger } from './messenger.ts';
import { boltLogger } from './log.ts';
import type { SlackOutbound } from './outbound.ts';
import { SharedServerReceiver, SLACK_BODY_LIMIT } from './receiver.ts';
import type { SlackConfig } from './settings.ts';
import { createIdentifier } from '../core/identify.ts';
import { createInbound } from '../core/inbound.ts';
import { slackReplies } from './replies.ts';
import { slackModals } from './modals.ts';
import { slackSenders } from './senders.ts';
import { slackFiles } from './files.ts';
import { mountListeners } from './listeners/index.ts';

export interface SlackTransportOptions {
  config: SlackConfig;
  /** The Web API client and messenger the services already send through (src/platforms/index.ts). */
  outbound: SlackOutbound;
  deps: CommandDeps;
  dispatcher: Dispatcher;
  http: HttpServer;
  clock: Clock;
  log: Logger;
  /** How long to keep trying while the database is unavailable. */
  databaseRetry: RetryPolicy;
}

export interface SlackTransport extends Transport {
  messenger: SlackMessenger;
  kit: PlatformKit;
  client: WebClient;
  /** What listeners do after acknowledging; `idle()` waits for it (tests, shutdown). */
  background: BackgroundWork;
}

export async function createSlackTransport(opts: SlackTransportOptions): Promise<SlackTransport> {
  const { config, log, clock } = opts;
  // Posts, edits, uploads and views: one attempt per call; look-ups that change nothing may be retried (./outbound.ts).
  const { client, readClient, messenger } = opts.outbound;

  // One auth.test at start: which scopes the token has (its x-oauth-scopes header; each missing one
  // is logged and shown by /readyz), and the bot's ids, which Bolt would otherwise ask for on every
  // request. Without the ids configured the start waits for it (a Slack that cannot answer stops
  // it); with them, it is asked in the background, so a slow Slack does not hold up the start.
  let botId = config.botId;
  let botUserId = config.botUserId;
  if (!botId || !botUserId) {
    const auth = await readClient.auth.test();
    opts.outbound.scopes.record(auth, clock.now());
    botId ??= auth.bot_id;
    botUserId ??= auth.user_id;
  } else void opts.outbound.scopes.ask(readClient, clock.now());

  const socketMode = Boolean(config.appToken);
  const receiver = socketMode ? null : new SharedServerReceiver(config.signingSecret!, clock, log);
  const app = new App({
    token: config.botToken,
    botId,
    botUserId,
    logger: boltLogger(log),
    clientOptions: slackClientOptions(config),
    ...(socketMode ? { socketMode: true, appToken: config.appToken } : { receiver: receiver! }),
  });
  if (receiver) opts.http.route('POST', '/slack/events', (req, reply) => receiver.handle(req, reply), { bodyLimit: SLACK_BODY_LIMIT, platform: 'slack' });

  const background = new BackgroundWork();
  const { deps } = opts;
  const modals = slackModals(messenger);
  const replies = slackReplies({ client, messenger, modals, log });
  const identifier = createIdentifier({ repo: deps.repo, platform: 'slack', clock, log, outbox: deps.outbox });
  const inbound = createInbound({ platform: 'slack', dispatcher: opts.dispatcher, identifier, replies, background, databaseRetry: opts.databaseRetry, log });
  mountListeners(app, { inbound, sender: slackSenders(readClient, log), replies, modals, files: slackFiles(config, readClient), client, messenger, events: deps.repo, botUserId, clock, log });
  app.error(async (e) => {
    log.error({ err: e }, 'bolt error');
  });

  return {
    name: 'slack',
    messenger,
    kit: opts.outbound.kit,
    client,
    background,
    idle: () => background.idle(),
    readiness: () => opts.outbound.scopes.readiness(),
    async start() {
      // HTTP mode: the constructor has initialised Bolt; requests arrive through the shared server.
      if (socketMode) await app.start();
    },
    async stop() {
      if (socketMode) await app.stop();
      // Answer what has been acknowledged before the database closes: listeners still running (one may
      // start its background job after the signal), then the background jobs, until neither has any.
      do {
        await receiver?.idle();
        await background.idle();
      } while (background.size || receiver?.busy);
    },
  };
}
