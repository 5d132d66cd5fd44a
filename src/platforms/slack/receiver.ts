// The receiver for Slack's HTTP mode. It only carries bytes (as bolt-js receivers do): the shared
// HTTP server hands it a request; it checks Slack's signature, refuses replays and payloads that are
// not what Slack sends, and gives the body to Bolt, whose ack writes the HTTP answer.
import { verifySlackRequest } from '@slack/bolt';
import type { App as BoltApp, ReceiverEvent, Receiver } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../log.ts';
import type { Clock } from '../../ports.ts';
import type { HttpRequest, HttpResponse } from '../../http/server.ts';

/** Slack's largest payloads (a modal's view with its state) are well under this. */
export const SLACK_BODY_LIMIT = 512 * 1024;

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
export class SharedServerReceiver implements Receiver {
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

  /** Requests handed to Bolt whose listener has not returned. */
  private readonly inFlight = new Set<Promise<void>>();

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
    req.surface = checked.kind;
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
    // request does not hang, and log it. (One that no listener takes is answered as soon as that is known.)
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
    // Tracked until its listener returns, so stopping waits for work acknowledged (by the listener, or
    // by the 3-second answer above) before its background job was even started.
    const handled = this.app!.processEvent(event);
    this.inFlight.add(handled);
    try {
      await handled;
      // Its listeners are done and none acknowledged it (a modal closed, another app's command): nothing
      // will now, so it is answered here rather than at Slack's deadline.
      if (!acked) {
        acked = true;
        clearTimeout(timer);
        this.log.warn({ type: body.type, command: typeof body.command === 'string' ? body.command.slice(0, 40) : undefined }, 'slack request taken by no listener: answered empty');
        reply({ status: 200 });
      }
    } catch (e) {
      this.log.error({ err: e }, 'slack listener failed');
      if (!acked) {
        acked = true;
        clearTimeout(timer);
        reply({ status: 500 });
      }
    } finally {
      this.inFlight.delete(handled);
    }
  }

  /** Whether a request's listener is still running. */
  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** Resolves when every request handed to Bolt so far has been handled by its listener. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }
}

