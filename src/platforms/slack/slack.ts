// The Slack transport: Bolt listeners per surface (slash command, buttons, modals, type-ahead, App
// Home) that translate Slack payloads to the dispatcher and its results to Block Kit. HTTP mode
// mounts /slack/events on the shared server behind signature verification; Socket Mode when an app
// token is configured. Every listener acknowledges first and works after, except where Slack needs
// the answer in the acknowledgement (modal validation, type-ahead options).
import { App, verifySlackRequest } from '@slack/bolt';
import type { App as BoltApp, ReceiverEvent, Receiver } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Logger } from '../../log.ts';
import type { Actor, Clock, CommandDeps, IncomingFile } from '../../ports.ts';
import type { CommandResult, FormId, FormValues, Message } from '../../messages/types.ts';
import type { Dispatcher } from '../../../commands/dispatch.ts';
import { formErrorsMessage, SOMETHING_WENT_WRONG, unreachable } from '../../messages/build.ts';
import { homeView } from '../../../commands/home.ts';
import type { HttpServer, HttpRequest, HttpResponse } from '../../http/server.ts';
import { formFiles, formValues, readModalMetadata, toBlocks, toErrors, toFallback, toModal, type SlackFileRef, type ViewStateValue } from './blocks.ts';
import { ValidationError } from '../../errors.ts';
import { readAtMost } from '../downloads.ts';
import { SlackMessenger, slackClientOptions, slackErrorCode } from './messenger.ts';
import { boltLogger } from './log.ts';
import type { SlackOutbound } from './outbound.ts';
import type { PlatformKit } from '../../wiring.ts';
import { BackgroundWork } from '../background.ts';
import { identify } from '../../people/identify.ts';
import { DEFAULT_DATABASE_RETRY, isDatabaseUnavailable, retryWhileUnavailable, type RetryPolicy } from '../../db/unavailable.ts';
import { enteredValues, isNotSaved, notSaved } from '../../../commands/unavailable.ts';

type SlackConfig = NonNullable<Config['slack']>;

export interface SlackTransportOptions {
  config: SlackConfig;
  /** The Web API client and messenger the services already send through (src/platforms/index.ts). */
  outbound: SlackOutbound;
  deps: CommandDeps;
  dispatcher: Dispatcher;
  http: HttpServer;
  clock: Clock;
  log: Logger;
  /** How long to keep trying while the database is unavailable (default 30 s). */
  databaseRetry?: RetryPolicy;
}

/** Slack's largest payloads (a modal's view with its state) are well under this. */
export const SLACK_BODY_LIMIT = 512 * 1024;

/** Under the first field of a form the database could not save in time. */
export const DATABASE_UNAVAILABLE_IN_FORM = 'Not saved — the database is unavailable. Try again in a minute: what you typed is still here.';

/** A modal submission is answered in the acknowledgement only if the answer is ready by then (Slack waits 3 s). */
export const MODAL_ANSWER_WITHIN_MS = 2500;

/**
 * What a payload must carry before Bolt sees it: every field a listener reads, of the type it
 * reads it as (Slack always sends these). Anything else gets a 400, never a listener's crash.
 */
const id = z.string().min(1).max(255);
const optionalText = z.string().max(100_000).optional();
const stateValues = z.record(z.string(), z.record(z.string(), z.object({ type: z.string() }).loose()));
const envelopes = {
  command: z.object({ command: z.string().max(255), user_id: id, text: optionalText, channel_id: id.optional(), trigger_id: optionalText, response_url: z.url().optional() }),
  block_actions: z.object({
    type: z.literal('block_actions'),
    user: z.object({ id }),
    actions: z.array(z.object({ action_id: z.string().max(255), value: optionalText }).loose()).min(1),
    channel: z.object({ id }).optional(),
    view: z.object({ id, type: z.string() }).loose().optional(),
    trigger_id: optionalText,
    response_url: z.url().optional(),
  }),
  view: z.object({
    type: z.enum(['view_submission', 'view_closed']),
    user: z.object({ id }),
    view: z.object({ id, callback_id: z.string().max(255), private_metadata: z.string().max(3000).optional(), state: z.object({ values: stateValues }).optional() }).loose(),
  }),
  block_suggestion: z.object({ type: z.literal('block_suggestion'), user: z.object({ id }), action_id: z.string().max(255), block_id: z.string().max(255), value: z.string().max(2000), view: z.object({ callback_id: z.string().max(255) }).loose().optional() }),
  event_callback: z.object({
    type: z.literal('event_callback'),
    event: z.union([
      z.object({ type: z.literal('app_home_opened'), user: id, tab: z.string().max(50) }).loose(),
      z.object({ type: z.literal('message'), channel: id, channel_type: z.string().optional(), user: id.optional(), bot_id: z.string().optional(), subtype: z.string().optional(), text: optionalText, files: z.array(z.object({ id }).loose()).optional() }).loose(),
      z.object({ type: z.string().max(100).refine((t) => t !== 'app_home_opened' && t !== 'message') }).loose(),
    ]),
  }),
  url_verification: z.object({ type: z.literal('url_verification'), challenge: z.string().max(500) }),
};
type Envelope = keyof typeof envelopes;

/**
 * Bolt decides what a payload is by which of these keys it has (an `actions` key makes anything a
 * button press): each kind keeps only its own, so a payload is handled as what it was checked as.
 */
const KIND_KEYS: Record<Envelope, string[]> = { command: ['command'], block_actions: ['actions'], view: [], block_suggestion: [], event_callback: ['event'], url_verification: [] };
const BOLT_KIND_KEYS = ['event', 'command', 'name', 'actions'];

/** The kind of Slack payload this is, checked field by field, and the body as Bolt may see it; null when it is none. */
function checkEnvelope(body: unknown): { kind: Envelope; body: Record<string, unknown> } | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  for (const kind of Object.keys(envelopes) as Envelope[]) {
    if (!envelopes[kind].safeParse(body).success) continue;
    const clean: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    for (const k of BOLT_KIND_KEYS) if (!KIND_KEYS[kind].includes(k)) delete clean[k];
    return { kind, body: clean };
  }
  return null;
}

/**
 * A receiver that only carries bytes: the shared HTTP server hands it a request, it checks Slack's
 * signature (401 when missing, wrong or older than five minutes), parses the body and passes it to
 * Bolt; Bolt's ack writes the HTTP answer.
 */
class SharedServerReceiver implements Receiver {
  private app: BoltApp | null = null;
  /**
   * Signatures seen in the last five minutes (the window a signature is valid for), with when each
   * stops being valid: the same signed request sent again is not processed twice. Per process;
   * events are also deduplicated across processes by their event id (see the message listener).
   */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly signingSecret: string,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  init(app: BoltApp): void {
    this.app = app;
  }

  /** Whether this signature was seen within its five minutes; records it otherwise. */
  private replayed(signature: string, timestamp: number): boolean {
    const now = this.clock.now().getTime();
    if ((this.seen.get(signature) ?? 0) > now) return true;
    if (this.seen.size > 50_000 || this.seen.size % 1000 === 999) for (const [k, until] of this.seen) if (until <= now) this.seen.delete(k);
    this.seen.set(signature, timestamp * 1000 + 5 * 60_000);
    return false;
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async handle(req: HttpRequest, reply: (r: HttpResponse) => void): Promise<void> {
    const signature = req.headers['x-slack-signature'];
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    try {
      if (typeof signature !== 'string' || !Number.isFinite(timestamp)) throw new Error('missing signature headers');
      verifySlackRequest({
        signingSecret: this.signingSecret,
        body: req.rawBody,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: this.clock.now().getTime(),
      });
    } catch (e) {
      this.log.warn({ reason: (e as Error).message.slice(0, 120) }, 'slack request refused: bad signature');
      return reply({ status: 401, headers: { 'content-type': 'text/plain' }, body: 'Invalid signature' });
    }
    const replayed = this.replayed(signature, timestamp);
    let raw: unknown;
    try {
      const ct = String(req.headers['content-type'] ?? '');
      if (ct.includes('application/json')) raw = JSON.parse(req.rawBody);
      else {
        const form = Object.fromEntries(new URLSearchParams(req.rawBody));
        raw = typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
      }
    } catch {
      return reply({ status: 400, headers: { 'content-type': 'text/plain' }, body: 'Unreadable body' });
    }
    const checked = checkEnvelope(raw);
    if (!checked) {
      const type = (raw as { type?: unknown } | null)?.type;
      this.log.warn({ type: typeof type === 'string' ? type.slice(0, 40) : undefined }, 'slack request refused: not a payload this app understands');
      return reply({ status: 400, headers: { 'content-type': 'text/plain' }, body: 'Not a Slack request this app understands' });
    }
    const body = checked.body;
    // A type-ahead query only reads: answering it again is harmless (and people do type the same thing twice).
    if (replayed && checked.kind !== 'block_suggestion') {
      if (req.headers['x-slack-retry-num']) return reply({ status: 200 }); // Slack's retry of what was handled
      this.log.warn({ kind: checked.kind }, 'slack request refused: replayed');
      return reply({ status: 401, headers: { 'content-type': 'text/plain' }, body: 'Replayed request' });
    }
    if (body.type === 'url_verification') {
      return reply({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ challenge: body.challenge }) });
    }
    let acked = false;
    // Slack gives up after 3 s; if a listener has not acknowledged by then, answer empty so the
    // request does not hang, and log it.
    const timer = setTimeout(() => {
      if (acked) return;
      acked = true;
      this.log.warn({ type: body.type }, 'slack request not acknowledged within 3 s');
      reply({ status: 200 });
    }, 3000);
    const event: ReceiverEvent = {
      body,
      retryNum: req.headers['x-slack-retry-num'] ? Number(req.headers['x-slack-retry-num']) : undefined,
      retryReason: req.headers['x-slack-retry-reason'] as string | undefined,
      ack: async (response?: unknown) => {
        if (acked) return;
        acked = true;
        clearTimeout(timer);
        if (response === undefined || response === '') reply({ status: 200 });
        else if (typeof response === 'string') reply({ status: 200, headers: { 'content-type': 'text/plain' }, body: response });
        else reply({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response) });
      },
    };
    try {
      await this.app!.processEvent(event);
    } catch (e) {
      this.log.error({ err: e }, 'slack listener failed');
      if (!acked) {
        acked = true;
        clearTimeout(timer);
        reply({ status: 500 });
      }
    }
  }
}

export interface SlackTransport {
  messenger: SlackMessenger;
  kit: PlatformKit;
  client: WebClient;
  /** What listeners do after acknowledging; `idle()` waits for it (tests, shutdown). */
  background: BackgroundWork;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface ReplyContext {
  userId: string;
  channelId?: string;
  triggerId?: string;
  responseUrl?: string;
  /** A button inside an open modal: forms replace it instead of opening a new one. */
  viewId?: string;
  replaceOriginal?: boolean;
}

export async function createSlackTransport(opts: SlackTransportOptions): Promise<SlackTransport> {
  const { config, deps, dispatcher, log, clock } = opts;
  const clientOptions = slackClientOptions(config);
  // Posts, edits, uploads and views: one attempt per call; look-ups that change nothing may be retried (src/platforms/slack/outbound.ts).
  const { client, readClient, messenger } = opts.outbound;

  // Bolt would call auth.test on every request without the bot's ids: look them up once.
  let botId = config.botId;
  let botUserId = config.botUserId;
  if (!botId || !botUserId) {
    const auth = await readClient.auth.test();
    botId ??= auth.bot_id;
    botUserId ??= auth.user_id;
  }

  const socketMode = Boolean(config.appToken);
  const receiver = socketMode ? null : new SharedServerReceiver(config.signingSecret!, clock, log);
  const app = new App({
    token: config.botToken,
    botId,
    botUserId,
    logger: boltLogger(log),
    clientOptions,
    ...(socketMode ? { socketMode: true, appToken: config.appToken } : { receiver: receiver! }),
  });
  if (receiver) opts.http.route('POST', '/slack/events', (req, reply) => receiver.handle(req, reply), { bodyLimit: SLACK_BODY_LIMIT });

  const background = new BackgroundWork();

  const databaseRetry = opts.databaseRetry ?? DEFAULT_DATABASE_RETRY;
  const retrySeconds = Math.round(databaseRetry.budgetMs / 1000);
  /** actorFor, tried again while the database is unavailable; null when it stayed unavailable. */
  async function actorWhenAvailable(userId: string | undefined, channelId?: string, policy: RetryPolicy = databaseRetry): Promise<Actor | null> {
    try {
      return await retryWhileUnavailable(() => actorFor(userId, channelId), policy);
    } catch (e) {
      if (!isDatabaseUnavailable(e)) throw e;
      log.error({ err: e }, `database unavailable for ${retrySeconds} s; the person was told nothing was saved`);
      return null;
    }
  }

  /** Who is asking: the linked person, or a first contact matched by the email Slack has for them. */
  async function actorFor(userId: string | undefined, channelId?: string): Promise<Actor> {
    // Slack always says who is asking; a payload that does not is nobody's.
    if (typeof userId !== 'string' || !userId) return { platform: 'slack', userId: '', person: null };
    const person = await identify(deps.repo, 'slack', userId, async () => {
      try {
        return (await readClient.users.info({ user: userId })).user?.profile?.email;
      } catch (e) {
        log.warn({ err: slackErrorCode(e) ?? (e as Error).message }, 'could not look up the Slack user');
        return null;
      }
    }, log, clock.now());
    return { platform: 'slack', userId, person, ...(channelId ? { channelId } : {}) };
  }

  /** Say something only the person sees: via the response URL when there is one, else a DM (always a DM when it carries files). */
  async function sayPrivately(ctx: ReplyContext, msg: Message): Promise<void> {
    if (msg.blocks.some((b) => b.type === 'file')) {
      await messenger.reply({ kind: 'person', id: ctx.userId }, msg);
      return;
    }
    const mentions = await messenger.mentions(msg);
    const payload = { text: toFallback(msg, mentions), blocks: toBlocks(msg, mentions) };
    if (ctx.responseUrl) {
      const res = await fetch(ctx.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...payload, response_type: 'ephemeral', ...(ctx.replaceOriginal ? { replace_original: true } : {}) }),
      });
      if (res.ok) return;
      log.warn({ status: res.status }, 'response_url refused the reply; sending a DM instead');
    }
    await messenger.reply({ kind: 'person', id: ctx.userId }, msg);
  }

  /** Post for everyone in the channel; when the bot cannot post there, answer in the channel through the response URL. */
  async function sayInChannel(ctx: ReplyContext, msg: Message): Promise<void> {
    if (!ctx.channelId) return sayPrivately(ctx, msg);
    try {
      await messenger.reply({ kind: 'channel', id: ctx.channelId }, msg);
    } catch (e) {
      const code = slackErrorCode(e);
      if (!ctx.responseUrl || !['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action'].includes(code ?? '')) throw e;
      const mentions = await messenger.mentions(msg);
      await fetch(ctx.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'in_channel', text: toFallback(msg, mentions), blocks: toBlocks(msg, mentions) }),
      });
      const files = msg.blocks.filter((b) => b.type === 'file');
      if (files.length) {
        await messenger.reply({ kind: 'person', id: ctx.userId }, { text: 'The file I could not post in the channel.', blocks: [{ type: 'text', text: 'I could not post this file in that conversation, so here it is. Invite me with `/invite @kpi-bot` to post files there.' }, ...files] });
      } else {
        await sayPrivately(
          { ...ctx, replaceOriginal: false },
          { text: 'Invite me to see charts here.', blocks: [{ type: 'context', text: 'I could not post the chart in this conversation: invite me with `/invite @kpi-bot` to see charts here.' }] },
        );
      }
    }
  }

  async function deliver(result: CommandResult, ctx: ReplyContext): Promise<void> {
    switch (result.kind) {
      case 'message':
        return result.visibility === 'channel' ? sayInChannel(ctx, result.message) : sayPrivately(ctx, result.message);
      case 'form':
      case 'form-update': {
        const view = toModal(result.form, await messenger.mentions({ text: '', blocks: result.form.intro ?? [] }), ctx.channelId ? { c: ctx.channelId } : {});
        if (ctx.viewId) await client.views.update({ view_id: ctx.viewId, view: view as never });
        else if (ctx.triggerId) await client.views.open({ trigger_id: ctx.triggerId, view: view as never });
        else await sayPrivately(ctx, { text: 'Open this from a button or /kpi command.', blocks: [{ type: 'text', text: 'Please start this again from a button or a `/kpi` command.' }] });
        return;
      }
      case 'form-done':
        return sayPrivately(ctx, result.message);
      case 'form-errors':
        return sayPrivately(ctx, formErrorsMessage(result.errors));
      case 'deferred':
        // Say at once what is happening, then do the slow work and deliver its answer.
        await sayPrivately(ctx, result.message);
        return deliver(await result.result(), { ...ctx, replaceOriginal: false });
      case 'options':
      case 'none':
        return;
      default:
        return unreachable(result);
    }
  }

  /** Slack's file hosts, and the configured API host (tests, proxies): the bot token goes nowhere else. */
  const fileHosts = (host: string) => host === 'slack.com' || host.endsWith('.slack.com') || (config.apiUrl ? host === new URL(config.apiUrl).host : false);

  /** A file a person uploaded, downloaded with the bot token only when the command reads it. */
  function incomingFile(f: SlackFileRef): IncomingFile {
    return {
      name: f.name ?? f.title ?? `${f.id}.csv`,
      size: f.size ?? null,
      async read() {
        let url = f.url_private_download ?? f.url_private;
        if (!url) {
          const info = await readClient.files.info({ file: f.id });
          url = info.file?.url_private_download ?? info.file?.url_private;
        }
        if (!url) throw new ValidationError(`Slack did not give me a way to download ${f.name ?? 'the file'}.`);
        const u = new URL(url);
        if (u.protocol !== 'https:' && !config.apiUrl) throw new ValidationError('Slack gave a file address I do not trust; nothing was downloaded.');
        if (!fileHosts(u.host)) throw new ValidationError('Slack gave a file address I do not trust; nothing was downloaded.');
        const res = await fetch(url, { headers: { authorization: `Bearer ${config.botToken}` }, signal: AbortSignal.timeout(60_000) });
        if (!res.ok) throw new Error(`file download answered HTTP ${res.status}`);
        if (/text\/html/i.test(res.headers.get('content-type') ?? '')) {
          // Slack answers a sign-in page when the token may not read files.
          throw new ValidationError('Slack would not let me download the file: the app needs the files:read scope (see deploy/slack-manifest.yml).');
        }
        return readAtMost(res, f.name ?? 'The file');
      },
    };
  }

  const failed = async (ctx: ReplyContext, e: unknown) => {
    log.error({ err: e }, 'slack listener failed after ack');
    try {
      await sayPrivately(ctx, SOMETHING_WENT_WRONG);
    } catch {
      /* nothing more we can do */
    }
  };

  // /kpi — acknowledge at once; forms are opened straight after, inside the 3-second trigger window.
  app.command('/kpi', async ({ command, ack }) => {
    await ack();
    const ctx: ReplyContext = { userId: command.user_id, channelId: command.channel_id, triggerId: command.trigger_id, responseUrl: command.response_url };
    await background.run(async () => {
      try {
        const actor = await actorWhenAvailable(command.user_id, command.channel_id);
        await deliver(actor ? await dispatcher.slash(actor, command.text ?? '') : notSaved(retrySeconds, { slash: command.text ?? '' }), ctx);
      } catch (e) {
        await failed(ctx, e);
      }
    });
  });

  // Buttons: action ids are "<action>:<index>".
  app.action(/^[a-z-]+:\d+$/, async ({ ack, body, action }) => {
    await ack();
    const b = body as unknown as {
      user: { id: string };
      channel?: { id: string };
      trigger_id?: string;
      response_url?: string;
      view?: { id: string; type: string };
    };
    const a = action as { action_id: string; value?: string };
    const id = a.action_id.split(':')[0]!;
    const ctx: ReplyContext = {
      userId: b.user.id,
      ...(b.channel ? { channelId: b.channel.id } : {}),
      ...(b.trigger_id ? { triggerId: b.trigger_id } : {}),
      ...(b.response_url ? { responseUrl: b.response_url } : {}),
      ...(b.view?.type === 'modal' ? { viewId: b.view.id } : {}),
      replaceOriginal: id === 'confirm-correction' || id === 'cancel',
    };
    await background.run(async () => {
      try {
        const actor = await actorWhenAvailable(b.user.id, b.channel?.id);
        await deliver(actor ? await dispatcher.action(actor, id, a.value ?? '') : notSaved(retrySeconds, { button: 'press the button again' }), ctx);
      } catch (e) {
        await failed(ctx, e);
      }
    });
  });

  /** A modal that only says something (the answer to a submission that took longer than Slack waits). */
  async function messageModal(title: string, msg: Message): Promise<Record<string, unknown>> {
    return { type: 'modal', title: { type: 'plain_text', text: title.slice(0, 24) }, close: { type: 'plain_text', text: 'Close' }, blocks: toBlocks(msg, await messenger.mentions(msg), { withActions: false }) };
  }

  /** Put the answer to a late submission in the modal; if it has been closed, send it as a message. */
  async function answerInModal(viewId: string, result: CommandResult, values: FormValues, ctx: ReplyContext, channel: string | undefined): Promise<void> {
    let view: Record<string, unknown>;
    switch (result.kind) {
      case 'form':
      case 'form-update':
        view = toModal(result.form, await messenger.mentions({ text: '', blocks: result.form.intro ?? [] }), channel ? { c: channel } : {});
        break;
      case 'form-errors': {
        // The fields cannot be marked any more: say what to correct, with what was typed.
        const msg = formErrorsMessage(result.errors);
        view = await messageModal('Not saved', { text: msg.text, blocks: [{ type: 'text', text: '⚠️ **Not saved** — please correct this and submit again:' }, ...msg.blocks, ...[enteredValues(values) ?? []].flat()] });
        break;
      }
      case 'form-done':
        view = await messageModal('Done', result.message);
        break;
      case 'message':
        view = await messageModal(result.message.text.startsWith('Not saved') ? 'Not saved' : 'Answer', result.message);
        break;
      default:
        view = await messageModal('Done', { text: 'Done.', blocks: [{ type: 'text', text: 'Done.' }] });
    }
    try {
      await client.views.update({ view_id: viewId, view: view as never });
    } catch (e) {
      log.info({ err: slackErrorCode(e) ?? (e as Error).message }, 'the modal is gone; sending the answer as a message');
      if (result.kind === 'form-done' || result.kind === 'message') await sayPrivately(ctx, result.message);
      else if (result.kind === 'form-errors') await sayPrivately(ctx, formErrorsMessage(result.errors));
    }
  }

  // Modal submissions: the answer (errors, an updated form, or close) goes in the acknowledgement —
  // when it is ready in time. When the database is slow or restarting, the modal says so at once and
  // gets the answer when there is one; never an empty acknowledgement that closes it as if saved.
  app.view(/.*/, async ({ ack, body, view }) => {
    const meta = readModalMetadata(view.private_metadata);
    const state = (view.state?.values ?? {}) as unknown as Record<string, Record<string, ViewStateValue>>;
    const values = formValues(state);
    const files = Object.fromEntries(Object.entries(formFiles(state)).map(([k, list]) => [k, list.map(incomingFile)]));
    const ctx: ReplyContext = { userId: body.user.id, ...(meta.c ? { channelId: meta.c } : {}) };
    const formId = view.callback_id as FormId;
    const work = (async (): Promise<CommandResult> => {
      const actor = await actorWhenAvailable(body.user.id, meta.c, { budgetMs: MODAL_ANSWER_WITHIN_MS - 500 });
      if (!actor) return notSaved(Math.round(MODAL_ANSWER_WITHIN_MS / 1000), { form: values, reopen: 'open the form again' });
      // Slack waits 3 s for the answer: keep trying only while it still can be given in the acknowledgement.
      return dispatcher.submitForm(actor, formId, meta.s ?? '', values, files, { databaseRetryMs: MODAL_ANSWER_WITHIN_MS - 500 });
    })();
    const inTime = await Promise.race([work.then((result) => ({ result })), new Promise<null>((r) => setTimeout(() => r(null), MODAL_ANSWER_WITHIN_MS))]);
    if (!inTime) {
      await ack({
        response_action: 'update',
        view: (await messageModal('Saving…', {
          text: 'Saving…',
          blocks: [{ type: 'text', text: `⏳ Saving… The database is slow to answer. I keep trying for up to ${retrySeconds} seconds and will say here whether it was saved.` }],
        })) as never,
      });
      await background.run(async () => {
        try {
          await answerInModal(view.id, await work, values, ctx, meta.c);
        } catch (e) {
          await failed(ctx, e);
        }
      });
      return;
    }
    const { result } = inTime;
    if (isNotSaved(result)) {
      // The database did not answer: keep the modal and what was typed, and say so under the first field.
      const first = Object.keys(values)[0] ?? 'value';
      return ack({ response_action: 'errors', errors: { [first]: DATABASE_UNAVAILABLE_IN_FORM } });
    }
    switch (result.kind) {
      case 'form-errors':
        return ack({ response_action: 'errors', errors: toErrors(result.errors, { fields: Object.keys(values).map((id) => ({ id })) }) });
      case 'form-update':
      case 'form': {
        const next = toModal(result.form, await messenger.mentions({ text: '', blocks: result.form.intro ?? [] }), meta.c ? { c: meta.c } : {});
        return ack({ response_action: 'update', view: next as never });
      }
      default:
        await ack();
        await background.run(async () => {
          try {
            await deliver(result.kind === 'form-done' ? { kind: 'message', visibility: 'private', message: result.message } : result, ctx);
          } catch (e) {
            await failed(ctx, e);
          }
        });
    }
  });

  // Type-ahead for the indicator picker (external select): options go in the acknowledgement.
  app.options(/.*/, async ({ ack, body }) => {
    const b = body as unknown as { user: { id: string }; block_id: string; value: string; view?: { callback_id: string } };
    const actor = await actorFor(b.user.id).catch(() => ({ platform: 'slack' as const, userId: b.user.id, person: null }));
    const result = await dispatcher.options(actor, (b.view?.callback_id ?? 'submit') as FormId, b.block_id, b.value ?? '');
    const options = result.kind === 'options' ? result.options : [];
    await ack({ options: options.slice(0, 100).map((o) => ({ text: { type: 'plain_text', text: o.label.slice(0, 75) }, value: o.value })) });
  });

  // App Home: my indicators, what is due, and for directors the reds in their area.
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home' || !event.user) return;
    await background.run(async () => {
      try {
        const actor = await actorFor(event.user);
        const msg = await homeView(deps, actor);
        await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: toBlocks(msg, await messenger.mentions(msg)) as never } });
      } catch (e) {
        log.error({ err: e }, 'app home failed');
      }
    });
  });

  // A file shared with the bot in a direct message: an import (performance admins).
  app.event('message', async ({ event, context, body }) => {
    const m = event as unknown as { channel: string; channel_type?: string; user?: string; bot_id?: string; subtype?: string; text?: string; files?: SlackFileRef[] };
    // Only people's files: not the bot's own uploads (reports, import reports) in the conversation.
    if (m.channel_type !== 'im' || m.bot_id || !m.user || m.user === botUserId || !m.files?.length) return;
    // Slack retries an event it thinks was missed: handle it once, whichever delivery (and whichever
    // process) gets it first — a retry whose first delivery never arrived is handled.
    const eventId = (body as { event_id?: unknown }).event_id;
    const key = typeof eventId === 'string' && eventId ? eventId : `${m.channel}:${(event as { ts?: string }).ts ?? ''}`;
    if (!(await deps.repo.recordInboundEvent(`slack:${key}`, clock.now()))) {
      log.info({ eventId: key, retry: context.retryNum ?? 0 }, 'slack event already handled');
      return;
    }
    const ctx: ReplyContext = { userId: m.user, channelId: m.channel };
    try {
      const actor = await actorFor(m.user, m.channel);
      await deliver(await dispatcher.fileShared(actor, incomingFile(m.files[0]!), m.text ?? ''), ctx);
    } catch (e) {
      await failed(ctx, e);
    }
  });

  app.error(async (e) => {
    log.error({ err: e }, 'bolt error');
  });

  return {
    messenger,
    kit: opts.outbound.kit,
    client,
    background,
    async start() {
      // HTTP mode: the constructor has initialised Bolt; requests arrive through the shared server.
      if (socketMode) await app.start();
    },
    async stop() {
      if (socketMode) await app.stop();
      // Answer what has been acknowledged before the database closes.
      await background.idle();
    },
  };
}
