// The Teams transport, on Microsoft's Teams SDK (@microsoft/teams.apps). The SDK receives activities
// at /api/messages on the shared HTTP server (through a small adapter) and checks each request's
// Bot Framework JWT before anything else runs: a missing, forged, expired or mis-addressed token is
// answered 401. Activities are then translated to the dispatcher, and results to Adaptive Cards:
// - a message ("kpi show sickness-absence", "@kpi list red" in a channel) is acknowledged at once;
//   the answer follows as a card in the same conversation, or privately in the person's 1:1 chat;
// - a file sent in the 1:1 chat (a register to import) goes to the dispatcher as a shared file;
// - buttons and form submissions are Universal Actions (Action.Execute): the card in the invoke
//   response replaces the one clicked, so a form comes back with its errors beside the fields;
// - the indicator picker asks the bot as the person types (Data.Query, `application/search`);
// - every activity refreshes the stored conversation reference used for alerts, chases and digests.
import { App, type IHttpServerAdapter, type HttpMethod, type HttpRouteHandler } from '@microsoft/teams.apps';
import { PUBLIC, withOverrides, type InvokeResponse } from '@microsoft/teams.api';
import type { ILogger } from '@microsoft/teams.common';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Logger } from '../../log.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { Actor, ChartRenderer, Clock, CommandDeps, PersonRecord, Repository } from '../../ports.ts';
import type { CommandResult, Form, Message } from '../../messages/types.ts';
import type { Dispatcher } from '../../../commands/dispatch.ts';
import { formErrorsMessage, SOMETHING_WENT_WRONG, unreachable } from '../../messages/build.ts';
import { homeView } from '../../../commands/home.ts';
import { BackgroundWork } from '../background.ts';
import type { HttpServer } from '../../http/server.ts';
import { formCard, formValues, messageCard, type AdaptiveCard } from './cards.ts';
import { channelKey, ConversationStore, personKey, type ConversationRef } from './conversations.ts';
import { HostedFiles } from './hosted-files.ts';
import { TeamsMessenger, type Destination } from './messenger.ts';
import { clientCredentialsTokenProvider } from './token.ts';
import { attachmentSchema, httpOriginOf, sentFile, type DownloadPolicy } from './incoming-files.ts';
import { MAX_IMPORT_BYTES } from '../../import/import.ts';
import type { PlatformKit } from '../../services.ts';
import { teamsKit } from './people.ts';

type TeamsConfig = NonNullable<Config['teams']>;

export interface TeamsTransportOptions {
  config: TeamsConfig;
  publicUrl: string;
  fileRetentionDays: number;
  db: PrismaClient;
  deps: CommandDeps;
  dispatcher: Dispatcher;
  http: HttpServer;
  clock: Clock;
  log: Logger;
}

export interface TeamsTransport {
  messenger: TeamsMessenger;
  /** What the services send through and find people with (src/services.ts). */
  kit: PlatformKit;
  /** Resolves when the work started by acknowledged activities has finished (tests, shutdown). */
  idle(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The SDK's log lines go to our logger (so secrets are redacted and levels respected). */
function sdkLogger(log: Logger, name = 'teams-sdk'): ILogger {
  const l = log.child({ component: name });
  const text = (m: unknown[]) => m.map((x) => (x instanceof Error ? x.message : typeof x === 'string' ? x : JSON.stringify(x))).join(' ').slice(0, 2000);
  const logger: ILogger = {
    debug: (...m: unknown[]) => l.debug(text(m)),
    info: (...m: unknown[]) => l.info(text(m)),
    warn: (...m: unknown[]) => l.warn(text(m)),
    error: (...m: unknown[]) => l.error(text(m)),
    trace: (...m: unknown[]) => l.trace(text(m)),
    log: (level, ...m: unknown[]) => l[level](text(m)),
    child: (child: string) => sdkLogger(log, `${name}/${child}`),
  };
  return logger;
}

/**
 * The SDK's transport seam, on our shared server: parse the JSON body, hand it with the headers to
 * the SDK (which validates the JWT, runs the handlers and returns the answer), write the answer.
 */
class SharedServerAdapter implements IHttpServerAdapter {
  constructor(
    private readonly http: HttpServer,
    private readonly log: Logger,
  ) {}

  registerRoute(method: HttpMethod, path: string, handler: HttpRouteHandler): void {
    this.http.route(method, path, async (req, reply) => {
      let body: unknown;
      try {
        body = JSON.parse(req.rawBody);
      } catch {
        return reply({ status: 400, headers: { 'content-type': 'text/plain' }, body: 'Unreadable body' });
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) return reply({ status: 400, headers: { 'content-type': 'text/plain' }, body: 'Not an activity' });
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = v;
      const res = await handler({ body, headers });
      if (res.status === 401) this.log.warn({ type: (body as { type?: unknown }).type }, 'teams request refused: no valid Bot Framework token');
      reply({
        status: res.status,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: res.body === undefined ? '' : JSON.stringify(res.body),
      });
    });
  }
}

const account = z.looseObject({ id: z.string(), name: z.string().optional(), aadObjectId: z.string().optional() });
const activitySchema = z.looseObject({
  type: z.string(),
  id: z.string().optional(),
  name: z.string().optional(),
  text: z.string().optional(),
  value: z.unknown().optional(),
  serviceUrl: z.string(),
  replyToId: z.string().optional(),
  from: account,
  recipient: account,
  conversation: z.looseObject({ id: z.string(), conversationType: z.string().optional(), tenantId: z.string().optional(), name: z.string().optional() }),
  channelData: z
    .looseObject({
      tenant: z.looseObject({ id: z.string() }).optional(),
      channel: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
      team: z.looseObject({ id: z.string(), name: z.string().optional() }).optional(),
    })
    .optional(),
  entities: z.array(z.looseObject({ type: z.string(), text: z.string().optional(), mentioned: account.optional() })).optional(),
  membersAdded: z.array(account).optional(),
  attachments: z.array(attachmentSchema).optional(),
});
type Activity = z.infer<typeof activitySchema>;

const formSchema = z.looseObject({
  id: z.string(),
  title: z.string(),
  submitLabel: z.string(),
  state: z.string(),
  fields: z.array(z.looseObject({ id: z.string(), label: z.string(), kind: z.string() })),
});
const actionDataSchema = z.discriminatedUnion('kpi', [
  z.looseObject({ kpi: z.literal('action'), id: z.string(), value: z.string() }),
  z.looseObject({ kpi: z.literal('form'), form: formSchema }),
  z.looseObject({ kpi: z.literal('cancel') }),
]);
const searchSchema = z.looseObject({
  queryText: z.string().default(''),
  dataset: z.string().default(''),
  queryOptions: z.looseObject({ top: z.number().int().positive().optional(), skip: z.number().int().min(0).optional() }).optional(),
});

/** One incoming activity and where answers to it go. */
interface Turn {
  activity: Activity;
  /** The conversation it came from (a channel message's thread included). */
  here: Destination;
  kind: 'personal' | 'channel' | 'groupChat';
  actor: Actor;
}

const invoke = (body: unknown): InvokeResponse => ({ status: 200, body }) as InvokeResponse;
const cardResponse = (card: AdaptiveCard) => invoke({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card });
const toastResponse = (text: string) => invoke({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text });

/** Buttons whose answer replaces the card they are on (Slack: replace_original). */
const REPLACES_CARD = new Set(['confirm-correction', 'cancel']);

function decodeEntities(s: string): string {
  return s
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The command typed: the bot's own @mention removed, other mentions kept as names, no HTML. */
export function commandText(a: Pick<Activity, 'text' | 'entities' | 'recipient'>): string {
  let t = a.text ?? '';
  for (const e of a.entities ?? []) {
    if (e.type === 'mention' && e.mentioned?.id === a.recipient.id && e.text) t = t.split(e.text).join(' ');
  }
  t = t.replace(/<at>([^<]*)<\/at>/g, '$1').replace(/<[^>]+>/g, ' ');
  return decodeEntities(t).replace(/\s+/g, ' ').trim();
}

/** The SDK app: its JWT check on /api/messages (when `http` is given) and its Bot Connector client. */
export function createTeamsApp(config: TeamsConfig, http: HttpServer | null, log: Logger): App {
  const cloud = withOverrides(PUBLIC, {
    ...(config.openIdMetadataUrl ? { openIdMetadataUrl: config.openIdMetadataUrl } : {}),
    ...(config.loginUrl ? { loginEndpoint: config.loginUrl } : {}),
  });
  return new App({
    clientId: config.appId,
    // Microsoft Entra through MSAL, unless the token endpoint is overridden (see token.ts).
    ...(config.loginUrl
      ? { token: clientCredentialsTokenProvider({ loginUrl: config.loginUrl, clientId: config.appId, clientSecret: config.appPassword, defaultTenant: config.tenantId ?? cloud.loginTenant }) }
      : { clientSecret: config.appPassword }),
    ...(config.tenantId ? { tenantId: config.tenantId } : {}),
    cloud,
    serviceUrl: config.serviceUrl,
    httpServerAdapter: http ? new SharedServerAdapter(http, log) : { registerRoute: () => {} },
    // Never from the environment: every request must carry a valid token.
    dangerouslyAllowUnauthenticatedRequests: false,
    logger: sdkLogger(log),
    client: { timeout: 20_000 },
  });
}

export interface TeamsMessengerDeps {
  db: PrismaClient;
  repo: Repository;
  charts: ChartRenderer;
  publicUrl: string;
  /** How long files sent in cards can be downloaded (KPI_FILE_RETENTION_DAYS). */
  fileRetentionDays: number;
  clock: Clock;
  log: Logger;
}

/** The messenger the outbox sends through; also usable without the inbound side (the job CLI). */
export function createTeamsMessenger(app: App, config: TeamsConfig, d: TeamsMessengerDeps): { messenger: TeamsMessenger; store: ConversationStore; hosted: HostedFiles } {
  const store = new ConversationStore(d.db);
  const hosted = new HostedFiles(d.db, d.charts, d.publicUrl, d.clock, d.fileRetentionDays);
  // The SDK's own client class, sharing its HTTP client (and so the bot's token) across service URLs.
  const ApiClient = app.api.constructor as new (serviceUrl: string, http: typeof app.api.http) => typeof app.api;
  const messenger = new TeamsMessenger({
    apiFor: (serviceUrl) => new ApiClient(serviceUrl, app.api.http),
    store,
    hosted,
    repo: d.repo,
    appId: config.appId,
    tenantId: config.tenantId,
    defaultServiceUrl: config.serviceUrl,
    log: d.log,
  });
  return { messenger, store, hosted };
}

export async function createTeamsTransport(opts: TeamsTransportOptions): Promise<TeamsTransport> {
  const { config, deps, dispatcher, log, db } = opts;
  const app = createTeamsApp(config, opts.http, log);
  const { messenger, store, hosted } = createTeamsMessenger(app, config, { db, repo: deps.repo, charts: deps.charts, publicUrl: opts.publicUrl, fileRetentionDays: opts.fileRetentionDays, clock: opts.clock, log });
  hosted.mount(opts.http);
  const kit = teamsKit(messenger, store, config, log);

  // Bounded, and started after waiting requests: see BackgroundWork.
  const work = new BackgroundWork();
  /** Work done after the activity is acknowledged; `turn` is the turn, or how to get it (so the acknowledgement waits for no database). */
  function background(what: string, turn: Turn | (() => Promise<Turn>), fn: (turn: Turn) => Promise<void>): void {
    let known: Turn | null = typeof turn === 'function' ? null : turn;
    void work.run(async () => {
      try {
        known ??= await (turn as () => Promise<Turn>)();
        await fn(known);
      } catch (e) {
        log.error({ err: e, what }, 'teams: work after acknowledging failed');
        if (!known) return;
        try {
          await sayPrivately(known, SOMETHING_WENT_WRONG);
        } catch {
          /* nothing more we can do */
        }
      }
    });
  }

  /** Unknown senders looked up recently (so a stranger's every message does not cost an API call). */
  const lookedUp = new Map<string, number>();

  /** Who is asking: the linked person, or a first contact matched by the e-mail Teams has for them. */
  async function actorFor(a: Activity): Promise<Actor> {
    const aad = a.from.aadObjectId;
    let person: PersonRecord | null = aad ? await deps.repo.personByPlatformUser('teams', aad) : null;
    if (!person && aad && (lookedUp.get(aad) ?? 0) < Date.now() - 10 * 60_000) {
      lookedUp.set(aad, Date.now());
      try {
        const member = await messenger.call('get member', () => messenger.api(a.serviceUrl).conversations.members(a.conversation.id).getById(a.from.id));
        const email = member.email ?? member.userPrincipalName;
        const byEmail = email ? await deps.repo.personByEmail(email) : null;
        if (byEmail && !byEmail.identities.teams && (await deps.repo.linkPlatformUser(byEmail.id, 'teams', aad, { linkedBy: 'first-contact', at: opts.clock.now() })) !== 'conflict') {
          person = { ...byEmail, identities: { ...byEmail.identities, teams: aad } };
          lookedUp.delete(aad);
          log.info({ personId: person.id }, 'linked a Teams user to the register by email');
        }
      } catch (e) {
        log.warn({ err: (e as Error).message }, 'could not look up the Teams user');
      }
    }
    // A channel, not the thread the message is in (";messageid=…"): subscriptions are per channel.
    return { platform: 'teams', userId: aad ?? a.from.id, person, channelId: a.conversation.id.split(';')[0]! };
  }

  /** Keep the conversation reference fresh: how alerts, chases and digests reach this place and person later. */
  async function remember(a: Activity, kind: Turn['kind'], person: PersonRecord | null): Promise<void> {
    const tenantId = a.conversation.tenantId ?? a.channelData?.tenant?.id;
    const base: Omit<ConversationRef, 'conversationId' | 'conversationType'> = {
      serviceUrl: a.serviceUrl,
      ...(tenantId ? { tenantId } : {}),
      botId: a.recipient.id,
      ...(a.channelData?.team?.id ? { teamId: a.channelData.team.id } : {}),
    };
    const aad = a.from.aadObjectId;
    if (kind === 'personal') {
      if (aad) await store.save(personKey(aad), { ...base, conversationId: a.conversation.id, conversationType: 'personal', userId: a.from.id, ...(a.from.name ? { name: a.from.name } : {}) }, person?.id ?? null);
      return;
    }
    const conversationId = (a.channelData?.channel?.id ?? a.conversation.id).split(';')[0]!;
    const name = a.channelData?.channel?.name ?? a.conversation.name;
    await store.save(channelKey(conversationId), { ...base, conversationId, conversationType: kind, ...(name ? { name } : {}) });
    // The person's Teams id here lets the bot start a 1:1 chat with them later, if they have none yet.
    if (aad && a.from.id.startsWith('29:')) {
      await store.save(personKey(aad), { ...base, conversationId: '', conversationType: 'personal', userId: a.from.id }, person?.id ?? null, { ifAbsent: true });
    }
  }

  async function turnFor(a: Activity): Promise<Turn> {
    const t = a.conversation.conversationType;
    const kind: Turn['kind'] = t === 'channel' ? 'channel' : t === 'groupChat' ? 'groupChat' : 'personal';
    const actor = await actorFor(a);
    await remember(a, kind, actor.person);
    return { activity: a, here: { serviceUrl: a.serviceUrl, conversationId: a.conversation.id }, kind, actor };
  }

  async function mentionsFor(msg: Message) {
    return messenger.mentions(msg);
  }

  /** A form as a card, with the indicator pickers' first choices filled in. */
  async function renderForm(actor: Actor, form: Form, extra: { values?: Record<string, string | string[] | undefined>; errors?: Record<string, string> } = {}): Promise<AdaptiveCard> {
    const choices: Record<string, { value: string; label: string }[]> = {};
    for (const f of form.fields) {
      if (f.kind !== 'indicator') continue;
      const r = await dispatcher.options(actor, form.id, f.id, '');
      choices[f.id] = r.kind === 'options' ? r.options.slice(0, 50) : [];
      const chosen = extra.values?.[f.id];
      if (typeof chosen === 'string' && /^\d+$/.test(chosen) && !choices[f.id]!.some((c) => c.value === chosen)) {
        const ind = await deps.repo.indicator(Number(chosen));
        if (ind) choices[f.id]!.unshift({ value: chosen, label: `${ind.slug} — ${ind.name}` });
      }
    }
    return formCard(form, await mentionsFor({ text: '', blocks: form.intro ?? [] }), { ...extra, choices });
  }

  /** Somewhere only the person sees: the 1:1 chat they wrote in, or their 1:1 chat with the bot. */
  async function privateDestination(turn: Turn): Promise<Destination> {
    if (turn.kind === 'personal') return turn.here;
    const aad = turn.activity.from.aadObjectId;
    if (aad) {
      try {
        return await messenger.personConversation(aad);
      } catch (e) {
        log.warn({ err: (e as Error).message }, 'teams: no 1:1 chat with the person; answering where they asked');
      }
    }
    return turn.here;
  }

  async function sayPrivately(turn: Turn, msg: Message): Promise<void> {
    const { card, summary } = await messenger.render(msg);
    await messenger.send(await privateDestination(turn), card, summary);
  }

  async function deliver(result: CommandResult, turn: Turn): Promise<void> {
    switch (result.kind) {
      case 'message':
        if (result.visibility === 'channel') {
          const { card, summary } = await messenger.render(result.message);
          await messenger.send(turn.here, card, summary);
          return;
        }
        return sayPrivately(turn, result.message);
      case 'form':
      case 'form-update':
        await messenger.send(await privateDestination(turn), await renderForm(turn.actor, result.form), result.form.title);
        return;
      case 'form-done':
        return sayPrivately(turn, result.message);
      case 'form-errors':
        return sayPrivately(turn, formErrorsMessage(result.errors));
      case 'deferred':
        // Say at once what is happening, then do the slow work and deliver its answer.
        await sayPrivately(turn, result.message);
        return deliver(await result.result(), turn);
      case 'options':
      case 'none':
        return;
      default:
        return unreachable(result);
    }
  }

  /** A card that replaces the one clicked. */
  async function resultCard(turn: Turn, result: CommandResult): Promise<AdaptiveCard> {
    switch (result.kind) {
      case 'form':
      case 'form-update':
        return renderForm(turn.actor, result.form);
      case 'message':
      case 'form-done':
        return (await messenger.render(result.message)).card;
      case 'form-errors':
        return messageCard(formErrorsMessage(result.errors, 'Not saved'), new Map());
      default:
        return messageCard({ text: 'Done.', blocks: [{ type: 'context', text: 'Done.' }] }, new Map());
    }
  }

  /** Files people send: https only (plain http only from a local fake Bot Connector), at most the import limit. */
  const downloads: DownloadPolicy = { httpOrigin: httpOriginOf(config.serviceUrl), maxBytes: MAX_IMPORT_BYTES };

  async function onMessage(turn: Turn): Promise<void> {
    const text = commandText(turn.activity);
    const file = sentFile(turn.activity.attachments, downloads);
    if (file) return deliver(await dispatcher.fileShared(turn.actor, file, text), turn);
    await deliver(await dispatcher.slash(turn.actor, text || 'help'), turn);
  }

  async function onCardAction(turn: Turn): Promise<InvokeResponse> {
    const value = turn.activity.value as { action?: { data?: unknown } } | undefined;
    const parsed = actionDataSchema.safeParse(value?.action?.data);
    if (!parsed.success) return toastResponse('That button is from an older version of the bot and no longer does anything. Try the command again.');
    const data = parsed.data;
    if (data.kpi === 'cancel') return cardResponse(messageCard({ text: 'Cancelled.', blocks: [{ type: 'context', text: 'Cancelled: nothing was saved.' }] }, new Map()));
    if (data.kpi === 'form') {
      const form = data.form as unknown as Form;
      const values = formValues(form, data as Record<string, unknown>);
      const result = await dispatcher.submitForm(turn.actor, form.id, form.state, values);
      if (result.kind === 'form-errors') return cardResponse(await renderForm(turn.actor, form, { values, errors: result.errors }));
      if (result.kind === 'message' && result.visibility === 'channel' && turn.kind !== 'personal') background('form result', turn, (t) => deliver(result, t));
      return cardResponse(await resultCard(turn, result));
    }
    // A button: answers that belong on the card replace it; anything else is said after the acknowledgement.
    const result = await dispatcher.action(turn.actor, data.id, data.value);
    if (REPLACES_CARD.has(data.id) && result.kind === 'message') return cardResponse(await resultCard(turn, result));
    if (result.kind === 'none') return toastResponse('Done.');
    background(`button ${data.id}`, turn, (t) => deliver(result, t));
    const elsewhere = turn.kind !== 'personal' && !(result.kind === 'message' && result.visibility === 'channel');
    return toastResponse(elsewhere ? 'I have answered you in our 1:1 chat.' : 'Done: see below.');
  }

  async function onSearch(turn: Turn): Promise<InvokeResponse> {
    const q = searchSchema.safeParse(turn.activity.value ?? {});
    const { queryText, dataset, queryOptions } = q.success ? q.data : { queryText: '', dataset: '', queryOptions: undefined };
    const [formId = 'submit', fieldId = 'indicator'] = dataset.split(':');
    const result = await dispatcher.options(turn.actor, formId as Form['id'], fieldId, queryText);
    const options = result.kind === 'options' ? result.options : [];
    const skip = queryOptions?.skip ?? 0;
    const top = queryOptions?.top ?? 25;
    return invoke({ type: 'application/vnd.microsoft.search.searchResponse', value: { results: options.slice(skip, skip + top).map((o) => ({ title: o.label, value: o.value })) } });
  }

  /** The bot was added: a welcome in the channel, or the person's home view in their 1:1 chat. */
  async function onAdded(turn: Turn): Promise<void> {
    if (turn.kind === 'personal') {
      const msg = await homeView(deps, turn.actor);
      const { card, summary } = await messenger.render(msg);
      await messenger.send(turn.here, card, summary);
      return;
    }
    // A new team: its members can be found now (the roster is read again at the next lookup).
    kit.finder.invalidate();
    const channel = (turn.activity.channelData?.channel?.id ?? turn.activity.conversation.id).split(';')[0]!;
    const msg: Message = {
      text: 'kpi-bot is here: mention me to show, list and submit performance indicators.',
      blocks: [
        { type: 'header', text: 'kpi-bot: performance indicators in Teams' },
        { type: 'text', text: 'Mention me with a command, e.g. **@kpi show sickness-absence** or **@kpi list red**. In a 1:1 chat with me, just type the command: **submit**, **mine**, **help**.' },
        { type: 'context', text: `Alerts come to the channels a performance admin (or a theme's director) subscribes: mention me there with **@kpi subscribe** (or **@kpi subscribe theme <name>**). This channel's id: ${channel}` },
      ],
    };
    const { card, summary } = await messenger.render(msg);
    await messenger.send({ serviceUrl: turn.here.serviceUrl, conversationId: channel }, card, summary);
  }

  app.use(async (ctx) => {
    const parsed = activitySchema.safeParse(ctx.activity);
    if (!parsed.success) {
      log.warn({ type: (ctx.activity as { type?: unknown }).type }, 'teams: activity not understood');
      return { status: 400 } as InvokeResponse;
    }
    const a = parsed.data;
    switch (a.type) {
      // Acknowledged at once: who is asking, the stored reference and the answer all come after.
      case 'message':
        background('message', () => turnFor(a), onMessage);
        return;
      case 'invoke':
        // The answer is the HTTP response: a card, a toast or search results.
        if (a.name === 'adaptiveCard/action') return onCardAction(await turnFor(a));
        if (a.name === 'application/search') return onSearch(await turnFor(a));
        return { status: 501 } as InvokeResponse;
      case 'conversationUpdate':
      case 'installationUpdate':
        background('install', () => turnFor(a), async (turn) => {
          if (a.type === 'conversationUpdate' && a.membersAdded?.some((m) => m.id === a.recipient.id)) await onAdded(turn);
        });
        return;
      default:
        return;
    }
  });

  return {
    messenger,
    kit,
    idle: () => work.idle(),
    async start() {
      await app.initialize();
    },
    async stop() {
      // Answer what has been acknowledged before the database closes.
      await work.idle();
    },
  };
}

