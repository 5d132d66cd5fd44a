// The Teams transport, on Microsoft's Teams SDK (@microsoft/teams.apps). The SDK receives activities
// at /api/messages on the shared HTTP server (through a small adapter) and checks each request's
// Bot Framework JWT before anything else runs: a missing, forged, expired or mis-addressed token is
// answered 401. Then, before any handler, the activity's tenant must be one the bot serves
// (TEAMS_TENANT_ID / TEAMS_ALLOWED_TENANTS): a bot registered in Teams is reachable from any tenant,
// and a foreign tenant's directory can claim any e-mail address, so anything else is refused (403)
// and logged. Activities are routed by the SDK's events (app.on) to the dispatcher, and results
// become Adaptive Cards:
// - a message ("kpi show sickness-absence", "@kpi list red" in a channel) is acknowledged at once;
//   the answer follows as a card in the same conversation, or privately in the person's 1:1 chat —
//   and when that chat cannot be had, never in the channel: the channel gets a short note on how to
//   open the bot's chat, and the private answer waits in the outbox until it can be delivered;
// - a file sent in the 1:1 chat (a register to import) goes to the dispatcher as a shared file;
// - buttons and form submissions are Universal Actions (Action.Execute): the card in the invoke
//   response replaces the one clicked, so a form comes back with its errors beside the fields;
// - the indicator picker asks the bot as the person types (Data.Query, `application/search`);
// - every activity refreshes the stored conversation reference used for alerts, chases and digests.
import { App, type IActivityContext, type IHttpServerAdapter, type HttpMethod, type HttpRouteHandler } from '@microsoft/teams.apps';
import { PUBLIC, stripMentionsText, withOverrides, type InvokeResponse } from '@microsoft/teams.api';
import type { ILogger } from '@microsoft/teams.common';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Logger } from '../../log.ts';
import type { Actor, ChartRenderer, Clock, CommandDeps, PersonRecord, Repository, TransportStores } from '../../ports.ts';
import type { ActionId, CommandResult, Form, FormValues, Message } from '../../messages/types.ts';
import type { Dispatcher } from '../../../commands/dispatch.ts';
import { actions, formErrorsMessage, message, SOMETHING_WENT_WRONG, text, unreachable } from '../../messages/build.ts';
import { homeView } from '../../../commands/home.ts';
import { channelWelcome } from '../../../commands/welcome.ts';
import { TEAMS_BOT_NAME } from '../../messages/commands.ts';
import { BackgroundWork } from '../background.ts';
import type { HttpServer } from '../../http/server.ts';
import { formCard, formValues, messageCard, type AdaptiveCard, type TeamsConversation } from './cards.ts';
import { channelKey, ConversationStore, personKey, type ConversationRef } from './conversations.ts';
import { HostedFiles } from './hosted-files.ts';
import { ApiClient, TeamsMessenger, type Destination } from './messenger.ts';
import { StoredForms, type StoredForm } from './stored-forms.ts';
import { clientCredentialsTokenProvider } from './token.ts';
import { attachmentSchema, httpOriginOf, sentFile, type DownloadPolicy } from './incoming-files.ts';
import { MAX_IMPORT_BYTES } from '../../import/import.ts';
import type { PlatformKit } from '../../wiring.ts';
import { teamsKit } from './people.ts';

type TeamsConfig = NonNullable<Config['teams']>;

export interface TeamsTransportOptions {
  config: TeamsConfig;
  publicUrl: string;
  fileRetentionDays: number;
  stores: TransportStores;
  deps: CommandDeps;
  dispatcher: Dispatcher;
  http: HttpServer;
  clock: Clock;
  log: Logger;
}

export interface TeamsTransport {
  messenger: TeamsMessenger;
  /** What the services send through and find people with (src/wiring.ts). */
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
const actionDataSchema = z.union([
  z.looseObject({ kpi: z.literal('action'), id: z.string(), value: z.string() }),
  z.looseObject({ kpi: z.literal('form'), ref: z.string().regex(/^[A-Za-z0-9_-]{22}$/), page: z.number().int().min(0).max(99), go: z.enum(['submit', 'next', 'back']) }),
  // Cards sent before forms were stored carry the whole form; they still work.
  z.looseObject({ kpi: z.literal('form'), form: formSchema }),
  z.looseObject({ kpi: z.literal('cancel'), ref: z.string().optional() }),
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
  kind: TeamsConversation;
  actor: Actor;
  /** How the person can ask again in the 1:1 chat: what they typed, or the button they pressed. */
  again?: { command: string } | { action: { id: string; value: string } };
  /** Private answers kept for later in this turn (for their outbox keys), and whether the channel was told. */
  kept: number;
  noted: boolean;
}

const invoke = (body: unknown): InvokeResponse => ({ status: 200, body }) as InvokeResponse;
const cardResponse = (card: AdaptiveCard) => invoke({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card });
const toastResponse = (text: string) => invoke({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text });
const noticeCard = (t: string) => messageCard({ text: t, blocks: [{ type: 'context', text: t }] }, new Map());

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

/** The command typed: the bot's own @mention removed (the SDK's helper), other mentions kept as names, no HTML. */
export function commandText(a: Pick<Activity, 'text' | 'entities' | 'recipient'>): string {
  const entities = (a.entities ?? []).filter((e) => e.type === 'mention' && e.mentioned);
  const stripped = stripMentionsText({ type: 'message', text: a.text ?? '', entities } as unknown as Parameters<typeof stripMentionsText>[0], { accountId: a.recipient.id }) ?? '';
  const t = stripped.replace(/<at>([^<]*)<\/at>/g, '$1').replace(/<[^>]+>/g, ' ');
  return decodeEntities(t).replace(/\s+/g, ' ').trim();
}

/** The tenant an activity says it is from (both places Teams puts it must agree). */
export function tenantOf(a: { conversation?: { tenantId?: unknown }; channelData?: { tenant?: { id?: unknown } } }): string | null {
  const ids = [a.conversation?.tenantId, a.channelData?.tenant?.id].filter((t): t is string => typeof t === 'string' && t !== '').map((t) => t.toLowerCase());
  if (!ids.length || ids.some((t) => t !== ids[0])) return null;
  return ids[0]!;
}

/** The SDK app: its JWT check on /api/messages (when `http` is given) and its Bot Connector client. */
export function createTeamsApp(config: TeamsConfig, http: HttpServer | null, log: Logger): App {
  const cloud = withOverrides(PUBLIC, {
    ...(config.openIdMetadataUrl ? { openIdMetadataUrl: config.openIdMetadataUrl } : {}),
    ...(config.loginUrl ? { loginEndpoint: config.loginUrl } : {}),
  });
  const homeTenant = config.tenantId ?? (config.allowedTenants.length === 1 ? config.allowedTenants[0] : undefined);
  return new App({
    clientId: config.appId,
    // Microsoft Entra through MSAL, unless the token endpoint is overridden (see token.ts).
    ...(config.loginUrl
      ? { token: clientCredentialsTokenProvider({ loginUrl: config.loginUrl, clientId: config.appId, clientSecret: config.appPassword, defaultTenant: homeTenant ?? cloud.loginTenant }) }
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
  stores: TransportStores;
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
  const store = new ConversationStore(d.stores.references);
  const hosted = new HostedFiles(d.stores.hostedFiles, d.charts, d.publicUrl, d.clock, d.fileRetentionDays);
  const messenger = new TeamsMessenger({
    // The SDK's public client for another region's service URL, sharing the app's HTTP client (and so the bot's token).
    apiFor: (serviceUrl) => new ApiClient(serviceUrl, app.api.http, app.options.apiClientSettings, app.cloud),
    store,
    hosted,
    repo: d.repo,
    appId: config.appId,
    allowedTenants: config.allowedTenants,
    defaultServiceUrl: config.serviceUrl,
    log: d.log,
  });
  return { messenger, store, hosted };
}

export async function createTeamsTransport(opts: TeamsTransportOptions): Promise<TeamsTransport> {
  const { config, deps, dispatcher, log, stores, clock } = opts;
  const app = createTeamsApp(config, opts.http, log);
  const { messenger, store, hosted } = createTeamsMessenger(app, config, { stores, repo: deps.repo, charts: deps.charts, publicUrl: opts.publicUrl, fileRetentionDays: opts.fileRetentionDays, clock, log });
  const forms = new StoredForms(stores.forms, clock);
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
  const LOOKUP_AGAIN_MS = 10 * 60_000;

  /**
   * Who is asking: the person linked to their Entra object id, or — the first time they write — the
   * register person with the e-mail Teams has for them. The activity's tenant is one the bot serves
   * (the gate below); the member record must be the same Entra user, in that same tenant.
   */
  async function actorFor(a: Activity): Promise<Actor> {
    const aad = a.from.aadObjectId;
    let person: PersonRecord | null = aad ? await deps.repo.personByPlatformUser('teams', aad) : null;
    const now = clock.now().getTime();
    if (!person && aad && (lookedUp.get(aad) ?? -Infinity) < now - LOOKUP_AGAIN_MS) {
      lookedUp.set(aad, now);
      try {
        const member = await messenger.call('get member', () => messenger.api(a.serviceUrl).conversations.members(a.conversation.id).getById(a.from.id));
        const memberTenant = (member as { tenantId?: string }).tenantId?.toLowerCase();
        const email = member.email ?? member.userPrincipalName;
        if (member.aadObjectId !== aad || (memberTenant && memberTenant !== tenantOf(a))) {
          log.warn({ tenantId: memberTenant }, 'teams: the member record is not the user who wrote; not linking by e-mail');
        } else if (email) {
          const byEmail = await deps.repo.personByEmail(email);
          if (byEmail && !byEmail.identities.teams && (await deps.repo.linkPlatformUser(byEmail.id, 'teams', aad, { linkedBy: 'first-contact', at: clock.now() })) !== 'conflict') {
            person = { ...byEmail, identities: { ...byEmail.identities, teams: aad } };
            lookedUp.delete(aad);
            log.info({ personId: person.id }, 'linked a Teams user to the register by email');
          }
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
    const tenantId = tenantOf(a);
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

  async function turnFor(a: Activity, again?: Turn['again']): Promise<Turn> {
    const t = a.conversation.conversationType;
    const kind: Turn['kind'] = t === 'channel' ? 'channel' : t === 'groupChat' ? 'groupChat' : 'personal';
    const actor = await actorFor(a);
    await remember(a, kind, actor.person);
    return { activity: a, here: { serviceUrl: a.serviceUrl, conversationId: a.conversation.id, kind }, kind, actor, kept: 0, noted: false, ...(again ? { again } : {}) };
  }

  /** Choices for a form's indicator pickers before anything is typed (Teams then asks the bot as the person types). */
  async function pickerChoices(actor: Actor, form: Form, values: FormValues): Promise<Record<string, { value: string; label: string }[]>> {
    const choices: Record<string, { value: string; label: string }[]> = {};
    for (const f of form.fields) {
      if (f.kind !== 'indicator') continue;
      const r = await dispatcher.options(actor, form.id, f.id, '');
      choices[f.id] = r.kind === 'options' ? r.options.slice(0, 50) : [];
      const chosen = values[f.id];
      if (typeof chosen === 'string' && /^\d+$/.test(chosen) && !choices[f.id]!.some((c) => c.value === chosen)) {
        const ind = await deps.repo.indicator(Number(chosen));
        if (ind) choices[f.id]!.unshift({ value: chosen, label: `${ind.slug} — ${ind.name}` });
      }
    }
    return choices;
  }

  /**
   * A form as a card, kept server-side (stored-forms.ts) so its buttons carry only its id: a new one,
   * or `stored` again with what has been typed so far. Only `audience` (an Entra object id) may submit it.
   */
  async function formCardFor(actor: Actor, audience: string | null, form: Form, extra: { values?: FormValues; errors?: Record<string, string>; page?: number; stored?: StoredForm } = {}): Promise<AdaptiveCard> {
    const values = extra.values ?? {};
    const ref = extra.stored?.id ?? forms.newId();
    const mentions = await messenger.mentions({ text: '', blocks: form.intro ?? [] });
    const fc = formCard(form, mentions, { ref, values, ...(extra.errors ? { errors: extra.errors } : {}), ...(extra.page !== undefined ? { page: extra.page } : {}), choices: await pickerChoices(actor, form, values) });
    if (extra.stored) await forms.save({ id: ref, values, pages: fc.pages });
    else await forms.create({ id: ref, audience, form, values, pages: fc.pages });
    return fc.card;
  }

  /** Somewhere only the person sees: the 1:1 chat they wrote in, or their 1:1 chat with the bot; null when Teams will not give one. */
  async function privateDestination(turn: Turn): Promise<Destination | null> {
    if (turn.kind === 'personal') return turn.here;
    const aad = turn.activity.from.aadObjectId;
    if (!aad) return null;
    try {
      return await messenger.personConversation(aad);
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'teams: no 1:1 chat with the person; keeping the private answer for later');
      return null;
    }
  }

  /**
   * A private answer that cannot be delivered now (no 1:1 chat: the app is not installed for the
   * person, or Teams refuses for a while): it waits in the outbox, which tries again with back-off,
   * and the conversation where they asked gets only a note on how to open the bot's chat — nothing
   * of the answer, no form.
   */
  async function keepForLater(turn: Turn, msg: Message): Promise<void> {
    const person = turn.actor.person;
    const a = turn.activity;
    const queued = person
      ? await deps.outbox.enqueue(
          { key: `teams-private:${a.conversation.id.split(';')[0]}:${a.id ?? a.replyToId ?? clock.now().getTime()}:${turn.kept++}`, purpose: 'private-reply', to: { kind: 'person', personId: person.id }, message: msg },
          clock.now(),
        )
      : false;
    log.info({ personId: person?.id, queued }, 'teams: a private answer could not be delivered now');
    if (turn.noted) return;
    turn.noted = true;
    const open = `I can't reach you privately yet. In Teams, open **Apps**, find **${TEAMS_BOT_NAME}** and choose **Open** (or **Add**) to start our chat`;
    const t = queued ? `🔒 ${open}: your answer is kept and will arrive there.` : `🔒 ${open}, then ask me again there.`;
    const note: Message = { text: t.replace(/\*\*/g, ''), blocks: [{ type: 'context', text: t }] };
    await messenger.sendAll(turn.here, await messenger.render(note, turn.kind));
  }

  /** What stands in for a form that cannot be shown privately yet: how to open it again in the 1:1 chat. */
  function formLater(turn: Turn, form: Form): Message {
    const again = turn.again;
    const intro = `You asked for the form **${form.title}** where I could not show it privately.`;
    if (again && 'action' in again) {
      return message(`${form.title}: open the form here.`, text(`${intro} Press the button to open it here.`), actions({ id: again.action.id as ActionId, label: 'Open the form', value: again.action.value, style: 'primary' }));
    }
    const command = again?.command ? `\`/kpi ${again.command.replace(/^\/?kpi\b\s*/i, '')}\`` : 'the command';
    return message(`${form.title}: type the command here to open it.`, text(`${intro} Type ${command} here to open it.`));
  }

  async function sayPrivately(turn: Turn, msg: Message): Promise<void> {
    const dest = await privateDestination(turn);
    if (!dest) return keepForLater(turn, msg);
    await messenger.sendAll(dest, await messenger.render(msg, 'personal'));
  }

  async function deliver(result: CommandResult, turn: Turn): Promise<void> {
    switch (result.kind) {
      case 'message':
        if (result.visibility === 'channel') {
          await messenger.sendAll(turn.here, await messenger.render(result.message, turn.kind));
          return;
        }
        return sayPrivately(turn, result.message);
      case 'form':
      case 'form-update': {
        const dest = await privateDestination(turn);
        if (!dest) return keepForLater(turn, formLater(turn, result.form));
        const card = await formCardFor(turn.actor, turn.activity.from.aadObjectId ?? null, result.form);
        await messenger.send(dest, { card, summary: result.form.title });
        return;
      }
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
        return formCardFor(turn.actor, turn.activity.from.aadObjectId ?? null, result.form);
      case 'message':
      case 'form-done':
        return (await messenger.renderOne(result.message, turn.kind)).card;
      case 'form-errors':
        return messageCard(formErrorsMessage(result.errors, 'Not saved'), new Map());
      default:
        return noticeCard('Done.');
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

  /** Submit a stored form (or move between its pages): the answer replaces the card. */
  async function onForm(turn: Turn, stored: StoredForm, data: Record<string, unknown>, page: number, go: 'submit' | 'next' | 'back'): Promise<InvokeResponse> {
    const aad = turn.activity.from.aadObjectId ?? null;
    if (stored.audience && stored.audience !== aad) return toastResponse('This form was opened for someone else: ask for your own with the command or button.');
    const form = stored.form;
    const onPage = stored.pages[page] ?? form.fields.map((f) => f.id);
    const values = { ...stored.values, ...formValues(form, data, onPage) };
    if (go !== 'submit') return cardResponse(await formCardFor(turn.actor, aad, form, { values, page: page + (go === 'next' ? 1 : -1), stored }));
    const result = await dispatcher.submitForm(turn.actor, form.id, form.state, values);
    if (result.kind === 'form-errors') return cardResponse(await formCardFor(turn.actor, aad, form, { values, errors: result.errors, stored }));
    await forms.delete(stored.id);
    if (result.kind === 'message' && result.visibility === 'channel' && turn.kind !== 'personal') background('form result', turn, (t) => deliver(result, t));
    return cardResponse(await resultCard(turn, result));
  }

  async function onCardAction(a: Activity): Promise<InvokeResponse> {
    const value = a.value as { action?: { data?: unknown } } | undefined;
    const parsed = actionDataSchema.safeParse(value?.action?.data);
    if (!parsed.success) return toastResponse('That button is from an older version of the bot and no longer does anything. Try the command again.');
    const data = parsed.data;
    if (data.kpi === 'cancel') {
      if (data.ref) await forms.delete(data.ref);
      return cardResponse(noticeCard('Cancelled: nothing was saved.'));
    }
    if (data.kpi === 'form') {
      const turn = await turnFor(a);
      if ('form' in data) {
        // A card from before forms were stored: the form travels in it.
        const legacy: StoredForm = { id: forms.newId(), audience: turn.activity.from.aadObjectId ?? null, form: data.form as unknown as Form, values: {}, pages: [] };
        await forms.create(legacy);
        return onForm(turn, legacy, data as Record<string, unknown>, 0, 'submit');
      }
      const stored = await forms.get(data.ref);
      if (!stored) return cardResponse(noticeCard('This form has expired or was already sent, so nothing was saved. Open it again from the command or the button.'));
      return onForm(turn, stored, data as Record<string, unknown>, data.page, data.go);
    }
    // A button: answers that belong on the card replace it; anything else is said after the acknowledgement.
    const turn = await turnFor(a, { action: { id: data.id, value: data.value } });
    const result = await dispatcher.action(turn.actor, data.id, data.value);
    if (REPLACES_CARD.has(data.id) && result.kind === 'message') return cardResponse(await resultCard(turn, result));
    if (result.kind === 'none') return toastResponse('Done.');
    background(`button ${data.id}`, turn, (t) => deliver(result, t));
    const elsewhere = turn.kind !== 'personal' && !(result.kind === 'message' && result.visibility === 'channel');
    return toastResponse(elsewhere ? 'I will answer you in our 1:1 chat.' : 'Done: see below.');
  }

  async function onSearch(a: Activity): Promise<InvokeResponse> {
    const turn = await turnFor(a);
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
      await messenger.sendAll(turn.here, await messenger.render(await homeView(deps, turn.actor), 'personal'));
      return;
    }
    // A new team: its members can be found now (the roster is read again at the next lookup).
    kit.finder.invalidate();
    const channel = (turn.activity.channelData?.channel?.id ?? turn.activity.conversation.id).split(';')[0]!;
    const msg = channelWelcome(channel);
    await messenger.sendAll({ serviceUrl: turn.here.serviceUrl, conversationId: channel, kind: turn.kind }, await messenger.render(msg, turn.kind));
  }

  /** The activity as the handlers read it (checked by the gate before any handler runs). */
  const activityOf = (ctx: IActivityContext): Activity => activitySchema.parse(ctx.activity);

  // First, before any handler: a readable activity from a tenant this bot serves.
  app.use(async (ctx) => {
    const parsed = activitySchema.safeParse(ctx.activity);
    if (!parsed.success) {
      log.warn({ type: (ctx.activity as { type?: unknown }).type }, 'teams: activity not understood');
      return { status: 400 } as InvokeResponse;
    }
    const tenantId = tenantOf(parsed.data);
    if (!tenantId || !config.allowedTenants.includes(tenantId)) {
      log.warn({ tenantId, type: parsed.data.type, aadObjectId: parsed.data.from.aadObjectId, serviceUrl: parsed.data.serviceUrl }, 'teams: refused an activity from a tenant this bot does not serve');
      return { status: 403 } as InvokeResponse;
    }
    return ctx.next();
  });
  // Acknowledged at once: who is asking, the stored reference and the answer all come after.
  app.on('message', (ctx) => {
    const a = activityOf(ctx);
    background('message', () => turnFor(a, { command: commandText(a) }), onMessage);
  });
  // Invokes: the answer is the HTTP response (a card, a toast or search results).
  app.on('card.action', (ctx) => onCardAction(activityOf(ctx)) as never);
  app.on('card.search', (ctx) => onSearch(activityOf(ctx)) as never);
  app.on('invoke', () => ({ status: 501 }) as never);
  app.on('conversationUpdate', (ctx) => {
    const a = activityOf(ctx);
    background('install', () => turnFor(a), async (turn) => {
      if (a.membersAdded?.some((m) => m.id === a.recipient.id)) await onAdded(turn);
    });
  });
  app.on('installationUpdate', (ctx) => {
    const a = activityOf(ctx);
    background('install', () => turnFor(a), async () => {});
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
